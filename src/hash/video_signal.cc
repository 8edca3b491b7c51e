#include "hash/video_signal.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "util/base64.h"

namespace vigil {
namespace {

Status FrameError(size_t frame, const std::string& what) {
  return InvalidArgument("vpdq frame " + std::to_string(frame) + ": " + what);
}

constexpr double kMaxTimestamp = 1e9;

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void SkipSpace(std::string_view text, size_t* pos) {
  while (*pos < text.size() && IsJsonSpace(text[*pos])) ++(*pos);
}

// Reads the JSON string at *pos (which is at its opening quote). The strings of a vPDQ
// text hold hex digits, digits, ',', '.', 'e', '+' and '-' only, so escapes are refused
// rather than decoded.
Result<std::string_view> ReadString(std::string_view text, size_t* pos, size_t frame) {
  const size_t start = *pos + 1;
  const size_t end = text.find_first_of("\"\\", start);
  if (end == std::string_view::npos) return FrameError(frame, "the string is not terminated");
  if (text[end] == '\\') return FrameError(frame, "escapes (\\) are not allowed in a frame");
  *pos = end + 1;
  return text.substr(start, end - start);
}

bool ParseQuality(std::string_view field, int* out) {
  const char* end = field.data() + field.size();
  auto [ptr, ec] = std::from_chars(field.data(), end, *out);
  return !field.empty() && ec == std::errc() && ptr == end && *out >= 0 && *out <= 100;
}

bool ParseTimestamp(std::string_view field, double* out) {
  if (field.empty() || field.front() == '-' || field.front() == '+') return false;
  const char* end = field.data() + field.size();
  auto [ptr, ec] = std::from_chars(field.data(), end, *out, std::chars_format::general);
  // The bound keeps the canonical "%.3f" short; no video lasts 30 years.
  return ec == std::errc() && ptr == end && *out >= 0 && *out <= kMaxTimestamp;
}

// "pdq_hex,quality,timestamp" (vpdq_util.py VpdqCompactFeature).
Result<VpdqFrame> ParseFrame(std::string_view s, size_t frame) {
  const size_t c1 = s.find(',');
  const size_t c2 = c1 == std::string_view::npos ? c1 : s.find(',', c1 + 1);
  if (c2 == std::string_view::npos || s.find(',', c2 + 1) != std::string_view::npos) {
    return FrameError(frame, "expected \"pdq_hex,quality,timestamp\", got '" +
                                 std::string(s.substr(0, 100)) + "'");
  }
  VpdqFrame out;
  Result<Hash256> hash = Hash256::FromHex(s.substr(0, c1));
  if (!hash.ok()) return FrameError(frame, "pdq_hex: " + hash.status().message());
  out.pdq = *hash;
  const std::string_view quality = s.substr(c1 + 1, c2 - c1 - 1);
  if (!ParseQuality(quality, &out.quality)) {
    return FrameError(frame, "quality must be an integer 0..100, got '" + std::string(quality) + "'");
  }
  const std::string_view time = s.substr(c2 + 1);
  if (!ParseTimestamp(time, &out.timestamp_seconds)) {
    return FrameError(frame, "timestamp must be a number of seconds 0..1e9, got '" +
                                 std::string(time.substr(0, 40)) + "'");
  }
  out.frame_number = static_cast<int64_t>(frame - 1);
  return out;
}

Status NotAnArray() {
  return InvalidArgument(
      "a vpdq signal must be a JSON array of \"pdq_hex,quality,timestamp\" strings");
}

}  // namespace

Result<VpdqHash> ParseVpdqSignal(std::string_view text) {
  if (text.size() > kMaxVideoSignalBytes) {
    return InvalidArgument("a vpdq signal is at most " + std::to_string(kMaxVideoSignalBytes) +
                           " bytes, got " + std::to_string(text.size()));
  }
  VpdqHash hash;
  size_t pos = 0;
  SkipSpace(text, &pos);
  if (pos == text.size() || text[pos] != '[') return NotAnArray();
  ++pos;
  SkipSpace(text, &pos);
  bool closed = pos < text.size() && text[pos] == ']';
  while (!closed) {
    const size_t frame = hash.frames.size() + 1;
    if (pos == text.size() || text[pos] != '"') return NotAnArray();
    VIGIL_ASSIGN_OR_RETURN(std::string_view s, ReadString(text, &pos, frame));
    VIGIL_ASSIGN_OR_RETURN(VpdqFrame f, ParseFrame(s, frame));
    hash.frames.push_back(f);
    SkipSpace(text, &pos);
    if (pos == text.size()) return InvalidArgument("a vpdq signal's array is not closed with ']'");
    closed = text[pos] == ']';
    if (closed) break;
    if (text[pos] != ',') return NotAnArray();
    ++pos;
    SkipSpace(text, &pos);
  }
  ++pos;  // the ']
  SkipSpace(text, &pos);
  if (pos != text.size()) return InvalidArgument("a vpdq signal has text after its closing ']'");
  if (hash.frames.empty()) {
    return InvalidArgument("a vpdq signal has no frames (an empty hash matches nothing)");
  }
  return hash;
}

std::string FormatVpdqSignal(const VpdqHash& hash) {
  std::string out = "[";
  out.reserve(hash.frames.size() * 84 + 2);
  char line[128];
  for (const VpdqFrame& f : hash.frames) {
    if (out.size() > 1) out += ',';
    const int n = std::snprintf(line, sizeof line, "\"%s,%d,%.3f\"", f.pdq.ToHex().c_str(),
                                f.quality, f.timestamp_seconds);
    // A timestamp of a hash from ParseVpdqSignal or a decoder fits; never read past `line`.
    out.append(line, std::min(static_cast<size_t>(std::max(n, 0)), sizeof line - 1));
  }
  out += ']';
  return out;
}

Result<TmkFeatures> ParseTmkSignal(std::string_view text) {
  if (text.size() > kMaxVideoSignalBytes) {
    return InvalidArgument("a tmk_pdqf signal is at most " +
                           std::to_string(kMaxVideoSignalBytes) + " bytes, got " +
                           std::to_string(text.size()));
  }
  Result<std::vector<uint8_t>> bytes = Base64Decode(text);
  if (!bytes.ok()) {
    return InvalidArgument("a tmk_pdqf signal must be a .tmk file in base64: " +
                           bytes.status().message());
  }
  return ParseTmk(*bytes, "tmk_pdqf signal");
}

std::string FormatTmkSignal(const TmkFeatures& features) {
  return Base64Encode(SerializeTmk(features));
}

}  // namespace vigil
