#include "index/multi_index_hamming_index.h"

#include <random>
#include <string>
#include <tuple>

#include <gtest/gtest.h>

#include "index/brute_force_hamming_index.h"
#include "index/hamming_test_data.h"

namespace vigil {
namespace {

using index_testing::BankShape;
using index_testing::FlipBits;
using index_testing::MakeBank;
using index_testing::MakeIds;
using index_testing::MakeQueries;
using index_testing::RandomHash;

// Asserts identical results; on a mismatch names the first query that differs.
void ExpectSameResults(const RadiusSearchResults& got, const RadiusSearchResults& want,
                       const std::string& context) {
  ASSERT_EQ(got.offsets.size(), want.offsets.size()) << context;
  for (size_t q = 0; q + 1 < want.offsets.size(); ++q) {
    const auto slice = [q](const RadiusSearchResults& r) {
      std::vector<std::pair<uint16_t, int64_t>> v;
      for (size_t i = r.offsets[q]; i < r.offsets[q + 1]; ++i) {
        v.emplace_back(r.distances[i], r.ids[i]);
      }
      return v;
    };
    ASSERT_EQ(slice(got), slice(want)) << context << " query " << q;
  }
  ASSERT_EQ(got.ids, want.ids) << context;
  ASSERT_EQ(got.distances, want.distances) << context;
}

void CheckAgainstBruteForce(size_t n, BankShape shape, size_t num_queries,
                            MultiIndexOptions options) {
  const auto bank = MakeBank(n, shape, 1000 + n);
  const auto ids = MakeIds(n, 2000 + n);
  MultiIndexHammingIndex mih(options);
  BruteForceHammingIndex brute;
  mih.Build(bank, ids);
  brute.Build(bank, ids);
  ASSERT_EQ(mih.size(), n);
  const auto queries = MakeQueries(bank, num_queries, 40, 3000 + n);
  for (int radius : {0, 1, 8, 15, 31, 32, 63}) {
    RadiusSearchResults got, want;
    mih.RadiusSearch(queries, radius, &got);
    brute.RadiusSearch(queries, radius, &want);
    ExpectSameResults(got, want,
                      "n=" + std::to_string(n) + " shape=" + std::to_string(int(shape)) +
                          " r=" + std::to_string(radius));
  }
}

class MihVersusBruteForce : public testing::TestWithParam<std::tuple<size_t, BankShape>> {};

TEST_P(MihVersusBruteForce, ProbingMatchesExactly) {
  MultiIndexOptions options;
  options.linear_scan = MultiIndexOptions::LinearScan::kNever;  // exercise the probes
  CheckAgainstBruteForce(std::get<0>(GetParam()), std::get<1>(GetParam()), 60, options);
}

TEST_P(MihVersusBruteForce, AutoModeMatchesExactly) {
  CheckAgainstBruteForce(std::get<0>(GetParam()), std::get<1>(GetParam()), 30, {});
}

INSTANTIATE_TEST_SUITE_P(Sizes, MihVersusBruteForce,
                         testing::Combine(testing::Values(0, 1, 2, 100, 3000, 40000),
                                          testing::Values(BankShape::kUniform,
                                                          BankShape::kClustered)));

// ~200k entries: the size where the substring count (15) and bucket load look like
// production's. Fewer queries keep it within a CI second.
TEST(MihLargeTest, ClusteredBankMatchesBruteForce) {
  MultiIndexOptions options;
  options.linear_scan = MultiIndexOptions::LinearScan::kNever;
  CheckAgainstBruteForce(200'000, BankShape::kClustered, 40, options);
}

TEST(MihLargeTest, UniformBankWithFewSubstringsMatchesBruteForce) {
  MultiIndexOptions options;
  options.linear_scan = MultiIndexOptions::LinearScan::kNever;
  options.substring_count = 12;  // 21-22-bit substrings, mostly empty buckets
  options.huge_pages = MultiIndexOptions::HugePages::kOff;
  CheckAgainstBruteForce(100'000, BankShape::kUniform, 8, options);
}

TEST(MihTest, DuplicateHashesWithDifferentIdsAreAllReturned) {
  std::mt19937_64 rng(7);
  const Hash256 h = RandomHash(rng);
  std::vector<Hash256> bank = {h, h, FlipBits(h, 3, rng), h};
  std::vector<int64_t> ids = {40, 10, 30, 20};
  MultiIndexHammingIndex mih;
  mih.Build(bank, ids);
  RadiusSearchResults out;
  mih.RadiusSearch(std::span(&h, 1), 31, &out);
  EXPECT_EQ(out.ids, (std::vector<int64_t>{10, 20, 40, 30}));
  EXPECT_EQ(out.distances, (std::vector<uint16_t>{0, 0, 0, 3}));
}

TEST(MihTest, RepeatedIdInBuildKeepsTheFirst) {
  std::mt19937_64 rng(8);
  const Hash256 a = RandomHash(rng), b = RandomHash(rng);
  MultiIndexHammingIndex mih;
  mih.Build(std::vector<Hash256>{a, b}, std::vector<int64_t>{5, 5});
  EXPECT_EQ(mih.size(), 1u);
  RadiusSearchResults out;
  mih.RadiusSearch(std::span(&b, 1), 0, &out);
  EXPECT_TRUE(out.ids.empty());
  mih.RadiusSearch(std::span(&a, 1), 0, &out);
  EXPECT_EQ(out.ids, std::vector<int64_t>{5});
}

TEST(MihTest, NegativeRadiusAndEmptyBatch) {
  MultiIndexHammingIndex mih;
  std::mt19937_64 rng(9);
  const Hash256 h = RandomHash(rng);
  mih.Build(std::span(&h, 1), std::vector<int64_t>{1});
  RadiusSearchResults out;
  mih.RadiusSearch(std::span(&h, 1), -1, &out);
  EXPECT_EQ(out.offsets, (std::vector<size_t>{0, 0}));
  mih.RadiusSearch({}, 31, &out);
  EXPECT_EQ(out.offsets, std::vector<size_t>{0});
  mih.RadiusSearch(std::span(&h, 1), 256, &out);  // radius past 63: scanned, still exact
  EXPECT_EQ(out.ids, std::vector<int64_t>{1});
}

TEST(MihTest, AddAndRemoveAreVisibleToTheNextSearch) {
  std::mt19937_64 rng(10);
  const auto bank = MakeBank(1000, BankShape::kUniform, 11);
  MultiIndexHammingIndex mih;
  mih.Build(bank, MakeIds(1000, 12));
  const Hash256 h = RandomHash(rng);
  RadiusSearchResults out;
  ASSERT_TRUE(mih.Add(-77, h).ok());
  EXPECT_EQ(mih.Add(-77, h).code(), ErrorCode::kAlreadyExists);
  mih.RadiusSearch(std::span(&h, 1), 0, &out);
  EXPECT_EQ(out.ids, std::vector<int64_t>{-77});
  EXPECT_TRUE(mih.Remove(-77));
  EXPECT_FALSE(mih.Remove(-77));
  mih.RadiusSearch(std::span(&h, 1), 0, &out);
  EXPECT_TRUE(out.ids.empty());
  // A base entry: remove it, then add its id back with another hash.
  const int64_t id = MakeIds(1000, 12)[0];
  EXPECT_EQ(mih.Add(id, h).code(), ErrorCode::kAlreadyExists);
  EXPECT_TRUE(mih.Remove(id));
  mih.RadiusSearch(std::span(&bank[0], 1), 0, &out);
  EXPECT_TRUE(out.ids.empty());
  ASSERT_TRUE(mih.Add(id, h).ok());
  mih.RadiusSearch(std::span(&h, 1), 0, &out);
  EXPECT_EQ(out.ids, std::vector<int64_t>{id});
  EXPECT_EQ(mih.size(), 1000u);
}

// Random interleaved Add / Remove / search, checked after every few steps; enough steps to
// cross the delta limit (1024) and the tombstone limit so merges happen mid-sequence.
TEST(MihTest, InterleavedMutationsMatchBruteForce) {
  std::mt19937_64 rng(13);
  const size_t n = 4000;
  auto bank = MakeBank(n, BankShape::kClustered, 14);
  auto ids = MakeIds(n, 15);
  MultiIndexHammingIndex mih;
  BruteForceHammingIndex brute;
  mih.Build(bank, ids);
  brute.Build(bank, ids);
  std::vector<int64_t> live = ids;
  int64_t next_id = 1'000'000;
  for (int i = 0; i < 1000; ++i) {  // fill the delta close to its limit first
    const Hash256 h = RandomHash(rng);
    ASSERT_TRUE(mih.Add(next_id, h).ok());
    ASSERT_TRUE(brute.Add(next_id, h).ok());
    live.push_back(next_id++);
  }
  for (int step = 0; step < 6000; ++step) {
    const uint64_t dice = rng() % 10;
    if (dice < 5 || live.empty()) {  // add: new id, sometimes a near copy
      const Hash256 h = dice < 2 ? FlipBits(bank[rng() % n], 1 + rng() % 10, rng) : RandomHash(rng);
      const int64_t id = (dice == 4 && !live.empty()) ? live[rng() % live.size()] : next_id++;
      const Status a = mih.Add(id, h);
      const Status b = brute.Add(id, h);
      ASSERT_EQ(a.code(), b.code()) << "step " << step;
      if (a.ok()) live.push_back(id);
    } else {  // remove: a live id, or one that is gone
      const size_t k = rng() % live.size();
      const int64_t id = live[k];
      live[k] = live.back();
      live.pop_back();
      ASSERT_TRUE(mih.Remove(id));
      ASSERT_TRUE(brute.Remove(id));
      ASSERT_FALSE(mih.Remove(id));
    }
    ASSERT_EQ(mih.size(), brute.size());
    if (step % 150 == 0) {
      const auto queries = MakeQueries(bank, 20, 30, step);
      RadiusSearchResults got, want;
      mih.RadiusSearch(queries, 31, &got);
      brute.RadiusSearch(queries, 31, &want);
      ExpectSameResults(got, want, "step " + std::to_string(step));
    }
  }
}

TEST(MihTest, MemoryBytesCountsTheTables) {
  const auto bank = MakeBank(50'000, BankShape::kUniform, 16);
  MultiIndexHammingIndex mih;
  mih.Build(bank, MakeIds(50'000, 17));
  const size_t m = static_cast<size_t>(mih.substring_count());
  EXPECT_GE(mih.MemoryBytes(), 50'000 * (40 + 4 * m));
  EXPECT_LT(mih.MemoryBytes(), 50'000 * (40 + 4 * m) + m * (4u << 20));
}

}  // namespace
}  // namespace vigil
