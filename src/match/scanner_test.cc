#include "match/scanner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "store/test_temp_dir.h"

namespace vigil {
namespace {

std::string TestData(const std::string& rel) {
  const char* env = std::getenv("VIGIL_TEST_DATA");
  return std::string(env ? env : VIGIL_TEST_DATA) + "/" + rel;
}

TEST(ExpandPathsTest, FoldersAreRecursiveAndSorted) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("a/b"));
  for (const char* f : {"z.jpg", "a/b/c.png", "a/x.gif"}) std::ofstream(dir.File(f)) << "x";
  auto files = ExpandPaths({dir.File("")});
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 3u);
  EXPECT_TRUE((*files)[0].ends_with("a/b/c.png"));
  EXPECT_TRUE((*files)[2].ends_with("z.jpg"));
  EXPECT_EQ(ExpandPaths({dir.File("missing")}).status().code(), ErrorCode::kNotFound);
}

TEST(ScannerTest, ResultsInInputOrderWhateverTheJobs) {
  std::vector<std::string> paths;
  for (const char* f : {"aaa-orig.jpg", "square-128x128.jpg", "blur-a-lot.jpg", "nosuch.jpg",
                        "shrink-a-lot.jpg", "high-contrast.jpg"}) {
    paths.push_back(TestData(std::string("pdq/bridge-mods/") + f));
  }
  for (int jobs : {1, 2, 4}) {
    Scanner scanner(nullptr, ScanOptions{jobs, {}});
    std::vector<std::string> seen;
    ScanSummary s = scanner.Run(paths, [&](const ScanItem& item) {
      seen.push_back(item.path);
      if (item.path.ends_with("nosuch.jpg")) {
        EXPECT_EQ(item.error.code(), ErrorCode::kNotFound);
      } else {
        ASSERT_TRUE(item.error.ok()) << item.error.ToString();
        EXPECT_TRUE(item.hashes->pdq.has_value());
      }
    });
    EXPECT_EQ(seen, paths) << jobs << " jobs";
    EXPECT_EQ(s.files, paths.size());
    EXPECT_EQ(s.errors, 1u);
  }
}

}  // namespace
}  // namespace vigil
