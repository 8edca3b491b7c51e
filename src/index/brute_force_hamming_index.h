// BruteForceHammingIndex: exact radius search over 256-bit hashes by a linear popcount
// scan. It is the oracle for MultiIndexHammingIndex's tests and the baseline of its
// benchmark; it is also the right choice for banks of a few thousand hashes.
//
// Thread safety: const methods (RadiusSearch, size, MemoryBytes) may run concurrently
// with each other; Build, Add and Remove need external exclusion from every other call.
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "hash/hash256.h"
#include "index/radius_search_results.h"
#include "util/status.h"

namespace vigil {

class BruteForceHammingIndex {
 public:
  // Replaces the contents. `ids` must be as long as `hashes`; a repeated id keeps its first
  // hash and later ones are ignored.
  void Build(std::span<const Hash256> hashes, std::span<const int64_t> ids);
  // kAlreadyExists if `id` is present. Visible to the next search.
  Status Add(int64_t id, const Hash256& hash);
  // False if `id` is absent. Visible to the next search.
  bool Remove(int64_t id);

  size_t size() const { return hashes_.size(); }
  size_t MemoryBytes() const;

  // All entries within Hamming distance <= radius (0..256) of each query, sorted by
  // (distance, id). Replaces `out`'s contents.
  void RadiusSearch(std::span<const Hash256> queries, int radius,
                    RadiusSearchResults* out) const;

 private:
  std::vector<Hash256> hashes_;
  std::vector<int64_t> ids_;                         // parallel to hashes_
  std::unordered_map<int64_t, size_t> position_of_;  // id -> index in hashes_
};

}  // namespace vigil
