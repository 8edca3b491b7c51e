#include "hash/hash256.h"

namespace vigil {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string Hash256::ToHex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(64, '0');
  for (int i = 0; i < 64; ++i) {
    int nibble_index = 63 - i;  // hex digit i covers bits [4*(63-i), 4*(63-i)+3]
    uint64_t w = words[nibble_index >> 4];
    out[i] = kDigits[(w >> ((nibble_index & 15) * 4)) & 15];
  }
  return out;
}

Result<Hash256> Hash256::FromHex(std::string_view hex) {
  if (hex.size() != 64) {
    return InvalidArgument("a PDQ hash must be 64 hex digits, got " + std::to_string(hex.size()) +
                           " characters");
  }
  Hash256 h;
  for (int i = 0; i < 64; ++i) {
    int v = HexValue(hex[i]);
    if (v < 0) {
      return InvalidArgument("a PDQ hash must be hex digits only; character " +
                             std::to_string(i + 1) + " is not");
    }
    int nibble_index = 63 - i;
    h.words[nibble_index >> 4] |= static_cast<uint64_t>(v) << ((nibble_index & 15) * 4);
  }
  return h;
}

}  // namespace vigil
