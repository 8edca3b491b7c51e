// Which kind of media a file is, from its first bytes (never its name): the choice between
// the image and the video paths of ContentHasher. A wrong guess costs only a clear decode
// error; the decoders check the bytes again.
//
// Thread-safety: a pure function.
#pragma once

#include <cstdint>
#include <span>

namespace vigil {

enum class SniffedMedia {
  kOther,  // images and anything else: the image path
  kGif,    // GIF87a/GIF89a: an image, and a video when animated
  kVideo,  // a video container VideoDecoder opens
};

// Looks at up to the first 1 KiB. Video containers: ISO BMFF / QuickTime (MP4, MOV, 3GP:
// "ftyp", or an old QuickTime file's first "moov"/"mdat"/"wide" atom at byte 4), Matroska
// and WebM (EBML magic 1A 45 DF A3), AVI (RIFF....AVI ), FLV ("FLV" 01), MPEG-TS (sync
// byte 0x47 at 0, 188 and 376), MPEG-PS (pack start 00 00 01 BA), ASF/WMV (its header GUID).
// HEIF/AVIF images are ISO BMFF too: their "ftyp" brands (heic, heix, mif1, msf1, avif,
// avis, ...) are images, not videos.
SniffedMedia SniffMedia(std::span<const uint8_t> head);

}  // namespace vigil
