#include "hash/signal_type.h"

#include <algorithm>
#include <cctype>

#include "hash/video_signal.h"

namespace vigil {
namespace {

Result<std::string> CanonicalHex(SignalType type, std::string_view text) {
  size_t want = type == SignalType::kMd5 ? 32 : 64;
  if (text.size() != want) {
    return InvalidArgument("a " + std::string(SignalTypeName(type)) + " signal must be " +
                           std::to_string(want) + " hex digits, got " +
                           std::to_string(text.size()) + " characters");
  }
  std::string out(text);
  for (size_t i = 0; i < out.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(out[i]);
    if (!std::isxdigit(c)) {
      return InvalidArgument("a " + std::string(SignalTypeName(type)) +
                             " signal must be hex digits only; character " +
                             std::to_string(i + 1) + " is not");
    }
    out[i] = static_cast<char>(std::tolower(c));
  }
  return out;
}

}  // namespace

std::string_view SignalTypeName(SignalType type) {
  switch (type) {
    case SignalType::kPdq: return "pdq";
    case SignalType::kMd5: return "md5";
    case SignalType::kSha256: return "sha256";
    case SignalType::kVpdq: return "vpdq";
    case SignalType::kTmk: return "tmk_pdqf";
  }
  return "unknown";
}

std::optional<SignalType> ParseSignalTypeName(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "pdq") return SignalType::kPdq;
  if (lower == "md5" || lower == "video_md5" || lower == "photo_md5") return SignalType::kMd5;
  if (lower == "sha256" || lower == "sha-256") return SignalType::kSha256;
  if (lower == "vpdq") return SignalType::kVpdq;
  if (lower == "tmk_pdqf" || lower == "tmk" || lower == "video_tmk_pdqf") return SignalType::kTmk;
  return std::nullopt;
}

std::string_view KnownSignalTypeNames() { return "pdq, md5, sha256, vpdq, tmk_pdqf"; }

Result<std::string> CanonicalSignal(SignalType type, std::string_view text) {
  if (type == SignalType::kVpdq) {
    VIGIL_ASSIGN_OR_RETURN(VpdqHash hash, ParseVpdqSignal(text));
    return FormatVpdqSignal(hash);
  }
  if (type == SignalType::kTmk) {
    VIGIL_ASSIGN_OR_RETURN(TmkFeatures features, ParseTmkSignal(text));
    return FormatTmkSignal(features);
  }
  return CanonicalHex(type, text);
}

}  // namespace vigil
