// vPDQ's pieces without video: the reference's text format (every file in
// tests/data/video/vpdq-expected reads and writes back byte for byte; a table of bad lines
// with their errors), the hasher, and the match criterion at its edges (distance 31 vs 32,
// quality 49 vs 50, duplicates, empty sides, the percentage thresholds).
#include "hash/vpdq.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "util/file_io.h"

namespace vigil {
namespace {

std::string DataPath(const std::string& rel) {
  const char* env = std::getenv("VIGIL_TEST_DATA");
  return std::string(env != nullptr ? env : VIGIL_TEST_DATA) + "/" + rel;
}

// A hash `bits` bits away from all-zero (the lowest bits set).
Hash256 HashWithBits(int bits) {
  Hash256 h;
  for (int k = 0; k < bits; ++k) h.SetBit(k);
  return h;
}

// Another family of hashes: far (>= 128 bits) from HashWithBits' when `bits` is small.
Hash256 FarHash(int variant) {
  Hash256 h;
  for (int k = 0; k < 128; ++k) h.SetBit(128 + k);
  if (variant > 0) h.SetBit(variant);
  return h;
}

VpdqHash Frames(const std::vector<std::pair<Hash256, int>>& hashes_and_qualities) {
  VpdqHash hash;
  int64_t n = 0;
  for (const auto& [pdq, quality] : hashes_and_qualities) {
    hash.frames.push_back(VpdqFrame{n, quality, pdq, n / 30.0});
    ++n;
  }
  return hash;
}

TEST(VpdqFormatTest, EveryReferenceFileRoundTrips) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(DataPath("video/vpdq-expected"))) {
    SCOPED_TRACE(entry.path().string());
    auto bytes = ReadFileWithLimit(entry.path().string(), 16 << 20);
    ASSERT_TRUE(bytes.ok());
    const std::string text(bytes->begin(), bytes->end());
    auto hash = ParseVpdq(text, entry.path().filename().string());
    ASSERT_TRUE(hash.ok()) << hash.status().ToString();
    EXPECT_GT(hash->frames.size(), 100u);
    EXPECT_EQ(FormatVpdq(*hash), text);
    ++files;
  }
  EXPECT_EQ(files, 31);
}

TEST(VpdqFormatTest, WritesTheReferenceLineFormat) {
  VpdqHash hash;
  Hash256 pdq = HashWithBits(4);
  hash.frames.push_back({0, 100, pdq, 0.0});
  hash.frames.push_back({3, 49, pdq, static_cast<double>(3.0f / 30.0f)});
  hash.frames.push_back({1234567, 7, pdq, 41152.2333333});
  const std::string zeros(63, '0');
  EXPECT_EQ(FormatVpdq(hash), "0,100," + zeros + "f,0.000\n" + "3,49," + zeros + "f,0.100\n" +
                                  "1234567,7," + zeros + "f,41152.233\n");
  EXPECT_EQ(FormatVpdq(VpdqHash{}), "");
}

TEST(VpdqFormatTest, AcceptsCrLfAndAMissingLastNewline) {
  const std::string hex(64, 'A');
  auto hash = ParseVpdq("0,100," + hex + ",0.000\r\n1,90," + hex + ",0.033", "x.txt");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  ASSERT_EQ(hash->frames.size(), 2u);
  EXPECT_EQ(hash->frames[1].frame_number, 1);
  EXPECT_EQ(hash->frames[1].quality, 90);
  EXPECT_DOUBLE_EQ(hash->frames[1].timestamp_seconds, 0.033);
  EXPECT_EQ(hash->frames[1].pdq.ToHex(), std::string(64, 'a'));
}

TEST(VpdqFormatTest, BadLinesSayWhichLineAndWhat) {
  const std::string hex(64, 'a');
  const std::string good = "0,100," + hex + ",0.000\n";
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"", "h.txt: no frames (an empty vPDQ hash)"},
      {good + "1,100," + hex + "\n",
       "h.txt:2: expected 4 fields (frame_number,quality,pdq_hex,timestamp), got 3"},
      {good + "1,100," + hex + ",0.1,extra\n", "h.txt:2: expected 4 fields"},
      {good + "\n" + good, "h.txt:2: empty line"},
      {"-1,100," + hex + ",0.0\n",
       "h.txt:1: frame_number must be a non-negative integer, got '-1'"},
      {"x,100," + hex + ",0.0\n", "h.txt:1: frame_number must be a non-negative integer, got 'x'"},
      {" 1,100," + hex + ",0.0\n", "h.txt:1: frame_number must be a non-negative integer"},
      {"1,101," + hex + ",0.0\n", "h.txt:1: quality must be an integer 0..100, got '101'"},
      {"1,," + hex + ",0.0\n", "h.txt:1: quality must be an integer 0..100, got ''"},
      {"1,100," + hex + "0,0.0\n", "h.txt:1: pdq_hex: "},
      {"1,100," + std::string(63, 'a') + "g,0.0\n", "h.txt:1: pdq_hex: "},
      {"1,100," + hex + ",-0.5\n",
       "h.txt:1: timestamp must be a non-negative decimal number of seconds, got '-0.5'"},
      {"1,100," + hex + ",nan\n", "h.txt:1: timestamp must be a non-negative decimal"},
      {"1,100," + hex + ",1e3\n", "h.txt:1: timestamp must be a non-negative decimal"},
      {"1,100," + hex + ",\n", "h.txt:1: timestamp must be a non-negative decimal"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto hash = ParseVpdq(c.text, "h.txt");
    ASSERT_FALSE(hash.ok());
    EXPECT_EQ(hash.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(hash.status().message().rfind(c.message, 0), 0u)
        << "got:  " << hash.status().message() << "\nwant: " << c.message;
  }
}

TEST(VpdqHasherTest, HashesEachFrameAtFullResolution) {
  // A 600x400 gradient with a bright square: over 512, so kReference would pre-resize.
  std::vector<uint8_t> pixels(600 * 400 * 3);
  for (int y = 0; y < 400; ++y) {
    for (int x = 0; x < 600; ++x) {
      uint8_t* p = &pixels[(y * 600 + x) * 3];
      p[0] = static_cast<uint8_t>(x * 255 / 600);
      p[1] = static_cast<uint8_t>(y * 255 / 400);
      p[2] = (x > 200 && x < 300 && y > 100 && y < 200) ? 255 : 30;
    }
  }
  const ImageView view{pixels.data(), 600, 400, 3, 600 * 3};
  PdqHasher pdq;
  const PdqResult full = pdq.Hash(view, PdqMode::kFullResolution);
  VpdqHasher hasher;
  hasher.AddFrame(view, 0, 0.0);
  hasher.AddFrame(view, 30, 1.0);
  const VpdqHash hash = hasher.Finish();
  ASSERT_EQ(hash.frames.size(), 2u);
  EXPECT_EQ(hash.frames[1], (VpdqFrame{30, full.quality, full.hash, 1.0}));
  EXPECT_TRUE(hasher.Finish().frames.empty());  // Finish leaves the hasher empty

  const uint8_t tiny[4 * 4 * 3] = {};
  hasher.AddFrame(ImageView{tiny, 4, 4, 3, 12}, 5, 0.1);  // under 5 pixels a side
  EXPECT_EQ(hasher.Finish().frames[0], (VpdqFrame{5, 0, Hash256{}, 0.1}));
}

// vigil's criterion is distance <= 31; the reference C++ (`< 31`) is max_distance 30.
TEST(VpdqMatchTest, DistanceEdgeIsInclusive) {
  const VpdqHash zero = Frames({{HashWithBits(0), 100}});
  const VpdqHash at31 = Frames({{HashWithBits(31), 100}});
  const VpdqHash at32 = Frames({{HashWithBits(32), 100}});
  EXPECT_TRUE(VpdqMatch(zero, at31).match);
  EXPECT_EQ(VpdqMatch(zero, at31).target_percent, 100.0);
  EXPECT_FALSE(VpdqMatch(zero, at32).match);
  EXPECT_EQ(VpdqMatch(zero, at32).query_percent, 0.0);
  VpdqMatchOptions reference_cpp;
  reference_cpp.max_distance = 30;
  EXPECT_FALSE(VpdqMatch(zero, at31, reference_cpp).match);
  EXPECT_TRUE(VpdqMatch(zero, Frames({{HashWithBits(30), 100}}), reference_cpp).match);
}

TEST(VpdqMatchTest, LowQualityFramesLeaveTheDenominator) {
  // Target: 4 good frames, of which 3 match, plus 2 frames of quality 49 (ignored).
  const VpdqHash query = Frames({{HashWithBits(0), 100}});
  const VpdqHash target = Frames({{HashWithBits(1), 50},
                                  {HashWithBits(2), 80},
                                  {HashWithBits(3), 100},
                                  {FarHash(0), 100},
                                  {FarHash(1), 49},
                                  {FarHash(2), 0}});
  const VpdqMatchResult r = VpdqMatch(query, target);
  EXPECT_DOUBLE_EQ(r.query_percent, 100.0);
  EXPECT_DOUBLE_EQ(r.target_percent, 75.0);  // 3 of 4, not 3 of 6
  EXPECT_FALSE(r.match);                     // under 80 %
  // A quality-49 query frame is dropped: nothing left, 0 %, no match.
  const VpdqMatchResult none = VpdqMatch(Frames({{HashWithBits(0), 49}}), target);
  EXPECT_EQ(none.query_percent, 0.0);
  EXPECT_EQ(none.target_percent, 0.0);
  EXPECT_FALSE(none.match);
  EXPECT_FALSE(VpdqMatch(VpdqHash{}, VpdqHash{}).match);
}

TEST(VpdqMatchTest, ThresholdsAreInclusiveAndDefaultToZeroAndEighty) {
  // Target: 5 distinct frames, 4 of them matching: exactly 80 %.
  const VpdqHash query = Frames({{HashWithBits(0), 100}, {HashWithBits(33), 100}});
  const VpdqHash target = Frames({{HashWithBits(1), 100},
                                  {HashWithBits(2), 100},
                                  {HashWithBits(3), 100},
                                  {HashWithBits(4), 100},
                                  {FarHash(100), 100}});
  const VpdqMatchResult r = VpdqMatch(query, target);
  EXPECT_DOUBLE_EQ(r.target_percent, 80.0);
  EXPECT_DOUBLE_EQ(r.query_percent, 100.0);  // 33 bits set is 29 from 4 bits set
  EXPECT_TRUE(r.match);
  VpdqMatchOptions strict;
  strict.target_threshold_percent = 80.1;
  EXPECT_FALSE(VpdqMatch(query, target, strict).match);
  VpdqMatchOptions query_side;
  query_side.query_threshold_percent = 100;
  query_side.target_threshold_percent = 0;
  EXPECT_TRUE(VpdqMatch(query, target, query_side).match);
  EXPECT_FALSE(VpdqMatch(Frames({{HashWithBits(0), 100}, {HashWithBits(200), 100}}), target,
                         query_side)
                   .match);  // 50 % of the query
}

TEST(VpdqMatchTest, DuplicateHashesCountOnceUnlessDedupeIsOff) {
  // Target: the same matching hash three times and one frame that matches nothing.
  const VpdqHash query = Frames({{HashWithBits(0), 100}});
  const VpdqHash target = Frames(
      {{HashWithBits(5), 100}, {HashWithBits(5), 100}, {HashWithBits(5), 100}, {FarHash(0), 100}});
  EXPECT_DOUBLE_EQ(VpdqMatch(query, target).target_percent, 50.0);  // 1 of 2 distinct
  VpdqMatchOptions no_dedupe;
  no_dedupe.dedupe = VpdqDedupe::kNone;
  EXPECT_DOUBLE_EQ(VpdqMatch(query, target, no_dedupe).target_percent, 75.0);  // 3 of 4
  // Quality filter first: a low-quality copy does not hide a good one.
  const VpdqHash mixed = Frames({{HashWithBits(5), 10}, {HashWithBits(5), 100}});
  EXPECT_DOUBLE_EQ(VpdqMatch(query, mixed).target_percent, 100.0);
}

}  // namespace
}  // namespace vigil
