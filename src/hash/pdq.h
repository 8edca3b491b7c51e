// PdqHasher: the PDQ perceptual image hash (256 bits + quality) computed from plain 8-bit
// pixels, bit-identical to Meta's C++ reference as restated in specs/pdq.md. It knows
// nothing of files or decoders (STYLE.md practice 2): media/ turns bytes into pixels.
//
// Thread-safety: a PdqHasher keeps its scratch buffers, so one instance must not be used
// from two threads at once; use one hasher per thread. After the first call at a given
// image size a call allocates nothing.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "hash/hash256.h"

namespace vigil {

// Interleaved 8-bit pixels. channels: 1 (grey) or 3 (RGB); 2 and 4 are accepted and their
// last channel (alpha) ignored, as the reference's decoder drops alpha without compositing.
// stride: bytes from one row to the next (>= width * channels).
struct ImageView {
  const uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int channels = 0;
  size_t stride = 0;
};

enum class PdqMode {
  // The reference command-line hasher: images with a side over 512 are first resampled to
  // exactly 512x512 by nearest neighbour (specs/pdq.md step 0). The default; hashes shared
  // between organisations are made this way.
  kReference,
  // No pre-resize (what Meta's Python tooling and HMA do): 0-10 bits from kReference.
  kFullResolution,
};

struct PdqResult {
  Hash256 hash;
  int quality = 0;  // 0..100; hashes under kPdqMinQuality are not matched.
  friend bool operator==(const PdqResult&, const PdqResult&) = default;
};

// Order of HashDihedral's results; the column order of the reference's dihedral output.
enum class PdqDihedral {
  kOriginal = 0,
  kRotate90,
  kRotate180,
  kRotate270,
  kFlipX,       // top <-> bottom
  kFlipY,       // mirror left <-> right
  kFlipPlus1,   // transpose
  kFlipMinus1,  // anti-transpose
};

class PdqHasher {
 public:
  PdqHasher() = default;

  // The hash of `image`. An image with a side under 5 pixels (or a null/invalid view)
  // hashes to all zeros with quality 0, as in the reference.
  PdqResult Hash(const ImageView& image, PdqMode mode = PdqMode::kReference);

  // The eight dihedral variants (order of PdqDihedral), each as if the image had been
  // rotated/flipped before hashing; all share the original's quality.
  std::array<PdqResult, 8> HashDihedral(const ImageView& image,
                                        PdqMode mode = PdqMode::kReference);

  // The float DCT B (16x16, row-major, before thresholding) of an image that is already
  // 64x64: its luma is taken as the matrix A of specs/pdq.md step 3 as is, with no blur,
  // as the reference does for frames ffmpeg has already scaled (TMK's PDQF feature,
  // pdqFloat256FromFloatLuma). Returns false, leaving `out` alone, unless `image` is a
  // valid 64x64 view.
  bool Dct64x64(const ImageView& image, std::array<float, 256>& out);

 private:
  using Matrix16 = std::array<float, 256>;  // DCT output B, row-major 16x16.

  // Steps 0-5 of specs/pdq.md: fills dct_ and returns the quality, or -1 when the image
  // is too small (or invalid) to hash.
  int ComputeDct(const ImageView& image, PdqMode mode);
  void LumaStrip(const ImageView& image, int out_h, int y0, int rows, float* dst);
  void BlurAndDecimate(const ImageView& image, int w, int h);
  int Quality() const;
  void Dct();
  static Hash256 Threshold(const Matrix16& b, Matrix16& scratch);

  // Scratch buffers, grown on demand and kept (no allocation per call in steady state).
  std::vector<float> buf_a_, buf_b_, strip_a_, strip_b_, strip_rows_, sums_;
  std::vector<int> src_x_;  // byte offset of each output column's source pixel
  std::array<float, 64 * 64> decimated_{};  // A in specs/pdq.md step 3.
  std::array<float, 16 * 64> dct_tmp_{};    // T = D A.
  Matrix16 dct_{};                          // B = T D^T.
  Matrix16 scratch_{};
};

}  // namespace vigil
