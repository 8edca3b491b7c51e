// Golden test: every image in tests/data/pdq (Meta ThreatExchange's PDQ test images) is
// decoded by ImageDecoder and hashed by PdqHasher, and the result must equal the C++
// reference's output in expected-reference.csv, expected-fullres.csv and
// expected-dihedral.csv. One runner reads the tables; an image may differ only if it is
// listed in kKnownDifferences with its measured distance and the reason.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "hash/pdq.h"
#include "media/image_decoder.h"
#include "util/file_io.h"

namespace vigil {
namespace {

std::string TestDataDir() {
  const char* env = std::getenv("VIGIL_TEST_DATA");
  return std::string(env != nullptr ? env : VIGIL_TEST_DATA) + "/pdq";
}

struct Row {
  std::vector<std::string> hashes;  // one, or eight for the dihedral table
  int quality = 0;
  std::string path;
};

// Reads "hash[,hash...],quality,path" lines after the header.
std::vector<Row> ReadTable(const std::string& file, int n_hashes) {
  std::ifstream in(TestDataDir() + "/" + file);
  EXPECT_TRUE(in.good()) << "cannot open " << file;
  std::vector<Row> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::stringstream ss(line);
    for (std::string f; std::getline(ss, f, ',');) fields.push_back(f);
    EXPECT_EQ(fields.size(), static_cast<size_t>(n_hashes + 2)) << line;
    if (fields.size() != static_cast<size_t>(n_hashes + 2)) continue;
    Row row;
    row.hashes.assign(fields.begin(), fields.begin() + n_hashes);
    row.quality = std::stoi(fields[n_hashes]);
    row.path = fields[n_hashes + 1];
    rows.push_back(std::move(row));
  }
  return rows;
}

// Images whose decode through libvips differs from ImageMagick's, with the distance
// measured from the expected hash. Keep it short and explained; an entry that starts
// matching fails the test so it gets removed.
struct KnownDifference {
  const char* path;
  const char* table;  // expected-*.csv
  int bits;           // measured distance (max over the row's hashes)
  const char* why;
};
// Empty: all 49 images match in all three tables (libvips reads them with the same
// libjpeg-turbo/libpng/libwebp as the reference's ImageMagick, and image_decoder.cc
// restates ImageMagick's CMYK, 16-bit, alpha and all-grey rules).
const std::vector<KnownDifference> kKnownDifferences = {};

const KnownDifference* FindKnown(const std::string& path, const std::string& table) {
  for (const auto& k : kKnownDifferences) {
    if (path == k.path && table == k.table) return &k;
  }
  return nullptr;
}

class PdqGoldenTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitMedia().ok()); }

  bool Decode(const std::string& path, Image* image) {
    auto bytes = ReadFileWithLimit(TestDataDir() + "/" + path, 64 << 20);
    EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
    if (!bytes.ok()) return false;
    const Status s = decoder_.Decode(*bytes, path, image);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return s.ok();
  }

  static ImageView View(const Image& image) {
    return {image.pixels.data(), image.width, image.height, image.channels,
            static_cast<size_t>(image.width) * image.channels};
  }

  // Compares actual to expected hashes of one row; returns the max distance.
  static int Distance(const std::vector<PdqResult>& actual, const Row& row) {
    int worst = 0;
    for (size_t i = 0; i < actual.size(); ++i) {
      auto expected = Hash256::FromHex(row.hashes[i]);
      EXPECT_TRUE(expected.ok());
      if (expected.ok()) worst = std::max(worst, HammingDistance(actual[i].hash, *expected));
    }
    return worst;
  }

  void RunTable(const std::string& table, int n_hashes, PdqMode mode) {
    const std::vector<Row> rows = ReadTable(table, n_hashes);
    EXPECT_GE(rows.size(), 49u);
    int exact = 0;
    for (const Row& row : rows) {
      SCOPED_TRACE(table + ": " + row.path);
      Image image;
      if (!Decode(row.path, &image)) continue;
      std::vector<PdqResult> actual;
      if (n_hashes == 8) {
        const auto all = hasher_.HashDihedral(View(image), mode);
        actual.assign(all.begin(), all.end());
      } else {
        actual.push_back(hasher_.Hash(View(image), mode));
      }
      const int distance = Distance(actual, row);
      const bool quality_ok = actual[0].quality == row.quality;
      const KnownDifference* known = FindKnown(row.path, table);
      if (known == nullptr) {
        EXPECT_EQ(distance, 0) << "hash differs";
        EXPECT_TRUE(quality_ok) << "quality " << actual[0].quality << " != " << row.quality;
      } else {
        EXPECT_GT(distance, 0) << "now matches: remove it from kKnownDifferences";
        EXPECT_LE(distance, known->bits) << known->why;
      }
      exact += distance == 0 && quality_ok;
    }
    std::printf("%s: %d of %zu images bit-identical\n", table.c_str(), exact, rows.size());
  }

  ImageDecoder decoder_;
  PdqHasher hasher_;
};

TEST_F(PdqGoldenTest, ReferenceMode) { RunTable("expected-reference.csv", 1, PdqMode::kReference); }

TEST_F(PdqGoldenTest, FullResolutionMode) {
  RunTable("expected-fullres.csv", 1, PdqMode::kFullResolution);
}

TEST_F(PdqGoldenTest, DihedralReferenceMode) {
  RunTable("expected-dihedral.csv", 8, PdqMode::kReference);
}

}  // namespace
}  // namespace vigil
