#include "index/brute_force_hamming_index.h"

#include <string>

#include "index/hamming_scan.h"

namespace vigil {

void BruteForceHammingIndex::Build(std::span<const Hash256> hashes,
                                   std::span<const int64_t> ids) {
  hashes_.clear();
  ids_.clear();
  position_of_.clear();
  const size_t n = std::min(hashes.size(), ids.size());
  hashes_.reserve(n);
  ids_.reserve(n);
  position_of_.reserve(n);
  for (size_t i = 0; i < n; ++i) (void)Add(ids[i], hashes[i]);
}

Status BruteForceHammingIndex::Add(int64_t id, const Hash256& hash) {
  if (!position_of_.emplace(id, hashes_.size()).second) {
    return AlreadyExists("hash id " + std::to_string(id) + " is already in the index");
  }
  hashes_.push_back(hash);
  ids_.push_back(id);
  return Status::Ok();
}

bool BruteForceHammingIndex::Remove(int64_t id) {
  auto it = position_of_.find(id);
  if (it == position_of_.end()) return false;
  const size_t pos = it->second;
  position_of_.erase(it);
  // Swap with the last entry so removal is O(1); order does not matter to a scan.
  if (pos + 1 != hashes_.size()) {
    hashes_[pos] = hashes_.back();
    ids_[pos] = ids_.back();
    position_of_[ids_[pos]] = pos;
  }
  hashes_.pop_back();
  ids_.pop_back();
  return true;
}

size_t BruteForceHammingIndex::MemoryBytes() const {
  // unordered_map: roughly one node (key, value, next, cached hash) plus one bucket pointer.
  return hashes_.capacity() * sizeof(Hash256) + ids_.capacity() * sizeof(int64_t) +
         position_of_.size() * 32 + position_of_.bucket_count() * sizeof(void*);
}

void BruteForceHammingIndex::RadiusSearch(std::span<const Hash256> queries, int radius,
                                          RadiusSearchResults* out) const {
  std::vector<index_internal::Hit> hits;
  index_internal::ScanWithinRadius(queries, hashes_, radius, &hits);
  for (auto& h : hits) h.key = ids_[static_cast<size_t>(h.key)];
  index_internal::WriteResults(queries.size(), &hits, out);
}

}  // namespace vigil
