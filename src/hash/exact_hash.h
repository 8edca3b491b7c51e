// MD5 and SHA-256 of content bytes (OpenSSL EVP): HMA's default signals for exact copies.
// Callers hash the same in-memory buffer they decode, so a file is read once.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "util/status.h"

namespace vigil {

struct ExactHashes {
  std::string md5;     // 32 lowercase hex digits
  std::string sha256;  // 64 lowercase hex digits
};

// Fails only if OpenSSL itself fails (kInternal), never on the content.
Result<ExactHashes> ComputeExactHashes(std::span<const uint8_t> bytes);

// The same digests over bytes that arrive in pieces (a video streamed from disk). Finish
// gives what ComputeExactHashes gives for the concatenation. One thread at a time.
class ExactHashStream {
 public:
  ExactHashStream();
  ~ExactHashStream();
  ExactHashStream(const ExactHashStream&) = delete;
  ExactHashStream& operator=(const ExactHashStream&) = delete;

  Status Update(std::span<const uint8_t> bytes);
  Result<ExactHashes> Finish();

 private:
  struct Contexts;
  std::unique_ptr<Contexts> ctx_;
};

}  // namespace vigil
