#include "index/brute_force_hamming_index.h"

#include <random>

#include <gtest/gtest.h>

#include "index/hamming_test_data.h"

namespace vigil {
namespace {

// The oracle itself, against a direct double loop.
TEST(BruteForceHammingIndexTest, MatchesDirectComparison) {
  const auto bank = index_testing::MakeBank(3000, index_testing::BankShape::kClustered, 1);
  const auto ids = index_testing::MakeIds(3000, 2);
  const auto queries = index_testing::MakeQueries(bank, 20, 40, 3);
  BruteForceHammingIndex index;
  index.Build(bank, ids);
  RadiusSearchResults out;
  index.RadiusSearch(queries, 31, &out);
  for (size_t q = 0; q < queries.size(); ++q) {
    std::vector<std::pair<uint16_t, int64_t>> want, got;
    for (size_t i = 0; i < bank.size(); ++i) {
      const int d = HammingDistance(queries[q], bank[i]);
      if (d <= 31) want.emplace_back(static_cast<uint16_t>(d), ids[i]);
    }
    std::sort(want.begin(), want.end());
    for (size_t i = out.offsets[q]; i < out.offsets[q + 1]; ++i) {
      got.emplace_back(out.distances[i], out.ids[i]);
    }
    EXPECT_EQ(got, want) << "query " << q;
  }
}

TEST(BruteForceHammingIndexTest, AddRemove) {
  std::mt19937_64 rng(4);
  const Hash256 h = index_testing::RandomHash(rng);
  BruteForceHammingIndex index;
  ASSERT_TRUE(index.Add(1, h).ok());
  ASSERT_TRUE(index.Add(2, h).ok());
  EXPECT_EQ(index.Add(1, h).code(), ErrorCode::kAlreadyExists);
  EXPECT_TRUE(index.Remove(1));
  EXPECT_FALSE(index.Remove(1));
  RadiusSearchResults out;
  index.RadiusSearch(std::span(&h, 1), 0, &out);
  EXPECT_EQ(out.ids, std::vector<int64_t>{2});
}

}  // namespace
}  // namespace vigil
