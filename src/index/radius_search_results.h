// RadiusSearchResults: the caller-owned output of every Hamming index's batched
// RadiusSearch (FAISS style: one call for many queries, one flat result).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vigil {

// Query i's hits are [offsets[i], offsets[i+1]) of `ids` and `distances`, sorted by
// (distance, id). offsets has n+1 entries; offsets[0] == 0.
struct RadiusSearchResults {
  std::vector<size_t> offsets;
  std::vector<int64_t> ids;
  std::vector<uint16_t> distances;

  size_t num_queries() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  size_t num_hits(size_t query) const { return offsets[query + 1] - offsets[query]; }
};

}  // namespace vigil
