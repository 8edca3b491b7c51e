// Base64 (RFC 4648 section 4, the standard alphabet with '=' padding): the text form of
// binary signals in bank files (a TMK+PDQF .tmk file is ~257 KiB of floats; docs/formats.md).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace vigil {

std::string Base64Encode(std::span<const uint8_t> bytes);

// Strict: the standard alphabet only, length a multiple of 4, '=' only as the last one or
// two characters, and the unused bits of the last group zero, so each byte string has
// exactly one accepted text (the canonical form). Errors (kInvalidArgument) say which
// character or rule.
Result<std::vector<uint8_t>> Base64Decode(std::string_view text);

}  // namespace vigil
