#include "index/exact_set_index.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <unordered_set>

namespace vigil {

namespace index_internal {

// Each 8-byte word is folded in with a multiply by an odd constant and an xor-shift; the
// last step is SplitMix64's finaliser, so every input bit reaches every output bit.
uint64_t DigestKeyHash(std::span<const uint8_t, 32> key, uint64_t seed) {
  uint64_t h = seed ^ 0x9e3779b97f4a7c15ULL;
  for (size_t i = 0; i < 32; i += 8) {
    uint64_t w;
    std::memcpy(&w, key.data() + i, sizeof(w));
    h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 29;
  }
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

}  // namespace index_internal

namespace {
uint64_t RandomSeed() {
  std::random_device rd;
  return (uint64_t{rd()} << 32) ^ rd();
}
}  // namespace

ExactSetIndex::ExactSetIndex(size_t key_bytes)
    : key_bytes_(std::clamp<size_t>(key_bytes, 1, kMaxKeyBytes)),
      ids_of_(0, KeyHash{RandomSeed()}) {}

ExactSetIndex::Key ExactSetIndex::MakeKey(std::string_view bytes) const {
  Key key{};
  std::memcpy(key.data(), bytes.data(), std::min(bytes.size(), kMaxKeyBytes));
  return key;
}

Status ExactSetIndex::Add(std::span<const std::string_view> keys,
                          std::span<const int64_t> ids) {
  if (keys.size() != ids.size()) {
    return InvalidArgument("ExactSetIndex::Add: " + std::to_string(keys.size()) + " keys but " +
                           std::to_string(ids.size()) + " ids");
  }
  std::unordered_set<int64_t> batch;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].size() != key_bytes_) {
      return InvalidArgument("ExactSetIndex::Add: key " + std::to_string(i) + " (id " +
                             std::to_string(ids[i]) + ") has " + std::to_string(keys[i].size()) +
                             " bytes, expected " + std::to_string(key_bytes_));
    }
    if (Contains(ids[i]) || !batch.insert(ids[i]).second) {
      return AlreadyExists("ExactSetIndex::Add: id " + std::to_string(ids[i]) +
                           " is already present");
    }
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    const Key key = MakeKey(keys[i]);
    ids_of_.emplace(key, ids[i]);
    key_of_.emplace(ids[i], key);
  }
  return Status::Ok();
}

size_t ExactSetIndex::Remove(std::span<const int64_t> ids) {
  size_t removed = 0;
  for (int64_t id : ids) {
    auto it = key_of_.find(id);
    if (it == key_of_.end()) continue;
    auto [begin, end] = ids_of_.equal_range(it->second);
    for (auto e = begin; e != end; ++e) {
      if (e->second == id) {
        ids_of_.erase(e);
        break;
      }
    }
    key_of_.erase(it);
    ++removed;
  }
  return removed;
}

void ExactSetIndex::Lookup(std::span<const std::string_view> keys,
                           ExactLookupResults* out) const {
  out->offsets.assign(1, 0);
  out->ids.clear();
  for (std::string_view bytes : keys) {
    const size_t first = out->ids.size();
    if (bytes.size() == key_bytes_) {
      auto [begin, end] = ids_of_.equal_range(MakeKey(bytes));
      for (auto e = begin; e != end; ++e) out->ids.push_back(e->second);
      std::sort(out->ids.begin() + static_cast<ptrdiff_t>(first), out->ids.end());
    }
    out->offsets.push_back(out->ids.size());
  }
}

size_t ExactSetIndex::MemoryBytes() const {
  // Per entry: one multimap node (key, id, next, hash) and one map node (id, key, next,
  // hash), plus the bucket arrays.
  const size_t node = sizeof(Key) + 3 * sizeof(uint64_t);
  return key_of_.size() * 2 * node +
         (ids_of_.bucket_count() + key_of_.bucket_count()) * sizeof(void*);
}

}  // namespace vigil
