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
constexpr int kMaxStrip = 16;        // rows per strip in the row-filter passes

// A SIMD vector of floats (8 with AVX, else 4 with SSE2); GCC/Clang lower it to
// registers. Element-wise ops on it are IEEE float ops, identical to the scalar ones lane
// by lane. The helpers taking and returning it are internal and inlined, so GCC's note that
// their ABI would differ between SSE and AVX builds (-Wpsabi) does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"
#if defined(__AVX__)
constexpr int kVec = 8;
#else
constexpr int kVec = 4;
#endif
typedef float VecF __attribute__((vector_size(kVec * sizeof(float))));

inline VecF LoadV(const float* p) {
  VecF v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void StoreV(float* p, VecF v) { std::memcpy(p, &v, sizeof v); }
inline VecF Splat(float x) {
  VecF v;
  for (int i = 0; i < kVec; ++i) v[i] = x;
  return v;
}

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
// kFixedLanes > 0 fixes the lane count at compile time (the row-strip passes), which lets
// the loops unroll; 0 means `lanes` as given.
template <int kFixedLanes>
class LaneBoxFilter {
 public:
  LaneBoxFilter(float* sums, int lanes) : sums_(sums), lanes_(kFixedLanes > 0 ? kFixedLanes : lanes) {
    std::fill(sums_, sums_ + lanes_, 0.0f);
  }
  void Add(const float* in) {
    int l = 0;
    for (; l + kVec <= lanes_; l += kVec) StoreV(sums_ + l, LoadV(sums_ + l) + LoadV(in + l));
    for (; l < lanes_; ++l) sums_[l] += in[l];
  }
  void AddSub(const float* in, const float* out) {
    int l = 0;
    for (; l + kVec <= lanes_; l += kVec) {
      StoreV(sums_ + l, (LoadV(sums_ + l) + LoadV(in + l)) - LoadV(out + l));
    }
    for (; l < lanes_; ++l) sums_[l] = (sums_[l] + in[l]) - out[l];
  }
  void Sub(const float* out) {
    int l = 0;
    for (; l + kVec <= lanes_; l += kVec) StoreV(sums_ + l, LoadV(sums_ + l) - LoadV(out + l));
    for (; l < lanes_; ++l) sums_[l] -= out[l];
  }
  // dst = sums / count. Dividing by a power of two equals multiplying by its exact
  // reciprocal (both are the correctly rounded x * 2^-k), and multiplying is far cheaper;
  // the reference-mode window of 512 pixels is 4.
  void Emit(int count, float* dst) const {
    if (std::has_single_bit(static_cast<unsigned>(count))) {
      const float inverse = 1.0f / static_cast<float>(count);
      const VecF vinverse = Splat(inverse);
      int l = 0;
      for (; l + kVec <= lanes_; l += kVec) StoreV(dst + l, LoadV(sums_ + l) * vinverse);
      for (; l < lanes_; ++l) dst[l] = sums_[l] * inverse;
      return;
    }
    const float divisor = static_cast<float>(count);
    const VecF vdivisor = Splat(divisor);
    int l = 0;
    for (; l + kVec <= lanes_; l += kVec) StoreV(dst + l, LoadV(sums_ + l) / vdivisor);
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
template <int kFixedLanes = 0>
void BoxFilterLines(const float* in, float* out, int n, int lanes, int w, float* sums,
                    const int* want = nullptr, int n_want = 0) {
  LaneBoxFilter<kFixedLanes> filter(sums, lanes);
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

// Step 0 and 1 fused for output rows [y0, y0 + rows): the luma of the (possibly
// nearest-neighbour resized) image, written in lane layout dst[x * rows + r], ready for the
// first row filter, which runs along x with one lane per row.
void PdqHasher::LumaStrip(const ImageView& image, int out_h, int y0, int rows, float* dst) {
  const uint8_t* row[kMaxStrip];
  for (int r = 0; r < rows; ++r) {
    const int64_t sy = int64_t{y0 + r} * image.height / out_h;
    row[r] = image.data + static_cast<size_t>(sy) * image.stride;
  }
  const int out_w = static_cast<int>(src_x_.size());
  if (image.channels == 3 && out_w == image.width) {
    // Contiguous RGB: plain float arithmetic per row, which the compiler vectorises (the
    // products are the same floats the tables hold), then a transpose in cache.
    float* row_major = strip_rows_.data();
    for (int r = 0; r < rows; ++r) {
      float* d = row_major + static_cast<size_t>(r) * out_w;
      for (int x = 0; x < out_w; ++x) {
        const uint8_t* p = row[r] + 3 * x;
        d[x] = (0.299f * static_cast<float>(p[0]) + 0.587f * static_cast<float>(p[1])) +
               0.114f * static_cast<float>(p[2]);
      }
    }
    Transpose(row_major, dst, rows, out_w);
    return;
  }
  // Resampled or grey: x outside, rows inside, so each x fills `rows` contiguous floats.
  const LumaTables& t = Luma();
  const int* sx = src_x_.data();
  for (int x = 0; x < out_w; ++x, dst += rows) {
    const int off = sx[x];
    if (image.channels >= 3) {
      for (int r = 0; r < rows; ++r) {
        const uint8_t* p = row[r] + off;
        dst[r] = (t.r[p[0]] + t.g[p[1]]) + t.b[p[2]];
      }
    } else {
      for (int r = 0; r < rows; ++r) dst[r] = static_cast<float>(row[r][off]);
    }
  }
}

// Steps 0-3. The data stays row-major; the row filters, whose running sums go along a row,
// work on strips of kStrip rows turned into lane layout (x-major, one lane per row) in a
// small cache-resident buffer, so every filter vectorises across independent sums:
//   pass 1 rows:    luma strip -> filter -> rows of buf_a_ (w x h)
//   pass 1 columns: buf_a_ -> buf_b_, lanes = the w columns
//   pass 2 rows:    strips of buf_b_ -> filter, dividing out only the 64 decimation
//                   columns -> rows of buf_a_ (h x 64)
//   pass 2 columns: lanes = those 64 columns, dividing out only the 64 decimation rows.
void PdqHasher::BlurAndDecimate(const ImageView& image, int w, int h) {
  constexpr int kStrip = kMaxStrip;
  const int wx = (w + 127) / 128, wy = (h + 127) / 128;
  src_x_.resize(w);
  for (int x = 0; x < w; ++x) {
    src_x_[x] = static_cast<int>(int64_t{x} * image.width / w) * image.channels;
  }
  buf_a_.resize(static_cast<size_t>(std::max(w, 64)) * h);
  buf_b_.resize(static_cast<size_t>(w) * h);
  strip_a_.resize(static_cast<size_t>(w) * kStrip);
  strip_b_.resize(static_cast<size_t>(std::max(w, 64)) * kStrip);  // also 64 x kStrip
  strip_rows_.resize(static_cast<size_t>(w) * kStrip);
  sums_.resize(std::max({w, h, 64}));
  float *a = buf_a_.data(), *b = buf_b_.data(), *sums = sums_.data();
  float *sa = strip_a_.data(), *sb = strip_b_.data();
  int cols[64], rows[64];
  DecimationIndices(w, cols);
  DecimationIndices(h, rows);
  for (int y0 = 0; y0 < h; y0 += kStrip) {
    const int n = std::min(kStrip, h - y0);
    LumaStrip(image, h, y0, n, sa);
    if (n == kStrip) {
      BoxFilterLines<kStrip>(sa, sb, w, n, wx, sums);
    } else {
      BoxFilterLines(sa, sb, w, n, wx, sums);
    }
    Transpose(sb, a + static_cast<size_t>(y0) * w, w, n);
  }
  BoxFilterLines(a, b, h, w, wy, sums);
  for (int y0 = 0; y0 < h; y0 += kStrip) {
    const int n = std::min(kStrip, h - y0);
    Transpose(b + static_cast<size_t>(y0) * w, sa, n, w);
    if (n == kStrip) {
      BoxFilterLines<kStrip>(sa, sb, w, n, wx, sums, cols, 64);
    } else {
      BoxFilterLines(sa, sb, w, n, wx, sums, cols, 64);
    }
    Transpose(sb, a + static_cast<size_t>(y0) * 64, 64, n);
  }
  BoxFilterLines<64>(a, decimated_.data(), h, 64, wy, sums, rows, 64);
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
  constexpr int kRow64 = 64 / kVec, kRow16 = 16 / kVec;
  for (int i = 0; i < 16; ++i) {
    VecF acc[kRow64] = {};
    for (int k = 0; k < 64; ++k) {
      const VecF d = Splat(m.d[i][k]);
      for (int v = 0; v < kRow64; ++v) acc[v] += d * LoadV(&decimated_[k * 64 + v * kVec]);
    }
    for (int v = 0; v < kRow64; ++v) StoreV(&dct_tmp_[i * 64 + v * kVec], acc[v]);
  }
  for (int i = 0; i < 16; ++i) {
    VecF acc[kRow16] = {};
    for (int k = 0; k < 64; ++k) {
      const VecF t = Splat(dct_tmp_[i * 64 + k]);
      for (int v = 0; v < kRow16; ++v) acc[v] += t * LoadV(&m.dt[k][v * kVec]);
    }
    for (int v = 0; v < kRow16; ++v) StoreV(&dct_[i * 16 + v * kVec], acc[v]);
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
  BlurAndDecimate(image, w, h);
  const int quality = Quality();
  Dct();
  return quality;
}

PdqResult PdqHasher::Hash(const ImageView& image, PdqMode mode) {
  const int quality = ComputeDct(image, mode);
  if (quality < 0) return {};
  return {Threshold(dct_, scratch_), quality};
}

bool PdqHasher::Dct64x64(const ImageView& image, std::array<float, 256>& out) {
  const bool valid = image.data != nullptr && image.channels >= 1 && image.channels <= 4 &&
                     image.width == 64 && image.height == 64 &&
                     image.stride >= static_cast<size_t>(64) * image.channels;
  if (!valid) return false;
  const LumaTables& t = Luma();
  for (int y = 0; y < 64; ++y) {
    const uint8_t* p = image.data + static_cast<size_t>(y) * image.stride;
    float* a = &decimated_[y * 64];
    for (int x = 0; x < 64; ++x, p += image.channels) {
      a[x] = image.channels >= 3 ? (t.r[p[0]] + t.g[p[1]]) + t.b[p[2]]
                                 : static_cast<float>(p[0]);
    }
  }
  Dct();
  out = dct_;
  return true;
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
