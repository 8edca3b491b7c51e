// VpdqIndex against brute force: the same matches and percentages, through adds and removes.
#include <map>
#include <random>

#include <gtest/gtest.h>

#include "index/vpdq_index.h"

namespace vigil {
namespace {

Hash256 RandomHash(std::mt19937_64& rng) {
  Hash256 h;
  for (uint64_t& w : h.words) w = rng();
  return h;
}

Hash256 FlipBits(Hash256 h, int bits, std::mt19937_64& rng) {
  for (int i = 0; i < bits; ++i) h.words[rng() % 4] ^= uint64_t{1} << (rng() % 64);
  return h;
}

// Bank videos share a pool of "scenes", so queries hit several videos partly.
std::vector<VpdqHash> RandomBank(std::mt19937_64& rng, int videos,
                                 const std::vector<Hash256>& scenes) {
  std::vector<VpdqHash> bank(videos);
  for (VpdqHash& v : bank) {
    const int frames = 1 + static_cast<int>(rng() % 30);
    for (int f = 0; f < frames; ++f) {
      const Hash256 h = rng() % 3 == 0 ? RandomHash(rng) : FlipBits(scenes[rng() % scenes.size()],
                                                                    static_cast<int>(rng() % 12), rng);
      const int quality = rng() % 8 == 0 ? static_cast<int>(rng() % 50) : 50 + static_cast<int>(rng() % 51);
      v.frames.push_back(VpdqFrame{f, quality, h, static_cast<double>(f)});
    }
  }
  return bank;
}

// A query: frames of one bank video moved by up to 40 bits, and random frames.
VpdqHash RandomQuery(std::mt19937_64& rng, const std::vector<VpdqHash>& bank) {
  const VpdqHash& source = bank[rng() % bank.size()];
  VpdqHash q;
  for (const VpdqFrame& f : source.frames) {
    if (rng() % 5 == 0) continue;
    q.frames.push_back(f);
    q.frames.back().pdq = FlipBits(f.pdq, static_cast<int>(rng() % 41), rng);
  }
  const int extra = static_cast<int>(rng() % 6);
  for (int i = 0; i < extra; ++i) q.frames.push_back(VpdqFrame{0, 80, RandomHash(rng), 0});
  return q;
}

void ExpectVpdqEqualsBruteForce(const VpdqIndex& index, const std::map<int64_t, VpdqHash>& live,
                                const VpdqHash& query) {
  std::vector<VpdqIndexHit> hits;
  index.Search(query, &hits);
  std::vector<std::pair<int64_t, VpdqMatchResult>> want;
  for (const auto& [id, hash] : live) {
    const VpdqMatchResult r = VpdqMatch(query, hash, index.options());
    if (r.match) want.emplace_back(id, r);
  }
  ASSERT_EQ(hits.size(), want.size());
  for (size_t i = 0; i < hits.size(); ++i) {
    EXPECT_EQ(hits[i].id, want[i].first);
    EXPECT_EQ(hits[i].result.query_percent, want[i].second.query_percent);
    EXPECT_EQ(hits[i].result.target_percent, want[i].second.target_percent);
    const VpdqHash& bank = live.at(hits[i].id);
    for (const VpdqFramePair& p : hits[i].pairs) {
      EXPECT_EQ(p.distance, HammingDistance(query.frames[p.query_frame].pdq,
                                            bank.frames[p.bank_frame].pdq));
      EXPECT_LE(p.distance, index.options().max_distance);
    }
  }
}

TEST(VpdqIndexTest, EqualsBruteForceThroughAddsAndRemoves) {
  const VpdqMatchOptions variants[] = {
      {},
      {.max_distance = 30, .query_threshold_percent = 50, .target_threshold_percent = 0},
      {.query_threshold_percent = 0, .target_threshold_percent = 0},
      {.dedupe = VpdqDedupe::kNone},
  };
  for (const VpdqMatchOptions& options : variants) {
    std::mt19937_64 rng(42);
    std::vector<Hash256> scenes(40);
    for (Hash256& s : scenes) s = RandomHash(rng);
    std::vector<VpdqHash> bank = RandomBank(rng, 120, scenes);
    VpdqIndex index(options);
    std::map<int64_t, VpdqHash> live;
    for (size_t i = 0; i < bank.size(); ++i) {
      ASSERT_TRUE(index.Add(static_cast<int64_t>(i) * 3, bank[i]).ok());
      live[static_cast<int64_t>(i) * 3] = bank[i];
    }
    EXPECT_EQ(index.Add(0, bank[0]).code(), ErrorCode::kAlreadyExists);
    int matched = 0;
    for (int round = 0; round < 60; ++round) {
      if (round % 10 == 5) {  // hot updates between searches
        const int64_t gone = live.begin()->first;
        ASSERT_TRUE(index.Remove(gone));
        live.erase(gone);
        ASSERT_TRUE(index.Add(1000 + round, bank[round]).ok());
        live[1000 + round] = bank[round];
      }
      const VpdqHash query = RandomQuery(rng, bank);
      ExpectVpdqEqualsBruteForce(index, live, query);
      std::vector<VpdqIndexHit> hits;
      index.Search(query, &hits);
      matched += !hits.empty();
    }
    EXPECT_GT(matched, 10) << "the queries must exercise matches";
    EXPECT_FALSE(index.Remove(-1));
  }
}

// A still scene in both videos (every frame within the distance of every frame): the pairs
// are capped per query frame, the verdict is not, and the pairs kept are those nearest in
// time, so the copy still reads as one stretch.
TEST(VpdqIndexTest, StillScenesKeepTheClosestPairsOnly) {
  std::mt19937_64 rng(7);
  const Hash256 scene = RandomHash(rng);
  auto still = [&](int frames) {
    VpdqHash v;
    for (int f = 0; f < frames; ++f) v.frames.push_back(VpdqFrame{f, 100, scene, static_cast<double>(f)});
    return v;
  };
  const VpdqHash bank = still(600);
  const VpdqHash query = still(500);
  VpdqIndex index;
  ASSERT_TRUE(index.Add(9, bank).ok());
  std::vector<VpdqIndexHit> hits;
  index.Search(query, &hits);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].result.query_percent, 100);
  EXPECT_EQ(hits[0].result.target_percent, 100);
  EXPECT_EQ(hits[0].pairs.size(), query.frames.size() * kMaxPairsPerQueryFrame)
      << "uncapped it would be " << query.frames.size() * bank.frames.size();
  std::map<uint32_t, int> per_frame;
  for (size_t i = 0; i < hits[0].pairs.size(); ++i) {
    const VpdqFramePair& p = hits[0].pairs[i];
    ++per_frame[p.query_frame];
    // Ties on distance (all 0) go to the bank frames nearest in time.
    EXPECT_LE(std::abs(static_cast<int>(p.bank_frame) - static_cast<int>(p.query_frame)),
              static_cast<int>(kMaxPairsPerQueryFrame))
        << "query frame " << p.query_frame;
    if (i > 0) {
      const VpdqFramePair& prev = hits[0].pairs[i - 1];
      EXPECT_TRUE(prev.query_frame < p.query_frame ||
                  (prev.query_frame == p.query_frame && prev.bank_frame < p.bank_frame))
          << "pairs are ordered by (query frame, bank frame)";
    }
  }
  EXPECT_EQ(per_frame.size(), query.frames.size());
  for (const auto& [frame, n] : per_frame) {
    EXPECT_EQ(n, static_cast<int>(kMaxPairsPerQueryFrame));
    // The diagonal pair itself is kept: frame f of the query is frame f of the bank.
    bool diagonal = false;
    for (const VpdqFramePair& p : hits[0].pairs) diagonal |= p.query_frame == frame && p.bank_frame == frame;
    EXPECT_TRUE(diagonal) << frame;
  }
}

}  // namespace
}  // namespace vigil
