// ContentHasher: one file in, every signal vigil matches on out. The file is read once
// (under the byte limit); MD5/SHA-256 are taken from those bytes and the same buffer is
// decoded for PDQ. The hashers in hash/ take plain pixels and know nothing of files;
// this is where files meet them.
//
// Thread-safety: none. Keep one ContentHasher per thread; it reuses its pixel and PDQ
// buffers, so steady-state hashing allocates little.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "hash/exact_hash.h"
#include "hash/pdq.h"
#include "media/image_decoder.h"
#include "util/status.h"

namespace vigil {

enum class DihedralHashes { kOff, kOn };

struct ContentHashOptions {
  DecodeLimits limits;
  PdqMode pdq_mode = PdqMode::kReference;
  DihedralHashes dihedral = DihedralHashes::kOff;
};

struct ContentHashes {
  ExactHashes exact;
  // Set when the bytes decoded as an image; `image_error` says why not otherwise.
  std::optional<PdqResult> pdq;
  // With DihedralHashes::kOn: all eight, in the reference's order (pdq.h); pdq == [0].
  std::vector<PdqResult> dihedral;
  Status image_error;
  int width = 0;
  int height = 0;
};

class ContentHasher {
 public:
  explicit ContentHasher(ContentHashOptions options);

  // Fails only when the file cannot be read (missing, over max_bytes, I/O). A file that
  // is read but does not decode as an image still returns its exact hashes, with the
  // decoder's error in image_error, so exact-hash matching works on any file.
  Result<ContentHashes> HashFile(const std::string& path);
  // The same for bytes already in memory (an HTTP upload); `name` is used in messages.
  Result<ContentHashes> HashBytes(std::span<const uint8_t> bytes, std::string_view name);

 private:
  ContentHashOptions options_;
  ImageDecoder decoder_;
  PdqHasher pdq_;
  Image image_;
};

}  // namespace vigil
