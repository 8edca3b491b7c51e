#include "index/hamming_scan.h"

#include <algorithm>

namespace vigil::index_internal {

namespace {
// 1024 hashes = 32 KiB: one block stays in L1/L2 while every query of the batch sees it.
constexpr size_t kScanBlock = 1024;
}  // namespace

void ScanWithinRadius(std::span<const Hash256> queries, std::span<const Hash256> bank,
                      int radius, std::vector<Hit>* hits) {
  for (size_t begin = 0; begin < bank.size(); begin += kScanBlock) {
    const size_t end = std::min(bank.size(), begin + kScanBlock);
    for (size_t q = 0; q < queries.size(); ++q) {
      const Hash256 query = queries[q];
      for (size_t i = begin; i < end; ++i) {
        const int d = HammingDistance(query, bank[i]);
        if (d <= radius) {
          hits->push_back({static_cast<uint32_t>(q), static_cast<uint16_t>(d),
                           static_cast<int64_t>(i)});
        }
      }
    }
  }
}

void WriteResults(size_t num_queries, std::vector<Hit>* hits, RadiusSearchResults* out) {
  auto less = [](const Hit& a, const Hit& b) {
    if (a.query != b.query) return a.query < b.query;
    if (a.distance != b.distance) return a.distance < b.distance;
    return a.key < b.key;
  };
  auto same = [](const Hit& a, const Hit& b) { return a.query == b.query && a.key == b.key; };
  std::sort(hits->begin(), hits->end(), less);
  hits->erase(std::unique(hits->begin(), hits->end(), same), hits->end());
  out->offsets.assign(num_queries + 1, 0);
  out->ids.resize(hits->size());
  out->distances.resize(hits->size());
  for (size_t i = 0; i < hits->size(); ++i) {
    const Hit& h = (*hits)[i];
    out->ids[i] = h.key;
    out->distances[i] = h.distance;
    ++out->offsets[h.query + 1];
  }
  for (size_t q = 0; q < num_queries; ++q) out->offsets[q + 1] += out->offsets[q];
}

}  // namespace vigil::index_internal
