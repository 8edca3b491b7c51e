#include "content/vpdq_video.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

namespace vigil {

VpdqSampler::VpdqSampler(double seconds_per_hash, double frame_rate)
    : seconds_per_hash_(seconds_per_hash), frame_rate_(frame_rate) {
  // filehasher.cpp: static_cast<int>(secondsPerHash * frameRate), and 1 when that is 0.
  const double mod = seconds_per_hash * frame_rate;
  if (mod >= 1) frame_mod_ = mod < 9e18 ? static_cast<int64_t>(mod) : INT64_MAX;
}

bool VpdqSampler::Sample(const VideoFrame& frame) {
  if (frame_rate_ > 0) return frame.index % frame_mod_ == 0;
  // No frame rate: the first frame at or after each multiple of seconds_per_hash.
  if (frame.pts_seconds < next_time_) return false;
  next_time_ = seconds_per_hash_ > 0
                   ? (std::floor(frame.pts_seconds / seconds_per_hash_) + 1) * seconds_per_hash_
                   : 0;
  return true;
}

double VpdqSampler::Timestamp(const VideoFrame& frame) const {
  if (frame_rate_ <= 0) return frame.pts_seconds;
  // hasher.h hashFrame: static_cast<float>(frameNumber) / framerate, a float.
  const float rate = static_cast<float>(frame_rate_);
  return static_cast<double>(static_cast<float>(frame.index) / rate);
}

void TrimmedVpdqBuilder::AddFrame(const ImageView& frame, int64_t frame_number,
                                  double timestamp_seconds) {
  ++sampled_;
  if (std::optional<PixelRect> box = FindContentRect(frame)) {
    ++framed_;
    box_ = box;
  }
  if (!box_) return;  // no bar yet: the original frame's hash stands for this one
  if (first_ < 0) first_ = static_cast<int64_t>(sampled_ - 1);
  const PdqResult r = pdq_.Hash(SubView(frame, *box_), PdqMode::kFullResolution);
  frames_.push_back(VpdqFrame{frame_number, r.quality, r.hash, timestamp_seconds});
}

std::optional<VpdqHash> TrimmedVpdqBuilder::Finish(const VpdqHash& original) {
  if (framed_ * 2 <= sampled_ || first_ < 0 ||
      original.frames.size() != static_cast<size_t>(sampled_)) {
    return std::nullopt;
  }
  VpdqHash out;
  out.frames.assign(original.frames.begin(), original.frames.begin() + first_);
  out.frames.insert(out.frames.end(), frames_.begin(), frames_.end());
  frames_.clear();
  return out;
}

Result<VpdqVideo> HashVideoVpdq(VideoDecoder& decoder, const VpdqVideoOptions& options) {
  if (!(options.seconds_per_hash >= 0) || !std::isfinite(options.seconds_per_hash)) {
    return InvalidArgument("seconds_per_hash must be a finite number >= 0");
  }
  if (options.resize_width < 0 || options.resize_height < 0 ||
      (options.resize_width == 0) != (options.resize_height == 0)) {
    return InvalidArgument("resize must be WxH with both sides > 0, or 0x0 for none");
  }
  VpdqVideo video;
  video.info = decoder.info();
  VpdqSampler sampler(options.seconds_per_hash, video.info.frame_rate);
  VpdqHasher hasher;
  TrimmedVpdqBuilder trimmed;
  RgbFrame rgb;
  const ScaleFilter filter = options.resize_width > 0 ? options.resize_filter : ScaleFilter::kPoint;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(const bool got, decoder.NextFrame());
    if (!got) break;
    const VideoFrame& frame = decoder.frame();
    if (!sampler.Sample(frame)) continue;
    VIGIL_RETURN_IF_ERROR(decoder.ConvertFrame(options.resize_width, options.resize_height, filter,
                                               ScalePrecision::kExact, &rgb));
    const ImageView view{rgb.pixels.data(), rgb.width, rgb.height, 3, rgb.stride};
    hasher.AddFrame(view, frame.index, sampler.Timestamp(frame));
    if (options.trim == BorderTrim::kOn) trimmed.AddFrame(view, frame.index, sampler.Timestamp(frame));
  }
  video.hash = hasher.Finish();
  if (options.trim == BorderTrim::kOn) video.trimmed = trimmed.Finish(video.hash);
  video.frames_decoded = decoder.frames_decoded();
  video.completeness = decoder.completeness();
  video.damage = decoder.damage();
  return video;
}

}  // namespace vigil
