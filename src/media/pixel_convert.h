// The pixel conversions ImageMagick 6 (Q16, non-HDRI) applies when the PDQ reference's
// front end has it write an 8-bit PNM, restated so vigil's libvips path hands the hasher
// the same bytes. Pure functions on buffers: no libvips, testable alone.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vigil {

// ImageMagick's ScaleQuantumToChar for a 16-bit quantum: rounds v / 257. Used for 16-bit
// images. Caveat: the reference CLI reads ImageMagick's PNM through CImg<uint8_t>, which for
// a 16-bit PNM (maxval 65535) keeps only the low byte of each sample (CImg _load_pnm casts
// the unsigned short to T), so its hashes of 16-bit images are not meaningful; rounding is
// what every other PDQ front end (PIL, HMA) does in effect. No golden image is 16-bit.
inline uint8_t ScaleShortToChar(uint16_t v) {
  const uint32_t q = uint32_t{v} + 128;
  return static_cast<uint8_t>((q - (q >> 8)) >> 8);
}

// In place: `n` 16-bit samples (native endian) at `src` to 8 bits at `dst` (dst may alias
// src: each write is behind its read).
void ShortsToChars(const uint16_t* src, size_t n, uint8_t* dst);

// In place: `n_pixels` CMYK pixels (4 bytes each, ink amounts as libvips returns them,
// Adobe inversion already undone) to RGB (3 bytes each) with ImageMagick's formula
// R = QR - (C/QR * (QR - K) + K), in double on 16-bit quanta, rounded, then scaled to 8 bits.
// No ICC profile is applied, as ImageMagick applies none when converting to PNM.
void CmykToRgb(uint8_t* pixels, size_t n_pixels);

// ImageMagick writes a PGM when every pixel has R == G == B. If so, compacts the 3-byte
// pixels to 1 byte in place and returns true; otherwise leaves them and returns false.
bool CompactIfGrey(uint8_t* pixels, size_t n_pixels);

// In place: keeps the first `keep` of every `channels` bytes (drops alpha or extras).
void DropChannels(uint8_t* pixels, size_t n_pixels, int channels, int keep);

}  // namespace vigil
