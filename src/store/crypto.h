// The few cryptographic primitives the review side needs, over OpenSSL: SHA-256 (token
// digests, the audit hash chain), HMAC-SHA256 (webhook signatures), random bytes (token
// secrets), constant-time comparison, and the hex / base64url text forms.
//
// Thread-safety: all functions are thread-safe (OpenSSL 3 one-shot calls, no shared state).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/status.h"

namespace vigil {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(std::string_view bytes);
Sha256Digest HmacSha256(std::string_view key, std::string_view message);
// `n` bytes from OpenSSL's CSPRNG; kInternal if it cannot be seeded.
Result<std::string> SecureRandomBytes(size_t n);
// Equal length and equal bytes, in time that depends only on the length.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

std::string LowerHex(std::string_view bytes);
std::string LowerHex(const Sha256Digest& digest);
std::string_view DigestBytes(const Sha256Digest& digest);
// RFC 4648 section 5 alphabet, without padding.
std::string Base64Url(std::string_view bytes);

}  // namespace vigil
