// HashVideoVpdq: decoded video frames -> vPDQ hash (hash/vpdq.h), sampling and timing
// frames as the reference does (facebook/ThreatExchange vpdq/cpp/vpdq/cpp/hashing/
// filehasher.cpp and hasher.h):
//  - frame k (the decoder's output order) is hashed when k % m == 0, where
//    m = (int)(seconds_per_hash * frame_rate), or 1 when that is 0 (seconds_per_hash 0:
//    every frame); frame_rate is VideoInfo::frame_rate (average, else r_frame_rate);
//  - its timestamp is (float)k / (float)frame_rate, in float arithmetic as the reference;
//  - its pixels are swscale's conversion to RGB24, then PDQ at full resolution (no 512
//    pre-resize). At the frame's own size vigil converts with SWS_POINT (each chroma sample
//    repeated, as swscale's unscaled converter that the reference gets does) in
//    ScalePrecision::kExact, which equals swscale's C converter, so hashes are the same on
//    every CPU. (The reference passes SWS_AREA, which the unscaled converter ignores, and
//    gets the CPU's rounding: x86's SIMD converter moves a frame's hash by up to ~20 bits
//    on low-contrast frames.) With a resize the frame is scaled straight to
//    resize_width x resize_height with `resize_filter`, also kExact.
//    The reference's -128x128 sample outputs (tests/data/video/vpdq-expected) were made
//    with SWS_LANCZOS (ThreatExchange ad84a898, July 2023), which vigil's default
//    reproduces; the reference's code has used SWS_AREA since (c1dcb018): pass kArea to
//    follow it (2-3 bits from the samples on average, up to 16 on a frame).
// Frames that are not sampled are decoded but never converted. A stream with no known
// frame rate (the reference refuses it) is sampled by timestamp instead: a frame is hashed
// when its pts reaches the next multiple of seconds_per_hash, and stamped with its pts.
//
// With BorderTrim::kOn a second hash, `trimmed`, is made from the same decoded frames with
// their border or letterbox cut off (hash/border_trim.h), as an extra query hash for
// framed re-uploads. Each sampled frame is cut to its own content box, or, when no bar is
// found in it (a dark scene or a fade blends into black bars), to the last box found: a
// letterbox does not move, and keeping it keeps the frames comparable. Frames before the
// first box are their own trimmed frames (the original frame's hash is reused). The
// trimmed hash is kept only when more than half the sampled frames had a box of their
// own; a video with a few dark frames is not a letterboxed video. The original hash is
// the same with or without it. (TMK+PDQF gets no trimmed variant.)
//
// Thread-safety: none; one call per decoder, on one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hash/border_trim.h"
#include "hash/vpdq.h"
#include "media/video_decoder.h"
#include "util/status.h"

namespace vigil {

struct VpdqVideoOptions {
  double seconds_per_hash = 1;  // Meta's tooling and HMA use 1; 0 hashes every frame
  int resize_width = 0;         // both 0: hash frames at their own size
  int resize_height = 0;
  ScaleFilter resize_filter = ScaleFilter::kLanczos;  // see the file comment
  BorderTrim trim = BorderTrim::kOff;  // kOn: also make VpdqVideo::trimmed
};

struct VpdqVideo {
  VpdqHash hash;
  // With BorderTrim::kOn, when most sampled frames had a border: the hash of the frames
  // with it cut off (file comment); frame numbers and timestamps are the original's.
  std::optional<VpdqHash> trimmed;
  VideoInfo info;
  int64_t frames_decoded = 0;
  // kPartial when the stream was damaged or cut short: the hash covers only the frames
  // that decoded, and `damage` says what went wrong. Callers must not treat a partial hash
  // as the whole video's (e.g. when adding it to a bank).
  Completeness completeness = Completeness::kComplete;
  std::string damage;
};

// Which decoded frames HashVideoVpdq hashes, and the timestamp each gets (file comment).
class VpdqSampler {
 public:
  // `frame_rate`: VideoInfo::frame_rate (0 when unknown).
  VpdqSampler(double seconds_per_hash, double frame_rate);
  // Called once per decoded frame, in order.
  bool Sample(const VideoFrame& frame);
  double Timestamp(const VideoFrame& frame) const;
  int64_t frame_mod() const { return frame_mod_; }

 private:
  double seconds_per_hash_;
  double frame_rate_;
  int64_t frame_mod_ = 1;
  double next_time_ = 0;
};

// Builds VpdqVideo::trimmed beside the original hash, one sampled frame at a time, by the
// rule of the file comment. HashVideoVpdq uses one; exposed for tests.
class TrimmedVpdqBuilder {
 public:
  // Called for every sampled frame, with the pixels and numbers the original hash got.
  void AddFrame(const ImageView& frame, int64_t frame_number, double timestamp_seconds);
  // The trimmed hash, given the original one made from the same frames; nullopt unless
  // more than half the frames had a box of their own. Leaves the builder spent.
  std::optional<VpdqHash> Finish(const VpdqHash& original);

 private:
  PdqHasher pdq_;
  std::optional<PixelRect> box_;  // the last content box found
  uint64_t sampled_ = 0, framed_ = 0;
  int64_t first_ = -1;             // index of the first sampled frame cut to a box
  std::vector<VpdqFrame> frames_;  // from first_ on
};

// Decodes `decoder` to its end. Errors: kInvalidArgument (bad options), the decoder's
// (limits, kCorrupt when no frame decodes), kInternal.
Result<VpdqVideo> HashVideoVpdq(VideoDecoder& decoder, const VpdqVideoOptions& options = {});

}  // namespace vigil
