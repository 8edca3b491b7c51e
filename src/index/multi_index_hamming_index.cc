#include "index/multi_index_hamming_index.h"

#include <algorithm>
#include <bit>
#include <string>
#include <utility>

namespace vigil {

using index_internal::Hit;

namespace {

// Prefetch distance of the verify loop (see mih_tables.cc for the reasoning).
constexpr size_t kVerifyPrefetchAhead = 32;
// Beyond this radius the refined pigeonhole needs so many probes per substring that a
// linear scan always wins; the index then scans.
constexpr int kMaxProbedRadius = 63;

// An entry is a candidate once per substring whose probed keys include its own, so an entry
// near the query repeats up to m times, and WriteResults drops the repeats by sorting the
// hits. That is nothing for random hashes (a query's candidates are mostly distinct and
// its hits few), but a bank of near-duplicates (the frames of a still video in a vPDQ
// index) gives a query thousands of hits, each m times: an hour of one still scene
// against another spent 33 s of 67 s sorting repeated hits. A query with more candidates
// than this drops its repeats first, in O(candidates), before verifying them.
constexpr size_t kDedupeCandidatesAbove = 4096;

// Keeps the first occurrence of each position, through a bitmap of the base's positions
// (allocated on first use in a search call: n / 8 bytes, 1.25 MB at 10M) whose touched
// words are cleared again afterwards.
void DropRepeatedCandidates(size_t n, std::vector<uint64_t>* seen,
                            std::vector<uint32_t>* candidates) {
  if (seen->empty()) seen->assign(n / 64 + 1, 0);
  size_t kept = 0;
  for (const uint32_t p : *candidates) {
    uint64_t& word = (*seen)[p >> 6];
    const uint64_t bit = uint64_t{1} << (p & 63);
    if ((word & bit) == 0) {
      word |= bit;
      (*candidates)[kept++] = p;
    }
  }
  candidates->resize(kept);
  for (const uint32_t p : *candidates) (*seen)[p >> 6] = 0;
}

index_internal::HugePages ToInternal(MultiIndexOptions::HugePages h) {
  return h == MultiIndexOptions::HugePages::kAdvise ? index_internal::HugePages::kAdvise
                                                    : index_internal::HugePages::kOff;
}

}  // namespace

MultiIndexHammingIndex::Base::Base(size_t n, index_internal::HugePages huge_pages)
    : hashes(n, huge_pages), ids(n, huge_pages) {}

void MultiIndexHammingIndex::Base::BuildTables(const MultiIndexOptions& options) {
  const int m = options.substring_count > 0
                    ? std::clamp(options.substring_count, index_internal::kMinSubstrings,
                                 index_internal::kMaxSubstrings)
                    : index_internal::ChooseSubstringCount(ids.size());
  tables.Build(hashes.span(), m, ToInternal(options.huge_pages));
}

size_t MultiIndexHammingIndex::Base::Find(int64_t id) const {
  const int64_t* begin = ids.data();
  const int64_t* end = begin + ids.size();
  const int64_t* it = std::lower_bound(begin, end, id);
  return (it != end && *it == id) ? static_cast<size_t>(it - begin) : kNotFound;
}

MultiIndexHammingIndex::MultiIndexHammingIndex(MultiIndexOptions options)
    : options_(options) {
  Build({}, {});
}

void MultiIndexHammingIndex::Build(std::span<const Hash256> hashes,
                                   std::span<const int64_t> ids) {
  const size_t n = std::min(hashes.size(), ids.size());
  // Sorting (id, input index) makes the base id-ordered, so Base::Find is a binary search
  // and needs no id -> position map; the index breaks ties so the first copy of an id wins.
  std::vector<std::pair<int64_t, size_t>> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = {ids[i], i};
  std::sort(order.begin(), order.end());
  order.erase(std::unique(order.begin(), order.end(),
                          [](const auto& a, const auto& b) { return a.first == b.first; }),
              order.end());
  auto base = std::make_shared<Base>(order.size(), ToInternal(options_.huge_pages));
  for (size_t k = 0; k < order.size(); ++k) {
    base->ids[k] = order[k].first;
    base->hashes[k] = hashes[order[k].second];
  }
  order = {};
  base->BuildTables(options_);
  Install(std::move(base));
}

// Makes `base` the whole contents: no tombstones, empty delta.
void MultiIndexHammingIndex::Install(std::shared_ptr<const Base> base) {
  base_ = std::move(base);
  tombstones_.assign((base_->ids.size() + 63) / 64, 0);
  tombstone_count_ = 0;
  delta_hashes_.clear();
  delta_ids_.clear();
  delta_index_.clear();
}

size_t MultiIndexHammingIndex::DeltaLimit() const {
  return std::clamp<size_t>(base_->ids.size() / 1024, 1024, 8192);
}

bool MultiIndexHammingIndex::Contains(int64_t id) const {
  if (delta_index_.count(id) != 0) return true;
  const size_t pos = base_->Find(id);
  return pos != kNotFound && !IsTombstone(pos);
}

Status MultiIndexHammingIndex::Add(int64_t id, const Hash256& hash) {
  if (Contains(id)) {
    return AlreadyExists("hash id " + std::to_string(id) + " is already in the index");
  }
  delta_index_.emplace(id, delta_ids_.size());
  delta_ids_.push_back(id);
  delta_hashes_.push_back(hash);
  MergeIfNeeded();
  return Status::Ok();
}

bool MultiIndexHammingIndex::Remove(int64_t id) {
  if (auto it = delta_index_.find(id); it != delta_index_.end()) {
    const size_t k = it->second;
    delta_index_.erase(it);
    if (k + 1 != delta_ids_.size()) {  // swap with the last so removal is O(1)
      delta_ids_[k] = delta_ids_.back();
      delta_hashes_[k] = delta_hashes_.back();
      delta_index_[delta_ids_[k]] = k;
    }
    delta_ids_.pop_back();
    delta_hashes_.pop_back();
    return true;
  }
  const size_t pos = base_->Find(id);
  if (pos == kNotFound || IsTombstone(pos)) return false;
  tombstones_[pos >> 6] |= uint64_t{1} << (pos & 63);
  ++tombstone_count_;
  MergeIfNeeded();
  return true;
}

bool MultiIndexHammingIndex::WantsMerge() const {
  return delta_ids_.size() > DeltaLimit() ||
         tombstone_count_ > base_->ids.size() / 8 + DeltaLimit();
}

// kInline: the three steps of a background merge, run at once (policy in the header).
void MultiIndexHammingIndex::MergeIfNeeded() {
  if (options_.merge != MultiIndexOptions::Merge::kInline || !WantsMerge()) return;
  PreparedMerge merge = PrepareMerge();
  merge.Build();
  InstallMerge(&merge);
}

MultiIndexHammingIndex::PreparedMerge MultiIndexHammingIndex::PrepareMerge() const {
  PreparedMerge merge;
  merge.options_ = options_;
  merge.old_ = base_;
  merge.tombstones_ = tombstones_;
  merge.tombstone_count_ = tombstone_count_;
  merge.delta_hashes_ = delta_hashes_;
  merge.delta_ids_ = delta_ids_;
  return merge;
}

size_t MultiIndexHammingIndex::PreparedMerge::size() const {
  return old_->ids.size() - tombstone_count_ + delta_ids_.size();
}

// The live base entries are already in id order; the delta is sorted and merged into
// them, so the new base needs no full sort. Ids are unique across the two (an id is in
// the delta only if it is not live in the base).
void MultiIndexHammingIndex::PreparedMerge::Build() {
  if (fresh_ != nullptr) return;
  std::vector<size_t> order(delta_ids_.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return delta_ids_[a] < delta_ids_[b]; });
  auto base = std::make_shared<Base>(size(), ToInternal(options_.huge_pages));
  const Base& old = *old_;
  size_t out = 0, d = 0;
  auto take_delta = [&] {
    base->ids[out] = delta_ids_[order[d]];
    base->hashes[out++] = delta_hashes_[order[d++]];
  };
  for (size_t pos = 0; pos < old.ids.size(); ++pos) {
    if ((tombstones_[pos >> 6] >> (pos & 63)) & 1) continue;
    while (d < order.size() && delta_ids_[order[d]] < old.ids[pos]) take_delta();
    base->ids[out] = old.ids[pos];
    base->hashes[out++] = old.hashes[pos];
  }
  while (d < order.size()) take_delta();
  base->BuildTables(options_);
  fresh_ = std::move(base);
}

bool MultiIndexHammingIndex::InstallMerge(PreparedMerge* merge) {
  if (merge->fresh_ == nullptr || merge->old_ != base_) return false;
  // Holding old_ keeps the snapshot's base alive, so its address cannot be reused by a
  // later base: pointer equality proves the snapshot was taken from this very base.
  std::shared_ptr<const Base> fresh = std::move(merge->fresh_);
  CarryOverMutations(*merge, *fresh);
  base_ = std::move(fresh);
  return true;
}

// Turns the state (old base, tombstones T1, delta D1) into (fresh base, tombstones, delta)
// with the same live entries. The fresh base holds S = (old base - T0) + D0, the snapshot's
// live entries. Tombstones only grow on one base (T0 is a subset of T1), so:
//  - old base entries in T1 - T0 were removed since the snapshot: tombstoned in fresh;
//  - a D0 entry still in D1 with the same hash is live and now in fresh: dropped from the
//    delta; one that is not (removed, maybe re-added with another hash) is tombstoned;
//  - the rest of D1 was added since the snapshot and stays in the delta.
// Live after = (old base - T1) + (D0 and D1) + (D1 - D0) = (old base - T1) + D1, as before.
void MultiIndexHammingIndex::CarryOverMutations(const PreparedMerge& merge, const Base& fresh) {
  std::vector<uint64_t> tombstones((fresh.ids.size() + 63) / 64, 0);
  size_t count = 0;
  auto bury = [&](int64_t id) {
    const size_t pos = fresh.Find(id);  // always found: the entry was live at the snapshot
    tombstones[pos >> 6] |= uint64_t{1} << (pos & 63);
    ++count;
  };
  for (size_t w = 0; w < tombstones_.size(); ++w) {
    for (uint64_t bits = tombstones_[w] & ~merge.tombstones_[w]; bits != 0; bits &= bits - 1) {
      bury(base_->ids[w * 64 + static_cast<size_t>(std::countr_zero(bits))]);
    }
  }
  std::vector<bool> in_fresh(delta_ids_.size(), false);
  for (size_t k = 0; k < merge.delta_ids_.size(); ++k) {
    auto it = delta_index_.find(merge.delta_ids_[k]);
    if (it != delta_index_.end() && delta_hashes_[it->second] == merge.delta_hashes_[k]) {
      in_fresh[it->second] = true;
    } else {
      bury(merge.delta_ids_[k]);
    }
  }
  size_t kept = 0;
  for (size_t k = 0; k < delta_ids_.size(); ++k) {
    if (in_fresh[k]) continue;
    delta_ids_[kept] = delta_ids_[k];
    delta_hashes_[kept++] = delta_hashes_[k];
  }
  delta_ids_.resize(kept);
  delta_hashes_.resize(kept);
  delta_index_.clear();
  for (size_t k = 0; k < kept; ++k) delta_index_.emplace(delta_ids_[k], k);
  tombstones_ = std::move(tombstones);
  tombstone_count_ = count;
}

size_t MultiIndexHammingIndex::MemoryBytes() const {
  return base_->hashes.bytes() + base_->ids.bytes() + base_->tables.MemoryBytes() +
         tombstones_.capacity() * sizeof(uint64_t) +
         delta_hashes_.capacity() * sizeof(Hash256) + delta_ids_.capacity() * sizeof(int64_t) +
         delta_index_.size() * 32 + delta_index_.bucket_count() * sizeof(void*);
}

bool MultiIndexHammingIndex::UseLinearScan(const index_internal::ProbePlan& plan,
                                           int radius) const {
  if (radius > kMaxProbedRadius) return true;
  if (options_.linear_scan == MultiIndexOptions::LinearScan::kNever) return false;
  // A probe or a candidate is a random DRAM read; a scanned entry is a sequential
  // 32-byte read plus 4 popcounts, roughly 8x cheaper.
  return (plan.probes + plan.expected_candidates) * 8 > static_cast<double>(base_->ids.size());
}

// Appends hits keyed by base position; tombstones are dropped by the caller.
void MultiIndexHammingIndex::SearchBase(std::span<const Hash256> queries, int radius,
                                        std::vector<Hit>* hits) const {
  const Base& base = *base_;
  if (base.ids.size() == 0) return;
  index_internal::ProbePlan plan;
  if (radius <= kMaxProbedRadius) plan = base.tables.PlanFor(radius);
  if (UseLinearScan(plan, radius)) {
    index_internal::ScanWithinRadius(queries, base.hashes.span(), radius, hits);
    return;
  }
  index_internal::ProbeScratch scratch;
  std::vector<uint32_t> candidates;
  std::vector<uint64_t> seen;  // DropRepeatedCandidates' bitmap, empty until needed
  const Hash256* hashes = base.hashes.data();
  for (size_t q = 0; q < queries.size(); ++q) {
    const Hash256 query = queries[q];
    base.tables.Probe(query, plan, &scratch, &candidates);
    if (candidates.size() > kDedupeCandidatesAbove) {
      DropRepeatedCandidates(base.ids.size(), &seen, &candidates);
    }
    const size_t count = candidates.size();
    for (size_t i = 0; i < count; ++i) {
      if (i + kVerifyPrefetchAhead < count) {
        __builtin_prefetch(&hashes[candidates[i + kVerifyPrefetchAhead]], 0, 3);
      }
      const int d = HammingDistance(query, hashes[candidates[i]]);
      if (d <= radius) {
        hits->push_back({static_cast<uint32_t>(q), static_cast<uint16_t>(d),
                         static_cast<int64_t>(candidates[i])});
      }
    }
  }
}

void MultiIndexHammingIndex::RadiusSearch(std::span<const Hash256> queries, int radius,
                                          RadiusSearchResults* out) const {
  std::vector<Hit> hits;
  if (radius >= 0) {
    radius = std::min(radius, 256);
    SearchBase(queries, radius, &hits);
    // Base hits: position -> id, dropping removed entries.
    size_t kept = 0;
    for (const Hit& h : hits) {
      const auto pos = static_cast<size_t>(h.key);
      if (!IsTombstone(pos)) hits[kept++] = {h.query, h.distance, base_->ids[pos]};
    }
    hits.resize(kept);
    const size_t base_hits = hits.size();
    index_internal::ScanWithinRadius(queries, delta_hashes_, radius, &hits);
    for (size_t i = base_hits; i < hits.size(); ++i) {
      hits[i].key = delta_ids_[static_cast<size_t>(hits[i].key)];
    }
  }
  index_internal::WriteResults(queries.size(), &hits, out);
}

}  // namespace vigil
