// Border and letterbox detection: finds the content box of an image whose picture was
// framed by near-uniform bars (an added border of any colour, a letterbox or pillarbox,
// gradient bars, or side bars filled with a blurred, enlarged copy of the picture), so
// that the box can be hashed as an extra query hash. PDQ itself is blind to such frames
// (specs/pdq.md, "Known weaknesses": a 6% border defeats it), and bank hashes are made
// from unframed pictures. Pure pixels: no files, no decoders.
//
// How a border is told from content (the constants are BorderTrimOptions'):
//  - each side is scanned inward one line (row or column) at a time; a line belongs to
//    the border while it is "flat": little detail along it (the mean absolute difference
//    of neighbouring pixels' luma, which stays low for a solid colour, a gradient and a
//    heavy blur alike, and under JPEG noise) and a mean luma close to the previous line's
//    (a slow gradient across the bar is allowed, a jump is not);
//  - the flat run must be at least min_border_fraction of the side, must stop before
//    (1 - min_content_fraction) of it, and must end at a clear transition: the lines just
//    past it have real detail or a different brightness or colour;
//  - a "uniform" bar (every line one colour, the colour steady across the bar: an added
//    border or a letterbox) is accepted on its own; it may also end where its lines stop
//    being one colour, when the picture next to it is smooth and of the same brightness.
//    Colour counts, not luma alone: a red border beside a grey picture of the same luma
//    ends where the red does. A lone uniform bar (none opposite) is kept only when thin
//    (max_lone_bar_fraction) and not beside a picture letterboxed on the other axis: a
//    plain strip along one side of such a picture is the picture's own flat region;
//  - a "soft" bar (a gradient or a blurred fill) looks like a natural smooth region such
//    as sky, so it is accepted only when the content next to it has several times its
//    detail, the edge is straight and sharp (the detail jumps within 4 lines of the bar's
//    last line, where a sky meeting a skyline gains detail gradually), AND the opposite
//    side has a bar of about the same thickness: generators pad symmetrically, while
//    skies, bokeh and walls are rarely mirrored on the far side. Opposite soft bars that
//    would leave too little (sky and water) are dropped;
//  - a "seam" bar is a blurred fill beside a picture as smooth as the fill along its lines
//    (many wallpapers), which the flat run would go on into: a heavy blur also changes
//    little from one line to the next, so the line where the picture starts differs from
//    the one before it (the "cross" difference, per pixel) several times more than the
//    fill's lines do and clearly more than the picture's. A few such seam onsets are
//    tried per side, each refined to the seam within the JPEG block past it. Seam bars
//    stand only in pairs of the same thickness within seam_pair_tolerance (a centred
//    picture's bars differ by a pixel), which natural straight edges (a horizon) rarely
//    have on both sides;
//  - the box left must hold a picture that varies in both directions: one whose every
//    row, or every column, is one shade on a coarse 16 x 16 grid (a flat colour, stripes,
//    a smooth gradient, as when a flag's stripe or a clip-art panel's frame is taken for
//    a bar) is no box at all, since PDQ hashes all such pictures alike;
//  - a perfectly uniform natural region (a cloudless, noise-free sky, a dark vignette)
//    can still be trimmed: 2 of the 44 unbordered tests/data/pdq images get a box of
//    8-11 px. That costs only one extra set of query hashes, never a bank change.
// Rows are scanned first (top, bottom) over the full width, then columns (left, right)
// over the rows left between the top and bottom bars, so an all-round border is found.
//
// Thread-safety: the functions are pure and thread-safe. FindContentRect reads 128 to 256
// sampled pixel pairs a line, each line at most once (a picture with detail at its edges:
// one line a side; a smooth one: up to every line of both axes), plus 2,304 pixels inside
// the box. It allocates the lines' statistics, ~32 bytes a line, and 32 kB of samples.
#pragma once

#include <optional>
#include <string>

#include "hash/pdq.h"

namespace vigil {

// Whether content hashing looks for a border and hashes the trimmed picture too.
enum class BorderTrim { kOff, kOn };

// A box in pixel coordinates: columns [x, x + width), rows [y, y + height).
struct PixelRect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  friend bool operator==(const PixelRect&, const PixelRect&) = default;
};

// Thresholds, in 8-bit luma levels (0..255) unless said otherwise. The defaults were
// tuned on synthetic borders re-encoded as JPEG at quality 25 (border_trim_test.cc); the
// colour, seam and lone-bar ones on bench/detection's coloured borders and 9:16 letterboxes.
struct BorderTrimOptions {
  // A line is flat when the mean |luma(p) - luma(p+1)| along it is at most this.
  float max_flat_detail = 3.0f;
  // ... and its mean luma is within this of the previous line's (a gradient's step).
  float max_line_step = 3.0f;
  // A uniform bar: every line's mean absolute deviation from its own mean is at most
  // max_uniform_spread, every line's mean is within max_uniform_drift of the first's, and
  // each colour channel's mean within max_uniform_colour_drift of the first's (looser: a
  // JPEG's chroma rings more than its luma near an edge).
  float max_uniform_spread = 4.0f;
  float max_uniform_drift = 8.0f;
  float max_uniform_colour_drift = 24.0f;
  // The transition past a uniform bar: the next lines' detail is at least
  // min_content_detail, or their mean luma or one colour channel's mean differs from the
  // bar's last line by at least min_edge_step, or their spread is at least
  // min_content_spread.
  float min_content_detail = 4.0f;
  float min_edge_step = 16.0f;
  float min_content_spread = 6.0f;
  // A soft bar's neighbouring content must have at least this many times its detail, and
  // one of the first 4 lines past the bar this many times the detail of the bar's last
  // line and at least soft_edge_share of the content's detail (a straight, sharp edge).
  float soft_contrast = 3.0f;
  float soft_edge_share = 0.5f;
  // Opposite soft bars pair when their thicknesses differ by at most this fraction of the
  // thicker one, or by min_border_fraction of the side.
  float soft_pair_tolerance = 0.2f;
  // A seam may start at a line of a flat run whose pixels differ from the line before's by
  // more than seam_onset on average (and soft_contrast times the run's lines before it
  // did). A seam is a line past a soft bar that differs from the bar's last line by at
  // least min_seam, soft_contrast times the bar's lines on average, and seam_share times
  // both the most any bar line did and the content's lines on average. A seam bar pairs
  // only with an opposite bar within seam_pair_tolerance of the side (and 2 pixels).
  float seam_onset = 1.0f;
  float min_seam = 2.0f;
  float seam_share = 1.5f;
  float seam_pair_tolerance = 0.005f;
  // A uniform bar with none opposite is at most this fraction of its side.
  float max_lone_bar_fraction = 0.2f;
  // A bar is at least this fraction of its side (and 2 pixels).
  float min_border_fraction = 0.02f;
  // The content left must be at least this fraction of each side, and min_content_pixels.
  // A 16:9 picture letterboxed into a 9:16 phone frame keeps 31.6% of the height.
  float min_content_fraction = 0.25f;
  int min_content_pixels = 16;
};

// The content box of `image` when a border was found on at least one side; nullopt when
// none was, when the box left would be too small (min_content_fraction,
// min_content_pixels), or when the view is invalid. Alpha channels are ignored.
std::optional<PixelRect> FindContentRect(const ImageView& image,
                                         const BorderTrimOptions& options = {});

// A view of `rect` inside `image`: the same pixels and stride, no copy. `rect` must lie
// inside the image (as FindContentRect's boxes do); one that does not is clipped to it.
ImageView SubView(const ImageView& image, const PixelRect& rect);

namespace border_trim_internal {
// For tests. FindContentRect reads lines in blocks (with SSE where the build has it) and
// keeps their statistics, relying on each line's statistics being the same, bit for bit,
// as when the line is read alone by the scalar code. Checks that over every row and
// column of `image`; the first line that differs, as text, or nullopt.
std::optional<std::string> FirstBlockMismatch(const ImageView& image);
}  // namespace border_trim_internal

}  // namespace vigil
