#include "hash/border_trim.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#if defined(__SSE4_1__)
#include <immintrin.h>
#endif

namespace vigil {
namespace {

enum class Axis { kRow, kColumn };

// Samples at most this many neighbour pairs per line: the statistics of a line need no
// more, and it bounds the cost on large images (a 12-megapixel photo reads ~1/8 of the
// pixels of each line it looks at).
constexpr int kMaxPairsPerLine = 128;

struct LineStats {
  float mean = 0;    // mean luma of the sampled pixels
  float detail = 0;  // mean |luma difference| of the sampled neighbour pairs
  float spread = 0;  // mean |luma - mean|
  float cross = 0;   // mean |luma - luma at the same place on the line before| (0: none)
  std::array<float, 3> colour{};  // mean R, G, B (a grey image: its level thrice)
};

// BT.601 luma of the pixel at `p`; a grey (or grey + alpha) pixel is its own luma.
float LumaOf(const uint8_t* p, int channels) {
  if (channels < 3) return p[0];
  return 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
}

const uint8_t* PixelAt(const ImageView& image, int x, int y) {
  return image.data + static_cast<size_t>(y) * image.stride +
         static_cast<size_t>(x) * static_cast<size_t>(image.channels);
}

// The sums over one line's samples that its LineStats are made of. The float sums run in
// sample order, so a line's statistics are the same whichever scan reads it first.
struct LineSums {
  float luma = 0, detail = 0;
  std::array<int32_t, 3> colour{};  // exact: at most 512 samples of 255
};

// Where the samples of a block of neighbouring lines are, in bytes: from one line to the
// next, from a sampled pixel to its neighbour, from one pair to the next.
struct BlockLayout {
  const uint8_t* origin;  // the first pixel of the block's first line
  ptrdiff_t line_step, pixel_step, pair_step;
  int lines, pairs;
  const uint8_t* end;  // just past the image's last pixel: no read may reach it
};

// Lines per block (LineSampler), and the slots of one sample position in a block's
// samples: the block's lines and the line before them.
constexpr int kBlockLines = 15;
constexpr int kSlots = kBlockLines + 1;  // 16: four SSE vectors a sample position

// LumaOf's products per channel level, so that a sample's luma is two additions: the same
// float products and the same order of addition, so the same luma to the bit.
struct LumaTable {
  std::array<float, 256> r, g, b;
};
const LumaTable& Luma() {
  static const LumaTable table = [] {
    LumaTable t;
    for (int v = 0; v < 256; ++v) {
      t.r[v] = 0.299f * static_cast<float>(v);
      t.g[v] = 0.587f * static_cast<float>(v);
      t.b[v] = 0.114f * static_cast<float>(v);
    }
    return t;
  }();
  return table;
}

// Adds the pair (a, a + pixel_step) to `sum` and writes its luma to luma[0] and
// luma[stride]. Grey images (1 or 2 channels) count their level as R; Summarise copies it
// to G and B.
template <bool kRgb>
inline void SamplePair(const LumaTable& t, const uint8_t* a, ptrdiff_t pixel_step, float* luma,
                       int stride, LineSums* sum) {
  const uint8_t* b = a + pixel_step;
  float la, lb;
  if constexpr (kRgb) {
    la = t.r[a[0]] + t.g[a[1]] + t.b[a[2]];
    lb = t.r[b[0]] + t.g[b[1]] + t.b[b[2]];
    for (int c = 0; c < 3; ++c) sum->colour[c] += a[c] + b[c];
  } else {
    la = a[0], lb = b[0];
    sum->colour[0] += a[0] + b[0];
  }
  luma[0] = la, luma[stride] = lb;
  sum->luma += la + lb;
  sum->detail += std::fabs(la - lb);
}

// Reads `pairs` neighbour pairs of each of the block's lines into `luma` (sample i of line
// j at i * lines + j) and their sums into `sums`, in sample order per line (the float
// sums depend on it). Pair by pair across the lines, on either axis: the lines' sums form
// chains side by side instead of one chain a line (a float add's latency, not its
// throughput, was the cost), and a block of columns reads each sampled row once, a few
// dozen contiguous bytes, instead of once per column hopping down the image.
template <bool kRgb>
void SampleBlockScalar(const BlockLayout& at, float* luma, LineSums* sums) {
  const LumaTable& t = Luma();
  for (int k = 0; k < at.pairs; ++k) {
    const uint8_t* pair = at.origin + k * at.pair_step;
    for (int j = 0; j < at.lines; ++j) {
      SamplePair<kRgb>(t, pair + j * at.line_step, at.pixel_step, luma + 2 * k * at.lines + j,
                       at.lines, &sums[j]);
    }
  }
}

#if defined(__SSE4_1__)
// A full block (kSlots lines) of an RGB or grey image, with SSE, every lane one line. For
// a block of columns the kSlots lines' samples are kSlots neighbouring pixels of one row,
// read at once; a block of rows' are gathered (LoadRowPairsRgb). Each lane computes what
// SamplePair does for its line, with the same float products (a channel level times its
// weight, rounded once) added in the same order, so every luma and every sum is the same
// to the bit.
struct Lanes {
  __m128i r, g, b;  // the channel levels of kSlots pixels, one byte each
};

inline Lanes LoadPixels(const uint8_t* p, int channels) {
  if (channels == 1) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    return {v, v, v};
  }
  // Deinterleaves 16 RGB pixels (48 bytes): each channel's bytes from the three vectors.
  const __m128i v0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
  const __m128i v2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 32));
  auto pick = [&](__m128i m0, __m128i m1, __m128i m2) {
    return _mm_or_si128(_mm_or_si128(_mm_shuffle_epi8(v0, m0), _mm_shuffle_epi8(v1, m1)),
                        _mm_shuffle_epi8(v2, m2));
  };
  constexpr char z = -1;  // a shuffle index that writes 0
  return {pick(_mm_setr_epi8(0, 3, 6, 9, 12, 15, z, z, z, z, z, z, z, z, z, z),
               _mm_setr_epi8(z, z, z, z, z, z, 2, 5, 8, 11, 14, z, z, z, z, z),
               _mm_setr_epi8(z, z, z, z, z, z, z, z, z, z, z, 1, 4, 7, 10, 13)),
          pick(_mm_setr_epi8(1, 4, 7, 10, 13, z, z, z, z, z, z, z, z, z, z, z),
               _mm_setr_epi8(z, z, z, z, z, 0, 3, 6, 9, 12, 15, z, z, z, z, z),
               _mm_setr_epi8(z, z, z, z, z, z, z, z, z, z, z, 2, 5, 8, 11, 14)),
          pick(_mm_setr_epi8(2, 5, 8, 11, 14, z, z, z, z, z, z, z, z, z, z, z),
               _mm_setr_epi8(z, z, z, z, z, 1, 4, 7, 10, 13, z, z, z, z, z, z),
               _mm_setr_epi8(z, z, z, z, z, z, z, z, z, z, 0, 3, 6, 9, 12, 15))};
}

// Lanes 4q .. 4q + 3 of a channel, as 32-bit integers.
template <int kQuarter>
inline __m128i Widen(__m128i bytes) {
  return _mm_cvtepu8_epi32(_mm_srli_si128(bytes, 4 * kQuarter));
}

// Lanes 4q .. 4q + 3 of a pixel row: their luma (grey: the level itself), and each
// channel's levels added to `colour`.
template <int kQuarter, bool kRgb>
inline __m128 QuarterLuma(const Lanes& px, __m128i* colour) {
  const __m128i r = Widen<kQuarter>(px.r);
  colour[0] = _mm_add_epi32(colour[0], r);
  if constexpr (!kRgb) return _mm_cvtepi32_ps(r);
  const __m128i g = Widen<kQuarter>(px.g), b = Widen<kQuarter>(px.b);
  colour[1] = _mm_add_epi32(colour[1], g);
  colour[2] = _mm_add_epi32(colour[2], b);
  const __m128 lr = _mm_mul_ps(_mm_cvtepi32_ps(r), _mm_set1_ps(0.299f));
  const __m128 lg = _mm_mul_ps(_mm_cvtepi32_ps(g), _mm_set1_ps(0.587f));
  const __m128 lb = _mm_mul_ps(_mm_cvtepi32_ps(b), _mm_set1_ps(0.114f));
  return _mm_add_ps(_mm_add_ps(lr, lg), lb);
}

// Per quarter of the lanes: the running luma and detail sums and the colour sums.
struct QuarterSums {
  __m128 luma = _mm_setzero_ps(), detail = _mm_setzero_ps();
  __m128i colour[3] = {_mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128()};
};

template <int kQuarter, bool kRgb>
inline void QuarterPair(const Lanes& a, const Lanes& b, float* luma, QuarterSums* s) {
  const __m128 la = QuarterLuma<kQuarter, kRgb>(a, s->colour);
  const __m128 lb = QuarterLuma<kQuarter, kRgb>(b, s->colour);
  _mm_storeu_ps(luma + 4 * kQuarter, la);
  _mm_storeu_ps(luma + kSlots + 4 * kQuarter, lb);
  s->luma = _mm_add_ps(s->luma, _mm_add_ps(la, lb));
  const __m128 magnitude = _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff));
  s->detail = _mm_add_ps(s->detail, _mm_and_ps(_mm_sub_ps(la, lb), magnitude));
}

// A block of rows: line j's pair is a few bytes at p + j * line_step, so the kSlots lines'
// samples are gathered and transposed. RGB: 8 bytes a line (the pair's 6 and 2 more; the
// caller keeps them inside the image), two lines to a vector, byte c of each line paired
// with the next line's, then an 8 x 8 transpose of those 16-bit pairs gives each channel
// of a and of b for all 16 lines.
inline void LoadRowPairsRgb(const uint8_t* p, ptrdiff_t line_step, Lanes* a, Lanes* b) {
  const __m128i interleave = _mm_setr_epi8(0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);
  __m128i x[8];
  for (int i = 0; i < 8; ++i) {
    const __m128i lo = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + 2 * i * line_step));
    const __m128i hi =
        _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + (2 * i + 1) * line_step));
    x[i] = _mm_shuffle_epi8(_mm_unpacklo_epi64(lo, hi), interleave);
  }
  const __m128i a0 = _mm_unpacklo_epi16(x[0], x[1]), a1 = _mm_unpackhi_epi16(x[0], x[1]);
  const __m128i a2 = _mm_unpacklo_epi16(x[2], x[3]), a3 = _mm_unpackhi_epi16(x[2], x[3]);
  const __m128i a4 = _mm_unpacklo_epi16(x[4], x[5]), a5 = _mm_unpackhi_epi16(x[4], x[5]);
  const __m128i a6 = _mm_unpacklo_epi16(x[6], x[7]), a7 = _mm_unpackhi_epi16(x[6], x[7]);
  const __m128i b0 = _mm_unpacklo_epi32(a0, a2), b1 = _mm_unpackhi_epi32(a0, a2);
  const __m128i b2 = _mm_unpacklo_epi32(a1, a3);
  const __m128i b4 = _mm_unpacklo_epi32(a4, a6), b5 = _mm_unpackhi_epi32(a4, a6);
  const __m128i b6 = _mm_unpacklo_epi32(a5, a7);
  *a = {_mm_unpacklo_epi64(b0, b4), _mm_unpackhi_epi64(b0, b4), _mm_unpacklo_epi64(b1, b5)};
  *b = {_mm_unpackhi_epi64(b1, b5), _mm_unpacklo_epi64(b2, b6), _mm_unpackhi_epi64(b2, b6)};
}

// Grey rows: each line's pair is two bytes.
inline void LoadRowPairsGrey(const uint8_t* p, ptrdiff_t line_step, Lanes* a, Lanes* b) {
  std::array<uint16_t, kSlots> pairs;
  for (int j = 0; j < kSlots; ++j) std::memcpy(&pairs[j], p + j * line_step, 2);
  const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(pairs.data()));
  const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(pairs.data() + 8));
  constexpr char z = -1;
  const __m128i even_lo = _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, z, z, z, z, z, z, z, z);
  const __m128i even_hi = _mm_setr_epi8(z, z, z, z, z, z, z, z, 0, 2, 4, 6, 8, 10, 12, 14);
  const __m128i odd_lo = _mm_setr_epi8(1, 3, 5, 7, 9, 11, 13, 15, z, z, z, z, z, z, z, z);
  const __m128i odd_hi = _mm_setr_epi8(z, z, z, z, z, z, z, z, 1, 3, 5, 7, 9, 11, 13, 15);
  const __m128i va = _mm_or_si128(_mm_shuffle_epi8(lo, even_lo), _mm_shuffle_epi8(hi, even_hi));
  const __m128i vb = _mm_or_si128(_mm_shuffle_epi8(lo, odd_lo), _mm_shuffle_epi8(hi, odd_hi));
  *a = {va, va, va};
  *b = {vb, vb, vb};
}

template <bool kRgb>
void SampleBlockSse(const BlockLayout& at, Axis axis, int channels, float* luma, LineSums* sums) {
  std::array<QuarterSums, 4> q;
  for (int k = 0; k < at.pairs; ++k) {
    const uint8_t* pair = at.origin + k * at.pair_step;
    Lanes a, b;
    if (axis == Axis::kColumn) {
      a = LoadPixels(pair, channels), b = LoadPixels(pair + at.pixel_step, channels);
    } else if constexpr (kRgb) {
      LoadRowPairsRgb(pair, at.line_step, &a, &b);
    } else {
      LoadRowPairsGrey(pair, at.line_step, &a, &b);
    }
    float* out = luma + 2 * k * kSlots;
    QuarterPair<0, kRgb>(a, b, out, &q[0]);
    QuarterPair<1, kRgb>(a, b, out, &q[1]);
    QuarterPair<2, kRgb>(a, b, out, &q[2]);
    QuarterPair<3, kRgb>(a, b, out, &q[3]);
  }
  for (int i = 0; i < 4; ++i) {
    alignas(16) std::array<float, 4> l, d;
    alignas(16) std::array<std::array<int32_t, 4>, 3> c;
    _mm_store_ps(l.data(), q[i].luma);
    _mm_store_ps(d.data(), q[i].detail);
    for (int ch = 0; ch < 3; ++ch) {
      _mm_store_si128(reinterpret_cast<__m128i*>(c[ch].data()), q[i].colour[ch]);
    }
    for (int lane = 0; lane < 4; ++lane) {
      LineSums& s = sums[4 * i + lane];
      s.luma = l[lane], s.detail = d[lane];
      for (int ch = 0; ch < 3; ++ch) s.colour[ch] = c[ch][lane];
    }
  }
}

// SampleBlockSse's loads stay inside the image: a row's RGB load reads 2 bytes past the
// last pair of the block's last line.
bool SseFits(const BlockLayout& at, Axis axis, int channels) {
  if (at.lines != kSlots || (channels != 1 && channels != 3) || at.pairs == 0) return false;
  if (axis == Axis::kColumn || channels == 1) return true;
  const uint8_t* last = at.origin + (kSlots - 1) * at.line_step + (at.pairs - 1) * at.pair_step;
  return last + 8 <= at.end;
}
#endif

template <bool kRgb>
void SampleBlock(const BlockLayout& at, Axis axis, int channels, float* luma, LineSums* sums) {
#if defined(__SSE4_1__)
  if (SseFits(at, axis, channels)) {
    SampleBlockSse<kRgb>(at, axis, channels, luma, sums);
    return;
  }
#endif
  SampleBlockScalar<kRgb>(at, luma, sums);
}

// Per line of a block's samples (SampleBlock's layout): the sums of |luma - the line's
// mean| into `spread` and of |luma - the line before's| into `back` (0 for the first
// line), each in sample order. With the lines a constant, the lines' sums sit in SSE lanes
// side by side, each lane still summing in sample order.
template <int kLines>
void Deviations(const float* luma, size_t n, const float* mean, float* spread, float* back) {
  std::array<float, kLines> s{}, b{};
  for (size_t i = 0; i < n; ++i) {
    const float* at = luma + i * kLines;
    for (int j = 0; j < kLines; ++j) s[j] += std::fabs(at[j] - mean[j]);
    for (int j = 1; j < kLines; ++j) b[j] += std::fabs(at[j] - at[j - 1]);
  }
  for (int j = 0; j < kLines; ++j) spread[j] = s[j], back[j] = b[j];
}

// The same for any number of lines (a single line, the image's last block), a line at a
// time so that its sums stay in registers.
void DeviationsOneByOne(int lines, const float* luma, size_t n, const float* mean, float* spread,
                        float* back) {
  const size_t stride = static_cast<size_t>(lines);
  for (int j = 0; j < lines; ++j) {
    const size_t at = static_cast<size_t>(j);
    float s = 0, b = 0;
    for (size_t i = 0; i < n; ++i) {
      const float x = luma[i * stride + at];
      s += std::fabs(x - mean[j]);
      if (j > 0) b += std::fabs(x - luma[i * stride + at - 1]);
    }
    spread[j] = s, back[j] = b;
  }
}

// Luma along the lines of one axis (rows or columns), over positions [lo, hi) across it.
// Each line's statistics are computed once, in blocks of kBlockLines neighbours, and kept:
// opposite sides' scans meet over the middle of a smooth picture, and the probes past a
// bar go back over lines the scan has read.
class LineSampler {
 public:
  LineSampler(const ImageView& image, Axis axis, int lo, int hi)
      : image_(image),
        axis_(axis),
        lo_(lo),
        count_(axis == Axis::kRow ? image.height : image.width),
        pixel_step_(axis == Axis::kRow ? image.channels : static_cast<ptrdiff_t>(image.stride)),
        line_step_(axis == Axis::kRow ? static_cast<ptrdiff_t>(image.stride) : image.channels) {
    // Pairs (p, p + 1) at every step-th position p of [lo, hi - 1): neighbours, so that
    // the detail of a gradient or a blur is measured at the pixel scale whatever the
    // sampling; at most 256 of them (the step rounds down).
    const int step = std::max(1, (hi - lo) / kMaxPairsPerLine);
    pairs_ = hi - lo >= 2 ? std::min((hi - lo - 2) / step + 1, 2 * kMaxPairsPerLine) : 0;
    pair_step_ = pixel_step_ * step;
  }

  // The statistics of `line`, with the cross difference against the line before it in
  // the scan's direction `dir` (+1 or -1; 0 when there is none): a blurred fill changes
  // little from line to line, so the seam where a picture starts stands out there even
  // when the picture is as smooth along its lines as the fill.
  LineStats Stats(int line, int dir) {
    Ensure(line);
    LineStats s = stats_[static_cast<size_t>(line)];
    // |a - b| is symmetric: the cross of `line` against line + 1 is line + 1's back cross.
    const int later = dir > 0 ? line : line + 1;
    if (dir != 0 && later >= 1 && later < count_) {
      Ensure(later);
      s.cross = back_cross_[static_cast<size_t>(later)];
    }
    return s;
  }

  // The statistics of `line` alone, read without filling a block: the first line of a
  // side is all a scan reads of a detailed picture.
  LineStats Single(int line) {
    if (!known_.empty() && known_[static_cast<size_t>(line)]) {
      return stats_[static_cast<size_t>(line)];
    }
    std::array<LineStats, kSlots> stats;
    std::array<float, kSlots> cross;
    Summarise(Layout(line, 1), stats.data(), cross.data());
    return stats[0];
  }

  // `line` (> 0) read with only the line before it, by the scalar code, with its back
  // cross: FirstBlockMismatch's reference.
  LineStats AloneWithBackCross(int line) {
    std::array<LineStats, kSlots> stats;
    std::array<float, kSlots> cross;
    Summarise(Layout(line - 1, 2), stats.data(), cross.data());
    stats[1].cross = cross[1];
    return stats[1];
  }

 private:
  void Ensure(int line) {
    if (known_.empty()) Allocate();
    if (!known_[static_cast<size_t>(line)]) ComputeBlock(line - line % kBlockLines);
  }

  // On the first block, not before: most pictures have detail at their edges, and a scan
  // of them reads one line a side (Single).
  void Allocate() {
    const size_t lines = static_cast<size_t>(count_);
    stats_.resize(lines);
    back_cross_.resize(lines);
    known_.resize(lines, false);
  }

  // Lines [first, first + kBlockLines), and the line before them for their back cross.
  void ComputeBlock(int first) {
    const int start = std::max(first - 1, 0), end = std::min(first + kBlockLines, count_);
    std::array<LineStats, kSlots> stats;
    std::array<float, kSlots> cross;
    Summarise(Layout(start, end - start), stats.data(), cross.data());
    for (int line = start; line < end; ++line) {
      const size_t j = static_cast<size_t>(line - start), at = static_cast<size_t>(line);
      stats_[at] = stats[j];
      // The block's first line has no back cross here unless it is the image's first.
      if (j > 0 || line == 0) back_cross_[at] = cross[j], known_[at] = true;
    }
  }

  BlockLayout Layout(int first, int lines) const {
    const uint8_t* origin =
        axis_ == Axis::kRow ? PixelAt(image_, lo_, first) : PixelAt(image_, first, lo_);
    const uint8_t* end = PixelAt(image_, image_.width, image_.height - 1);
    return {origin, line_step_, pixel_step_, pair_step_, lines, pairs_, end};
  }

  // The statistics of the lines of `at` into `stats`, and each line's cross difference
  // against the line before it into `cross` (0 for the first). Every float sum runs in
  // sample order, as the statistics' definition does, with the lines' sums side by side.
  void Summarise(const BlockLayout& at, LineStats* stats, float* cross) {
    samples_.resize(static_cast<size_t>(at.lines) * 2 * static_cast<size_t>(pairs_));
    std::array<LineSums, kSlots> sums{};
    if (image_.channels >= 3) {
      SampleBlock<true>(at, axis_, image_.channels, samples_.data(), sums.data());
    } else {
      SampleBlock<false>(at, axis_, image_.channels, samples_.data(), sums.data());
      // Grey samples counted their level as R.
      for (int j = 0; j < at.lines; ++j) sums[j].colour[1] = sums[j].colour[2] = sums[j].colour[0];
    }
    const size_t n = 2 * static_cast<size_t>(pairs_);
    const float k = static_cast<float>(n);
    std::array<float, kSlots> mean{}, spread{}, back{};
    for (int j = 0; j < at.lines; ++j) {
      stats[j] = {};
      if (n == 0) continue;
      mean[j] = stats[j].mean = sums[j].luma / k;
      stats[j].detail = sums[j].detail / (k / 2);
      for (int c = 0; c < 3; ++c) stats[j].colour[c] = static_cast<float>(sums[j].colour[c]) / k;
    }
    if (at.lines == kSlots) {
      Deviations<kSlots>(samples_.data(), n, mean.data(), spread.data(), back.data());
    } else {
      DeviationsOneByOne(at.lines, samples_.data(), n, mean.data(), spread.data(), back.data());
    }
    for (int j = 0; j < at.lines; ++j) {
      stats[j].spread = n > 0 ? spread[j] / k : 0;
      cross[j] = n > 0 ? back[j] / k : 0;
    }
  }

  ImageView image_;
  Axis axis_;
  int lo_, count_;
  ptrdiff_t pixel_step_, line_step_, pair_step_ = 0;
  int pairs_ = 0;
  std::vector<float> samples_;     // one block's lines and the line before, pair by pair
  std::vector<LineStats> stats_;   // per line; cross unset
  std::vector<float> back_cross_;  // per line: the cross against the line before it
  std::vector<bool> known_;        // per line: stats_ and back_cross_ are set
};

// The largest difference of one colour channel's means: a red bar beside a grey picture
// of the same luma differs by 150 levels of red, not at all in luma.
float ColourStep(const LineStats& a, const LineStats& b) {
  float step = 0;
  for (int c = 0; c < 3; ++c) step = std::max(step, std::fabs(a.colour[c] - b.colour[c]));
  return step;
}

// How a bar was told from the picture next to it (file comment): one colour; soft and
// ending at detail or a brightness change at a sharp edge; soft and ending at a seam.
enum class BarKind { kNone, kUniform, kSoft, kSeam };

struct SideBorder {
  int thickness = 0;  // 0: no border on this side
  BarKind kind = BarKind::kNone;
};

int MinThickness(int side, const BorderTrimOptions& o) {
  return std::max(2, static_cast<int>(std::ceil(o.min_border_fraction * side)));
}

// The most lines a border may take from one side: the rest must stay content.
int MaxThickness(int side, const BorderTrimOptions& o) {
  const int keep =
      std::max(o.min_content_pixels, static_cast<int>(std::ceil(o.min_content_fraction * side)));
  return side - keep;
}

// The lines just past a run of `n` border lines: their averages over a few lines, not
// one, as JPEG's ringing and an anti-aliased edge blur a single line; the most detail of
// the first kEdgeLines of them, which tells a straight, sharp edge from a gradual one; and
// the seam, the cross difference between the bar's last line and the first line past it.
constexpr int kEdgeLines = 4;
struct Past {
  LineStats average;  // its cross leaves the seam out: the picture's own
  float edge_detail = 0;
  float seam = 0;
};

Past ProbePast(LineSampler& lines, int first, int dir, int side, int n) {
  // 3 x kEdgeLines at least, so that the edge's lines are a small part of the average.
  const int probe = std::min(std::max(3 * kEdgeLines, side / 100), side - n);
  Past past;
  LineStats& sum = past.average;
  for (int i = 0; i < probe; ++i) {
    const LineStats s = lines.Stats(first + dir * (n + i), dir);
    sum.mean += s.mean;
    sum.detail += s.detail;
    sum.spread += s.spread;
    for (int c = 0; c < 3; ++c) sum.colour[c] += s.colour[c];
    if (i == 0) past.seam = s.cross;
    if (i > 0) sum.cross += s.cross;
    if (i < kEdgeLines) past.edge_detail = std::max(past.edge_detail, s.detail);
  }
  const float k = static_cast<float>(std::max(probe, 1));
  sum.mean /= k, sum.detail /= k, sum.spread /= k;
  for (float& c : sum.colour) c /= k;
  sum.cross /= static_cast<float>(std::max(probe - 1, 1));
  return past;
}

// A uniform bar ends at content when what follows has detail, a different brightness or
// colour, or is no longer one colour (a bar of the same grey as a smooth region next to
// it).
bool UniformBarEnds(const LineStats& past, const LineStats& last, const BorderTrimOptions& o) {
  return past.detail >= o.min_content_detail ||
         std::fabs(past.mean - last.mean) >= o.min_edge_step ||
         ColourStep(past, last) >= o.min_edge_step || past.spread >= o.min_content_spread;
}

// What a flat run looked like: its last line, its mean detail and cross difference, and
// the largest cross difference of its lines but the last kSeamSearchLines (a seam's JPEG
// block rings there).
constexpr int kSeamSearchLines = 8;
struct Bar {
  LineStats last;
  float detail = 0;
  float cross = 0;
  float max_cross = 0;
};

// A soft bar ends at content only when the content has several times its detail (and
// either real detail or a different brightness), and does so at once: a generated bar has
// a straight edge, where the first lines past it are already as detailed as the content,
// while a natural smooth region (sky over a skyline) gains detail gradually, line by line.
bool SoftBarEnds(const Past& past, const Bar& bar, const BorderTrimOptions& o) {
  const float content = past.average.detail;
  const bool distinct = content >= o.min_content_detail ||
                        std::fabs(past.average.mean - bar.last.mean) >= o.min_edge_step;
  // The edge: a jump in detail from the bar's last line, not a ramp that crossed the
  // flatness threshold there.
  const bool sharp = past.edge_detail >= o.soft_contrast * std::max(bar.last.detail, bar.detail) &&
                     past.edge_detail >= o.soft_edge_share * content;
  return distinct && sharp && content >= o.soft_contrast * bar.detail;
}

// Where a picture laid on a blurred fill starts, within the JPEG block past a flat run
// (8 lines; the onset may be a few lines short, on the block's ringing): the first line
// that differs from the line before it by at least 80% as much as the line that differs
// most. The first, not the most: past the seam a detailed picture's lines differ as much.
int FindSeam(LineSampler& lines, int first, int dir, int n, int max_lines) {
  std::array<float, kSeamSearchLines> cross{};
  const int count = std::min(kSeamSearchLines, max_lines - n);
  for (int i = 0; i < count; ++i) {
    cross[i] = lines.Stats(first + dir * (n + i), dir).cross;
  }
  const float most = *std::max_element(cross.begin(), cross.begin() + std::max(count, 1));
  int i = 0;
  while (i + 1 < count && cross[i] < 0.8f * most) ++i;
  return n + i;
}

// A soft bar may also end at a seam, beside a picture as smooth as the bar along its
// lines: the seam differs from the line before it several times more than the bar's lines
// differ from one another, and clearly more than the picture's do. Seam bars are trusted
// only in tight pairs (PairBars).
bool SeamEnds(const Past& past, const Bar& bar, const BorderTrimOptions& o) {
  return past.seam >= o.min_seam && past.seam >= o.soft_contrast * bar.cross &&
         past.seam >= o.seam_share * std::max(past.average.cross, bar.max_cross);
}

// The runs followed inward from one side (ScanSide): the flat run (uniform, gradient or
// blurred lines), the uniform run within it (lines of the edge's one colour), and where
// seams may start: lines that differ from the one before by more than seam_onset and
// soft_contrast times the lines before did on average (a few; JPEG's block edges in a
// fill can look like one), and the end of the flat run.
constexpr int kMaxSeamOnsets = 6;
struct Onset {
  int line = 0;
  Bar bar;  // over the lines before it
};
struct Runs {
  int flat = 0, uniform = 0;
  LineStats last_uniform;
  Bar bar;  // over the flat run
  std::array<Onset, kMaxSeamOnsets + 1> onsets;
  int onset_count = 0;
};

Bar Average(Bar bar, int n) {
  bar.detail /= static_cast<float>(n);
  bar.cross /= static_cast<float>(std::max(n - 1, 1));
  return bar;
}

Runs FollowRuns(LineSampler& lines, int first, int dir, int max_lines, const BorderTrimOptions& o) {
  const LineStats outer = lines.Stats(first, 0);
  auto is_uniform = [&](const LineStats& s) {
    return s.spread <= o.max_uniform_spread &&
           std::fabs(s.mean - outer.mean) <= o.max_uniform_drift &&
           ColourStep(s, outer) <= o.max_uniform_colour_drift;
  };
  Runs r{1, is_uniform(outer) ? 1 : 0, outer, {outer, outer.detail, 0, 0}, {}, 0};
  // The largest cross difference up to each of the last kSeamSearchLines lines.
  std::array<float, kSeamSearchLines> max_cross{};
  for (; r.flat < max_lines; ++r.flat) {
    const int n = r.flat;
    const LineStats s = lines.Stats(first + dir * n, dir);
    if (s.detail > o.max_flat_detail || std::fabs(s.mean - r.bar.last.mean) > o.max_line_step) {
      break;
    }
    if (r.uniform == n && is_uniform(s)) r.uniform = n + 1, r.last_uniform = s;
    const bool apart =
        r.onset_count == 0 || n >= r.onsets[r.onset_count - 1].line + kSeamSearchLines;
    Bar so_far = Average(r.bar, n);
    so_far.max_cross = max_cross[n % kSeamSearchLines];  // up to line n - kSeamSearchLines
    if (r.onset_count < kMaxSeamOnsets && apart &&
        s.cross > std::max(o.seam_onset, o.soft_contrast * so_far.cross)) {
      r.onsets[r.onset_count++] = {n, so_far};
    }
    r.bar.detail += s.detail, r.bar.cross += s.cross, r.bar.last = s;
    r.bar.max_cross = std::max(r.bar.max_cross, s.cross);
    max_cross[n % kSeamSearchLines] = r.bar.max_cross;
  }
  r.bar = Average(r.bar, r.flat);
  Bar whole = r.bar;
  whole.max_cross = max_cross[r.flat % kSeamSearchLines];
  r.onsets[r.onset_count++] = {r.flat, whole};
  return r;
}

// One side's bar (file comment). The uniform run is tried first: it is a bar when what
// follows it is no longer one colour, even if that is a smooth region of the picture the
// flat run would go on into (a grey border next to grey water; the few lines of JPEG
// ringing past a bar). Then the whole flat run as a soft bar; then seam bars, from where
// seams may start: a blurred fill (or a fill of one colour, the enlarged flat edge of a
// picture) ends there even when the picture is smooth enough for the flat run to go on.
SideBorder ScanSide(LineSampler& lines, int first, int dir, int side, const BorderTrimOptions& o) {
  const int max_lines = MaxThickness(side, o), min_lines = MinThickness(side, o);
  if (max_lines <= 0 || lines.Single(first).detail > o.max_flat_detail) return {};
  const Runs r = FollowRuns(lines, first, dir, max_lines, o);
  auto past = [&](int n) { return ProbePast(lines, first, dir, side, n); };
  if (r.uniform >= min_lines && r.uniform < max_lines &&
      UniformBarEnds(past(r.uniform).average, r.last_uniform, o)) {
    return {r.uniform, BarKind::kUniform};
  }
  if (r.flat >= min_lines && r.flat < max_lines && r.uniform < r.flat &&
      SoftBarEnds(past(r.flat), r.bar, o)) {
    return {r.flat, BarKind::kSoft};
  }
  for (int i = 0; i < r.onset_count; ++i) {
    const Onset& onset = r.onsets[i];
    if (onset.line < min_lines || onset.line >= max_lines) continue;
    const int seam = FindSeam(lines, first, dir, onset.line, max_lines);
    const Past at_seam = past(seam);
    if (SeamEnds(at_seam, onset.bar, o) || SoftBarEnds(at_seam, onset.bar, o)) {
      return {seam, BarKind::kSeam};
    }
  }
  return {};
}

// A soft bar stands only with a bar of about its thickness on the opposite side; a seam
// bar only with one of the same thickness within a few pixels, as a centred picture has.
// A uniform bar may stand alone, but not when it is thicker than max_lone_bar_fraction
// (one-sided frames are thin, while a picture's own flat region, a plain wall or an empty
// sky, can take most of it), nor beside a picture letterboxed on the other axis (a plain
// strip along one side of a letterboxed picture is the picture's).
enum class LoneBars { kAllowed, kDropped };
void PairBars(SideBorder* a, SideBorder* b, int side, LoneBars lone, const BorderTrimOptions& o) {
  const float s = static_cast<float>(side);
  const bool seam = a->kind == BarKind::kSeam || b->kind == BarKind::kSeam;
  const float tolerance =
      seam ? std::max(2.0f, o.seam_pair_tolerance * s)
           : std::max(
                 o.soft_pair_tolerance * static_cast<float>(std::max(a->thickness, b->thickness)),
                 o.min_border_fraction * s);
  const bool paired =
      a->thickness > 0 && b->thickness > 0 && std::abs(a->thickness - b->thickness) <= tolerance;
  if (paired) return;
  for (SideBorder* x : {a, b}) {
    const bool lone_ok = lone == LoneBars::kAllowed &&
                         static_cast<float>(x->thickness) <= o.max_lone_bar_fraction * s;
    if (x->kind != BarKind::kUniform || !lone_ok) *x = {};
  }
}

bool ValidView(const ImageView& image) {
  return image.data != nullptr && image.width > 0 && image.height > 0 && image.channels >= 1 &&
         image.channels <= 4 &&
         image.stride >= static_cast<size_t>(image.width) * static_cast<size_t>(image.channels);
}

bool BigEnough(int kept, int side, const BorderTrimOptions& o) {
  return kept >= o.min_content_pixels &&
         static_cast<float>(kept) >= o.min_content_fraction * static_cast<float>(side);
}

// Bars on both sides that are soft or thick: a letterbox, not a thin frame, which would go
// on along the other two sides.
bool Letterboxed(const SideBorder& a, const SideBorder& b, int side, const BorderTrimOptions& o) {
  const float thick = o.max_lone_bar_fraction * static_cast<float>(side);
  return a.thickness > 0 && b.thickness > 0 &&
         (a.kind != BarKind::kUniform || b.kind != BarKind::kUniform ||
          static_cast<float>(std::min(a.thickness, b.thickness)) > thick);
}

// When two opposite bars leave too little, soft ones go first: smooth regions at both
// ends of a picture (sky and water) must not hide the real bars of the other axis.
bool KeepEnough(SideBorder* a, SideBorder* b, int side, const BorderTrimOptions& o) {
  if (BigEnough(side - a->thickness - b->thickness, side, o)) return true;
  if (a->kind != BarKind::kUniform) *a = {};
  if (b->kind != BarKind::kUniform) *b = {};
  return BigEnough(side - a->thickness - b->thickness, side, o);
}

// A box whose picture varies along one axis only: one flat colour, stripes, or a smooth
// gradient (the field of a flag, a button, a phone's screen in clip art). Such a box is
// not a picture to hash: its PDQ DCT has energy in one row or column of coefficients, so
// the other bits are set by rounding and every such picture hashes alike, while PDQ's
// quality can still pass 50 from a single sharp edge at its rim (in bench/detection every
// false positive of the trimmed hash was one of these, at distance 0-10 from a near-flat
// wallpaper tile). The test runs on a coarse grid of cell means, so JPEG noise and a
// photo's fine texture do not decide it, over the box's central 80%, since the rest of a
// bar's edge may lie in its outer tenth: featureless when every grid row, or every grid
// column, spans at most kFlatCellRange luma levels.
constexpr int kGrid = 16;
constexpr float kFlatCellRange = 4.0f;

// The mean of 3 x 3 pixels spread over the cell [x0, x1) x [y0, y1).
float CellMean(const ImageView& image, int x0, int x1, int y0, int y1) {
  float sum = 0;
  for (int j = 0; j < 3; ++j) {
    for (int i = 0; i < 3; ++i) {
      const int x = x0 + (x1 - x0) * (2 * i + 1) / 6, y = y0 + (y1 - y0) * (2 * j + 1) / 6;
      sum += LumaOf(PixelAt(image, x, y), image.channels);
    }
  }
  return sum / 9;
}

bool Featureless(const ImageView& image, const PixelRect& box) {
  const int x0 = box.x + box.width / 10, x1 = box.x + box.width - box.width / 10;
  const int y0 = box.y + box.height / 10, y1 = box.y + box.height - box.height / 10;
  if (x1 - x0 < kGrid || y1 - y0 < kGrid) return false;  // too small to judge: keep it
  std::array<std::array<float, kGrid>, kGrid> cell;
  for (int r = 0; r < kGrid; ++r) {
    for (int c = 0; c < kGrid; ++c) {
      cell[r][c] = CellMean(image, x0 + (x1 - x0) * c / kGrid, x0 + (x1 - x0) * (c + 1) / kGrid,
                            y0 + (y1 - y0) * r / kGrid, y0 + (y1 - y0) * (r + 1) / kGrid);
    }
  }
  bool rows_flat = true, columns_flat = true;
  for (int k = 0; k < kGrid; ++k) {
    float row_lo = cell[k][0], row_hi = row_lo, col_lo = cell[0][k], col_hi = col_lo;
    for (int i = 1; i < kGrid; ++i) {
      row_lo = std::min(row_lo, cell[k][i]), row_hi = std::max(row_hi, cell[k][i]);
      col_lo = std::min(col_lo, cell[i][k]), col_hi = std::max(col_hi, cell[i][k]);
    }
    rows_flat = rows_flat && row_hi - row_lo <= kFlatCellRange;
    columns_flat = columns_flat && col_hi - col_lo <= kFlatCellRange;
  }
  return rows_flat || columns_flat;
}

}  // namespace

std::optional<PixelRect> FindContentRect(const ImageView& image, const BorderTrimOptions& o) {
  if (!ValidView(image) || image.width < o.min_content_pixels ||
      image.height < o.min_content_pixels) {
    return std::nullopt;
  }
  const int w = image.width, h = image.height;
  LineSampler rows(image, Axis::kRow, 0, w);
  SideBorder top = ScanSide(rows, 0, 1, h, o);
  SideBorder bottom = ScanSide(rows, h - 1, -1, h, o);
  PairBars(&top, &bottom, h, LoneBars::kAllowed, o);
  if (!KeepEnough(&top, &bottom, h, o)) return std::nullopt;
  const int y0 = top.thickness, y1 = h - bottom.thickness;
  // Columns only over the rows between the bars, so an all-round border's corners do
  // not hide the side bars' edges.
  LineSampler columns(image, Axis::kColumn, y0, y1);
  SideBorder left = ScanSide(columns, 0, 1, w, o);
  SideBorder right = ScanSide(columns, w - 1, -1, w, o);
  PairBars(&left, &right, w,
           Letterboxed(top, bottom, h, o) ? LoneBars::kDropped : LoneBars::kAllowed, o);
  if (!KeepEnough(&left, &right, w, o)) return std::nullopt;
  const int x0 = left.thickness, x1 = w - right.thickness;
  if (x0 == 0 && y0 == 0 && x1 == w && y1 == h) return std::nullopt;
  const PixelRect box{x0, y0, x1 - x0, y1 - y0};
  if (Featureless(image, box)) return std::nullopt;
  return box;
}

namespace border_trim_internal {

std::optional<std::string> FirstBlockMismatch(const ImageView& image) {
  if (!ValidView(image)) return "invalid view";
  for (Axis axis : {Axis::kRow, Axis::kColumn}) {
    const int lines = axis == Axis::kRow ? image.height : image.width;
    const int across = axis == Axis::kRow ? image.width : image.height;
    LineSampler blocks(image, axis, 0, across), alone(image, axis, 0, across);
    for (int line = 1; line < lines; ++line) {
      const LineStats a = blocks.Stats(line, 1), b = alone.AloneWithBackCross(line);
      if (a.mean != b.mean || a.detail != b.detail || a.spread != b.spread ||
          a.cross != b.cross || a.colour != b.colour) {
        return std::string(axis == Axis::kRow ? "row " : "column ") + std::to_string(line);
      }
    }
  }
  return std::nullopt;
}

}  // namespace border_trim_internal

ImageView SubView(const ImageView& image, const PixelRect& rect) {
  const int x0 = std::clamp(rect.x, 0, image.width), y0 = std::clamp(rect.y, 0, image.height);
  const int x1 = std::clamp(rect.x + rect.width, x0, image.width);
  const int y1 = std::clamp(rect.y + rect.height, y0, image.height);
  ImageView view = image;
  if (image.data != nullptr) {
    view.data = image.data + static_cast<size_t>(y0) * image.stride +
                static_cast<size_t>(x0) * static_cast<size_t>(image.channels);
  }
  view.width = x1 - x0;
  view.height = y1 - y0;
  return view;
}

}  // namespace vigil
