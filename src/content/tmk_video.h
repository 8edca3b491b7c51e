// HashVideoTmk: a video file -> TMK+PDQF features (hash/tmk.h), with the frames the
// reference hashes. The reference (facebook/ThreatExchange tmk/cpp/hashing/filehasher.cpp)
// pipes its frames from the ffmpeg command line:
//   ffmpeg -nostdin -i FILE -s 64:64 -an -f rawvideo -c:v rawvideo -pix_fmt rgb24 -r 15 -
// which (FFmpeg 5.1) scales each decoded frame with swscale's bicubic filter straight to
// 64x64 RGB24, and makes the 15 fps stream by ffmpeg's constant-frame-rate sync: each
// decoded frame is dropped, kept, or repeated by how far its timestamp is from the next
// output slot. Cli15FpsResampler restates that rule; only frames it keeps are converted.
//
// Known limits of the restatement (none occurs in the reference's sample videos, whose
// features match bit for bit):
//  - the frame rate is VideoInfo::frame_rate (average, else r_frame_rate) where ffmpeg
//    uses av_guess_frame_rate, and each packet's duration is taken as 1 / that rate; both
//    agree for ordinary constant-rate files (variable-rate test clips also matched);
//  - when ffmpeg repeats a frame it had dropped (a timestamp gap of over 2.2 output frames
//    right after a drop, variable-rate files only), the last kept frame is repeated;
//  - colour: the frame is converted with swscale's defaults (BT.601 limited range);
//    ffmpeg's scale filter would honour a BT.709 or full-range tag.
#pragma once

#include <cstdint>

#include "hash/tmk.h"
#include "media/video_decoder.h"
#include "util/status.h"

namespace vigil {

// ffmpeg's constant-frame-rate sync at 15 fps (fftools do_video_out, CFR mode), fed one
// decoded frame at a time. Times are in output frames (1/15 s).
class Cli15FpsResampler {
 public:
  // How the frame just offered lands on the output: first `repeat_previous` copies of the
  // previous frame, then `emit` - `repeat_previous` copies of this one (0 = dropped).
  struct Decision {
    int repeat_previous = 0;
    int emit = 0;
  };

  // `frame_rate`: the stream's frame rate (0 when unknown).
  explicit Cli15FpsResampler(double frame_rate);

  // `pts` in `time_base_num / time_base_den` seconds, counted from the file's start time
  // (VideoInfo::file_start_seconds), as ffmpeg counts it.
  Decision Offer(int64_t pts, int time_base_num, int time_base_den);
  // At the end of the stream: how many more copies of the last frame ffmpeg writes.
  int Flush() const;
  int64_t frames_out() const { return next_slot_; }

 private:
  double duration_ = 0;  // of one input frame, in output frames
  int64_t next_slot_ = 0;
  int recent_repeats_[3] = {0, 0, 0};  // the last three repeat_previous values
};

struct TmkVideoOptions {
  // Most 15 fps output frames one video may produce (a timestamp jump cannot make the
  // hasher spin): 3 hours by default.
  int64_t max_output_frames = 15 * 3 * 3600;
};

// Decodes `decoder` to its end and returns the features of its 15 fps, 64x64 frames.
// Errors: the decoder's, kCorrupt when no frame reaches the output, kLimitExceeded past
// max_output_frames. A partial stream (decoder.completeness()) still gives features.
Result<TmkFeatures> HashVideoTmk(VideoDecoder& decoder, const TmkVideoOptions& options = {});

}  // namespace vigil
