#include "content/content_hasher.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>

#include "content/media_sniff.h"
#include "content/tmk_video.h"
#include "content/vpdq_video.h"
#include "util/file_io.h"

namespace vigil {
namespace {

using DecoderOpener = std::function<Result<std::unique_ptr<VideoDecoder>>()>;

VideoSummary Summarise(const VpdqVideo& v) {
  VideoSummary s;
  s.duration_seconds = v.info.duration_seconds;
  if (s.duration_seconds <= 0 && !v.hash.frames.empty()) {
    s.duration_seconds = v.hash.frames.back().timestamp_seconds;
  }
  s.frames_decoded = v.frames_decoded;
  s.width = v.info.width;
  s.height = v.info.height;
  s.partial = v.completeness == Completeness::kPartial;
  s.damage = v.damage;
  return s;
}

// Decodes the video twice, once per hasher: vPDQ samples frames at their own size, TMK at
// 15 fps and 64x64, and each hasher's decode loop reproduces its reference's frame choice.
// `only_if_animated`: a GIF of one frame is an image only, and gets no video signals.
Status HashVideo(const DecoderOpener& open, const ContentHashOptions& options,
                 bool only_if_animated, ContentHashes* out) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<VideoDecoder> decoder, open());
  VpdqVideoOptions vpdq_options;
  vpdq_options.seconds_per_hash = options.vpdq_seconds_per_hash;
  vpdq_options.trim = options.trim;
  VIGIL_ASSIGN_OR_RETURN(VpdqVideo video, HashVideoVpdq(*decoder, vpdq_options));
  if (only_if_animated && video.frames_decoded < 2) return Status::Ok();
  out->video = Summarise(video);
  out->vpdq = std::move(video.hash);
  out->vpdq_trimmed = std::move(video.trimmed);
  if (options.tmk == TmkHashing::kOff) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(decoder, open());
  Result<TmkFeatures> tmk = HashVideoTmk(*decoder);
  if (!tmk.ok()) return tmk.status().WithContext("tmk_pdqf");
  out->tmk = std::move(tmk).value();
  return Status::Ok();
}

// A video over its byte limit is refused before it is digested or decoded, with the words
// ReadFileWithLimit uses for an image.
Status CheckFileSize(const std::string& path, uint64_t max_bytes) {
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return IoError(path + ": cannot stat: " + ec.message());
  if (size <= max_bytes) return Status::Ok();
  return LimitExceeded(path + ": file is " + std::to_string(size) + " bytes, over the limit of " +
                       std::to_string(max_bytes) + " bytes");
}

}  // namespace

ContentHasher::ContentHasher(ContentHashOptions options)
    : options_(options), decoder_(options.limits) {}

Result<ContentHashes> ContentHasher::HashFile(const std::string& path) {
  // The first chunk decides the path; a video's bytes are digested as they stream by.
  bool video = false;
  ExactHashStream digests;
  Status chunk_status;
  const uint64_t video_max = options_.video_limits.max_bytes;
  VIGIL_RETURN_IF_ERROR(ReadFileChunks(
      path, std::max(options_.limits.max_bytes, video_max), [&](std::span<const uint8_t> chunk) {
        if (!video) {
          if (SniffMedia(chunk) != SniffedMedia::kVideo) return false;
          video = true;
          chunk_status = CheckFileSize(path, video_max);
        }
        if (chunk_status.ok()) chunk_status = digests.Update(chunk);
        return chunk_status.ok();
      }));
  VIGIL_RETURN_IF_ERROR(chunk_status);
  if (video) {
    VIGIL_ASSIGN_OR_RETURN(ContentHashes out, HashVideoFile(path));
    VIGIL_ASSIGN_OR_RETURN(out.exact, digests.Finish());
    return out;
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes,
                         ReadFileWithLimit(path, options_.limits.max_bytes));
  return HashBytes(bytes, path);
}

// The file streamed past the larger of the two byte limits above; the video limit is the
// one that counts for a video, and VideoDecoder checks it again.
Result<ContentHashes> ContentHasher::HashVideoFile(const std::string& path) {
  ContentHashes out;
  out.is_video = true;
  out.image_error = Unsupported(path + ": a video, not an image");
  const VideoLimits& limits = options_.video_limits;
  out.video_error = HashVideo([&] { return VideoDecoder::OpenFile(path, limits); }, options_,
                              /*only_if_animated=*/false, &out);
  return out;
}

Result<ContentHashes> ContentHasher::HashBytes(std::span<const uint8_t> bytes,
                                               std::string_view name) {
  ContentHashes out;
  VIGIL_ASSIGN_OR_RETURN(out.exact, ComputeExactHashes(bytes));
  const SniffedMedia kind = SniffMedia(bytes);
  const DecoderOpener open = [&] {
    return VideoDecoder::OpenBytes(bytes, name, options_.video_limits);
  };
  if (kind == SniffedMedia::kVideo) {
    out.is_video = true;
    out.image_error = Unsupported(std::string(name) + ": a video, not an image");
    out.video_error = HashVideo(open, options_, /*only_if_animated=*/false, &out);
    return out;
  }
  HashImage(bytes, name, &out);
  if (kind == SniffedMedia::kGif) {
    out.video_error = HashVideo(open, options_, /*only_if_animated=*/true, &out);
  }
  return out;
}

void ContentHasher::HashImage(std::span<const uint8_t> bytes, std::string_view name,
                              ContentHashes* out) {
  out->image_error = decoder_.Decode(bytes, name, &image_);
  if (!out->image_error.ok()) return;
  const ImageView view{image_.pixels.data(), image_.width, image_.height, image_.channels,
                       static_cast<size_t>(image_.width) * image_.channels};
  HashPixels(view, out);
}

void ContentHasher::HashPixels(const ImageView& view, ContentHashes* out) {
  out->width = view.width;
  out->height = view.height;
  HashPdq(view, &out->pdq, &out->dihedral);
  out->trimmed_box.reset();
  out->trimmed.reset();
  out->trimmed_dihedral.clear();
  if (options_.trim == BorderTrim::kOff) return;
  out->trimmed_box = FindContentRect(view);
  if (out->trimmed_box) {
    HashPdq(SubView(view, *out->trimmed_box), &out->trimmed, &out->trimmed_dihedral);
  }
}

void ContentHasher::HashPdq(const ImageView& view, std::optional<PdqResult>* pdq,
                            std::vector<PdqResult>* dihedral) {
  if (options_.dihedral == DihedralHashes::kOn) {
    auto all = pdq_.HashDihedral(view, options_.pdq_mode);
    dihedral->assign(all.begin(), all.end());
    *pdq = all[0];
  } else {
    dihedral->clear();
    *pdq = pdq_.Hash(view, options_.pdq_mode);
  }
}

}  // namespace vigil
