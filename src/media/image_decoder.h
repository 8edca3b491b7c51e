// ImageDecoder: untrusted image bytes -> 8-bit RGB or grey pixels, through libvips, under
// byte, pixel and time limits. The pixels are those the PDQ reference's decoder
// (ImageMagick writing PNM, see specs/pdq.md step 0) would hand to the hasher, so hashes
// computed from them match the reference's.
//
// Formats: JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF (first frame/page only). BMP and other
// formats that this libvips reads only through ImageMagick are refused as unsupported:
// the magick loader is blocked for untrusted input (InitMedia).
//
// Thread-safety: InitMedia() may be called from any thread, any number of times. An
// ImageDecoder is not shared between threads; use one per thread. Decoding runs on the
// calling thread only (libvips concurrency 1; vigil parallelises by file).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace vigil {

struct DecodeLimits {
  uint64_t max_bytes = 256ull << 20;     // checked first, before libvips sees the bytes
  uint64_t max_pixels = 100'000'000;     // width * height, checked from the header
  double max_seconds = 20;               // wall time of the pixel decode
};

struct Image {
  int width = 0, height = 0;
  int channels = 0;             // 1 = grey, 3 = RGB
  std::vector<uint8_t> pixels;  // row-major interleaved 8-bit; capacity reused across calls
};

// Starts libvips once per process (later calls return the first call's result): blocks
// loaders marked untrusted (ImageMagick, PDF, SVG, ...), concurrency 1, operation cache off.
Status InitMedia();

class ImageDecoder {
 public:
  explicit ImageDecoder(DecodeLimits limits = {});

  // Decodes the first frame/page of `bytes` into `out`. `name` (a file name or content
  // id) only labels error messages. Errors: kLimitExceeded (bytes, pixels, time),
  // kCorrupt (empty, truncated, broken data), kUnsupported (not an image vigil reads),
  // kFailedPrecondition (InitMedia failed), kInternal (unexpected libvips failure).
  // On error `out` is left with width = height = channels = 0.
  Status Decode(std::span<const uint8_t> bytes, std::string_view name, Image* out);

  const DecodeLimits& limits() const { return limits_; }

 private:
  DecodeLimits limits_;
};

}  // namespace vigil
