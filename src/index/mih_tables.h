// MihTables: the static part of MultiIndexHammingIndex: for each of m substrings, a
// bucket table in CSR form (Norouzi et al., CVPR 2012, section 3, with arrays in place of
// the paper's hash tables) and the probe that turns a query into candidate positions.
//
// Layout, for n hashes and substrings of b_j bits:
//   bounds_    : for each substring j, 2^b_j + 1 uint32: bucket k of substring j holds
//                positions_[j*n + bounds[k] .. j*n + bounds[k+1])
//   positions_ : m*n uint32, each substring's positions grouped by key, ascending within
//                a bucket (built by one counting sort per substring)
// Both are HugePageArrays: probes are random reads, so TLB reach matters.
//
// Thread safety: const methods may run concurrently; Build needs exclusion.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "hash/hash256.h"
#include "index/huge_page_array.h"
#include "index/mih_plan.h"

namespace vigil::index_internal {

// The keys one RadiusSearch call probes, shared by all its queries.
struct ProbePlan {
  std::vector<int> radius;                  // per substring; -1: skipped
  std::vector<std::vector<uint32_t>> masks;  // per substring: FlipMasks(bits, radius)
  double probes = 0;                          // bucket lookups per query
  double expected_candidates = 0;             // for uniformly random hashes
};

// Reusable per-call buffers, so queries of a batch allocate nothing.
struct ProbeScratch {
  struct Probe {
    const uint32_t* bound;      // &bounds of the probed key
    const uint32_t* positions;  // the substring's slice of positions_
  };
  struct Range {
    const uint32_t* begin;
    uint32_t count;
  };
  std::vector<Probe> probes;
  std::vector<Range> ranges;
};

class MihTables {
 public:
  // Indexes `hashes` (positions are indices into it) with `substring_count` substrings.
  void Build(std::span<const Hash256> hashes, int substring_count, HugePages huge_pages);

  int substring_count() const { return static_cast<int>(substrings_.size()); }
  size_t MemoryBytes() const { return bounds_.bytes() + positions_.bytes(); }

  ProbePlan PlanFor(int radius) const;

  // Replaces `candidates` with the positions of every entry that shares a probed key with
  // `query`: a superset (with repeats) of the entries within the plan's radius.
  void Probe(const Hash256& query, const ProbePlan& plan, ProbeScratch* scratch,
             std::vector<uint32_t>* candidates) const;

 private:
  void BuildSubstring(std::span<const Hash256> hashes, int j);

  size_t n_ = 0;
  std::vector<Substring> substrings_;
  std::vector<size_t> bounds_start_;  // substring j's table starts at bounds_[bounds_start_[j]]
  HugePageArray<uint32_t> bounds_;
  HugePageArray<uint32_t> positions_;
};

}  // namespace vigil::index_internal
