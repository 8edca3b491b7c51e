#include "index/mih_tables.h"

#include <algorithm>
#include <cstring>

namespace vigil::index_internal {

namespace {

// How many probes ahead the probe loop prefetches. Each step costs a few instructions and
// a DRAM miss ~100 ns, so ~32 misses are in flight: more than one core's miss buffers
// hold. Measured at n = 10M, m = 11: distances 32, 64 and 128 perform the same, and
// perf puts most samples on the prefetch instructions themselves (the miss buffers are
// full), so a search costs about (#probed lines + #position lines + #candidates) misses
// divided by the core's memory-level parallelism. prefetcht2 / prefetchnta gained
// nothing. Huge pages (see huge_page_array.h) made probing 2.5x and verifying 5x faster.
constexpr size_t kPrefetchAhead = 32;

inline void Prefetch(const void* p) { __builtin_prefetch(p, 0, 3); }

}  // namespace

void MihTables::Build(std::span<const Hash256> hashes, int substring_count,
                      HugePages huge_pages) {
  n_ = hashes.size();
  substrings_ = SplitIntoSubstrings(substring_count);
  bounds_start_.clear();
  size_t total = 0;
  for (const Substring& s : substrings_) {
    bounds_start_.push_back(total);
    total += (size_t{1} << s.bits) + 1;
  }
  bounds_ = HugePageArray<uint32_t>(total, huge_pages);
  positions_ = HugePageArray<uint32_t>(n_ * substrings_.size(), huge_pages);
  for (int j = 0; j < substring_count; ++j) BuildSubstring(hashes, j);
}

// One counting sort: count each key into bounds[key + 1], prefix-sum into bucket starts,
// scatter positions using bounds[key] as the cursor (which leaves bounds[key] at the
// bucket's end), then shift the table one slot right to restore the starts.
void MihTables::BuildSubstring(std::span<const Hash256> hashes, int j) {
  const Substring s = substrings_[j];
  const size_t buckets = size_t{1} << s.bits;
  uint32_t* bounds = bounds_.data() + bounds_start_[j];
  uint32_t* positions = positions_.data() + j * n_;
  // Both passes hit the table at random; prefetching a few hashes ahead overlaps misses.
  constexpr size_t kAhead = 16;
  const size_t n = hashes.size();
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) Prefetch(bounds + ExtractKey(hashes[i + kAhead], s) + 1);
    ++bounds[ExtractKey(hashes[i], s) + 1];
  }
  for (size_t k = 0; k < buckets; ++k) bounds[k + 1] += bounds[k];
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) Prefetch(bounds + ExtractKey(hashes[i + kAhead], s));
    positions[bounds[ExtractKey(hashes[i], s)]++] = static_cast<uint32_t>(i);
  }
  std::memmove(bounds + 1, bounds, buckets * sizeof(uint32_t));
  bounds[0] = 0;
}

ProbePlan MihTables::PlanFor(int radius) const {
  ProbePlan plan;
  const int m = substring_count();
  for (int j = 0; j < m; ++j) {
    const int r = SubstringRadius(radius, m, j);
    plan.radius.push_back(r);
    // Substrings of equal length and radius share one mask list (copied; it is small).
    if (j > 0 && r == plan.radius[j - 1] && substrings_[j].bits == substrings_[j - 1].bits) {
      plan.masks.push_back(plan.masks.back());
    } else {
      plan.masks.push_back(r < 0 ? std::vector<uint32_t>{} : FlipMasks(substrings_[j].bits, r));
    }
    if (r < 0) continue;
    const double ball = BallSize(substrings_[j].bits, r);
    plan.probes += ball;
    plan.expected_candidates += ball * static_cast<double>(n_) /
                                static_cast<double>(size_t{1} << substrings_[j].bits);
  }
  return plan;
}

// A software pipeline over the probed keys, so that the three DRAM misses of a candidate
// (bucket bounds -> positions -> hash) overlap with those of other candidates instead of
// forming a chain: pass 1 computes every probed key's address (no memory traffic) and
// the loop over them prefetches bounds kPrefetchAhead probes ahead; each non-empty
// bucket's positions are prefetched as soon as its bounds arrive, and copied a pass later.
void MihTables::Probe(const Hash256& query, const ProbePlan& plan, ProbeScratch* scratch,
                      std::vector<uint32_t>* candidates) const {
  auto& probes = scratch->probes;
  auto& ranges = scratch->ranges;
  probes.clear();
  ranges.clear();
  candidates->clear();
  for (size_t j = 0; j < substrings_.size(); ++j) {
    if (plan.radius[j] < 0) continue;
    const uint32_t key = ExtractKey(query, substrings_[j]);
    const uint32_t* bounds = bounds_.data() + bounds_start_[j];
    const uint32_t* positions = positions_.data() + j * n_;
    for (uint32_t mask : plan.masks[j]) probes.push_back({bounds + (key ^ mask), positions});
  }
  const size_t count = probes.size();
  for (size_t i = 0; i < count; ++i) {
    if (i + kPrefetchAhead < count) Prefetch(probes[i + kPrefetchAhead].bound);
    const uint32_t begin = probes[i].bound[0];
    const uint32_t end = probes[i].bound[1];
    if (begin != end) {
      Prefetch(probes[i].positions + begin);
      ranges.push_back({probes[i].positions + begin, end - begin});
    }
  }
  for (const ProbeScratch::Range& r : ranges) {
    candidates->insert(candidates->end(), r.begin, r.begin + r.count);
  }
}

}  // namespace vigil::index_internal
