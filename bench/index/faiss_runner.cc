#include "faiss_runner.h"

#include <omp.h>

#include <algorithm>
#include <utility>
#include <vector>

#include <faiss/IndexBinaryHash.h>
#include <faiss/impl/AuxIndexStructures.h>

namespace vigil::bench {

struct FaissMultiHash::Impl {
  faiss::IndexBinaryMultiHash index{256, 16, 16};
  std::vector<int64_t> ids;
};

FaissMultiHash::FaissMultiHash() : impl_(std::make_unique<Impl>()) { impl_->index.nflip = 1; }
FaissMultiHash::~FaissMultiHash() = default;

void UseOneFaissThread() { omp_set_num_threads(1); }

// Hash256's words are little-endian in memory, so its 32 bytes are the 256 bits in order;
// any fixed bit order gives the same Hamming distances.
void FaissMultiHash::Build(std::span<const Hash256> hashes, std::span<const int64_t> ids) {
  static_assert(sizeof(Hash256) == 32);
  impl_->ids.assign(ids.begin(), ids.end());
  impl_->index.add(static_cast<faiss::IndexBinary::idx_t>(hashes.size()),
                   reinterpret_cast<const uint8_t*>(hashes.data()));
}

size_t FaissMultiHash::MemoryBytes() const {
  size_t bytes = impl_->index.storage->xb.capacity() + impl_->ids.capacity() * sizeof(int64_t);
  for (const auto& map : impl_->index.maps) {  // by reference: a copy would cost seconds
    bytes += map.bucket_count() * sizeof(void*) + map.size() * 64;
    for (const auto& [key, list] : map) bytes += list.capacity() * sizeof(list[0]);
  }
  return bytes;
}

void FaissMultiHash::RadiusSearch(std::span<const Hash256> queries, int radius,
                                  RadiusSearchResults* out) const {
  faiss::RangeSearchResult result(static_cast<faiss::IndexBinary::idx_t>(queries.size()));
  impl_->index.range_search(static_cast<faiss::IndexBinary::idx_t>(queries.size()),
                            reinterpret_cast<const uint8_t*>(queries.data()), radius + 1,
                            &result);
  out->offsets.assign(1, 0);
  out->ids.clear();
  out->distances.clear();
  std::vector<std::pair<uint16_t, int64_t>> hits;
  for (size_t q = 0; q < queries.size(); ++q) {
    hits.clear();
    for (size_t i = result.lims[q]; i < result.lims[q + 1]; ++i) {
      hits.emplace_back(static_cast<uint16_t>(result.distances[i]),
                        impl_->ids[static_cast<size_t>(result.labels[i])]);
    }
    std::sort(hits.begin(), hits.end());
    for (const auto& [d, id] : hits) {
      out->distances.push_back(d);
      out->ids.push_back(id);
    }
    out->offsets.push_back(out->ids.size());
  }
}

}  // namespace vigil::bench
