// Hash256: a 256-bit perceptual hash (PDQ) with its canonical hex form and Hamming
// distance. The bit layout follows the PDQ reference: the hex string is a big-endian
// 256-bit number whose bit k (0 = least significant) is DCT coefficient B[k/16][k%16].
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/status.h"

namespace vigil {

struct Hash256 {
  // words[0] holds bits 0..63 (the last 16 hex digits), words[3] bits 192..255.
  std::array<uint64_t, 4> words{};

  bool GetBit(int k) const { return (words[k >> 6] >> (k & 63)) & 1; }
  void SetBit(int k) { words[k >> 6] |= uint64_t{1} << (k & 63); }

  // 64 lowercase hex digits.
  std::string ToHex() const;
  // Accepts exactly 64 hex digits of either case; anything else is kInvalidArgument with a
  // message that says what was wrong (length, which character).
  static Result<Hash256> FromHex(std::string_view hex);

  friend bool operator==(const Hash256&, const Hash256&) = default;
};

inline int HammingDistance(const Hash256& a, const Hash256& b) {
  return std::popcount(a.words[0] ^ b.words[0]) + std::popcount(a.words[1] ^ b.words[1]) +
         std::popcount(a.words[2] ^ b.words[2]) + std::popcount(a.words[3] ^ b.words[3]);
}

// PDQ's match threshold and quality floor (BRIEF.md, specs/pdq.md).
inline constexpr int kPdqMatchDistance = 31;
inline constexpr int kPdqMinQuality = 50;

}  // namespace vigil
