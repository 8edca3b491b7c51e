#include "hash/border_trim.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

namespace vigil {
namespace {

enum class Axis { kRow, kColumn };

struct LineStats {
  float mean = 0;    // mean luma of the sampled pixels
  float detail = 0;  // mean |luma difference| of the sampled neighbour pairs
  float spread = 0;  // mean |luma - mean|
};

// Samples at most this many neighbour pairs per line: the statistics of a line need no
// more, and it bounds the cost on large images (a 12-megapixel photo reads ~1/8 of the
// pixels of each line it looks at).
constexpr int kMaxPairsPerLine = 128;

// Luma along the lines of one axis (rows or columns), over positions [lo, hi) across it.
class LineSampler {
 public:
  LineSampler(const ImageView& image, Axis axis, int lo, int hi)
      : image_(image),
        axis_(axis),
        lo_(lo),
        hi_(hi),
        step_(std::max(1, (hi - lo) / kMaxPairsPerLine)) {}

  LineStats Stats(int line) const {
    // Pairs (p, p + 1) at every step_-th position: neighbours, so that the detail of a
    // gradient or a blur is measured at the pixel scale whatever the sampling.
    std::array<float, 4 * kMaxPairsPerLine> values;
    size_t n = 0;
    float sum = 0, detail = 0;
    for (int p = lo_; p + 1 < hi_ && n + 2 <= values.size(); p += step_) {
      const float a = Luma(line, p), b = Luma(line, p + 1);
      values[n++] = a;
      values[n++] = b;
      sum += a + b;
      detail += std::fabs(a - b);
    }
    LineStats s;
    if (n == 0) return s;
    s.mean = sum / static_cast<float>(n);
    s.detail = detail / static_cast<float>(n / 2);
    float spread = 0;
    for (size_t i = 0; i < n; ++i) spread += std::fabs(values[i] - s.mean);
    s.spread = spread / static_cast<float>(n);
    return s;
  }

 private:
  float Luma(int line, int pos) const {
    const int x = axis_ == Axis::kRow ? pos : line;
    const int y = axis_ == Axis::kRow ? line : pos;
    const uint8_t* p = image_.data + static_cast<size_t>(y) * image_.stride +
                       static_cast<size_t>(x) * image_.channels;
    if (image_.channels < 3) return p[0];
    return 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
  }

  ImageView image_;
  Axis axis_;
  int lo_, hi_, step_;
};

struct SideBorder {
  int thickness = 0;  // 0: no border on this side
  bool uniform = true;
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
// one, as JPEG's ringing and an anti-aliased edge blur a single line; and the most detail
// of the first kEdgeLines of them, which tells a straight, sharp edge from a gradual one.
constexpr int kEdgeLines = 4;
struct Past {
  LineStats average;
  float edge_detail = 0;
};

Past ProbePast(const LineSampler& lines, int first, int dir, int side, int n) {
  // 3 x kEdgeLines at least, so that the edge's lines are a small part of the average.
  const int probe = std::min(std::max(3 * kEdgeLines, side / 100), side - n);
  Past past;
  for (int i = 0; i < probe; ++i) {
    const LineStats s = lines.Stats(first + dir * (n + i));
    past.average.mean += s.mean;
    past.average.detail += s.detail;
    past.average.spread += s.spread;
    if (i < kEdgeLines) past.edge_detail = std::max(past.edge_detail, s.detail);
  }
  const float k = static_cast<float>(std::max(probe, 1));
  past.average = {past.average.mean / k, past.average.detail / k, past.average.spread / k};
  return past;
}

// A uniform bar ends at content when what follows has detail, a different brightness, or
// is no longer one colour (a bar of the same grey as a smooth region next to it).
bool UniformBarEnds(const LineStats& past, const LineStats& last, const BorderTrimOptions& o) {
  return past.detail >= o.min_content_detail ||
         std::fabs(past.mean - last.mean) >= o.min_edge_step || past.spread >= o.min_content_spread;
}

// A soft bar ends at content only when the content has several times its detail (and
// either real detail or a different brightness), and does so at once: a generated bar has
// a straight edge, where the first lines past it are already as detailed as the content,
// while a natural smooth region (sky over a skyline) gains detail gradually, line by line.
bool SoftBarEnds(const Past& past, const LineStats& last, float bar_detail,
                 const BorderTrimOptions& o) {
  const float content = past.average.detail;
  const bool distinct = content >= o.min_content_detail ||
                        std::fabs(past.average.mean - last.mean) >= o.min_edge_step;
  // The edge: a jump in detail from the bar's last line, not a ramp that crossed the
  // flatness threshold there.
  const bool sharp = past.edge_detail >= o.soft_contrast * std::max(last.detail, bar_detail) &&
                     past.edge_detail >= o.soft_edge_share * content;
  return distinct && sharp && content >= o.soft_contrast * bar_detail;
}

// Scans lines first, first + dir, ... inward (file comment). Two runs are followed from
// the edge: the flat run (uniform, gradient or blurred lines) and, within it, the uniform
// run (lines of the edge's one colour). The uniform run is tried first: it is a bar when
// what follows it is no longer one colour, even if that is a smooth region of the
// picture the flat run would go on into (a grey border next to grey water; the few lines
// of JPEG ringing past a bar). Otherwise the whole flat run may be a soft bar.
SideBorder ScanSide(const LineSampler& lines, int first, int dir, int side,
                    const BorderTrimOptions& o) {
  const int max_lines = MaxThickness(side, o), min_lines = MinThickness(side, o);
  const LineStats outer = lines.Stats(first);
  if (max_lines <= 0 || outer.detail > o.max_flat_detail) return {};
  auto is_uniform = [&](const LineStats& s) {
    return s.spread <= o.max_uniform_spread &&
           std::fabs(s.mean - outer.mean) <= o.max_uniform_drift;
  };
  LineStats last = outer, last_uniform = outer;
  int uniform_run = is_uniform(outer) ? 1 : 0;
  float detail_sum = outer.detail;
  int n = 1;
  for (; n < max_lines; ++n) {
    const LineStats s = lines.Stats(first + dir * n);
    if (s.detail > o.max_flat_detail || std::fabs(s.mean - last.mean) > o.max_line_step) break;
    if (uniform_run == n && is_uniform(s)) {
      ++uniform_run;
      last_uniform = s;
    }
    detail_sum += s.detail;
    last = s;
  }
  if (uniform_run >= min_lines && uniform_run < max_lines &&
      UniformBarEnds(ProbePast(lines, first, dir, side, uniform_run).average, last_uniform, o)) {
    return {uniform_run, true};
  }
  if (uniform_run < n && n >= min_lines && n < max_lines &&
      SoftBarEnds(ProbePast(lines, first, dir, side, n), last, detail_sum / static_cast<float>(n),
                  o)) {
    return {n, false};
  }
  return {};
}

// A soft bar stands only with a bar of about its thickness on the opposite side.
void PairSoftBars(SideBorder* a, SideBorder* b, int side, const BorderTrimOptions& o) {
  const int thicker = std::max(a->thickness, b->thickness);
  const float tolerance =
      std::max(o.soft_pair_tolerance * static_cast<float>(thicker), o.min_border_fraction * side);
  const bool paired =
      a->thickness > 0 && b->thickness > 0 && std::abs(a->thickness - b->thickness) <= tolerance;
  if (!paired) {
    if (!a->uniform) *a = {};
    if (!b->uniform) *b = {};
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

// When two opposite bars leave too little, soft ones go first: smooth regions at both
// ends of a picture (sky and water) must not hide the real bars of the other axis.
bool KeepEnough(SideBorder* a, SideBorder* b, int side, const BorderTrimOptions& o) {
  if (BigEnough(side - a->thickness - b->thickness, side, o)) return true;
  if (!a->uniform) *a = {};
  if (!b->uniform) *b = {};
  return BigEnough(side - a->thickness - b->thickness, side, o);
}

}  // namespace

std::optional<PixelRect> FindContentRect(const ImageView& image, const BorderTrimOptions& o) {
  if (!ValidView(image) || image.width < o.min_content_pixels ||
      image.height < o.min_content_pixels) {
    return std::nullopt;
  }
  const int w = image.width, h = image.height;
  const LineSampler rows(image, Axis::kRow, 0, w);
  SideBorder top = ScanSide(rows, 0, 1, h, o);
  SideBorder bottom = ScanSide(rows, h - 1, -1, h, o);
  PairSoftBars(&top, &bottom, h, o);
  if (!KeepEnough(&top, &bottom, h, o)) return std::nullopt;
  const int y0 = top.thickness, y1 = h - bottom.thickness;
  // Columns only over the rows between the bars, so an all-round border's corners do
  // not hide the side bars' edges.
  const LineSampler columns(image, Axis::kColumn, y0, y1);
  SideBorder left = ScanSide(columns, 0, 1, w, o);
  SideBorder right = ScanSide(columns, w - 1, -1, w, o);
  PairSoftBars(&left, &right, w, o);
  if (!KeepEnough(&left, &right, w, o)) return std::nullopt;
  const int x0 = left.thickness, x1 = w - right.thickness;
  if (x0 == 0 && y0 == 0 && x1 == w && y1 == h) return std::nullopt;
  return PixelRect{x0, y0, x1 - x0, y1 - y0};
}

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
