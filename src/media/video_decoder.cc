// FFmpeg behind VideoDecoder. The open sequence (probe, allow-list, header limits, stream
// info, decoder) refuses what it can before any frame is decoded; the decode loop follows
// the vPDQ reference's (filehasher.cpp: av_read_frame -> avcodec_send_packet ->
// avcodec_receive_frame until EAGAIN, then a flush), except that damage is counted and
// skipped rather than fatal.
#include "media/video_decoder.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "media/ffmpeg_support.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avstring.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

namespace vigil {
namespace {

using ffmpeg::ByteSource;
using ffmpeg::Clock;
using ffmpeg::ErrorText;
using ffmpeg::LogCapture;
using ffmpeg::LogLines;

// Demuxers vigil lets FFmpeg use (AVInputFormat names; a name matches any of the
// comma-separated names of a demuxer). No playlists, no image sequences, no raw streams.
constexpr const char* kAllowedFormats =
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,gif,flv,mpegts,mpeg,asf,ogg";
constexpr const char* kFormatNames = "MP4/MOV, WebM/MKV, AVI, GIF, FLV, MPEG-TS/PS, ASF/WMV, Ogg";

// Decoders vigil lets FFmpeg use: the video codecs found in the allowed containers. Fewer
// decoders is less attack surface for untrusted uploads.
constexpr const char* kAllowedDecoders[] = {
    "h264",      "hevc",       "vp8",        "vp9",    "av1",        "libdav1d", "libaom-av1",
    "mpeg4",     "mpeg1video", "mpeg2video", "mjpeg",  "h263",       "h263p",    "flv",
    "gif",       "wmv1",       "wmv2",       "wmv3",   "vc1",        "theora",   "msmpeg4v1",
    "msmpeg4v2", "msmpeg4",    "vp6",        "vp6f",   "vp6a",       "prores",   "dnxhd",
    "ffv1",      "png",        "rawvideo",   "libvpx", "libvpx-vp9",
};

// After this many consecutive decoder errors without a frame the stream is given up on:
// a decoder that only fails would otherwise be fed the whole file.
constexpr int kMaxConsecutiveErrors = 1000;

bool DecoderAllowed(const char* name) {
  for (const char* allowed : kAllowedDecoders) {
    if (std::string_view(name) == allowed) return true;
  }
  return false;
}

bool FormatAllowed(const char* names) { return av_match_list(names, kAllowedFormats, ',') > 0; }

std::string Seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", s);
  return text;
}

// "MP4/MOV" for "mov,mp4,m4a,3gp,3g2,mj2": names an allowed demuxer in messages.
std::string FormatLabel(const char* demuxer) {
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
      {"mov", "MP4/MOV"}, {"matroska", "Matroska/WebM"}, {"avi", "AVI"},      {"gif", "GIF"},
      {"flv", "FLV"},     {"mpegts", "MPEG-TS"},         {"mpeg", "MPEG-PS"}, {"asf", "ASF/WMV"},
      {"ogg", "Ogg"},
  };
  const std::string_view name(demuxer);
  const std::string_view first = name.substr(0, name.find(','));
  for (const auto& [key, label] : kLabels) {
    if (first == key) return std::string(label);
  }
  return std::string(name);
}

bool LooksLikeText(const std::vector<uint8_t>& head) {
  if (head.empty()) return false;
  for (uint8_t c : head) {
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return false;
  }
  return true;
}

int RefuseNestedOpen(AVFormatContext*, AVIOContext**, const char*, int, AVDictionary**) {
  return AVERROR(EPERM);
}

int SwsFlags(ScaleFilter filter, ScalePrecision precision) {
  const int exact = precision == ScalePrecision::kExact ? SWS_ACCURATE_RND | SWS_BITEXACT : 0;
  switch (filter) {
    case ScaleFilter::kArea:
      return SWS_AREA | exact;
    case ScaleFilter::kBicubic:
      return SWS_BICUBIC | exact;
    case ScaleFilter::kBilinear:
      return SWS_BILINEAR | exact;
    case ScaleFilter::kPoint:
      return SWS_POINT | exact;
    case ScaleFilter::kLanczos:
      return SWS_LANCZOS | exact;
  }
  return SWS_AREA | exact;
}

double ToSeconds(int64_t ts, AVRational tb) { return static_cast<double>(ts) * tb.num / tb.den; }

}  // namespace

struct VideoDecoder::Impl {
  std::string name;
  VideoLimits limits;
  VideoInfo info;
  ByteSource source;
  LogLines log;

  AVIOContext* avio = nullptr;
  AVFormatContext* format = nullptr;
  AVCodecContext* codec = nullptr;
  AVStream* stream = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  SwsContext* sws = nullptr;

  enum class State { kDecoding, kDraining, kEnded, kFailed };
  State state = State::kDecoding;
  Status failure;
  bool have_frame = false;
  bool packet_pending = false;
  VideoFrame current;
  int64_t decoded = 0;
  int consecutive_errors = 0;

  // Damage, summed up in damage() at the end.
  int64_t short_packets = 0, rejected_packets = 0, damaged_frames = 0, frame_errors = 0;
  std::string demux_error, first_decoder_error;
  std::string damage;

  ~Impl() {
    sws_freeContext(sws);
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&codec);
    avformat_close_input(&format);  // custom I/O: leaves avio to us
    ByteSource::FreeAvio(&avio);
  }

  Status Open();
  Status Probe(const AVInputFormat** input_format);
  Status OpenContainer(const AVInputFormat* input_format);
  Status ChooseStream();
  Status CheckHeaderLimits();
  Status FindStreamInfo();
  Status OpenCodec();
  void FillInfo();

  Result<bool> Next();
  Result<bool> Fail(Status status);
  Status TimeLimit() const;
  Status FeedPacket();
  Status AcceptFrame();
  Result<bool> Finish();
  std::string Damage() const;
};

Status VideoDecoder::Impl::TimeLimit() const {
  return LimitExceeded(name + ": decoding took longer than the " + Seconds(limits.max_seconds) +
                       " s limit");
}

Status VideoDecoder::Impl::Open() {
  VIGIL_RETURN_IF_ERROR(InitVideo());
  if (source.size() == 0) return Corrupt(name + ": empty file (0 bytes)");
  if (static_cast<uint64_t>(source.size()) > limits.max_bytes) {
    return LimitExceeded(name + ": file is " + std::to_string(source.size()) +
                         " bytes, over the limit of " + std::to_string(limits.max_bytes) +
                         " bytes");
  }
  source.set_deadline(Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(limits.max_seconds)));
  avio = source.NewAvio();
  if (avio == nullptr) return Internal(name + ": cannot allocate FFmpeg I/O");
  const AVInputFormat* input_format = nullptr;
  VIGIL_RETURN_IF_ERROR(Probe(&input_format));
  VIGIL_RETURN_IF_ERROR(OpenContainer(input_format));
  VIGIL_RETURN_IF_ERROR(ChooseStream());
  VIGIL_RETURN_IF_ERROR(CheckHeaderLimits());
  VIGIL_RETURN_IF_ERROR(FindStreamInfo());
  VIGIL_RETURN_IF_ERROR(CheckHeaderLimits());
  VIGIL_RETURN_IF_ERROR(OpenCodec());
  FillInfo();
  frame = av_frame_alloc();
  packet = av_packet_alloc();
  if (frame == nullptr || packet == nullptr) return Internal(name + ": out of memory");
  return Status::Ok();
}

// Which demuxer FFmpeg would use, from the bytes alone (no file name: an extension never
// changes the verdict), and whether vigil allows it.
Status VideoDecoder::Impl::Probe(const AVInputFormat** input_format) {
  const int score = av_probe_input_buffer2(avio, input_format, "", nullptr, 0, 0);
  if (source.timed_out()) return TimeLimit();
  if (score < 0 || *input_format == nullptr) {
    if (LooksLikeText(source.Head(512))) {
      return Unsupported(name + ": not a video: the bytes are text");
    }
    return Unsupported(name + ": not a video format vigil reads (" + kFormatNames + ")");
  }
  const AVInputFormat* fmt = *input_format;
  if (std::string_view(fmt->name).ends_with("_pipe")) {  // jpeg_pipe, png_pipe, ...
    return Unsupported(name + ": not a video: the bytes are an image (FFmpeg sees " + fmt->name +
                       ")");
  }
  if (!FormatAllowed(fmt->name)) {
    const std::string what = fmt->long_name != nullptr ? fmt->long_name : fmt->name;
    return Unsupported(name + ": not a video format vigil reads: FFmpeg sees " + what + " (" +
                       fmt->name + "); vigil reads " + kFormatNames);
  }
  return Status::Ok();
}

Status VideoDecoder::Impl::OpenContainer(const AVInputFormat* input_format) {
  format = avformat_alloc_context();
  if (format == nullptr) return Internal(name + ": out of memory");
  format->pb = avio;
  format->flags |= AVFMT_FLAG_CUSTOM_IO;
  format->interrupt_callback = {&ByteSource::InterruptCallback, &source};
  format->io_open = &RefuseNestedOpen;
  format->format_whitelist = av_strdup(kAllowedFormats);
  const int rc = avformat_open_input(&format, "", input_format, nullptr);
  if (rc < 0) {  // `format` was freed
    if (source.timed_out()) return TimeLimit();
    if (!source.io_error().empty()) return IoError(name + ": read failed: " + source.io_error());
    return Corrupt(name + ": corrupt or truncated " + FormatLabel(input_format->name) +
                   " header: " + ErrorText(rc) + ffmpeg::WithLog(log));
  }
  return Status::Ok();
}

// The first video stream that is not a cover picture; every other stream is discarded so
// the demuxer skips its packets.
Status VideoDecoder::Impl::ChooseStream() {
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    AVStream* st = format->streams[i];
    const bool video = st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
                       (st->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0;
    if (video && stream == nullptr) {
      stream = st;
    } else {
      st->discard = AVDISCARD_ALL;
    }
  }
  if (stream == nullptr) return Unsupported(name + ": no video stream");
  return Status::Ok();
}

Status VideoDecoder::Impl::CheckHeaderLimits() {
  const AVCodecParameters* par = stream->codecpar;
  const uint64_t w = std::max(par->width, 0), h = std::max(par->height, 0);
  const std::string size = std::to_string(w) + "x" + std::to_string(h);
  if (w > static_cast<uint64_t>(limits.max_side) || h > static_cast<uint64_t>(limits.max_side)) {
    return LimitExceeded(name + ": " + size + " has a side over the " +
                         std::to_string(limits.max_side) + "-pixel limit");
  }
  if (w * h > limits.max_pixels) {
    return LimitExceeded(name + ": " + size + " is " + std::to_string(w * h) +
                         " pixels, over the " + std::to_string(limits.max_pixels) + "-pixel limit");
  }
  double duration = 0;
  if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0) {
    duration = ToSeconds(stream->duration, stream->time_base);
  } else if (format->duration != AV_NOPTS_VALUE && format->duration > 0) {
    duration = static_cast<double>(format->duration) / AV_TIME_BASE;
  }
  if (duration > limits.max_duration_seconds) {
    return LimitExceeded(name + ": the header gives a duration of " + Seconds(duration) +
                         " s, over the " + Seconds(limits.max_duration_seconds) + " s limit");
  }
  if (stream->nb_frames > limits.max_frames) {
    return LimitExceeded(name + ": the header gives " + std::to_string(stream->nb_frames) +
                         " frames, over the limit of " + std::to_string(limits.max_frames));
  }
  info.duration_seconds = duration;
  return Status::Ok();
}

// Lets FFmpeg fill in what the header left out (it may decode a few frames to do so), with
// the decoder already on one thread and under the pixel limit.
Status VideoDecoder::Impl::FindStreamInfo() {
  const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
  if (decoder == nullptr || !DecoderAllowed(decoder->name)) {
    return Unsupported(name + ": video codec " + avcodec_get_name(stream->codecpar->codec_id) +
                       " is not supported");
  }
  // Per stream: one thread, the pixel limit, and only allowed decoders for ours (none for
  // the discarded streams, which FFmpeg would otherwise open to probe).
  std::string allowed;
  for (const char* name : kAllowedDecoders)
    allowed += std::string(allowed.empty() ? "" : ",") + name;
  std::vector<AVDictionary*> options(format->nb_streams, nullptr);
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    AVDictionary*& dict = options[i];
    av_dict_set(&dict, "threads", "1", 0);
    av_dict_set_int(&dict, "max_pixels", static_cast<int64_t>(limits.max_pixels), 0);
    av_dict_set(&dict, "codec_whitelist",
                static_cast<int>(i) == stream->index ? allowed.c_str() : "none", 0);
  }
  const int rc = avformat_find_stream_info(format, options.data());
  for (AVDictionary*& dict : options) av_dict_free(&dict);
  if (source.timed_out()) return TimeLimit();
  if (rc < 0) {
    return Corrupt(name + ": cannot read the stream parameters: " + ErrorText(rc) +
                   ffmpeg::WithLog(log));
  }
  if (stream->codecpar->width <= 0 || stream->codecpar->height <= 0) {
    return Corrupt(name + ": the video stream gives no frame size" + ffmpeg::WithLog(log));
  }
  return Status::Ok();
}

Status VideoDecoder::Impl::OpenCodec() {
  const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
  if (decoder == nullptr || !DecoderAllowed(decoder->name)) {
    return Unsupported(name + ": video codec " + avcodec_get_name(stream->codecpar->codec_id) +
                       " is not supported");
  }
  codec = avcodec_alloc_context3(decoder);
  if (codec == nullptr) return Internal(name + ": out of memory");
  if (avcodec_parameters_to_context(codec, stream->codecpar) < 0) {
    return Internal(name + ": cannot copy the codec parameters");
  }
  codec->thread_count = 1;  // vigil parallelises by file
  codec->pkt_timebase = stream->time_base;
  av_opt_set_int(codec, "max_pixels", static_cast<int64_t>(limits.max_pixels), 0);
  const int rc = avcodec_open2(codec, decoder, nullptr);
  if (rc < 0) {
    return Corrupt(name + ": cannot open the " + decoder->name + " decoder: " + ErrorText(rc) +
                   ffmpeg::WithLog(log));
  }
  return Status::Ok();
}

void VideoDecoder::Impl::FillInfo() {
  info.container = format->iformat->name;
  info.codec = codec->codec->name;
  info.width = stream->codecpar->width;
  info.height = stream->codecpar->height;
  // The vPDQ reference's rule (ffmpegwrapper.cpp).
  AVRational rate = stream->avg_frame_rate;
  if (rate.num == 0 || rate.den == 0) rate = stream->r_frame_rate;
  if (rate.num > 0 && rate.den > 0) {
    info.frame_rate_num = rate.num;
    info.frame_rate_den = rate.den;
    info.frame_rate = static_cast<double>(rate.num) / static_cast<double>(rate.den);
  }
  info.header_frame_count = std::max<int64_t>(stream->nb_frames, 0);
  info.time_base_num = stream->time_base.num;
  info.time_base_den = stream->time_base.den;
  if (stream->start_time != AV_NOPTS_VALUE) info.stream_start_pts = stream->start_time;
  if (format->start_time != AV_NOPTS_VALUE) {
    info.file_start_seconds = static_cast<double>(format->start_time) / AV_TIME_BASE;
  }
}

Result<bool> VideoDecoder::Impl::Fail(Status status) {
  state = State::kFailed;
  failure = std::move(status);
  have_frame = false;
  return failure;
}

// Reads packets until one of the video stream went to the decoder, or the demuxer ended
// (then the decoder is told to flush).
Status VideoDecoder::Impl::FeedPacket() {
  for (;;) {
    if (!packet_pending) {
      const int rc = av_read_frame(format, packet);
      if (source.timed_out()) return TimeLimit();
      if (rc < 0) {
        if (rc != AVERROR_EOF) {
          demux_error = ErrorText(rc) + ffmpeg::WithLog(log);
        }
        avcodec_send_packet(codec, nullptr);
        state = State::kDraining;
        return Status::Ok();
      }
      if (packet->stream_index != stream->index) {
        av_packet_unref(packet);
        continue;
      }
      if ((packet->flags & AV_PKT_FLAG_CORRUPT) != 0) ++short_packets;
    }
    const int rc = avcodec_send_packet(codec, packet);
    if (rc == AVERROR(EAGAIN)) {  // the decoder wants its output read first
      packet_pending = true;
      return Status::Ok();
    }
    packet_pending = false;
    av_packet_unref(packet);
    if (rc == AVERROR(ENOMEM)) return Internal(name + ": out of memory while decoding");
    if (rc < 0) {
      ++rejected_packets;
      if (first_decoder_error.empty()) first_decoder_error = ErrorText(rc) + ffmpeg::WithLog(log);
      if (++consecutive_errors > kMaxConsecutiveErrors) {
        demux_error = "gave up after " + std::to_string(kMaxConsecutiveErrors) +
                      " packets in a row failed to decode";
        avcodec_send_packet(codec, nullptr);
        state = State::kDraining;
      }
    }
    return Status::Ok();
  }
}

// Checks the frame just received against the limits and describes it in `current`.
Status VideoDecoder::Impl::AcceptFrame() {
  consecutive_errors = 0;
  if (decoded >= limits.max_frames) {
    return LimitExceeded(name + ": more than " + std::to_string(limits.max_frames) + " frames");
  }
  const uint64_t w = frame->width, h = frame->height;
  if (w > static_cast<uint64_t>(limits.max_side) || h > static_cast<uint64_t>(limits.max_side) ||
      w * h > limits.max_pixels) {
    return LimitExceeded(name + ": frame " + std::to_string(decoded) + " is " + std::to_string(w) +
                         "x" + std::to_string(h) + ", over the size limit");
  }
  if ((frame->flags & AV_FRAME_FLAG_CORRUPT) != 0 || frame->decode_error_flags != 0) {
    ++damaged_frames;
  }
  current = VideoFrame{};
  current.index = decoded++;
  current.width = frame->width;
  current.height = frame->height;
  current.key_frame = frame->key_frame != 0;
  const int64_t ts = frame->best_effort_timestamp;
  if (ts != AV_NOPTS_VALUE) {
    const int64_t start = stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0;
    current.has_pts = true;
    current.pts = ts;
    current.pts_seconds = ToSeconds(ts - start, stream->time_base);
  } else if (info.frame_rate > 0) {
    current.pts_seconds = static_cast<double>(current.index) / info.frame_rate;
  }
  if (current.pts_seconds > limits.max_duration_seconds) {
    return LimitExceeded(name + ": frame " + std::to_string(current.index) + " is at " +
                         Seconds(current.pts_seconds) + " s, past the " +
                         Seconds(limits.max_duration_seconds) + " s limit");
  }
  return Status::Ok();
}

Result<bool> VideoDecoder::Impl::Next() {
  if (state == State::kFailed) return failure;
  if (state == State::kEnded) return false;
  have_frame = false;
  for (;;) {
    if (source.PastDeadline()) return Fail(TimeLimit());
    const int rc = avcodec_receive_frame(codec, frame);
    if (rc == 0) {
      Status accepted = AcceptFrame();
      if (!accepted.ok()) return Fail(std::move(accepted));
      have_frame = true;
      return true;
    }
    if (rc == AVERROR_EOF) return Finish();
    if (rc != AVERROR(EAGAIN)) {
      if (rc == AVERROR(ENOMEM)) return Fail(Internal(name + ": out of memory while decoding"));
      ++frame_errors;
      if (first_decoder_error.empty()) first_decoder_error = ErrorText(rc) + ffmpeg::WithLog(log);
      if (++consecutive_errors > kMaxConsecutiveErrors) return Finish();
      continue;
    }
    if (state == State::kDraining) return Finish();  // nothing more will come
    Status fed = FeedPacket();
    if (!fed.ok()) return Fail(std::move(fed));
  }
}

std::string VideoDecoder::Impl::Damage() const {
  std::string out;
  auto add = [&out](const std::string& part) {
    if (!out.empty()) out += "; ";
    out += part;
  };
  if (short_packets > 0) {
    add(std::to_string(short_packets) + " packet(s) cut short (file truncated?)");
  }
  if (rejected_packets > 0 || frame_errors > 0) {
    add(std::to_string(rejected_packets + frame_errors) +
        " decode error(s): " + first_decoder_error);
  }
  if (damaged_frames > 0) add(std::to_string(damaged_frames) + " frame(s) decoded with errors");
  if (!demux_error.empty()) add("the container could not be read to its end: " + demux_error);
  return out;
}

Result<bool> VideoDecoder::Impl::Finish() {
  damage = Damage();
  if (decoded == 0) {
    return Fail(Corrupt(name + ": no frame could be decoded" +
                        (damage.empty() ? std::string() : ": " + damage)));
  }
  state = State::kEnded;
  return false;
}

VideoDecoder::VideoDecoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VideoDecoder::~VideoDecoder() = default;

Status InitVideo() { return ffmpeg::InitFfmpegOnce(); }

Result<std::unique_ptr<VideoDecoder>> VideoDecoder::OpenFile(const std::string& path,
                                                             const VideoLimits& limits) {
  auto impl = std::make_unique<Impl>();
  impl->name = path;
  impl->limits = limits;
  LogCapture capture(&impl->log);
  VIGIL_RETURN_IF_ERROR(impl->source.OpenFile(path));
  VIGIL_RETURN_IF_ERROR(impl->Open());
  impl->log.Clear();
  return std::unique_ptr<VideoDecoder>(new VideoDecoder(std::move(impl)));
}

Result<std::unique_ptr<VideoDecoder>> VideoDecoder::OpenBytes(std::span<const uint8_t> bytes,
                                                              std::string_view name,
                                                              const VideoLimits& limits) {
  auto impl = std::make_unique<Impl>();
  impl->name = std::string(name);
  impl->limits = limits;
  LogCapture capture(&impl->log);
  impl->source.UseMemory(bytes);
  VIGIL_RETURN_IF_ERROR(impl->Open());
  impl->log.Clear();
  return std::unique_ptr<VideoDecoder>(new VideoDecoder(std::move(impl)));
}

const VideoInfo& VideoDecoder::info() const { return impl_->info; }
const VideoLimits& VideoDecoder::limits() const { return impl_->limits; }
const std::string& VideoDecoder::name() const { return impl_->name; }
const VideoFrame& VideoDecoder::frame() const { return impl_->current; }
int64_t VideoDecoder::frames_decoded() const { return impl_->decoded; }
const std::string& VideoDecoder::damage() const { return impl_->damage; }

Completeness VideoDecoder::completeness() const {
  return impl_->damage.empty() ? Completeness::kComplete : Completeness::kPartial;
}

Result<bool> VideoDecoder::NextFrame() {
  LogCapture capture(&impl_->log);
  return impl_->Next();
}

Status VideoDecoder::ConvertFrame(int width, int height, ScaleFilter filter,
                                  ScalePrecision precision, RgbFrame* out) {
  Impl& d = *impl_;
  if (!d.have_frame) return InvalidArgument(d.name + ": no current frame to convert");
  if (width == 0 && height == 0) {
    width = d.frame->width;
    height = d.frame->height;
  }
  if (width <= 0 || height <= 0 || static_cast<uint64_t>(width) * height > d.limits.max_pixels) {
    return InvalidArgument(d.name + ": cannot convert to " + std::to_string(width) + "x" +
                           std::to_string(height));
  }
  LogCapture capture(&d.log);
  d.sws = sws_getCachedContext(
      d.sws, d.frame->width, d.frame->height, static_cast<AVPixelFormat>(d.frame->format), width,
      height, AV_PIX_FMT_RGB24, SwsFlags(filter, precision), nullptr, nullptr, nullptr);
  if (d.sws == nullptr) {
    return Internal(d.name + ": swscale cannot convert " + std::to_string(d.frame->width) + "x" +
                    std::to_string(d.frame->height) + " " +
                    av_get_pix_fmt_name(static_cast<AVPixelFormat>(d.frame->format)) + " to RGB" +
                    ffmpeg::WithLog(d.log));
  }
  // Rows padded to 64 bytes, plus a tail: swscale's vector code may store past a row's end.
  constexpr size_t kAlign = 64;
  out->stride = (static_cast<size_t>(width) * 3 + kAlign - 1) / kAlign * kAlign;
  out->pixels.resize(out->stride * static_cast<size_t>(height) + kAlign);
  out->width = width;
  out->height = height;
  uint8_t* dst[4] = {out->pixels.data(), nullptr, nullptr, nullptr};
  const int dst_stride[4] = {static_cast<int>(out->stride), 0, 0, 0};
  const int rows =
      sws_scale(d.sws, d.frame->data, d.frame->linesize, 0, d.frame->height, dst, dst_stride);
  if (rows <= 0) return Internal(d.name + ": swscale failed" + ffmpeg::WithLog(d.log));
  return Status::Ok();
}

}  // namespace vigil
