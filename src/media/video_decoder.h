// VideoDecoder: untrusted video bytes -> decoded frames, one at a time, through FFmpeg's
// libavformat/libavcodec/libswscale, under byte, resolution, duration, frame-count and
// wall-time limits. Hashers (vPDQ, TMK) pull frames with NextFrame() and ask for pixels only
// for the frames they sample (ConvertFrame), so frames they skip cost a decode but no
// colour conversion.
//
// Formats (containers FFmpeg is allowed to open; anything else is kUnsupported): MP4/MOV/3GP,
// Matroska/WebM, AVI, GIF, FLV, MPEG-TS, MPEG-PS, ASF/WMV, Ogg. Playlist and
// reference formats (HLS, concat, image sequences, ...) are never opened, and no demuxer may
// open a second file or URL: the input is only the bytes given.
//
// Stream: the first video stream that is not a cover picture; its decoder must be on an
// allow-list of common video codecs (H.264, HEVC, VP8/9, AV1, MPEG-1/2/4, ...); every other
// stream is discarded unread. Memory is bounded by the pixel limit (FFmpeg's decoders are
// given it as max_pixels, so a header cannot make them allocate past it) and by a 1 GiB cap
// on any single FFmpeg allocation.
//
// Frame numbering follows the vPDQ reference (facebook/ThreatExchange
// vpdq/cpp/vpdq/cpp/hashing/filehasher.cpp): frame k is the k-th frame the decoder outputs
// (0-based, presentation order), whatever its timestamp. So every frame is decoded, even
// those no hasher samples: letting the decoder drop non-reference frames (skip_frame
// AVDISCARD_NONREF, ~20% less decoding on an x264 720p file at 1 s sampling) would change
// which frames come out, and their numbers would have to be rebuilt from packet timestamps,
// which is not exact under FFmpeg's reorder heuristics, edit lists or decode errors.
//
// Damage: a stream that is cut short or partly corrupt still yields the frames that decode;
// when NextFrame() reports the end, completeness() says kPartial and damage() says why.
// A stream of which no frame decodes is an error (kCorrupt), never an empty result.
//
// Thread-safety: InitVideo() may be called from any thread, any number of times. A
// VideoDecoder is used by one thread at a time. Decoding runs on the calling thread only
// (FFmpeg threading off: vigil parallelises by file).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace vigil {

struct VideoLimits {
  uint64_t max_bytes = 4ull << 30;         // checked first, before FFmpeg sees the bytes
  int max_side = 8192;                     // width and height, each
  uint64_t max_pixels = 8192ull * 4352;    // width * height (8K UHD is 7680x4320)
  double max_duration_seconds = 3 * 3600;  // from the header, and again as frames arrive
  int64_t max_frames = 1'000'000;          // from the header, and again as frames arrive
  double max_seconds = 1800;               // wall time from Open to the last frame
};

// What the container and the codec say, after the limits were checked.
struct VideoInfo {
  std::string container;      // FFmpeg's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  std::string codec;          // FFmpeg's decoder name, e.g. "h264"
  int width = 0, height = 0;  // the stream's size (frames may change size; see VideoFrame)
  // The vPDQ reference's frame rate: the stream's average frame rate, or its r_frame_rate
  // when the average is unknown; 0 when neither is known.
  double frame_rate = 0;
  int frame_rate_num = 0, frame_rate_den = 1;
  double duration_seconds = 0;     // 0 when the header does not say
  int64_t header_frame_count = 0;  // the container's frame count; 0 when it does not say
  // The stream's time base (seconds per pts unit = num / den).
  int time_base_num = 0, time_base_den = 1;
  // The stream's first timestamp (time-base units; 0 when unknown): VideoFrame::pts_seconds
  // counts from here.
  int64_t stream_start_pts = 0;
  // The container's start time in seconds: the earliest start of all its streams (0 when
  // unknown). The ffmpeg command line counts every frame's time from here.
  double file_start_seconds = 0;
};

// The frame NextFrame() last produced.
struct VideoFrame {
  int64_t index = -1;         // 0-based output order (file comment)
  int width = 0, height = 0;  // decoded size
  // Presentation time: FFmpeg's best-effort timestamp in time-base units (as in the file),
  // and in seconds from the stream's start time (VideoInfo::stream_start_pts). has_pts is false
  // when the stream carries no timestamps (then pts is 0 and pts_seconds is index / frame_rate, or
  // 0 if that is unknown).
  bool has_pts = false;
  int64_t pts = 0;
  double pts_seconds = 0;
  bool key_frame = false;
};

// swscale's resampling filters, for ConvertFrame. Only the names vigil's hashers need. At
// the frame's own size the filter only shapes the chroma upsampling (kPoint repeats each
// chroma sample, as swscale's fast unscaled YUV->RGB converters do).
enum class ScaleFilter {
  kArea,      // SWS_AREA: the vPDQ reference's choice since 2023 (ffmpegwrapper.h)
  kBicubic,   // SWS_BICUBIC: the ffmpeg command line's default (TMK's reference pipes it)
  kBilinear,  // SWS_BILINEAR
  kPoint,     // SWS_POINT: nearest neighbour
  kLanczos,   // SWS_LANCZOS: the vPDQ reference's choice when its 128x128 samples were made
};

// How swscale rounds.
enum class ScalePrecision {
  // swscale's defaults: its SIMD code (x86 SSSE3/AVX2 YUV->RGB, ...) rounds differently
  // from its C code, so the bytes depend on the CPU. What FFmpeg-based tools usually get.
  kFast,
  // SWS_ACCURATE_RND | SWS_BITEXACT: the same bytes on every CPU, slower (the fast
  // unscaled converters are bypassed).
  kExact,
};

enum class Completeness { kComplete, kPartial };

// 8-bit interleaved RGB. Rows are `stride` bytes apart (stride >= 3 * width, padded so
// swscale's vector code may write past a row's end); pixels holds at least
// stride * height bytes.
struct RgbFrame {
  int width = 0, height = 0;
  size_t stride = 0;
  std::vector<uint8_t> pixels;
};

// Configures FFmpeg once per process (later calls return the first call's result): its
// log is kept off stderr, and error-level lines are kept for the messages of the decoder
// that caused them; single allocations are capped. Open() calls it.
Status InitVideo();

class VideoDecoder {
 public:
  // Opens the file at `path`. Errors: kNotFound / kIoError (cannot open or read),
  // kLimitExceeded (bytes, size, duration, frame count from the header, wall time),
  // kCorrupt (empty, or a known container whose header is broken or cut short),
  // kUnsupported (not a video, a container or codec vigil does not read, no video stream),
  // kInternal (unexpected FFmpeg failure). Messages start with `path`.
  static Result<std::unique_ptr<VideoDecoder>> OpenFile(const std::string& path,
                                                        const VideoLimits& limits = {});
  // The same for bytes in memory (an HTTP upload); `bytes` must outlive the decoder, and
  // `name` only labels messages.
  static Result<std::unique_ptr<VideoDecoder>> OpenBytes(std::span<const uint8_t> bytes,
                                                         std::string_view name,
                                                         const VideoLimits& limits = {});
  ~VideoDecoder();
  VideoDecoder(const VideoDecoder&) = delete;
  VideoDecoder& operator=(const VideoDecoder&) = delete;

  const VideoInfo& info() const;
  const VideoLimits& limits() const;
  const std::string& name() const;

  // Decodes the next frame. true: frame() describes it and ConvertFrame() may be called;
  // false: the stream ended (see completeness()). Errors: kLimitExceeded (frames, duration,
  // size, wall time), kCorrupt (no frame at all could be decoded), kInternal. After an error
  // or the end, further calls return the same.
  Result<bool> NextFrame();
  const VideoFrame& frame() const;

  // The current frame as 8-bit interleaved RGB scaled to `width` x `height` (0, 0: its own
  // size) with `filter`, as sws_scale does it with no colour-space overrides (what the vPDQ
  // reference does). `out`'s buffer is reused. Errors: kInvalidArgument (no current frame,
  // a bad size), kInternal (swscale refused).
  Status ConvertFrame(int width, int height, ScaleFilter filter, ScalePrecision precision,
                      RgbFrame* out);
  // The same with ScalePrecision::kFast.
  Status ConvertFrame(int width, int height, ScaleFilter filter, RgbFrame* out) {
    return ConvertFrame(width, height, filter, ScalePrecision::kFast, out);
  }

  // After NextFrame() returned false: kPartial when packets were cut short, rejected by the
  // decoder or the demuxer failed before the end; damage() then says what, in words.
  Completeness completeness() const;
  const std::string& damage() const;
  int64_t frames_decoded() const;

  struct Impl;

 private:
  explicit VideoDecoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil
