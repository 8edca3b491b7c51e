#include "index/mih_plan.h"

#include <bit>
#include <random>
#include <set>

#include <gtest/gtest.h>

namespace vigil::index_internal {
namespace {

TEST(MihPlanTest, SubstringsCoverAllBitsOnce) {
  for (int m = kMinSubstrings; m <= kMaxSubstrings; ++m) {
    int next = 0;
    for (const Substring& s : SplitIntoSubstrings(m)) {
      EXPECT_EQ(s.first_bit, next);
      EXPECT_LE(s.bits, 24);
      next += s.bits;
    }
    EXPECT_EQ(next, 256) << "m=" << m;
  }
}

TEST(MihPlanTest, ChoosesAboutLog2NBitsPerSubstring) {
  EXPECT_EQ(ChooseSubstringCount(10'000'000), 11);  // 23.3 bits
  EXPECT_EQ(ChooseSubstringCount(1'000'000), 13);   // 19.9 bits
  EXPECT_EQ(ChooseSubstringCount(0), 32);
  EXPECT_EQ(ChooseSubstringCount(size_t{1} << 40), kMinSubstrings);
}

// The refined pigeonhole (Norouzi et al., Prop. 1): if every substring j differs in more
// than radius_j bits, the whole hash differs in at least sum(radius_j + 1) = radius + 1.
TEST(MihPlanTest, SubstringRadiiAreTightPigeonhole) {
  for (int m = kMinSubstrings; m <= 40; ++m) {
    for (int r = 0; r <= 63; ++r) {
      int sum = 0;
      for (int j = 0; j < m; ++j) sum += SubstringRadius(r, m, j) + 1;
      EXPECT_EQ(sum, r + 1) << "m=" << m << " r=" << r;
    }
  }
}

TEST(MihPlanTest, FlipMasksEnumerateTheBallOnce) {
  for (int bits : {1, 5, 12}) {
    for (int r = 0; r <= 4; ++r) {
      const auto masks = FlipMasks(bits, r);
      std::set<uint32_t> unique(masks.begin(), masks.end());
      EXPECT_EQ(unique.size(), masks.size());
      EXPECT_EQ(static_cast<double>(masks.size()), BallSize(bits, r));
      for (uint32_t mask : masks) {
        EXPECT_LE(std::popcount(mask), r);
        EXPECT_LT(mask, 1u << bits);
      }
    }
  }
}

TEST(MihPlanTest, ExtractKeyReadsAcrossWordBoundaries) {
  std::mt19937_64 rng(1);
  for (int trial = 0; trial < 50; ++trial) {
    Hash256 h;
    for (auto& w : h.words) w = rng();
    for (const Substring& s : SplitIntoSubstrings(11 + trial % 20)) {
      uint32_t expected = 0;
      for (int b = 0; b < s.bits; ++b) expected |= uint32_t{h.GetBit(s.first_bit + b)} << b;
      EXPECT_EQ(ExtractKey(h, s), expected);
    }
  }
}

}  // namespace
}  // namespace vigil::index_internal
