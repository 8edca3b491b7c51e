#include "index/multi_index_hamming_index.h"

#include <algorithm>
#include <string>
#include <utility>

namespace vigil {

using index_internal::Hit;
using index_internal::HugePageArray;

namespace {

// Prefetch distance of the verify loop (see mih_tables.cc for the reasoning).
constexpr size_t kVerifyPrefetchAhead = 32;
// Beyond this radius the refined pigeonhole needs so many probes per substring that a
// linear scan always wins; the index then scans.
constexpr int kMaxProbedRadius = 63;

index_internal::HugePages ToInternal(MultiIndexOptions::HugePages h) {
  return h == MultiIndexOptions::HugePages::kAdvise ? index_internal::HugePages::kAdvise
                                                    : index_internal::HugePages::kOff;
}

}  // namespace

MultiIndexHammingIndex::MultiIndexHammingIndex(MultiIndexOptions options)
    : options_(options) {
  Build({}, {});
}

void MultiIndexHammingIndex::Build(std::span<const Hash256> hashes,
                                   std::span<const int64_t> ids) {
  const size_t n = std::min(hashes.size(), ids.size());
  // Sorting (id, input index) makes the base id-ordered, so FindInBase is a binary search
  // and needs no id -> position map; the index breaks ties so the first copy of an id wins.
  std::vector<std::pair<int64_t, size_t>> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = {ids[i], i};
  std::sort(order.begin(), order.end());
  order.erase(std::unique(order.begin(), order.end(),
                          [](const auto& a, const auto& b) { return a.first == b.first; }),
              order.end());
  const auto hp = ToInternal(options_.huge_pages);
  tables_ = index_internal::MihTables();
  hashes_ = HugePageArray<Hash256>(order.size(), hp);
  ids_ = HugePageArray<int64_t>(order.size(), hp);
  for (size_t k = 0; k < order.size(); ++k) {
    ids_[k] = order[k].first;
    hashes_[k] = hashes[order[k].second];
  }
  order = {};
  const int m = options_.substring_count > 0
                    ? std::clamp(options_.substring_count, index_internal::kMinSubstrings,
                                 index_internal::kMaxSubstrings)
                    : index_internal::ChooseSubstringCount(ids_.size());
  tables_.Build(hashes_.span(), m, hp);
  tombstones_.assign((ids_.size() + 63) / 64, 0);
  tombstone_count_ = 0;
  delta_hashes_.clear();
  delta_ids_.clear();
  delta_index_.clear();
}

size_t MultiIndexHammingIndex::DeltaLimit() const {
  return std::clamp<size_t>(ids_.size() / 1024, 1024, 8192);
}

size_t MultiIndexHammingIndex::FindInBase(int64_t id) const {
  const int64_t* begin = ids_.data();
  const int64_t* end = begin + ids_.size();
  const int64_t* it = std::lower_bound(begin, end, id);
  return (it != end && *it == id) ? static_cast<size_t>(it - begin) : kNotFound;
}

bool MultiIndexHammingIndex::Contains(int64_t id) const {
  if (delta_index_.count(id) != 0) return true;
  const size_t pos = FindInBase(id);
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
  const size_t pos = FindInBase(id);
  if (pos == kNotFound || IsTombstone(pos)) return false;
  tombstones_[pos >> 6] |= uint64_t{1} << (pos & 63);
  ++tombstone_count_;
  MergeIfNeeded();
  return true;
}

// Rebuilds the base from the live entries once the delta or the tombstones pass their
// limits (policy and cost in the header).
void MultiIndexHammingIndex::MergeIfNeeded() {
  if (delta_ids_.size() <= DeltaLimit() && tombstone_count_ <= ids_.size() / 8 + DeltaLimit()) {
    return;
  }
  std::vector<int64_t> ids;
  std::vector<Hash256> hashes;
  ids.reserve(size());
  hashes.reserve(size());
  for (size_t pos = 0; pos < ids_.size(); ++pos) {
    if (IsTombstone(pos)) continue;
    ids.push_back(ids_[pos]);
    hashes.push_back(hashes_[pos]);
  }
  ids.insert(ids.end(), delta_ids_.begin(), delta_ids_.end());
  hashes.insert(hashes.end(), delta_hashes_.begin(), delta_hashes_.end());
  Build(hashes, ids);
}

size_t MultiIndexHammingIndex::MemoryBytes() const {
  return hashes_.bytes() + ids_.bytes() + tables_.MemoryBytes() +
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
  return (plan.probes + plan.expected_candidates) * 8 > static_cast<double>(ids_.size());
}

// Appends hits keyed by base position; tombstones are dropped by the caller.
void MultiIndexHammingIndex::SearchBase(std::span<const Hash256> queries, int radius,
                                        std::vector<Hit>* hits) const {
  if (ids_.size() == 0) return;
  index_internal::ProbePlan plan;
  if (radius <= kMaxProbedRadius) plan = tables_.PlanFor(radius);
  if (UseLinearScan(plan, radius)) {
    index_internal::ScanWithinRadius(queries, hashes_.span(), radius, hits);
    return;
  }
  index_internal::ProbeScratch scratch;
  std::vector<uint32_t> candidates;
  const Hash256* hashes = hashes_.data();
  for (size_t q = 0; q < queries.size(); ++q) {
    const Hash256 query = queries[q];
    tables_.Probe(query, plan, &scratch, &candidates);
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
      if (!IsTombstone(pos)) hits[kept++] = {h.query, h.distance, ids_[pos]};
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
