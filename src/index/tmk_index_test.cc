// TmkIndex against brute force on the reference's sample features: the same matches and
// scores, through removes.
#include <cstdlib>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "index/tmk_index.h"
#include "util/file_io.h"

namespace vigil {
namespace {

std::string TmkDir() {
  const char* env = std::getenv("VIGIL_TEST_DATA");
  return std::string(env != nullptr ? env : VIGIL_TEST_DATA) + "/video/tmk-expected";
}

void ExpectTmkEqualsBruteForce(const TmkIndex& index, const std::map<int64_t, TmkFeatures>& live,
                               const TmkFeatures& query) {
  std::vector<TmkIndexHit> hits;
  index.Search(query, &hits);
  std::vector<std::pair<int64_t, TmkPairScore>> want;
  for (const auto& [id, f] : live) {
    auto s = ScoreTmkPair(query, f, index.thresholds());
    if (s.ok() && s->match) want.emplace_back(id, *s);
  }
  ASSERT_EQ(hits.size(), want.size());
  for (size_t i = 0; i < hits.size(); ++i) {
    EXPECT_EQ(hits[i].id, want[i].first);
    EXPECT_EQ(hits[i].score.level1, want[i].second.level1);
    EXPECT_EQ(hits[i].score.level2, want[i].second.level2);
  }
}

TEST(TmkIndexTest, ReferenceSamplesEqualBruteForce) {
  std::map<int64_t, TmkFeatures> live;
  for (const auto& entry : std::filesystem::directory_iterator(TmkDir())) {
    if (entry.path().extension() != ".tmk") continue;
    auto bytes = ReadFileWithLimit(entry.path().string(), 1 << 20);
    ASSERT_TRUE(bytes.ok());
    auto f = ParseTmk(*bytes, entry.path().filename().string());
    ASSERT_TRUE(f.ok());
    live[static_cast<int64_t>(live.size()) + 1] = *f;
  }
  ASSERT_GE(live.size(), 10u);
  // Each level-2 score costs ~10 ms (ASan: more), so two threshold sets and a few queries
  // after the removes.
  for (const TmkThresholds thresholds : {TmkThresholds{}, TmkThresholds{0.9f, 0.9f}}) {
    TmkIndex index(thresholds);
    std::map<int64_t, TmkFeatures> in = live;
    for (const auto& [id, f] : in) ASSERT_TRUE(index.Add(id, f).ok());
    size_t total = 0;
    for (const auto& [id, f] : live) {
      ExpectTmkEqualsBruteForce(index, in, f);
      std::vector<TmkIndexHit> hits;
      index.Search(f, &hits);
      total += hits.size();
    }
    EXPECT_GT(total, live.size()) << "samples of one video must match each other";
    // Remove a few (the swap-with-last path), then search again.
    for (int64_t id : {int64_t{1}, int64_t{5}, static_cast<int64_t>(live.size())}) {
      ASSERT_TRUE(index.Remove(id));
      in.erase(id);
    }
    for (int64_t id : {int64_t{2}, int64_t{5}, int64_t{9}}) {
      ExpectTmkEqualsBruteForce(index, in, live.at(id));
    }
  }
}

}  // namespace
}  // namespace vigil
