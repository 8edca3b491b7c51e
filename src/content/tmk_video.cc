// The reference's frame pipeline in process; see tmk_video.h for what it reproduces.
#include "content/tmk_video.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace vigil {
namespace {

// ffmpeg's encoder time base for -r 15 is 1/15; it rescales frame timestamps into it with
// 16 extra bits (29 - log2(15) = 26, clipped to 16), av_rescale_q's rounding (to nearest,
// halves away from zero), and nudges the result off exact midpoints by 2^-17.
double SyncPts(int64_t pts, int tb_num, int tb_den) {
  constexpr int kExtraBits = 16;
  const __int128 num = static_cast<__int128>(pts) * tb_num * (int64_t{15} << kExtraBits);
  const __int128 den = tb_den;
  const __int128 half = den / 2;
  const __int128 q = num >= 0 ? (num + half) / den : -((-num + half) / den);
  double t = static_cast<double>(q);
  t /= 1 << kExtraBits;
  if (t > 0) t += 1.0 / (1 << 17);
  if (t < 0) t -= 1.0 / (1 << 17);
  return t;
}

// av_rescale_q(us, 1/1000000, num/den): to nearest, halves away from zero.
int64_t RescaleMicroseconds(int64_t us, int num, int den) {
  const __int128 n = static_cast<__int128>(us) * den;
  const __int128 d = static_cast<__int128>(1000000) * num;
  const __int128 q = n >= 0 ? (n + d / 2) / d : -((-n + d / 2) / d);
  return static_cast<int64_t>(q);
}

int MedianOf3(const int v[3]) {
  return std::max(std::min(v[0], v[1]), std::min(std::max(v[0], v[1]), v[2]));
}

}  // namespace

// The input frame's duration in output frames: 15 / frame rate, at most one output frame,
// unless the packet's own duration rounds (lrintf) to a positive number of output frames,
// which then wins (as in ffmpeg 5.1 when no filter was given with -vf).
Cli15FpsResampler::Cli15FpsResampler(double frame_rate) {
  if (frame_rate > 0) {
    duration_ = std::min(15.0 / frame_rate, 1.0);
    const long packet = std::lrintf(static_cast<float>(15.0 / frame_rate));
    if (packet > 0) duration_ = static_cast<double>(packet);
  }
}

Cli15FpsResampler::Decision Cli15FpsResampler::Offer(int64_t pts, int tb_num, int tb_den) {
  double duration = duration_;
  double delta0 = SyncPts(pts, tb_num, tb_den) - static_cast<double>(next_slot_);
  const double delta = delta0 + duration;
  Decision d{0, 1};
  if (delta0 < 0 && delta > 0) {  // the frame started before its slot: clip it
    duration += delta0;
    delta0 = 0;
  }
  if (delta < -1.1) {
    d.emit = 0;
  } else if (delta > 1.1) {
    // Clamped so a wild timestamp cannot overflow; HashVideoTmk's frame limit stops it.
    constexpr double kMaxRun = 1 << 30;
    d.emit = static_cast<int>(std::llrint(std::min(delta, kMaxRun)));
    if (delta0 > 1.1) {
      d.repeat_previous = static_cast<int>(std::llrint(std::min(delta0 - 0.6, kMaxRun)));
    }
  }
  d.repeat_previous = std::min(d.repeat_previous, d.emit);
  recent_repeats_[2] = recent_repeats_[1];
  recent_repeats_[1] = recent_repeats_[0];
  recent_repeats_[0] = d.repeat_previous;
  next_slot_ += d.emit;
  return d;
}

int Cli15FpsResampler::Flush() const { return MedianOf3(recent_repeats_); }

namespace {

// Feeds `copies` of the current 64x64 frame to the hasher; the frame is converted once,
// on first need.
class SlotWriter {
 public:
  SlotWriter(VideoDecoder& decoder, TmkHasher& hasher) : decoder_(decoder), hasher_(hasher) {}

  // Adds the last converted frame `copies` times (a repeat of the previous frame).
  Status RepeatLast(int copies) {
    for (int i = 0; i < copies && have_frame_; ++i) VIGIL_RETURN_IF_ERROR(Add());
    return Status::Ok();
  }
  Status AddCurrent(int copies) {
    if (copies <= 0) return Status::Ok();
    VIGIL_RETURN_IF_ERROR(decoder_.ConvertFrame(kTmkFrameSide, kTmkFrameSide,
                                                ScaleFilter::kBicubic, &image_));
    have_frame_ = true;
    for (int i = 0; i < copies; ++i) VIGIL_RETURN_IF_ERROR(Add());
    return Status::Ok();
  }

 private:
  Status Add() {
    const ImageView view{image_.pixels.data(), image_.width, image_.height, 3, image_.stride};
    return hasher_.AddFrame(view);
  }

  VideoDecoder& decoder_;
  TmkHasher& hasher_;
  RgbFrame image_;
  bool have_frame_ = false;
};

}  // namespace

Result<TmkFeatures> HashVideoTmk(VideoDecoder& decoder, const TmkVideoOptions& options) {
  const VideoInfo& info = decoder.info();
  Cli15FpsResampler resampler(info.frame_rate);
  TmkHasher hasher;
  SlotWriter writer(decoder, hasher);
  // ffmpeg counts time from the file's start (the earliest stream's): it adds
  // -start, rescaled from microseconds to the stream's time base, to every timestamp.
  int64_t shift = 0;
  if (info.time_base_num > 0 && info.time_base_den > 0) {
    shift = RescaleMicroseconds(-std::llround(info.file_start_seconds * 1e6), info.time_base_num,
                                info.time_base_den);
  }
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(const bool more, decoder.NextFrame());
    if (!more) break;
    const VideoFrame& frame = decoder.frame();
    int64_t pts = frame.index;
    int tb_num = info.frame_rate_den, tb_den = info.frame_rate_num;
    if (frame.has_pts && info.time_base_num > 0 && info.time_base_den > 0) {
      pts = frame.pts + shift;
      tb_num = info.time_base_num;
      tb_den = info.time_base_den;
    } else if (tb_num <= 0 || tb_den <= 0) {
      tb_num = 1;  // no timestamps and no rate: take 15 fps, one slot per frame
      tb_den = kTmkFramesPerSecond;
    }
    const auto decision = resampler.Offer(pts, tb_num, tb_den);
    if (resampler.frames_out() > options.max_output_frames) {
      return LimitExceeded(decoder.name() + ": TMK resampling would give more than " +
                           std::to_string(options.max_output_frames) + " frames at 15 fps");
    }
    VIGIL_RETURN_IF_ERROR(writer.RepeatLast(decision.repeat_previous));
    VIGIL_RETURN_IF_ERROR(writer.AddCurrent(decision.emit - decision.repeat_previous));
  }
  VIGIL_RETURN_IF_ERROR(writer.RepeatLast(resampler.Flush()));
  if (hasher.frame_count() == 0) {
    return Corrupt(decoder.name() + ": no frame reached TMK's 15 fps output");
  }
  return hasher.Finish();
}

}  // namespace vigil
