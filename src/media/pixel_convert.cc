// See pixel_convert.h; the formulas are ImageMagick 6's (quantum.h ScaleQuantumToChar,
// colorspace.c ConvertCMYKToRGB, PNM writer's grey test), restated.
#include "media/pixel_convert.h"

#include <cmath>

namespace vigil {
namespace {

constexpr double kQuantumRange = 65535.0;

// ClampToQuantum of a non-HDRI build: clamp, then round half up.
uint16_t ClampToQuantum(double v) {
  if (v <= 0) return 0;
  if (v >= kQuantumRange) return 65535;
  return static_cast<uint16_t>(v + 0.5);
}

uint8_t CmykChannel(uint8_t ink, uint8_t black) {
  const double c = ink * 257.0, k = black * 257.0;
  const double v = kQuantumRange - ((1.0 / kQuantumRange) * c * (kQuantumRange - k) + k);
  return ScaleShortToChar(ClampToQuantum(v));
}

}  // namespace

void ShortsToChars(const uint16_t* src, size_t n, uint8_t* dst) {
  for (size_t i = 0; i < n; ++i) dst[i] = ScaleShortToChar(src[i]);
}

void CmykToRgb(uint8_t* pixels, size_t n_pixels) {
  for (size_t i = 0; i < n_pixels; ++i) {
    const uint8_t* p = pixels + 4 * i;
    const uint8_t c = p[0], m = p[1], y = p[2], k = p[3];
    uint8_t* q = pixels + 3 * i;
    q[0] = CmykChannel(c, k);
    q[1] = CmykChannel(m, k);
    q[2] = CmykChannel(y, k);
  }
}

bool CompactIfGrey(uint8_t* pixels, size_t n_pixels) {
  for (size_t i = 0; i < n_pixels; ++i) {
    const uint8_t* p = pixels + 3 * i;
    if (p[0] != p[1] || p[1] != p[2]) return false;
  }
  for (size_t i = 0; i < n_pixels; ++i) pixels[i] = pixels[3 * i];
  return true;
}

void DropChannels(uint8_t* pixels, size_t n_pixels, int channels, int keep) {
  if (keep >= channels) return;
  for (size_t i = 0; i < n_pixels; ++i) {
    for (int c = 0; c < keep; ++c) pixels[i * keep + c] = pixels[i * channels + c];
  }
}

}  // namespace vigil
