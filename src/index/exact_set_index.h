// ExactSetIndex: exact-match lookup for cryptographic signals (MD5: 16-byte keys,
// SHA-256: 32-byte keys): maps a raw key (bytes, not hex) to the ids that carry it.
// Several ids may share a key (the same file in several banks); each id has one key.
//
// Thread safety: const methods (Lookup, Contains, size, MemoryBytes) may run concurrently
// with each other; Add and Remove need external exclusion from every other call.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "util/status.h"

namespace vigil {
namespace index_internal {
// A 64-bit hash of all 32 bytes of a (zero-padded) key under `seed`.
uint64_t DigestKeyHash(std::span<const uint8_t, 32> key, uint64_t seed);
}  // namespace index_internal

// Key i's ids are ids[offsets[i] .. offsets[i+1]), ascending.
struct ExactLookupResults {
  std::vector<size_t> offsets;
  std::vector<int64_t> ids;
};

class ExactSetIndex {
 public:
  static constexpr size_t kMaxKeyBytes = 32;
  // `key_bytes`: 16 for MD5, 32 for SHA-256 (1..kMaxKeyBytes accepted).
  explicit ExactSetIndex(size_t key_bytes);

  // All or nothing: kInvalidArgument if the spans differ in length or a key is not
  // key_bytes long; kAlreadyExists if an id is already present or repeats in the batch.
  Status Add(std::span<const std::string_view> keys, std::span<const int64_t> ids);
  // Removes the ids that are present; returns how many were.
  size_t Remove(std::span<const int64_t> ids);
  // A key of the wrong length matches nothing. Replaces `out`'s contents.
  void Lookup(std::span<const std::string_view> keys, ExactLookupResults* out) const;

  bool Contains(int64_t id) const { return key_of_.count(id) != 0; }
  size_t key_bytes() const { return key_bytes_; }
  size_t size() const { return key_of_.size(); }
  size_t MemoryBytes() const;

 private:
  using Key = std::array<uint8_t, kMaxKeyBytes>;  // zero-padded
  struct KeyHash {
    // Every byte counts: a bank file is curator input, and a list of digests sharing a
    // prefix (sloppy or hostile) put every key in one bucket when only the first 8 bytes
    // were hashed, which made a 200k-signal reload quadratic (minutes). The per-index
    // random seed keeps crafted keys from colliding on purpose.
    uint64_t seed = 0;
    size_t operator()(const Key& k) const { return index_internal::DigestKeyHash(k, seed); }
  };
  Key MakeKey(std::string_view bytes) const;

  size_t key_bytes_;
  std::unordered_multimap<Key, int64_t, KeyHash> ids_of_;
  std::unordered_map<int64_t, Key> key_of_;
};

}  // namespace vigil
