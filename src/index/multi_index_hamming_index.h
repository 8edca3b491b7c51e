// MultiIndexHammingIndex: exact radius search over 256-bit hashes (PDQ) by multi-index
// hashing (Norouzi, Punjani & Fleet, "Fast search in Hamming space with multi-index
// hashing", CVPR 2012). Returns exactly the entries BruteForceHammingIndex returns, for
// any radius; it is fast for the radii PDQ matching uses (<= 63, PDQ's threshold is 31).
//
// Structure:
//  - a static base built by Build: hashes and ids sorted by id, plus MihTables (m
//    substring bucket tables in CSR form, m ~ 256 / log2(n)). Searches probe every
//    substring key within the refined-pigeonhole radius and verify the candidates by
//    popcount.
//  - a delta of recent Adds, scanned linearly by every search, and a tombstone bit per
//    base entry for Removes. Both are visible to the very next search.
//  - merge policy: when the delta exceeds DeltaLimit() = clamp(n/1024, 1024, 8192)
//    entries, or tombstones exceed n/8 + DeltaLimit(), the mutation that crossed the
//    line rebuilds the base from the live entries (O(n*m); ~1 s per million entries).
//    Amortised cost per mutation: build time / DeltaLimit(), e.g. ~0.5 ms at n = 10M;
//    search cost of the delta: one popcount scan of <= 8192 hashes (<= 256 KiB).
//  - a search whose probe cost would approach a linear scan (large radius against a
//    small bank) scans the base linearly instead; LinearScan::kNever turns that off.
//
// Memory: 40 bytes per entry (hash, id) + m * 4 bytes (positions) + sum over substrings of
// 2^bits * 4 bytes (bucket bounds); about 1.3 GB at n = 10M (m = 11).
//
// Thread safety: const methods (RadiusSearch, size, MemoryBytes, Contains) may run
// concurrently with each other. Build, Add and Remove need external exclusion from every
// other call (a reader-writer lock around the index does it).
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "hash/hash256.h"
#include "index/hamming_scan.h"
#include "index/huge_page_array.h"
#include "index/mih_tables.h"
#include "index/radius_search_results.h"
#include "util/status.h"

namespace vigil {

struct MultiIndexOptions {
  enum class LinearScan { kAuto, kNever };
  enum class HugePages { kAdvise, kOff };
  // 0: chosen from the bank size at each (re)build; else clamped to [11, 64].
  int substring_count = 0;
  LinearScan linear_scan = LinearScan::kAuto;
  HugePages huge_pages = HugePages::kAdvise;
};

class MultiIndexHammingIndex {
 public:
  explicit MultiIndexHammingIndex(MultiIndexOptions options = {});

  // Replaces the contents. `ids` must be as long as `hashes` (extra elements of the
  // longer one are ignored); a repeated id keeps its first hash, later ones are ignored.
  void Build(std::span<const Hash256> hashes, std::span<const int64_t> ids);
  // kAlreadyExists if `id` is present. Visible to the next search.
  Status Add(int64_t id, const Hash256& hash);
  // False if `id` is absent. Visible to the next search.
  bool Remove(int64_t id);

  bool Contains(int64_t id) const;
  size_t size() const { return ids_.size() - tombstone_count_ + delta_ids_.size(); }
  size_t MemoryBytes() const;
  int substring_count() const { return tables_.substring_count(); }

  // All entries within Hamming distance <= radius of each query, sorted by (distance,
  // id). Exact for every radius; fast for radius <= 63. Replaces `out`'s contents.
  void RadiusSearch(std::span<const Hash256> queries, int radius,
                    RadiusSearchResults* out) const;

 private:
  static constexpr size_t kNotFound = ~size_t{0};
  size_t DeltaLimit() const;
  size_t FindInBase(int64_t id) const;
  bool IsTombstone(size_t pos) const { return (tombstones_[pos >> 6] >> (pos & 63)) & 1; }
  void MergeIfNeeded();
  void Rebuild(std::vector<int64_t> ids, std::vector<Hash256> hashes);
  bool UseLinearScan(const index_internal::ProbePlan& plan, int radius) const;
  void SearchBase(std::span<const Hash256> queries, int radius,
                  std::vector<index_internal::Hit>* hits) const;

  MultiIndexOptions options_;
  // The base: ids_ ascending, hashes_ parallel to it; positions index both.
  index_internal::HugePageArray<Hash256> hashes_;
  index_internal::HugePageArray<int64_t> ids_;
  index_internal::MihTables tables_;
  std::vector<uint64_t> tombstones_;  // bit per base position: removed
  size_t tombstone_count_ = 0;
  // The delta: recent Adds, unordered; delta_index_ maps id -> index in delta_*.
  std::vector<Hash256> delta_hashes_;
  std::vector<int64_t> delta_ids_;
  std::unordered_map<int64_t, size_t> delta_index_;
};

}  // namespace vigil
