// Signal types: the hash algorithms vigil matches on, with their canonical text form.
// A signal's text is validated and canonicalised here, once, so every layer above stores
// and compares one spelling (lowercase hex; for video hashes, hash/video_signal.h).
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
  kVpdq,    // video: a PDQ hash per sampled frame (hash/vpdq.h)
  kTmk,     // video: TMK+PDQF features (hash/tmk.h)
};

// The exact types: a fixed number of raw bytes, matched by equality.
inline bool IsExactSignalType(SignalType type) {
  return type == SignalType::kMd5 || type == SignalType::kSha256;
}
// The video types: variable-length text, matched by their own scores.
inline bool IsVideoSignalType(SignalType type) {
  return type == SignalType::kVpdq || type == SignalType::kTmk;
}

// "pdq", "md5", "sha256", "vpdq", "tmk_pdqf" (python-threatexchange's names).
std::string_view SignalTypeName(SignalType type);
// Parses the names above, case-insensitive, and the aliases other tools use:
// "video_md5" and "photo_md5" (HMA / python-threatexchange) for md5, "sha-256" for sha256,
// "tmk" and "video_tmk_pdqf" (ThreatExchange's older tag) for tmk_pdqf.
std::optional<SignalType> ParseSignalTypeName(std::string_view name);
// "pdq, md5, sha256, vpdq, tmk_pdqf": for error messages that list the accepted names.
std::string_view KnownSignalTypeNames();

// Validates `text` as a signal of `type` and returns its canonical form: lowercase hex of
// the right length for pdq, md5 and sha256; for vpdq and tmk_pdqf the forms of
// hash/video_signal.h. The error says which rule the text broke.
Result<std::string> CanonicalSignal(SignalType type, std::string_view text);

}  // namespace vigil
