// ContentHasher: one file in, every signal vigil matches on out. The hashers in hash/ take
// plain pixels and know nothing of files; this is where files meet them.
//
// What a file is, is sniffed from its first bytes (media_sniff.h):
//  - an image: read once (under DecodeLimits::max_bytes); MD5/SHA-256 of those bytes and
//    the same buffer decoded for PDQ;
//  - a video container (MP4/MOV, Matroska/WebM, AVI, FLV, MPEG-TS/PS, ASF): MD5/SHA-256
//    streamed from disk (HMA's default video signal: a multi-GB file is never held in
//    memory), then vPDQ and TMK+PDQF decoded through VideoDecoder under VideoLimits;
//  - a GIF: an image (its first frame's PDQ, as before) and, when it has more than one
//    frame, a video too.
//
// Query variants (extra hashes for matching, never for banks): by default an image also
// gets its eight dihedral PDQ hashes (rotations and mirrors) and, when it has a border or
// letterbox (hash/border_trim.h), the PDQ hash of its content box and that box's eight
// dihedral hashes, all from the one decode; a video with bars also gets a second vPDQ
// hash over its trimmed frames (content/vpdq_video.h). `pdq` and `vpdq` are the plain
// hashes whatever the options, bit-identical to the references.
//
// Thread-safety: none. Use a ContentHasher from one thread at a time (one per thread, or
// lent by a pool to one holder at a time, as the server does); it reuses its pixel and PDQ
// buffers, so steady-state image hashing allocates little.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "hash/border_trim.h"
#include "hash/exact_hash.h"
#include "hash/pdq.h"
#include "hash/tmk.h"
#include "hash/vpdq.h"
#include "media/image_decoder.h"
#include "media/video_decoder.h"
#include "util/status.h"

namespace vigil {

enum class DihedralHashes { kOff, kOn };
enum class TmkHashing { kOff, kOn };

struct ContentHashOptions {
  DecodeLimits limits;
  PdqMode pdq_mode = PdqMode::kReference;
  // Both on by default: they are what matching queries with (match/matcher.h). Turn them
  // off where only the plain hashes are wanted (vigil hash without --dihedral).
  DihedralHashes dihedral = DihedralHashes::kOn;
  BorderTrim trim = BorderTrim::kOn;
  VideoLimits video_limits;
  // vPDQ samples a frame every this many seconds (0: every frame). Meta's tooling and HMA
  // use 1; bank and query hashes should be made alike.
  double vpdq_seconds_per_hash = 1;
  TmkHashing tmk = TmkHashing::kOn;
};

// What decoding a video gave, beside its signals.
struct VideoSummary {
  double duration_seconds = 0;  // the container's, or the last sampled frame's time
  int64_t frames_decoded = 0;
  int width = 0, height = 0;
  // The stream was damaged or cut short: the signals cover only the frames that decoded
  // (`damage` says what went wrong). Do not add a partial hash to a bank as the video's.
  bool partial = false;
  std::string damage;
};

struct ContentHashes {
  ExactHashes exact;
  // Set when the bytes decoded as an image; `image_error` says why not otherwise.
  std::optional<PdqResult> pdq;
  // With DihedralHashes::kOn: all eight, in the reference's order (pdq.h); pdq == [0].
  std::vector<PdqResult> dihedral;
  // With BorderTrim::kOn, only when a border was found: the content box (in the decoded
  // image's pixels), its PDQ hash (same mode as pdq) and, with DihedralHashes::kOn, its
  // eight dihedral hashes (trimmed == trimmed_dihedral[0]).
  std::optional<PixelRect> trimmed_box;
  std::optional<PdqResult> trimmed;
  std::vector<PdqResult> trimmed_dihedral;
  Status image_error;
  int width = 0;
  int height = 0;

  // True when the bytes sniffed as a video container (not for GIFs, which are images that
  // may also carry video signals).
  bool is_video = false;
  // Set when the video decoded (vpdq with at least one frame; tmk unless TmkHashing::kOff).
  std::optional<VpdqHash> vpdq;
  // With BorderTrim::kOn, when most sampled frames had bars: vPDQ of the trimmed frames.
  std::optional<VpdqHash> vpdq_trimmed;
  std::optional<TmkFeatures> tmk;
  std::optional<VideoSummary> video;
  // Why a video (or an animated GIF) gave no video signals: the decoder's error (limits,
  // kCorrupt, kUnsupported), its message starting with the file name.
  Status video_error;

  // The error that says this content could not be hashed as what it is: video_error for a
  // video, image_error otherwise. OK when its perceptual signals are present.
  const Status& MediaError() const { return is_video ? video_error : image_error; }
};

class ContentHasher {
 public:
  explicit ContentHasher(ContentHashOptions options);

  // Fails only when the file cannot be read (missing, over max_bytes, I/O). A file that
  // is read but does not decode still returns its exact hashes, with the decoder's error
  // in image_error (or video_error), so exact-hash matching works on any file. Images are
  // limited by options.limits.max_bytes, videos by options.video_limits.max_bytes.
  Result<ContentHashes> HashFile(const std::string& path);
  // The same for bytes already in memory (an HTTP upload); `name` is used in messages.
  Result<ContentHashes> HashBytes(std::span<const uint8_t> bytes, std::string_view name);
  // The image signals of pixels already decoded (pdq, dihedral, trimmed*, width, height),
  // as HashBytes computes them after decoding; exact hashes are left alone.
  void HashPixels(const ImageView& image, ContentHashes* out);

 private:
  void HashImage(std::span<const uint8_t> bytes, std::string_view name, ContentHashes* out);
  Result<ContentHashes> HashVideoFile(const std::string& path);
  // PDQ of `view`, with its dihedral variants when the options ask for them.
  void HashPdq(const ImageView& view, std::optional<PdqResult>* pdq,
               std::vector<PdqResult>* dihedral);

  ContentHashOptions options_;
  ImageDecoder decoder_;
  PdqHasher pdq_;
  Image image_;
};

}  // namespace vigil
