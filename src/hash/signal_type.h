// Signal types: the hash algorithms vigil matches on, with their canonical text form.
// A signal's text is validated and canonicalised here, once, so every layer above stores
// and compares one spelling (lowercase hex).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace vigil {

enum class SignalType {
  kPdq,     // 256-bit image hash, Hamming distance
  kMd5,     // exact file bytes, 128 bits
  kSha256,  // exact file bytes, 256 bits
};

// "pdq", "md5", "sha256".
std::string_view SignalTypeName(SignalType type);
// Parses the names above (case-insensitive; HMA's "pdq"/"md5" spellings included).
std::optional<SignalType> ParseSignalTypeName(std::string_view name);

// Validates `text` as a signal of `type` and returns its canonical form (lowercase hex of
// the right length). The error says which rule the text broke.
Result<std::string> CanonicalSignal(SignalType type, std::string_view text);

}  // namespace vigil
