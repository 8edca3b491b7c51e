// vPDQ: a video hash made of one full-resolution PDQ hash per sampled frame (specs/video.md,
// after Meta's facebook/ThreatExchange vpdq/). This file holds the hash's data, the hasher
// that turns frame pixels into it, the reference's text format, and the match criterion.
// It knows nothing of decoding: content/vpdq_video.h feeds it frames from media/.
//
// Thread-safety: VpdqHash values are plain data. A VpdqHasher is used by one thread at a
// time (it keeps PdqHasher's buffers). The free functions are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hash/hash256.h"
#include "hash/pdq.h"
#include "util/status.h"

namespace vigil {

// One sampled frame.
struct VpdqFrame {
  int64_t frame_number = 0;  // 0-based, in the decoder's output order
  int quality = 0;           // PDQ quality 0..100
  Hash256 pdq;
  double timestamp_seconds = 0;
  friend bool operator==(const VpdqFrame&, const VpdqFrame&) = default;
};

struct VpdqHash {
  std::vector<VpdqFrame> frames;  // in frame-number order
  friend bool operator==(const VpdqHash&, const VpdqHash&) = default;
};

// Hashes frames one at a time into a VpdqHash. Each frame gets PdqHasher's
// PdqMode::kFullResolution hash (the reference's vPDQ hasher never pre-resizes to 512).
// A frame with a side under 5 pixels gets an all-zero hash of quality 0 (the reference
// fails the whole video instead); such frames never match.
class VpdqHasher {
 public:
  // `rgb`: the frame's pixels (3 channels RGB, or 1 grey); `frame_number` and
  // `timestamp_seconds` are stored as given.
  void AddFrame(const ImageView& rgb, int64_t frame_number, double timestamp_seconds);
  // The frames added so far; leaves the hasher empty for the next video.
  VpdqHash Finish();

 private:
  PdqHasher pdq_;
  VpdqHash hash_;
};

// The reference's text form (vpdq/cpp/vpdq/cpp/io/vpdqio.cpp), one line per frame:
//   frame_number,quality,pdq_hex,timestamp_seconds
// e.g. "3,100,c0f00b78...,0.100": decimal integers, 64 lowercase hex digits, and the
// timestamp with exactly three decimals; every line ends with '\n'.
std::string FormatVpdq(const VpdqHash& hash);

// Parses that form. Stricter than the reference (which ignores extra fields and trailing
// garbage): each line must have exactly four fields; frame_number a non-negative integer;
// quality an integer 0..100; the hash 64 hex digits (either case); the timestamp a
// non-negative decimal. '\r\n' line ends and a missing final '\n' are accepted; blank lines
// are not. Errors are kInvalidArgument "<name>:<line>: <what>"; a text with no frames is an
// error too (as in the reference: a hash with no frame can match nothing).
Result<VpdqHash> ParseVpdq(std::string_view text, std::string_view name);

// How duplicate frames count towards the match percentages.
enum class VpdqDedupe {
  // Frames with the same PDQ hash count once (after the quality filter). What the
  // algorithm's README and Meta's Python matcher, which HMA uses, do.
  kExactHashes,
  // Every frame counts (the reference's C++ matchTwoHashBrute).
  kNone,
};

struct VpdqMatchOptions {
  // Two frames match when their Hamming distance is <= max_distance. This follows the
  // vPDQ README, Meta's Python matcher and PDQ's own rule (BRIEF.md: distance <= 31). The
  // reference's C++ (matchTwoHashBrute) compares `< distanceTolerance` and is called with
  // 31, i.e. it accepts 30 at most: set max_distance = 30 to reproduce it exactly.
  int max_distance = kPdqMatchDistance;
  // Frames of lower quality are dropped before matching, from both sides.
  int min_quality = kPdqMinQuality;
  // The verdict: query_percent >= query_threshold and target_percent >= target_threshold.
  double query_threshold_percent = 0;
  double target_threshold_percent = 80;
  VpdqDedupe dedupe = VpdqDedupe::kExactHashes;
};

struct VpdqMatchResult {
  // Share (0..100) of the query's frames (after the quality filter and dedupe: that is the
  // denominator) that have a frame of the target within max_distance; and the converse.
  // Both 0 when either side has no frame left after filtering.
  double query_percent = 0;
  double target_percent = 0;
  bool match = false;
};

// Brute force, O(|query| * |target|) distance computations at worst.
VpdqMatchResult VpdqMatch(const VpdqHash& query, const VpdqHash& target,
                          const VpdqMatchOptions& options = {});

}  // namespace vigil
