#include "index/multi_index_hamming_index.h"

#include <algorithm>
#include <random>
#include <string>
#include <thread>
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

// Thousands of near-duplicates (the frames of a still video): each is a candidate of
// every substring, so a query's candidates pass the count past which repeats are dropped
// before verifying. Results still equal brute force, each entry once.
TEST(MihTest, ManyNearDuplicatesAreReturnedOnceEach) {
  std::mt19937_64 rng(9);
  const Hash256 scene = RandomHash(rng);
  std::vector<Hash256> bank;
  for (int i = 0; i < 6000; ++i) bank.push_back(i % 3 == 0 ? scene : FlipBits(scene, i % 40, rng));
  for (int i = 0; i < 2000; ++i) bank.push_back(RandomHash(rng));
  const auto ids = MakeIds(bank.size(), 77);
  MultiIndexOptions options;
  options.linear_scan = MultiIndexOptions::LinearScan::kNever;
  MultiIndexHammingIndex mih(options);
  BruteForceHammingIndex brute;
  mih.Build(bank, ids);
  brute.Build(bank, ids);
  const std::vector<Hash256> queries = {scene, FlipBits(scene, 5, rng), RandomHash(rng)};
  for (int radius : {0, 8, 31}) {
    RadiusSearchResults got, want;
    mih.RadiusSearch(queries, radius, &got);
    brute.RadiusSearch(queries, radius, &want);
    ExpectSameResults(got, want, "r=" + std::to_string(radius));
  }
  RadiusSearchResults out;
  mih.RadiusSearch(std::span(&scene, 1), 31, &out);
  EXPECT_GT(out.ids.size(), 4096u) << "the test must exercise the repeat-dropping path";
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

// --- Merges in kExternal mode (PrepareMerge / PreparedMerge::Build / InstallMerge) ---

MultiIndexOptions ExternalMerges() {
  MultiIndexOptions options;
  options.merge = MultiIndexOptions::Merge::kExternal;
  return options;
}

// Searches both at radius 31 with near copies of `bank` and random hashes.
void ExpectSameSearch(const MultiIndexHammingIndex& mih, const BruteForceHammingIndex& brute,
                      const std::vector<Hash256>& bank, uint64_t seed, const std::string& context) {
  ASSERT_EQ(mih.size(), brute.size()) << context;
  const auto queries = MakeQueries(bank, 16, 30, seed);
  RadiusSearchResults got, want;
  mih.RadiusSearch(queries, 31, &got);
  brute.RadiusSearch(queries, 31, &want);
  ExpectSameResults(got, want, context);
}

TEST(MihMergeTest, ExternalModeOnlyMergesWhenAsked) {
  std::mt19937_64 rng(20);
  MultiIndexHammingIndex mih(ExternalMerges());
  for (int64_t id = 0; id < 1100; ++id) ASSERT_TRUE(mih.Add(id, RandomHash(rng)).ok());
  EXPECT_EQ(mih.delta_size(), 1100u);  // past DeltaLimit() = 1024, still in the delta
  EXPECT_TRUE(mih.WantsMerge());
  auto merge = mih.PrepareMerge();
  EXPECT_EQ(merge.size(), 1100u);
  EXPECT_FALSE(mih.InstallMerge(&merge)) << "not built yet";
  merge.Build();
  ASSERT_TRUE(mih.InstallMerge(&merge));
  EXPECT_EQ(mih.delta_size(), 0u);
  EXPECT_FALSE(mih.WantsMerge());
  EXPECT_EQ(mih.size(), 1100u);
  // The default (kInline) merges in the Add that crosses the limit.
  MultiIndexHammingIndex inline_mih;
  for (int64_t id = 0; id < 1100; ++id) ASSERT_TRUE(inline_mih.Add(id, RandomHash(rng)).ok());
  EXPECT_LT(inline_mih.delta_size(), 100u);
  EXPECT_FALSE(inline_mih.WantsMerge());
}

// Every kind of mutation made between PrepareMerge and InstallMerge survives the install.
TEST(MihMergeTest, MutationsDuringAMergeAreKept) {
  std::mt19937_64 rng(21);
  const auto bank = MakeBank(2000, BankShape::kClustered, 22);
  const auto ids = MakeIds(2000, 23);
  MultiIndexHammingIndex mih(ExternalMerges());
  BruteForceHammingIndex brute;
  mih.Build(bank, ids);
  brute.Build(bank, ids);
  auto both_add = [&](int64_t id, const Hash256& h) {
    ASSERT_TRUE(mih.Add(id, h).ok());
    ASSERT_TRUE(brute.Add(id, h).ok());
  };
  auto both_remove = [&](int64_t id) {
    ASSERT_TRUE(mih.Remove(id));
    ASSERT_TRUE(brute.Remove(id));
  };
  // Before the snapshot: delta entries and tombstones the merge will fold in.
  std::vector<Hash256> added;
  for (size_t k = 1; k <= 10; ++k) {
    added.push_back(FlipBits(bank[k], 2, rng));
    both_add(-static_cast<int64_t>(k), added.back());
  }
  both_remove(ids[0]);
  both_remove(-1);
  auto merge = mih.PrepareMerge();
  // After the snapshot, while the merge would be building:
  both_remove(ids[1]);                              // a base entry
  both_remove(-2);                                  // a snapshot delta entry
  both_remove(-3);                                  // ... removed and re-added with
  both_add(-3, RandomHash(rng));                    //     another hash
  both_remove(-4);                                  // ... removed and re-added with
  both_add(-4, FlipBits(bank[4], 2, rng));          //     another (near) hash
  both_remove(-6);                                  // ... removed and re-added with
  both_add(-6, added[5]);                           //     the same hash
  both_add(ids[0], bank[7]);                        // a removed base id, new hash
  both_add(-100, RandomHash(rng));                  // a new entry
  both_add(-101, RandomHash(rng));                  // an add ...
  both_remove(-101);                                // ... and a remove that net out
  merge.Build();
  ASSERT_TRUE(mih.InstallMerge(&merge));
  EXPECT_FALSE(mih.Contains(ids[1]));
  EXPECT_FALSE(mih.Contains(-2));
  EXPECT_FALSE(mih.Contains(-101));
  EXPECT_TRUE(mih.Contains(-3));
  EXPECT_TRUE(mih.Contains(ids[0]));
  EXPECT_TRUE(mih.Contains(-6));
  EXPECT_EQ(mih.delta_size(), 4u);  // -3, -4, ids[0], -100
  EXPECT_EQ(mih.tombstone_count(), 4u);  // ids[1], -2, and the old -3 and -4
  ExpectSameSearch(mih, brute, bank, 24, "after install");
  for (int64_t id : {int64_t{-3}, int64_t{-4}, ids[0], int64_t{-5}, ids[2]}) both_remove(id);
  ExpectSameSearch(mih, brute, bank, 25, "after removes");
}

TEST(MihMergeTest, StaleMergesAreRejected) {
  std::mt19937_64 rng(26);
  MultiIndexHammingIndex mih(ExternalMerges()), other(ExternalMerges());
  ASSERT_TRUE(mih.Add(1, RandomHash(rng)).ok());
  auto first = mih.PrepareMerge();
  auto second = mih.PrepareMerge();
  first.Build();
  second.Build();
  EXPECT_FALSE(other.InstallMerge(&first)) << "another index";
  EXPECT_TRUE(mih.InstallMerge(&first));
  EXPECT_FALSE(mih.InstallMerge(&first)) << "installed twice";
  EXPECT_FALSE(mih.InstallMerge(&second)) << "the base changed since its snapshot";
  auto third = mih.PrepareMerge();
  third.Build();
  const Hash256 h = RandomHash(rng);
  mih.Build(std::span(&h, 1), std::vector<int64_t>{2});
  EXPECT_FALSE(mih.InstallMerge(&third)) << "Build replaced the base";
  EXPECT_FALSE(mih.Contains(1));
  EXPECT_TRUE(mih.Contains(2));
}

// Build needs no lock: it runs on another thread while this one mutates and searches
// (ASan/TSan builds check the claim).
TEST(MihMergeTest, BuildRunsWhileTheIndexIsUsed) {
  std::mt19937_64 rng(27);
  const auto bank = MakeBank(3000, BankShape::kUniform, 28);
  MultiIndexHammingIndex mih(ExternalMerges());
  BruteForceHammingIndex brute;
  mih.Build(bank, MakeIds(3000, 29));
  brute.Build(bank, MakeIds(3000, 29));
  auto merge = mih.PrepareMerge();
  std::thread builder([&merge] { merge.Build(); });
  for (int64_t id = 0; id < 500; ++id) {
    const Hash256 h = FlipBits(bank[static_cast<size_t>(id)], 3, rng);
    ASSERT_TRUE(mih.Add(-1 - id, h).ok());
    ASSERT_TRUE(brute.Add(-1 - id, h).ok());
    if (id % 100 == 0) ExpectSameSearch(mih, brute, bank, 30 + id, "during build");
  }
  builder.join();
  ASSERT_TRUE(mih.InstallMerge(&merge));
  ExpectSameSearch(mih, brute, bank, 31, "after install");
}

// Random interleavings of Add, Remove, PrepareMerge, Build, InstallMerge and Build of the
// whole index, with up to three merges in flight; checked against brute force throughout.
class MergeInterleaving {
 public:
  MergeInterleaving() : rng_(32), bank_(MakeBank(3000, BankShape::kClustered, 33)),
                        mih_(ExternalMerges()) {
    Rebuild();
  }

  void Step(int step) {
    const uint64_t dice = rng_() % 100;
    if (dice < 45) {
      Add();
    } else if (dice < 80) {
      Remove();
    } else if (dice < 88) {
      if (merges_.size() < 3) merges_.push_back({mih_.PrepareMerge(), base_version_});
    } else if (dice < 93) {
      if (!merges_.empty()) merges_[rng_() % merges_.size()].merge.Build();
    } else if (dice < 99) {
      Install();
    } else if (step % 7 == 0) {
      Rebuild();
    }
    ASSERT_EQ(mih_.size(), brute_.size()) << "step " << step;
  }

  void Check(int step) { ExpectSameSearch(mih_, brute_, bank_, step, "step " + std::to_string(step)); }

 private:
  struct InFlight {
    MultiIndexHammingIndex::PreparedMerge merge;
    int base_version;  // which base it snapshotted
  };

  void Add() {
    const bool reuse = !removed_.empty() && rng_() % 3 == 0;  // re-add a removed id
    const int64_t id = reuse ? removed_[rng_() % removed_.size()] : next_id_++;
    const Hash256 h = rng_() % 2 ? FlipBits(bank_[rng_() % bank_.size()], 1 + rng_() % 12, rng_)
                                 : RandomHash(rng_);
    if (!live_.empty()) {
      ASSERT_EQ(mih_.Add(live_[rng_() % live_.size()], h).code(), ErrorCode::kAlreadyExists);
    }
    if (std::find(live_.begin(), live_.end(), id) != live_.end()) return;
    ASSERT_TRUE(mih_.Add(id, h).ok());
    ASSERT_TRUE(brute_.Add(id, h).ok());
    live_.push_back(id);
  }

  void Remove() {
    if (live_.empty()) return;
    const size_t k = rng_() % live_.size();
    const int64_t id = live_[k];
    live_[k] = live_.back();
    live_.pop_back();
    ASSERT_TRUE(mih_.Remove(id));
    ASSERT_TRUE(brute_.Remove(id));
    ASSERT_FALSE(mih_.Remove(id));
    removed_.push_back(id);
  }

  void Install() {
    if (merges_.empty()) return;
    const size_t k = rng_() % merges_.size();
    InFlight& f = merges_[k];
    const bool expected = f.merge.built() && f.base_version == base_version_;
    ASSERT_EQ(mih_.InstallMerge(&f.merge), expected);
    if (expected) ++base_version_;
    merges_.erase(merges_.begin() + static_cast<ptrdiff_t>(k));
  }

  // Build of the whole index (as Reload-style users do): invalidates merges in flight.
  void Rebuild() {
    std::vector<Hash256> hashes;
    live_.clear();
    for (size_t i = 0; i < bank_.size(); i += 1 + rng_() % 2) {
      hashes.push_back(bank_[i]);
      live_.push_back(static_cast<int64_t>(i) * 3 - 500);
    }
    mih_.Build(hashes, live_);
    brute_.Build(hashes, live_);
    removed_.clear();
    ++base_version_;
  }

  std::mt19937_64 rng_;
  std::vector<Hash256> bank_;
  MultiIndexHammingIndex mih_;
  BruteForceHammingIndex brute_;
  std::vector<int64_t> live_, removed_;
  std::vector<InFlight> merges_;
  int64_t next_id_ = 1'000'000;
  int base_version_ = 0;
};

TEST(MihMergeTest, RandomInterleavingsMatchBruteForce) {
  MergeInterleaving run;
  for (int step = 0; step < 5000; ++step) {
    ASSERT_NO_FATAL_FAILURE(run.Step(step));
    if (step % 50 == 0) {
      ASSERT_NO_FATAL_FAILURE(run.Check(step));
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
