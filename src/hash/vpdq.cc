// vPDQ after facebook/ThreatExchange vpdq/cpp: hashing (hashing/hasher.h, pdqbufferhasher.cpp),
// text I/O (io/vpdqio.cpp) and matching (hashing/matchTwoHash.cpp, and the Python
// vpdq_brute_matcher.py / vpdq_util.py for the dedupe that HMA applies).
#include "hash/vpdq.h"

#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <unordered_set>
#include <utility>

namespace vigil {
namespace {

std::string LineError(std::string_view name, size_t line, const std::string& what) {
  return std::string(name) + ":" + std::to_string(line) + ": " + what;
}

// Parses all of `field` as a base-10 integer in [min, max].
bool ParseInt(std::string_view field, int64_t min, int64_t max, int64_t* out) {
  if (field.empty()) return false;
  const char* end = field.data() + field.size();
  auto [ptr, ec] = std::from_chars(field.data(), end, *out);
  return ec == std::errc() && ptr == end && *out >= min && *out <= max;
}

bool ParseSeconds(std::string_view field, double* out) {
  if (field.empty() || field.front() == '-') return false;
  const char* end = field.data() + field.size();
  auto [ptr, ec] = std::from_chars(field.data(), end, *out, std::chars_format::fixed);
  return ec == std::errc() && ptr == end && std::isfinite(*out);
}

Result<VpdqFrame> ParseLine(std::string_view line, std::string_view name, size_t number) {
  std::string_view fields[4];
  size_t count = 0;
  size_t start = 0;
  for (;;) {
    const size_t comma = line.find(',', start);
    const std::string_view field = line.substr(start, comma - start);
    if (count < 4) fields[count] = field;
    ++count;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (count != 4) {
    return InvalidArgument(
        LineError(name, number,
                  "expected 4 fields (frame_number,quality,pdq_hex,timestamp), got " +
                      std::to_string(count)));
  }
  VpdqFrame frame;
  int64_t quality = 0;
  if (!ParseInt(fields[0], 0, INT64_MAX, &frame.frame_number)) {
    return InvalidArgument(LineError(
        name, number,
        "frame_number must be a non-negative integer, got '" + std::string(fields[0]) + "'"));
  }
  if (!ParseInt(fields[1], 0, 100, &quality)) {
    return InvalidArgument(LineError(
        name, number, "quality must be an integer 0..100, got '" + std::string(fields[1]) + "'"));
  }
  frame.quality = static_cast<int>(quality);
  Result<Hash256> hash = Hash256::FromHex(fields[2]);
  if (!hash.ok()) {
    return InvalidArgument(LineError(name, number, "pdq_hex: " + hash.status().message()));
  }
  frame.pdq = *hash;
  if (!ParseSeconds(fields[3], &frame.timestamp_seconds)) {
    return InvalidArgument(LineError(name, number,
                                     "timestamp must be a non-negative decimal number of "
                                     "seconds, got '" +
                                         std::string(fields[3]) + "'"));
  }
  return frame;
}

// The frames that take part in matching: quality >= min_quality, then (optionally) one
// per distinct hash, first occurrence kept (vpdq_util.py prepare_vpdq_feature's order).
std::vector<Hash256> MatchableHashes(const VpdqHash& hash, const VpdqMatchOptions& options) {
  std::vector<Hash256> out;
  out.reserve(hash.frames.size());
  struct HashOf {
    size_t operator()(const Hash256& h) const {
      return h.words[0] ^ (h.words[1] * 0x9e3779b97f4a7c15ull) ^ (h.words[2] >> 7) ^ h.words[3];
    }
  };
  std::unordered_set<Hash256, HashOf> seen;
  for (const VpdqFrame& frame : hash.frames) {
    if (frame.quality < options.min_quality) continue;
    if (options.dedupe == VpdqDedupe::kExactHashes && !seen.insert(frame.pdq).second) continue;
    out.push_back(frame.pdq);
  }
  return out;
}

// How many of `a` have some element of `b` within `max_distance`.
size_t CountMatched(const std::vector<Hash256>& a, const std::vector<Hash256>& b,
                    int max_distance) {
  size_t matched = 0;
  for (const Hash256& x : a) {
    for (const Hash256& y : b) {
      if (HammingDistance(x, y) <= max_distance) {
        ++matched;
        break;
      }
    }
  }
  return matched;
}

}  // namespace

void VpdqHasher::AddFrame(const ImageView& rgb, int64_t frame_number, double timestamp_seconds) {
  const PdqResult result = pdq_.Hash(rgb, PdqMode::kFullResolution);
  hash_.frames.push_back(VpdqFrame{frame_number, result.quality, result.hash, timestamp_seconds});
}

VpdqHash VpdqHasher::Finish() { return std::exchange(hash_, VpdqHash{}); }

std::string FormatVpdq(const VpdqHash& hash) {
  std::string out;
  out.reserve(hash.frames.size() * 84);
  char line[128];
  for (const VpdqFrame& frame : hash.frames) {
    const int n = std::snprintf(line, sizeof line, "%" PRId64 ",%d,%s,%.3f\n", frame.frame_number,
                                frame.quality, frame.pdq.ToHex().c_str(), frame.timestamp_seconds);
    out.append(line, static_cast<size_t>(n));
  }
  return out;
}

Result<VpdqHash> ParseVpdq(std::string_view text, std::string_view name) {
  VpdqHash hash;
  size_t number = 0;
  while (!text.empty()) {
    ++number;
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return InvalidArgument(LineError(name, number, "empty line"));
    VIGIL_ASSIGN_OR_RETURN(VpdqFrame frame, ParseLine(line, name, number));
    hash.frames.push_back(frame);
  }
  if (hash.frames.empty()) {
    return InvalidArgument(std::string(name) + ": no frames (an empty vPDQ hash)");
  }
  return hash;
}

VpdqMatchResult VpdqMatch(const VpdqHash& query, const VpdqHash& target,
                          const VpdqMatchOptions& options) {
  const std::vector<Hash256> q = MatchableHashes(query, options);
  const std::vector<Hash256> t = MatchableHashes(target, options);
  VpdqMatchResult result;
  if (q.empty() || t.empty()) return result;  // as matchTwoHashBrute: 0 %, no match
  result.query_percent =
      static_cast<double>(CountMatched(q, t, options.max_distance)) * 100.0 / q.size();
  result.target_percent =
      static_cast<double>(CountMatched(t, q, options.max_distance)) * 100.0 / t.size();
  result.match = result.query_percent >= options.query_threshold_percent &&
                 result.target_percent >= options.target_threshold_percent;
  return result;
}

}  // namespace vigil
