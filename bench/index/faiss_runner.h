// FAISS IndexBinaryMultiHash(d=256, nhash=16, b=16) with nflip=1: the configuration
// Meta's HMA uses for PDQ. For radius 31 it is exact too: 16 substrings of 16 bits
// searched at radius 1 satisfy the pigeonhole (16 * 2 = 32 > 31).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "hash/hash256.h"
#include "index/radius_search_results.h"

namespace vigil::bench {

class FaissMultiHash {
 public:
  FaissMultiHash();
  ~FaissMultiHash();
  // FAISS numbers entries by insertion order; `ids` maps those back to vigil ids.
  void Build(std::span<const Hash256> hashes, std::span<const int64_t> ids);
  // Distance <= radius (FAISS's own range_search keeps dis < radius, so it gets radius+1),
  // converted to vigil's sorted layout.
  void RadiusSearch(std::span<const Hash256> queries, int radius, RadiusSearchResults* out) const;
  // FAISS reports no size: codes + ids + an estimate of the 16 std::unordered_maps (a node
  // of ~64 bytes with malloc overhead per key, a bucket pointer per bucket, vector
  // capacities).
  size_t MemoryBytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Limits FAISS (OpenMP) to one thread.
void UseOneFaissThread();

}  // namespace vigil::bench
