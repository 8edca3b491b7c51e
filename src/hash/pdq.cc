// PDQ, written from specs/pdq.md. Every float operation happens in the reference's order
// so the result is bit-identical; speed comes from doing those same operations on many
// rows/columns at once (SIMD across independent running sums), from fusing the luma step
// into the nearest-neighbour pre-resize, and from computing only the blurred values that
// the 64x64 decimation reads in the last two filter passes.
//
// This file must be compiled without floating-point contraction (no FMA): the reference
// rounds every product before adding it. src/hash/CMakeLists.txt passes -ffp-contract=off.
#include "hash/pdq.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <numbers>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace vigil {
namespace {

constexpr int kMinSide = 5;          // specs/pdq.md step 1: smaller images hash to zero.
constexpr int kPreResizeSide = 512;  // specs/pdq.md step 0.

// Eight floats processed as one; GCC/Clang lower it to SSE or AVX. Element-wise ops on it
// are IEEE float ops, identical to the scalar ones lane by lane. The helpers taking and
// returning it are internal and inlined, so GCC's note that their ABI would differ between
// SSE and AVX builds (-Wpsabi) does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"
typedef float V8 __attribute__((vector_size(32)));

inline V8 Load8(const float* p) {
  V8 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void Store8(float* p, V8 v) { std::memcpy(p, &v, sizeof v); }

// The luma coefficients' products with each byte value, so a pixel's luma is two adds:
// (0.299f*R + 0.587f*G) + 0.114f*B, the reference's left-to-right order (step 1).
struct LumaTables {
  float r[256], g[256], b[256];
  LumaTables() {
    for (int v = 0; v < 256; ++v) {
      r[v] = 0.299f * static_cast<float>(v);
      g[v] = 0.587f * static_cast<float>(v);
      b[v] = 0.114f * static_cast<float>(v);
    }
  }
};

// D of step 5: 16x64, the scale factor rounded to float first, the product in double.
struct DctMatrix {
  float d[16][64];
  float dt[64][16];  // D transposed, for the second product.
  DctMatrix() {
    const float scale = static_cast<float>(std::sqrt(2.0 / 64.0));
    for (int i = 0; i < 16; ++i) {
      for (int j = 0; j < 64; ++j) {
        const double angle = (std::numbers::pi / 2 / 64.0) * (i + 1) * (2 * j + 1);
        d[i][j] = static_cast<float>(scale * std::cos(angle));
        dt[j][i] = d[i][j];
      }
    }
  }
};

const LumaTables& Luma() {
  static const LumaTables tables;
  return tables;
}
const DctMatrix& DctTables() {
  static const DctMatrix matrix;
  return matrix;
}

// Copies an n_rows x n_cols row-major matrix into its n_cols x n_rows transpose. The
// filter passes spend most of their memory traffic here, so 4x4 blocks are transposed in
// SSE registers (16-byte stores instead of scattered 4-byte ones), walked in bands of 32
// input rows so each output row receives 128 contiguous bytes at a time.
void Transpose(const float* in, float* out, int n_rows, int n_cols) {
  auto at_in = [&](int r, int c) { return in + static_cast<size_t>(r) * n_cols + c; };
  auto at_out = [&](int c, int r) { return out + static_cast<size_t>(c) * n_rows + r; };
  const int rows4 = n_rows & ~3, cols4 = n_cols & ~3;
  constexpr int kBand = 32;
  for (int r0 = 0; r0 < rows4; r0 += kBand) {
    const int r1 = std::min(rows4, r0 + kBand);
    for (int c = 0; c < cols4; c += 4) {
      for (int r = r0; r < r1; r += 4) {
#if defined(__SSE2__)
        __m128 a = _mm_loadu_ps(at_in(r, c)), b = _mm_loadu_ps(at_in(r + 1, c));
        __m128 x = _mm_loadu_ps(at_in(r + 2, c)), d = _mm_loadu_ps(at_in(r + 3, c));
        _MM_TRANSPOSE4_PS(a, b, x, d);
        _mm_storeu_ps(at_out(c, r), a);
        _mm_storeu_ps(at_out(c + 1, r), b);
        _mm_storeu_ps(at_out(c + 2, r), x);
        _mm_storeu_ps(at_out(c + 3, r), d);
#else
        for (int i = 0; i < 4; ++i) {
          for (int j = 0; j < 4; ++j) *at_out(c + j, r + i) = *at_in(r + i, c + j);
        }
#endif
      }
    }
  }
  // The edges that do not fill a 4x4 block.
  for (int r = 0; r < n_rows; ++r) {
    for (int c = (r < rows4 ? cols4 : 0); c < n_cols; ++c) *at_out(c, r) = *at_in(r, c);
  }
}

// Running-sum state of `lanes` independent box filters that advance together, one line at
// a time. Lane l of line k is element k of the l-th 1-D signal. Each lane performs exactly
// the reference's scalar sequence (add entering, subtract leaving, divide by the count),
// so vectorising across lanes changes no bit.
class LaneBoxFilter {
 public:
  LaneBoxFilter(float* sums, int lanes) : sums_(sums), lanes_(lanes) {
    std::fill(sums_, sums_ + lanes_, 0.0f);
  }
  void Add(const float* in) {
    int l = 0;
    for (; l + 8 <= lanes_; l += 8) Store8(sums_ + l, Load8(sums_ + l) + Load8(in + l));
    for (; l < lanes_; ++l) sums_[l] += in[l];
  }
  void AddSub(const float* in, const float* out) {
    int l = 0;
    for (; l + 8 <= lanes_; l += 8) {
      Store8(sums_ + l, (Load8(sums_ + l) + Load8(in + l)) - Load8(out + l));
    }
    for (; l < lanes_; ++l) sums_[l] = (sums_[l] + in[l]) - out[l];
  }
  void Sub(const float* out) {
    int l = 0;
    for (; l + 8 <= lanes_; l += 8) Store8(sums_ + l, Load8(sums_ + l) - Load8(out + l));
    for (; l < lanes_; ++l) sums_[l] -= out[l];
  }
  // dst = sums / count. Dividing by a power of two equals multiplying by its exact
  // reciprocal (both are the correctly rounded x * 2^-k), and multiplying is far cheaper;
  // the reference-mode window of 512 pixels is 4.
  void Emit(int count, float* dst) const {
    if (std::has_single_bit(static_cast<unsigned>(count))) {
      const float inverse = 1.0f / static_cast<float>(count);
      int l = 0;
      for (; l + 8 <= lanes_; l += 8) Store8(dst + l, Load8(sums_ + l) * inverse);
      for (; l < lanes_; ++l) dst[l] = sums_[l] * inverse;
      return;
    }
    const float divisor = static_cast<float>(count);
    int l = 0;
    for (; l + 8 <= lanes_; l += 8) Store8(dst + l, Load8(sums_ + l) / divisor);
    for (; l < lanes_; ++l) dst[l] = sums_[l] / divisor;
  }

 private:
  float* sums_;
  int lanes_;
};

// Box-filters `lanes` signals of length n stored line-major (in[k * lanes + l]) with a
// window of w (specs/pdq.md step 2, phases as in the reference). With `want` null every
// output line k goes to out[k * lanes]; otherwise only lines listed in the non-decreasing
// `want[0..n_want)` are divided out, into out[slot * lanes] (the running sums still visit
// every line, since each sum carries its float rounding history).
void BoxFilterLines(const float* in, float* out, int n, int lanes, int w, float* sums,
                    const int* want = nullptr, int n_want = 0) {
  LaneBoxFilter filter(sums, lanes);
  const int half = (w + 2) / 2;
  int count = 0, k = 0, slot = 0;
  auto emit = [&] {
    if (want == nullptr) {
      filter.Emit(count, out + static_cast<size_t>(k) * lanes);
    }
    while (want != nullptr && slot < n_want && want[slot] == k) {
      filter.Emit(count, out + static_cast<size_t>(slot++) * lanes);
    }
    ++k;
  };
  auto line = [&](int i) { return in + static_cast<size_t>(i) * lanes; };
  int ri = 0, li = 0;
  for (int i = 0; i < half - 1; ++i, ++count) filter.Add(line(ri++));
  for (int i = 0; i < w - half + 1; ++i) {
    filter.Add(line(ri++));
    ++count;
    emit();
  }
  for (int i = 0; i < n - w; ++i) {
    filter.AddSub(line(ri++), line(li++));
    emit();
  }
  for (int i = 0; i < half - 1; ++i) {
    filter.Sub(line(li++));
    --count;
    emit();
  }
}

// Step 3's sample positions: (int)((i + 0.5) * n / 64), computed in double.
void DecimationIndices(int n, int* out) {
  for (int i = 0; i < 64; ++i) out[i] = static_cast<int>(((i + 0.5) * n) / 64);
}

}  // namespace

// Step 0 and 1 fused: the luma of the (possibly nearest-neighbour resized) image, row by
// row into buf_b_, then transposed into buf_a_ (column-major, buf_a_[x * out_h + y])
// because the first filter pass runs along rows and vectorises across rows. Writing the
// transpose directly would stride by out_h floats, a power of two for 512x512, which maps
// every store to the same few L1 sets; the tiled transpose avoids that.
void PdqHasher::LumaTransposed(const ImageView& image, int out_w, int out_h) {
  src_x_.resize(out_w);
  for (int x = 0; x < out_w; ++x) {
    src_x_[x] = static_cast<int>(int64_t{x} * image.width / out_w) * image.channels;
  }
  const size_t n = static_cast<size_t>(std::max(out_w, 64)) * out_h;
  buf_a_.resize(n);
  buf_b_.resize(n);
  const LumaTables& t = Luma();
  const int* sx = src_x_.data();
  for (int y = 0; y < out_h; ++y) {
    const uint8_t* row =
        image.data + static_cast<size_t>(int64_t{y} * image.height / out_h) * image.stride;
    float* dst = &buf_b_[static_cast<size_t>(y) * out_w];
    if (image.channels >= 3) {
      for (int x = 0; x < out_w; ++x) {
        const uint8_t* p = row + sx[x];
        dst[x] = (t.r[p[0]] + t.g[p[1]]) + t.b[p[2]];
      }
    } else {
      for (int x = 0; x < out_w; ++x) dst[x] = static_cast<float>(row[sx[x]]);
    }
  }
  Transpose(buf_b_.data(), buf_a_.data(), out_h, out_w);
}

// Step 2 (two Jarosz passes, each rows then columns) and step 3. Buffers ping-pong between
// buf_a_ and buf_b_, transposed between passes so every pass vectorises across lanes.
// The second pass computes only what decimated_ reads: its row filter divides out only
// the 64 decimation columns, its column filter only the 64 decimation rows.
void PdqHasher::BlurAndDecimate(int w, int h) {
  const int wx = (w + 127) / 128, wy = (h + 127) / 128;
  // LumaTransposed sized both buffers for the 64 x h intermediate of pass 2 too.
  sums_.resize(std::max({w, h, 64}));
  float* a = buf_a_.data();
  float* b = buf_b_.data();
  float* sums = sums_.data();
  int cols[64], rows[64];
  DecimationIndices(w, cols);
  DecimationIndices(h, rows);
  BoxFilterLines(a, b, w, h, wx, sums);  // pass 1 along rows: a is column-major
  Transpose(b, a, w, h);                 // -> row-major
  BoxFilterLines(a, b, h, w, wy, sums);  // pass 1 along columns
  Transpose(b, a, h, w);                 // -> column-major
  BoxFilterLines(a, b, w, h, wx, sums, cols, 64);  // pass 2 rows: 64 columns x h
  Transpose(b, a, 64, h);                          // -> h x 64
  BoxFilterLines(a, decimated_.data(), h, 64, wy, sums, rows, 64);
}

// Step 4: (int)((u - v) * 100 / 255) in float over all adjacent pairs.
int PdqHasher::Quality() const {
  const float* a = decimated_.data();
  int sum = 0;
  for (int i = 0; i < 63; ++i) {
    for (int j = 0; j < 64; ++j) {
      const int d = static_cast<int>(((a[i * 64 + j] - a[(i + 1) * 64 + j]) * 100) / 255);
      sum += std::abs(d);
    }
  }
  for (int i = 0; i < 64; ++i) {
    for (int j = 0; j < 63; ++j) {
      const int d = static_cast<int>(((a[i * 64 + j] - a[i * 64 + j + 1]) * 100) / 255);
      sum += std::abs(d);
    }
  }
  return std::min(100, sum / 90);
}

// Step 5 as two matrix products. Each output element accumulates from 0.0f with k
// ascending, as the reference does; the loops run over k outside and over the output
// row's elements inside, which keeps that order per element and vectorises.
void PdqHasher::Dct() {
  const DctMatrix& m = DctTables();
  for (int i = 0; i < 16; ++i) {
    V8 acc[8] = {};
    for (int k = 0; k < 64; ++k) {
      const float d = m.d[i][k];
      for (int v = 0; v < 8; ++v) acc[v] += d * Load8(&decimated_[k * 64 + v * 8]);
    }
    for (int v = 0; v < 8; ++v) Store8(&dct_tmp_[i * 64 + v * 8], acc[v]);
  }
  for (int i = 0; i < 16; ++i) {
    V8 acc[2] = {};
    for (int k = 0; k < 64; ++k) {
      const float t = dct_tmp_[i * 64 + k];
      acc[0] += t * Load8(&m.dt[k][0]);
      acc[1] += t * Load8(&m.dt[k][8]);
    }
    Store8(&dct_[i * 16], acc[0]);
    Store8(&dct_[i * 16 + 8], acc[1]);
  }
}

// Step 6: bit 16i+j set iff B[i][j] exceeds the lower median (128th smallest value).
Hash256 PdqHasher::Threshold(const Matrix16& b, Matrix16& scratch) {
  scratch = b;
  std::nth_element(scratch.begin(), scratch.begin() + 127, scratch.end());
  const float median = scratch[127];
  Hash256 hash;
  for (int k = 0; k < 256; ++k) {
    if (b[k] > median) hash.SetBit(k);
  }
  return hash;
}

int PdqHasher::ComputeDct(const ImageView& image, PdqMode mode) {
  const bool valid = image.data != nullptr && image.channels >= 1 && image.channels <= 4 &&
                     image.width > 0 && image.height > 0 &&
                     image.stride >= static_cast<size_t>(image.width) * image.channels;
  if (!valid || image.width < kMinSide || image.height < kMinSide) return -1;
  int w = image.width, h = image.height;
  if (mode == PdqMode::kReference && (w > kPreResizeSide || h > kPreResizeSide)) {
    w = h = kPreResizeSide;
  }
  LumaTransposed(image, w, h);
  BlurAndDecimate(w, h);
  const int quality = Quality();
  Dct();
  return quality;
}

PdqResult PdqHasher::Hash(const ImageView& image, PdqMode mode) {
  const int quality = ComputeDct(image, mode);
  if (quality < 0) return {};
  return {Threshold(dct_, scratch_), quality};
}

// specs/pdq.md "Dihedral variants": each variant of B by sign changes and transposition,
// thresholded against its own median. s(x) = +1 for odd x, -1 for even x.
std::array<PdqResult, 8> PdqHasher::HashDihedral(const ImageView& image, PdqMode mode) {
  std::array<PdqResult, 8> out{};
  const int quality = ComputeDct(image, mode);
  if (quality < 0) return out;
  auto s = [](int x) { return (x & 1) ? 1.0f : -1.0f; };
  auto alt = [](int x) { return (x & 1) ? -1.0f : 1.0f; };  // (-1)^x
  const Matrix16& b = dct_;
  Matrix16 v;
  for (int variant = 0; variant < 8; ++variant) {
    for (int r = 0; r < 16; ++r) {
      for (int c = 0; c < 16; ++c) {
        const float same = b[r * 16 + c], swapped = b[c * 16 + r];
        float x = same;
        switch (static_cast<PdqDihedral>(variant)) {
          case PdqDihedral::kOriginal: x = same; break;
          case PdqDihedral::kRotate90: x = s(r) * swapped; break;
          case PdqDihedral::kRotate180: x = alt(r + c) * same; break;
          case PdqDihedral::kRotate270: x = s(c) * swapped; break;
          case PdqDihedral::kFlipX: x = s(r) * same; break;
          case PdqDihedral::kFlipY: x = s(c) * same; break;
          case PdqDihedral::kFlipPlus1: x = swapped; break;
          case PdqDihedral::kFlipMinus1: x = alt(r + c) * swapped; break;
        }
        v[r * 16 + c] = x;
      }
    }
    out[variant] = {Threshold(v, scratch_), quality};
  }
  return out;
}

}  // namespace vigil
