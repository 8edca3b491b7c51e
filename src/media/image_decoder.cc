// libvips behind ImageDecoder. The conversion to 8-bit RGB/grey copies what ImageMagick
// 6 does when the PDQ reference's CImg front end asks it for a PNM (specs/pdq.md step 0):
// alpha dropped without compositing, palette expanded, 16-bit scaled by rounding, CMYK by
// ImageMagick's naive formula, an image whose pixels are all grey delivered as grey, EXIF
// orientation ignored. Any difference here changes hash bits, so each rule is tested
// against tests/data/pdq/expected-*.csv.
#include "media/image_decoder.h"

#include <vips/vips.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <utility>

#include "media/pixel_convert.h"

namespace vigil {
namespace {

struct VipsUnref {
  void operator()(void* object) const { g_object_unref(object); }
};
using VipsImagePtr = std::unique_ptr<VipsImage, VipsUnref>;
using VipsRegionPtr = std::unique_ptr<VipsRegion, VipsUnref>;

// Takes and clears libvips' error text. libvips keeps one buffer per process, so under
// concurrent decodes the text may carry another thread's message; codes never depend on it.
std::string TakeVipsError() {
  std::string text = vips_error_buffer();
  vips_error_clear();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& c : text) {
    if (c == '\n') c = ';';
  }
  return text.empty() ? "no detail from libvips" : text;
}

void DropVipsWarning(const gchar*, GLogLevelFlags, const gchar*, gpointer) {}

Status InitOnce() {
  if (VIPS_INIT("vigil") != 0) {
    return FailedPrecondition("cannot start libvips: " + TakeVipsError());
  }
  // Loaders marked untrusted (ImageMagick, PDF, SVG, FITS, ...) are off: vigil reads
  // uploads from anyone. This is also why BMP is unsupported: Debian's libvips 8.14 reads
  // BMP only through its ImageMagick loader.
  vips_block_untrusted_set(TRUE);
  vips_concurrency_set(1);  // vigil parallelises by file, one decoder per thread.
  vips_cache_set_max(0);    // decoded images are used once; caching only holds memory.
  // Damaged uploads are routine; their libvips warnings must not flood stderr. Errors
  // still reach the caller as Status values.
  g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, DropVipsWarning, nullptr);
  return Status::Ok();
}

// The loaders vigil accepts, keyed by a word of their class name as returned by
// vips_foreign_find_load_buffer (e.g. "VipsForeignLoadJpegBuffer").
constexpr std::pair<std::string_view, std::string_view> kAllowedLoaders[] = {
    {"jpeg", "JPEG"}, {"png", "PNG"}, {"webp", "WebP"},
    {"gif", "GIF"},   {"tiff", "TIFF"}, {"heif", "HEIF/AVIF"},
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "JPEG" for an allowed loader; empty for any other (blocked or not wanted).
std::string_view AllowedFormat(std::string_view loader) {
  const std::string lower = Lower(loader);
  for (const auto& [key, format] : kAllowedLoaders) {
    if (lower.find(key) != std::string::npos) return format;
  }
  return {};
}

// "SVG" from "VipsForeignLoadSvgBuffer": names a refused format in a message.
std::string RefusedFormat(std::string_view loader) {
  std::string_view rest = loader;
  if (rest.starts_with("VipsForeignLoad")) rest.remove_prefix(15);
  for (std::string_view suffix : {"Buffer", "Source", "File"}) {
    if (rest.ends_with(suffix)) rest.remove_suffix(suffix.size());
  }
  std::string upper(rest);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

bool LooksLikeText(std::span<const uint8_t> bytes) {
  const size_t n = std::min<size_t>(bytes.size(), 512);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t c = bytes[i];
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return false;
  }
  return true;
}

// Why bytes that no allowed loader accepts are refused. `loader` is the libvips loader
// that would read them, if any (blocked for untrusted input or not wanted).
Status UnsupportedBytes(std::span<const uint8_t> bytes, const char* loader,
                        const std::string& name) {
  if (bytes.size() >= 2 && bytes[0] == 'B' && bytes[1] == 'M') {
    return Unsupported(name + ": BMP is not supported (this libvips reads BMP only through "
                              "ImageMagick, which vigil blocks for untrusted input)");
  }
  if (loader != nullptr && Lower(loader).find("magick") == std::string::npos) {
    return Unsupported(name + ": " + RefusedFormat(loader) +
                       " is not supported (only JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF)");
  }
  if (LooksLikeText(bytes)) {
    return Unsupported(name + ": not an image: the bytes are text");
  }
  return Unsupported(name + ": not a supported image format (JPEG, PNG, WebP, GIF, TIFF, "
                            "HEIF/AVIF)");
}

// Writes the pixels of `image` (uchar or ushort) into `dst`, top to bottom in strips so
// the wall-time limit is checked while decoding. Returns kCorrupt on a decode error.
//
// The pipeline generates each strip straight into `dst` (vips_region_prepare_to, through a
// region on a memory image wrapping it): a region of our own would get a fresh buffer per
// strip, which libvips zeroes, and then a copy into `dst` (measured: 2 of the ~9 MB that
// libvips zeroed per 850x860 JPEG, and the 2 MB copy).
Status FetchPixels(VipsImage* image, const std::string& name, const std::string& format,
                   double max_seconds, uint8_t* dst) {
  using Clock = std::chrono::steady_clock;
  const auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(max_seconds));
  const int w = image->Xsize, h = image->Ysize;
  VipsImagePtr target(vips_image_new_from_memory(dst, VIPS_IMAGE_SIZEOF_IMAGE(image), w, h,
                                                 image->Bands, image->BandFmt));
  if (target == nullptr) {
    return Internal(name + ": cannot wrap the pixel buffer: " + TakeVipsError());
  }
  VipsRegionPtr source(vips_region_new(image));
  VipsRegionPtr sink(vips_region_new(target.get()));
  constexpr int kStrip = 64;
  for (int y = 0; y < h; y += kStrip) {
    VipsRect rect = {0, y, w, std::min(kStrip, h - y)};
    if (vips_region_image(sink.get(), &rect) != 0) {
      return Internal(name + ": cannot address the pixel buffer: " + TakeVipsError());
    }
    if (vips_region_prepare_to(source.get(), sink.get(), &rect, 0, y) != 0) {
      return Corrupt(name + ": corrupt or truncated " + format + " data: " + TakeVipsError());
    }
    if (Clock::now() > deadline) {
      char limit[32];
      std::snprintf(limit, sizeof limit, "%g", max_seconds);
      return LimitExceeded(name + ": decoding took longer than the " + std::string(limit) +
                           " s limit");
    }
  }
  return Status::Ok();
}

// Colour spaces the PNM conversion would not pass through unchanged: let libvips convert
// them to 8-bit sRGB (or grey). No reference hashes exist for these, so this is best effort.
Status NormaliseUnusual(VipsImagePtr& image, const std::string& name) {
  const VipsInterpretation type = image->Type;
  const bool plain = type == VIPS_INTERPRETATION_sRGB || type == VIPS_INTERPRETATION_RGB ||
                     type == VIPS_INTERPRETATION_B_W || type == VIPS_INTERPRETATION_RGB16 ||
                     type == VIPS_INTERPRETATION_GREY16 || type == VIPS_INTERPRETATION_CMYK ||
                     type == VIPS_INTERPRETATION_MULTIBAND;
  const bool eight_or_sixteen =
      image->BandFmt == VIPS_FORMAT_UCHAR || image->BandFmt == VIPS_FORMAT_USHORT;
  if (plain && eight_or_sixteen) return Status::Ok();
  VipsImage* converted = nullptr;
  const VipsInterpretation target =
      image->Bands >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W;
  if (vips_colourspace(image.get(), &converted, target, nullptr) != 0) {
    return Unsupported(name + ": cannot convert its colour space to RGB: " + TakeVipsError());
  }
  VipsImagePtr holder(converted);
  if (vips_cast_uchar(holder.get(), &converted, nullptr) != 0) {
    return Internal(name + ": cannot convert to 8 bits: " + TakeVipsError());
  }
  image.reset(converted);
  return Status::Ok();
}

// Pixels of the opened image as the reference's decoder would deliver them (file comment).
Status DecodePixels(VipsImagePtr image, const std::string& name, const std::string& format,
                    double max_seconds, Image* out) {
  VIGIL_RETURN_IF_ERROR(NormaliseUnusual(image, name));
  const size_t n = static_cast<size_t>(image->Xsize) * image->Ysize;
  const int bands = image->Bands;
  const bool sixteen = image->BandFmt == VIPS_FORMAT_USHORT;
  const bool cmyk = image->Type == VIPS_INTERPRETATION_CMYK && bands >= 4;
  out->pixels.resize(n * bands * (sixteen ? 2 : 1));
  uint8_t* data = out->pixels.data();
  VIGIL_RETURN_IF_ERROR(FetchPixels(image.get(), name, format, max_seconds, data));
  if (sixteen) ShortsToChars(reinterpret_cast<const uint16_t*>(data), n * bands, data);
  int channels = 3;
  if (cmyk) {
    DropChannels(data, n, bands, 4);
    CmykToRgb(data, n);
  } else {
    channels = bands <= 2 ? 1 : 3;
    DropChannels(data, n, bands, channels);
  }
  if (channels == 3 && CompactIfGrey(data, n)) channels = 1;
  out->pixels.resize(n * channels);
  out->width = image->Xsize;
  out->height = image->Ysize;
  out->channels = channels;
  return Status::Ok();
}

}  // namespace

Status InitMedia() {
  static std::once_flag once;
  static Status status;
  std::call_once(once, [] { status = InitOnce(); });
  return status;
}

ImageDecoder::ImageDecoder(DecodeLimits limits) : limits_(limits) {}

Status ImageDecoder::Decode(std::span<const uint8_t> bytes, std::string_view name_view,
                            Image* out) {
  out->width = out->height = out->channels = 0;
  const std::string name(name_view);
  VIGIL_RETURN_IF_ERROR(InitMedia());
  if (bytes.empty()) return Corrupt(name + ": empty file (0 bytes)");
  if (bytes.size() > limits_.max_bytes) {
    return LimitExceeded(name + ": " + std::to_string(bytes.size()) + " bytes is over the " +
                         std::to_string(limits_.max_bytes) + "-byte limit");
  }
  const char* loader = vips_foreign_find_load_buffer(bytes.data(), bytes.size());
  // Blocked loaders (ImageMagick, SVG, PDF, ...) are still found here; refuse them by
  // name rather than let the open fail with a vaguer error.
  const std::string format(loader != nullptr ? AllowedFormat(loader) : "");
  if (format.empty()) {
    vips_error_clear();
    return UnsupportedBytes(bytes, loader, name);
  }
  // Lazy open: only the header is parsed here. fail_on=truncated makes a truncated
  // file an error instead of an image padded with grey.
  VipsImagePtr image(vips_image_new_from_buffer(
      bytes.data(), bytes.size(), "", "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
      VIPS_FAIL_ON_TRUNCATED, nullptr));
  if (image == nullptr) {
    return Corrupt(name + ": cannot read the " + format + " header: " + TakeVipsError());
  }
  const uint64_t w = image->Xsize, h = image->Ysize;
  if (w * h > limits_.max_pixels) {
    return LimitExceeded(name + ": " + std::to_string(w) + "x" + std::to_string(h) + " is " +
                         std::to_string(w * h) + " pixels, over the " +
                         std::to_string(limits_.max_pixels) + "-pixel limit");
  }
  return DecodePixels(std::move(image), name, format, limits_.max_seconds, out);
}

}  // namespace vigil
