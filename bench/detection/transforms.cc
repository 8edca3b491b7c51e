#include "transforms.h"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace vigil::detection {
namespace {

// The libvips error buffer (thread-local in libvips 8.x), cleared once read.
Status VipsFailure(std::string_view what) {
  std::string text = vips_error_buffer();
  vips_error_clear();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return Internal(std::string(what) + ": " + text);
}

// Takes ownership of a libvips operation's output. A failed operation sets no output, so
// `out` is not touched then (callers may reuse the variable).
// `out` is read only here, after the operation ran (arguments are evaluated in no fixed
// order, so the pointer itself must not be passed).
Result<VipsImagePtr> Own(int rc, VipsImage** out, std::string_view what) {
  if (rc != 0) return VipsFailure(what);
  return VipsImagePtr(*out);
}

int Round(double v) { return static_cast<int>(std::lround(v)); }

Result<VipsImagePtr> Embed(VipsImage* in, int x, int y, int width, int height,
                           std::vector<double> background) {
  VipsArrayDouble* bg =
      vips_array_double_new(background.data(), static_cast<int>(background.size()));
  VipsImage* out = nullptr;
  int rc = vips_embed(in, &out, x, y, width, height, "extend", VIPS_EXTEND_BACKGROUND, "background",
                      bg, nullptr);
  vips_area_unref(VIPS_AREA(bg));
  return Own(rc, &out, "embed");
}

Result<VipsImagePtr> Resize(VipsImage* in, double scale) {
  VipsImage* out = nullptr;
  return Own(vips_resize(in, &out, scale, nullptr), &out, "resize");
}

Result<VipsImagePtr> Blur(VipsImage* in, double sigma) {
  VipsImage* out = nullptr;
  return Own(vips_gaussblur(in, &out, sigma, nullptr), &out, "gaussblur");
}

// 6% of the width added on the left and on the right, 6% of the height on top and bottom.
Result<VipsImagePtr> Border(VipsImage* in, std::vector<double> colour) {
  int bx = Round(0.06 * in->Xsize), by = Round(0.06 * in->Ysize);
  return Embed(in, bx, by, in->Xsize + 2 * bx, in->Ysize + 2 * by, std::move(colour));
}

constexpr int kCanvasWidth = 1080, kCanvasHeight = 1920;  // 9:16, a phone video frame

// The picture scaled to fit the 9:16 canvas, centred on `background` (canvas-sized) or on
// black when `background` is null.
Result<VipsImagePtr> FitOnCanvas(VipsImage* in, VipsImage* background) {
  double scale = std::min(double(kCanvasWidth) / in->Xsize, double(kCanvasHeight) / in->Ysize);
  VIGIL_ASSIGN_OR_RETURN(VipsImagePtr fg, Resize(in, scale));
  int x = (kCanvasWidth - fg->Xsize) / 2, y = (kCanvasHeight - fg->Ysize) / 2;
  if (background == nullptr) return Embed(fg.get(), x, y, kCanvasWidth, kCanvasHeight, {0, 0, 0});
  VipsImage* out = nullptr;
  return Own(vips_insert(background, fg.get(), &out, x, y, nullptr), &out, "insert");
}

// The blurred fill short-video tools put behind a picture that does not fill 9:16: the
// picture enlarged to cover the canvas, centre cut, heavily blurred. Blurred at 1/8 scale
// and enlarged again (the same look as sigma ~40 at full size, at a fraction of the cost).
Result<VipsImagePtr> BlurredFill(VipsImage* in) {
  double cover = std::max(double(kCanvasWidth) / in->Xsize, double(kCanvasHeight) / in->Ysize);
  VIGIL_ASSIGN_OR_RETURN(VipsImagePtr small, Resize(in, cover / 8));
  VIGIL_ASSIGN_OR_RETURN(VipsImagePtr soft, Blur(small.get(), 5));
  VIGIL_ASSIGN_OR_RETURN(VipsImagePtr big, Resize(soft.get(), 8));
  int w = std::min(kCanvasWidth, big->Xsize), h = std::min(kCanvasHeight, big->Ysize);
  VIGIL_ASSIGN_OR_RETURN(VipsImagePtr cut,
                         Extract(big.get(), (big->Xsize - w) / 2, (big->Ysize - h) / 2, w, h));
  // Rounding can leave the enlarged fill a pixel short of the canvas: pad by copying edges.
  VipsImage* out = nullptr;
  VIGIL_ASSIGN_OR_RETURN(VipsImagePtr fill,
                         Own(vips_embed(cut.get(), &out, 0, 0, kCanvasWidth, kCanvasHeight,
                                        "extend", VIPS_EXTEND_COPY, nullptr),
                             &out, "embed"));
  return FitOnCanvas(in, fill.get());
}

// A caption as meme and news-clip edits add: one line of white text, scaled to 90% of the
// width (or 7% of the height, whichever is smaller), on a band darkened to 35% whose top
// is at 78% of the height.
Result<VipsImagePtr> Caption(VipsImage* in) {
  int w = in->Xsize, h = in->Ysize;
  VipsImage* raw = nullptr;
  VIGIL_ASSIGN_OR_RETURN(VipsImagePtr line,
                         Own(vips_text(&raw, "Market day on the old square - everyone welcome",
                                       "font", "DejaVu Sans Bold 24", "dpi", 144, nullptr),
                             &raw, "text"));
  double scale = std::min(0.9 * w / line->Xsize, 0.07 * h / line->Ysize);
  VIGIL_ASSIGN_OR_RETURN(VipsImagePtr text, Resize(line.get(), scale));
  int pad = std::max(2, Round(0.015 * h));
  int band_h = std::min(text->Ysize + 2 * pad, h - Round(0.78 * h));
  int band_y = Round(0.78 * h);
  VIGIL_ASSIGN_OR_RETURN(VipsImagePtr band, Extract(in, 0, band_y, w, band_h));
  VipsImage* out = nullptr;
  VIGIL_ASSIGN_OR_RETURN(
      VipsImagePtr dark,
      Own(vips_linear1(band.get(), &out, 0.35, 0, "uchar", TRUE, nullptr), &out, "linear"));
  VIGIL_ASSIGN_OR_RETURN(
      VipsImagePtr white,
      Own(vips_linear1(band.get(), &out, 0, 255, "uchar", TRUE, nullptr), &out, "linear"));
  VIGIL_ASSIGN_OR_RETURN(VipsImagePtr mask,
                         Embed(text.get(), (w - text->Xsize) / 2, pad, w, band_h, {0}));
  VIGIL_ASSIGN_OR_RETURN(
      VipsImagePtr lettered,
      Own(vips_ifthenelse(mask.get(), white.get(), dark.get(), &out, "blend", TRUE, nullptr), &out,
          "ifthenelse"));
  return Own(vips_insert(in, lettered.get(), &out, 0, band_y, nullptr), &out, "insert");
}

Result<VipsImagePtr> ApplyStep(VipsImage* in, Step step) {
  VipsImage* out = nullptr;
  switch (step) {
    case Step::kJpegQ25:  // applied by the encoder
      g_object_ref(in);
      return VipsImagePtr(in);
    case Step::kResize37:
      return Resize(in, 0.37);
    case Step::kGrey:
      return Own(vips_colourspace(in, &out, VIPS_INTERPRETATION_B_W, nullptr), &out, "grey");
    case Step::kBrightness25:
      return Own(vips_linear1(in, &out, 1.25, 0, "uchar", TRUE, nullptr), &out, "linear");
    case Step::kCaption:
      return Caption(in);
    case Step::kBlur:
      return Blur(in, 2.0 * std::max(in->Xsize, in->Ysize) / 1000);
    case Step::kMirror:
      return Own(vips_flip(in, &out, VIPS_DIRECTION_HORIZONTAL, nullptr), &out, "flip");
    case Step::kRotate90:
      return Own(vips_rot90(in, &out, nullptr), &out, "rot90");
    case Step::kBorderBlack:
      return Border(in, {0, 0, 0});
    case Step::kBorderColour:
      return Border(in, {200, 16, 46});
    case Step::kLetterboxBlack:
      return FitOnCanvas(in, nullptr);
    case Step::kLetterboxBlurred:
      return BlurredFill(in);
    case Step::kCropCentre8:
      return Crop(in, 0.08, CropAt::kCentre);
    case Step::kCropCorner8:
      return Crop(in, 0.08, CropAt::kCorner);
    case Step::kCropCentre15:
      return Crop(in, 0.15, CropAt::kCentre);
    case Step::kCropCorner15:
      return Crop(in, 0.15, CropAt::kCorner);
  }
  return Internal("unknown transform step");
}

}  // namespace

const std::vector<Transform>& TransformTable() {
  using enum Step;
  using TC = TransformClass;
  static const std::vector<Transform> table = {
      {"jpeg q25", {kJpegQ25}},
      {"resize 37%", {kResize37}},
      {"greyscale", {kGrey}},
      {"brightness +25%", {kBrightness25}},
      {"caption", {kCaption}},
      {"blur", {kBlur}},
      {"mirror", {kMirror}},
      {"rotate 90", {kRotate90}},
      {"border 6% black", {kBorderBlack}, TC::kBorder},
      {"border 6% colour", {kBorderColour}, TC::kBorder},
      {"letterbox 9:16 black", {kLetterboxBlack}, TC::kBorder},
      {"letterbox 9:16 blurred", {kLetterboxBlurred}, TC::kBorder},
      {"crop 8% centre", {kCropCentre8}, TC::kCrop8},
      {"crop 8% corner", {kCropCorner8}, TC::kCrop8},
      {"crop 15% centre", {kCropCentre15}},
      {"crop 15% corner", {kCropCorner15}},
      {"crop 8% centre + q25", {kCropCentre8, kJpegQ25}},
      {"crop 8% corner + mirror", {kCropCorner8, kMirror}},
      {"border 6% + resize 37%", {kBorderBlack, kResize37}},
      {"mirror + caption", {kMirror, kCaption}},
      {"letterbox black + q25", {kLetterboxBlack, kJpegQ25}},
      {"greyscale + crop 8% centre", {kGrey, kCropCentre8}},
  };
  return table;
}

Result<std::vector<uint8_t>> ApplyTransform(VipsImage* original, const Transform& t) {
  g_object_ref(original);
  VipsImagePtr image(original);
  int quality = 85;
  for (Step step : t.steps) {
    if (step == Step::kJpegQ25) quality = 25;
    VIGIL_ASSIGN_OR_RETURN(VipsImagePtr next, ApplyStep(image.get(), step));
    image = std::move(next);
  }
  return EncodeJpeg(image.get(), quality);
}

Result<VipsImagePtr> LoadSrgb(std::span<const uint8_t> bytes, std::string_view name) {
  std::string what = "load " + std::string(name);
  VipsImage* out = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", "access",
                                              VIPS_ACCESS_RANDOM, nullptr);
  VIGIL_ASSIGN_OR_RETURN(VipsImagePtr image, Own(out == nullptr, &out, what));
  if (vips_image_hasalpha(image.get())) {
    VIGIL_ASSIGN_OR_RETURN(image, Own(vips_flatten(image.get(), &out, nullptr), &out, what));
  }
  VIGIL_ASSIGN_OR_RETURN(
      image,
      Own(vips_colourspace(image.get(), &out, VIPS_INTERPRETATION_sRGB, nullptr), &out, what));
  VIGIL_ASSIGN_OR_RETURN(image, Own(vips_cast_uchar(image.get(), &out, nullptr), &out, what));
  if (image->Bands > 3) {
    VIGIL_ASSIGN_OR_RETURN(
        image, Own(vips_extract_band(image.get(), &out, 0, "n", 3, nullptr), &out, what));
  }
  // Decoded once here: every transform of an original reads these pixels.
  out = vips_image_copy_memory(image.get());
  return Own(out == nullptr, &out, what);
}

ImageView PixelsOf(VipsImage* image) {
  return {static_cast<const uint8_t*>(VIPS_IMAGE_ADDR(image, 0, 0)), image->Xsize, image->Ysize,
          image->Bands, static_cast<size_t>(VIPS_IMAGE_SIZEOF_LINE(image))};
}

Result<std::vector<uint8_t>> EncodeJpeg(VipsImage* image, int quality) {
  void* buf = nullptr;
  size_t len = 0;
  if (vips_jpegsave_buffer(image, &buf, &len, "Q", quality, "strip", TRUE, nullptr) != 0) {
    return VipsFailure("jpegsave");
  }
  std::vector<uint8_t> bytes(static_cast<uint8_t*>(buf), static_cast<uint8_t*>(buf) + len);
  g_free(buf);
  return bytes;
}

Result<VipsImagePtr> FitWithin(VipsImage* image, int max_side) {
  int longer = std::max(image->Xsize, image->Ysize);
  if (longer <= max_side) {
    g_object_ref(image);
    return VipsImagePtr(image);
  }
  return Resize(image, double(max_side) / longer);
}

Result<VipsImagePtr> Extract(VipsImage* image, int left, int top, int width, int height) {
  VipsImage* out = nullptr;
  return Own(vips_extract_area(image, &out, left, top, width, height, nullptr), &out, "extract");
}

Result<VipsImagePtr> Crop(VipsImage* in, double fraction, CropAt at) {
  const int w = in->Xsize, h = in->Ysize;
  const int cut_x = Round(fraction * w), cut_y = Round(fraction * h);
  const int left = at == CropAt::kCentre ? cut_x / 2 : cut_x;
  const int top = at == CropAt::kCentre ? cut_y / 2 : cut_y;
  return Extract(in, left, top, w - cut_x, h - cut_y);
}

}  // namespace vigil::detection
