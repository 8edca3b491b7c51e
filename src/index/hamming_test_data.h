// Deterministic synthetic banks and queries for the Hamming index tests and benchmark.
// "Clustered" imitates real banks: 30% of the entries are near copies (1-20 bits flipped)
// of 2% of them, as re-uploads and re-encodes of the same item are.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "hash/hash256.h"

namespace vigil::index_testing {

inline Hash256 RandomHash(std::mt19937_64& rng) {
  Hash256 h;
  for (auto& w : h.words) w = rng();
  return h;
}

// Flips `count` distinct random bits.
inline Hash256 FlipBits(Hash256 h, int count, std::mt19937_64& rng) {
  std::vector<int> bits(256);
  std::iota(bits.begin(), bits.end(), 0);
  for (int i = 0; i < count; ++i) {
    std::swap(bits[i], bits[i + rng() % (256 - i)]);
    h.words[bits[i] >> 6] ^= uint64_t{1} << (bits[i] & 63);
  }
  return h;
}

enum class BankShape { kUniform, kClustered };

inline std::vector<Hash256> MakeBank(size_t n, BankShape shape, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Hash256> bank(n);
  const size_t copies = shape == BankShape::kClustered ? n * 3 / 10 : 0;
  const size_t originals = n - copies;
  const size_t centers = std::max<size_t>(1, n / 50);
  for (size_t i = 0; i < originals; ++i) bank[i] = RandomHash(rng);
  for (size_t i = originals; i < n; ++i) {
    const Hash256& center = bank[rng() % std::min(centers, originals)];
    bank[i] = FlipBits(center, 1 + static_cast<int>(rng() % 20), rng);
  }
  std::shuffle(bank.begin(), bank.end(), rng);
  return bank;
}

// Unique ids in random order, not related to positions, negative ones included.
inline std::vector<int64_t> MakeIds(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int64_t> ids(n);
  for (size_t i = 0; i < n; ++i) ids[i] = static_cast<int64_t>(i * 7919) - 1000;
  std::shuffle(ids.begin(), ids.end(), rng);
  return ids;
}

// Half near copies of bank entries (0..max_flips bits flipped), half unrelated hashes.
inline std::vector<Hash256> MakeQueries(const std::vector<Hash256>& bank, size_t count,
                                        int max_flips, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Hash256> queries;
  for (size_t i = 0; i < count; ++i) {
    if (i % 2 == 0 && !bank.empty()) {
      const int flips = static_cast<int>(rng() % (max_flips + 1));
      queries.push_back(FlipBits(bank[rng() % bank.size()], flips, rng));
    } else {
      queries.push_back(RandomHash(rng));
    }
  }
  return queries;
}

}  // namespace vigil::index_testing
