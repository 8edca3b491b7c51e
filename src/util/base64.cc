#include "util/base64.h"

#include <array>

namespace vigil {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Each byte's 6-bit value, or -1.
constexpr std::array<int8_t, 256> kValue = [] {
  std::array<int8_t, 256> t{};
  t.fill(-1);
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  return t;
}();

Status BadCharacter(size_t position) {
  return InvalidArgument("base64: character " + std::to_string(position + 1) +
                         " is not in the base64 alphabet (A-Z a-z 0-9 + /)");
}

}  // namespace

std::string Base64Encode(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = uint32_t{bytes[i]} << 16 | uint32_t{bytes[i + 1]} << 8 | bytes[i + 2];
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest == 0) return out;
  const uint32_t v = uint32_t{bytes[i]} << 16 | (rest == 2 ? uint32_t{bytes[i + 1]} << 8 : 0);
  out += kAlphabet[v >> 18];
  out += kAlphabet[(v >> 12) & 63];
  out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
  out += '=';
  return out;
}

Result<std::vector<uint8_t>> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return InvalidArgument("base64: the length (" + std::to_string(text.size()) +
                           ") is not a multiple of 4");
  }
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  std::vector<uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  const size_t data = text.size() - padding;
  uint32_t acc = 0;
  for (size_t i = 0; i < data; ++i) {
    const int8_t v = kValue[static_cast<unsigned char>(text[i])];
    if (v < 0) return BadCharacter(i);
    acc = acc << 6 | static_cast<uint32_t>(v);
    if (i % 4 == 3) {
      out.push_back(static_cast<uint8_t>(acc >> 16));
      out.push_back(static_cast<uint8_t>(acc >> 8));
      out.push_back(static_cast<uint8_t>(acc));
      acc = 0;
    }
  }
  // The last group: 2 characters -> 1 byte (4 spare bits), 3 -> 2 bytes (2 spare bits).
  // With the length a multiple of 4, tail is 2 or 3 exactly when there is padding; a stray
  // '=' elsewhere was refused as a bad character above.
  const size_t tail = data % 4;
  if (tail != 0) {
    const int spare = tail == 2 ? 4 : 2;
    if (acc & ((1u << spare) - 1)) {
      return InvalidArgument("base64: the last group has non-zero padding bits (not canonical)");
    }
    acc >>= spare;
    if (tail == 3) out.push_back(static_cast<uint8_t>(acc >> 8));
    out.push_back(static_cast<uint8_t>(acc));
  }
  return out;
}

}  // namespace vigil
