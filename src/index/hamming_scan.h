// Linear popcount scans shared by BruteForceHammingIndex and the delta / fallback paths
// of MultiIndexHammingIndex, plus the step that turns per-query hits into sorted
// RadiusSearchResults.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "hash/hash256.h"
#include "index/radius_search_results.h"

namespace vigil::index_internal {

// One match found by a scan or a probe: `key` is an id or a position, whichever the
// caller needs (see each function).
struct Hit {
  uint32_t query;
  uint16_t distance;
  int64_t key;
};

// Appends a Hit{query, distance, position-in-bank} for every (query, bank entry) pair
// within `radius`. Blocked over the bank so a block stays in L1/L2 while every query
// visits it: the scan is compute-bound, not memory-bound, for batches of queries.
void ScanWithinRadius(std::span<const Hash256> queries, std::span<const Hash256> bank,
                      int radius, std::vector<Hit>* hits);

// Fills `out` from hits whose key is an id: sorts by (query, distance, id), drops exact
// duplicates, and writes the CSR layout of RadiusSearchResults for `num_queries`.
void WriteResults(size_t num_queries, std::vector<Hit>* hits, RadiusSearchResults* out);

}  // namespace vigil::index_internal
