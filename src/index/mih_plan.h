// How MultiIndexHammingIndex cuts a 256-bit hash into substrings and which keys it probes
// for a radius. Multi-index hashing: Norouzi, Punjani & Fleet, "Fast search in Hamming
// space with multi-index hashing", CVPR 2012 (section 3 for the pigeonhole argument,
// section 4 for the choice of m).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "hash/hash256.h"

namespace vigil::index_internal {

// Substring counts MultiIndexHammingIndex accepts. The lower bound keeps each substring at
// <= 24 bits so its direct-addressed bucket table (2^bits + 1 uint32) stays <= 64 MiB.
inline constexpr int kMinSubstrings = 11;
inline constexpr int kMaxSubstrings = 64;

// Bits [first_bit, first_bit + bits) of a Hash256, bits <= 24.
struct Substring {
  int first_bit = 0;
  int bits = 0;
};

// The paper's rule m ~ 256 / log2(n): each substring then has about log2(n) bits, so a
// bucket holds about one entry and probes and candidates cost about the same. Clamped
// to [kMinSubstrings, 32].
int ChooseSubstringCount(size_t n);

// `count` contiguous substrings covering all 256 bits; the first 256 % count are one bit
// longer than the rest.
std::vector<Substring> SplitIntoSubstrings(int count);

// The radius at which substring j (of `count`) must be searched so that no entry within
// `radius` of the query is missed (the paper's refined pigeonhole, Prop. 1): with
// radius = count*s + a, substrings 0..a use s and the rest s-1 (-1: not searched at all).
int SubstringRadius(int radius, int count, int j);

// Every mask of `bits` bits with at most `radius` ones, by increasing weight.
std::vector<uint32_t> FlipMasks(int bits, int radius);

// The number of such masks: sum of C(bits, k) for k = 0..radius.
double BallSize(int bits, int radius);

inline uint32_t ExtractKey(const Hash256& h, Substring s) {
  const int word = s.first_bit >> 6;
  const int shift = s.first_bit & 63;
  uint64_t v = h.words[word] >> shift;
  if (shift + s.bits > 64) v |= h.words[word + 1] << (64 - shift);
  return static_cast<uint32_t>(v & ((uint64_t{1} << s.bits) - 1));
}

}  // namespace vigil::index_internal
