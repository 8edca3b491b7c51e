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
//    entries, or tombstones exceed n/8 + DeltaLimit(), WantsMerge() turns true and the
//    base should be rebuilt from the live entries (O(n*m); ~1 s per million entries).
//    Amortised cost per mutation: build time / DeltaLimit(), e.g. ~0.5 ms at n = 10M;
//    search cost of the delta: one popcount scan of <= 8192 hashes (<= 256 KiB).
//  - who merges (MultiIndexOptions::Merge):
//    kInline (default, single-threaded users): the Add or Remove that crosses the line
//      rebuilds the base before it returns.
//    kExternal (servers): mutations never rebuild. The owner runs a merge in three steps,
//      so that only cheap steps hold its lock:
//        PrepareMerge()  const, under a reader lock: snapshots the tombstones and the
//                        delta (O(n/64 + delta)); the base itself is immutable and shared.
//        merge.Build()   no lock: builds the new base from the snapshot (the ~1 s/M part).
//        InstallMerge()  under the writer lock: swaps the new base in and carries over
//                        every mutation made since the snapshot (O(n/64 + delta)).
//      Mutations go on while Build runs; the delta simply grows past its limit for that
//      long (each search scans it linearly, so lookups slow down gently, never stop).
//    Both modes run the same three steps, so both are covered by the same tests.
//  - a search whose probe cost would approach a linear scan (large radius against a
//    small bank) scans the base linearly instead; LinearScan::kNever turns that off.
//
// Memory: 40 bytes per entry (hash, id) + m * 4 bytes (positions) + sum over substrings of
// 2^bits * 4 bytes (bucket bounds); about 1.3 GB at n = 10M (m = 11). A merge holds the
// old and the new base at once until the prepared merge is destroyed.
//
// Thread safety: const methods (RadiusSearch, size, MemoryBytes, Contains, WantsMerge,
// PrepareMerge) may run concurrently with each other. Build, Add, Remove and InstallMerge
// need external exclusion from every other call (a reader-writer lock around the index
// does it). PreparedMerge::Build touches nothing the index mutates and needs no lock; the
// index may be mutated, searched, rebuilt or destroyed while it runs.
#pragma once

#include <cstdint>
#include <memory>
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
  // Who rebuilds the base once the delta or the tombstones pass their limits (see above).
  enum class Merge { kInline, kExternal };
  Merge merge = Merge::kInline;
};

class MultiIndexHammingIndex {
 public:
  class PreparedMerge;

  explicit MultiIndexHammingIndex(MultiIndexOptions options = {});

  // Replaces the contents. `ids` must be as long as `hashes` (extra elements of the
  // longer one are ignored); a repeated id keeps its first hash, later ones are ignored.
  void Build(std::span<const Hash256> hashes, std::span<const int64_t> ids);
  // kAlreadyExists if `id` is present. Visible to the next search. In kInline mode it may
  // rebuild the base before returning (see the merge policy above).
  Status Add(int64_t id, const Hash256& hash);
  // False if `id` is absent. Visible to the next search. May rebuild like Add.
  bool Remove(int64_t id);

  // True once the delta or the tombstones have passed their limits (always false right
  // after a merge or Build; in kInline mode, after every Add and Remove too).
  bool WantsMerge() const;
  // Snapshots what a merge needs; cheap. Call PreparedMerge::Build on the result, then
  // InstallMerge. Several may be prepared; only one built from the current base installs.
  PreparedMerge PrepareMerge() const;
  // Swaps in the base `merge` built and reapplies every Add and Remove made since its
  // PrepareMerge, so the contents are exactly what they were before the call. False (and
  // nothing changes) if `merge` is not built, or is stale: the base was replaced since
  // its PrepareMerge (by Build or another merge), or it comes from another index.
  // `merge` keeps the old base alive until it is destroyed: destroy it after releasing
  // the writer lock, as freeing ~1 GB takes a while.
  bool InstallMerge(PreparedMerge* merge);

  bool Contains(int64_t id) const;
  size_t size() const { return base_->ids.size() - tombstone_count_ + delta_ids_.size(); }
  size_t MemoryBytes() const;
  int substring_count() const { return base_->tables.substring_count(); }
  // Entries added since the base was built, and base entries removed since.
  size_t delta_size() const { return delta_ids_.size(); }
  size_t tombstone_count() const { return tombstone_count_; }

  // All entries within Hamming distance <= radius of each query, sorted by (distance,
  // id). Exact for every radius; fast for radius <= 63. Replaces `out`'s contents.
  void RadiusSearch(std::span<const Hash256> queries, int radius,
                    RadiusSearchResults* out) const;

 private:
  // The static part: entries sorted by id, and their tables. Immutable once built, and
  // shared (shared_ptr) with prepared merges, which read it with no lock held.
  struct Base {
    Base(size_t n, index_internal::HugePages huge_pages);
    void BuildTables(const MultiIndexOptions& options);
    size_t Find(int64_t id) const;  // position of `id`, or kNotFound

    index_internal::HugePageArray<Hash256> hashes;  // parallel to ids
    index_internal::HugePageArray<int64_t> ids;     // ascending
    index_internal::MihTables tables;
  };
  static constexpr size_t kNotFound = ~size_t{0};

  size_t DeltaLimit() const;
  bool IsTombstone(size_t pos) const { return (tombstones_[pos >> 6] >> (pos & 63)) & 1; }
  void Install(std::shared_ptr<const Base> base);
  void CarryOverMutations(const PreparedMerge& merge, const Base& fresh);
  void MergeIfNeeded();
  bool UseLinearScan(const index_internal::ProbePlan& plan, int radius) const;
  void SearchBase(std::span<const Hash256> queries, int radius,
                  std::vector<index_internal::Hit>* hits) const;

  MultiIndexOptions options_;
  std::shared_ptr<const Base> base_;  // never null; replaced whole, never modified
  std::vector<uint64_t> tombstones_;  // bit per base position: removed
  size_t tombstone_count_ = 0;
  // The delta: recent Adds, unordered; delta_index_ maps id -> index in delta_*.
  std::vector<Hash256> delta_hashes_;
  std::vector<int64_t> delta_ids_;
  std::unordered_map<int64_t, size_t> delta_index_;
};

// What a background merge carries from PrepareMerge (reader lock) through Build (no
// lock) to InstallMerge (writer lock). Movable, not copyable.
class MultiIndexHammingIndex::PreparedMerge {
 public:
  PreparedMerge(PreparedMerge&&) = default;
  PreparedMerge& operator=(PreparedMerge&&) = default;

  // Builds the new base from the snapshot: the live entries at PrepareMerge. The expensive
  // step (~1 s per million entries); touches nothing the index can change. Idempotent.
  void Build();
  bool built() const { return fresh_ != nullptr; }
  // Live entries at the snapshot: the size of the base Build makes.
  size_t size() const;

 private:
  friend class MultiIndexHammingIndex;
  PreparedMerge() = default;

  MultiIndexOptions options_;
  std::shared_ptr<const Base> old_;  // the base at the snapshot
  // The index's mutable state at the snapshot.
  std::vector<uint64_t> tombstones_;
  size_t tombstone_count_ = 0;
  std::vector<Hash256> delta_hashes_;
  std::vector<int64_t> delta_ids_;
  std::shared_ptr<const Base> fresh_;  // set by Build; moved into the index by InstallMerge
};

}  // namespace vigil
