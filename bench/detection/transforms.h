// The edits the detection bench applies to each original before querying with it: the
// kinds of change a re-upload of known content goes through (re-compression, resizing,
// colour changes, captions, frames, crops, flips). Each transform is a list of steps run
// through libvips in order; the result is encoded as JPEG, as an upload would arrive, and
// the bench hashes those bytes. The exact definition of every step is in README.md.
//
// Thread-safety: the functions are thread-safe (libvips is); each call owns its images.
#pragma once

#include <glib-object.h>
#include <vips/vips.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "hash/pdq.h"
#include "util/status.h"

namespace vigil::detection {

struct VipsUnref {
  void operator()(VipsImage* image) const {
    if (image != nullptr) g_object_unref(image);
  }
};
// Owns one reference to a VipsImage.
using VipsImagePtr = std::unique_ptr<VipsImage, VipsUnref>;

enum class Step {
  kJpegQ25,           // encode the result at JPEG quality 25 instead of 85
  kResize37,          // scale both sides to 37%
  kGrey,              // greyscale (one band)
  kBrightness25,      // every channel x 1.25, clipped at 255
  kCaption,           // a line of white text on a dark band across the lower part
  kBlur,              // Gaussian blur, sigma 2 per 1000 px of the longer side
  kMirror,            // left <-> right
  kRotate90,          // 90 degrees clockwise
  kBorderBlack,       // 6% of the width added left and right, 6% of the height top and bottom
  kBorderColour,      // the same in a saturated red
  kLetterboxBlack,    // fitted into a 1080x1920 (9:16) canvas, black bars
  kLetterboxBlurred,  // the same, bars filled with the picture enlarged and heavily blurred
  kCropCentre8,       // 4% of the width and of the height removed from each side
  kCropCorner8,       // 8% of the width removed on the left, 8% of the height on top
  kCropCentre15,      // 7.5% from each side
  kCropCorner15,      // 15% from the left and from the top
};

// The classes of the bar: recall >= 90% for borders and letterboxes, >= 80% for
// 8% crops, every other transform at least plain PDQ's recall.
enum class TransformClass { kBorder, kCrop8, kOther };

struct Transform {
  std::string name;
  std::vector<Step> steps;
  TransformClass bar = TransformClass::kOther;
};

// Every transform the bench measures, singles first, then combinations.
const std::vector<Transform>& TransformTable();

// Applies `t` to `original` (8-bit sRGB, 3 bands) and encodes the result as JPEG at
// quality 85 (25 when the steps include kJpegQ25), metadata stripped.
Result<std::vector<uint8_t>> ApplyTransform(VipsImage* original, const Transform& t);

// Decodes encoded image bytes into memory as 8-bit sRGB with 3 bands: alpha flattened onto
// black, grey and 16-bit images converted. Used for originals and their sources.
Result<VipsImagePtr> LoadSrgb(std::span<const uint8_t> bytes, std::string_view name);

// The pixels of an image LoadSrgb returned (in memory, 8-bit), as a PdqHasher input.
ImageView PixelsOf(VipsImage* image);

// JPEG bytes of `image` at `quality`, metadata stripped.
Result<std::vector<uint8_t>> EncodeJpeg(VipsImage* image, int quality);

// Scales `image` down (never up) so that its longer side is at most `max_side`.
Result<VipsImagePtr> FitWithin(VipsImage* image, int max_side);

// Removes `fraction` of the width and of the height (each rounded to whole pixels): half
// from each side (centre; the odd pixel from the right and bottom) or all from the left
// and the top (corner, the bottom-right part kept). The crops of the transform table, and
// crop_sweep's.
enum class CropAt { kCentre, kCorner };
Result<VipsImagePtr> Crop(VipsImage* in, double fraction, CropAt at);

// The rectangle [left, top, width, height] of `image` as a new image.
Result<VipsImagePtr> Extract(VipsImage* image, int left, int top, int width, int height);

}  // namespace vigil::detection
