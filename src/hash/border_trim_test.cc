// FindContentRect on synthetic pictures: one table of framed (and unframed) images and
// the content box each must give. The JPEG round trip of a bordered photo is tested with
// the content hasher (content/content_hasher_test.cc), where images are decoded.
#include "hash/border_trim.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vigil {
namespace {

struct Rgb {
  uint8_t r, g, b;
};

uint8_t Clamp(double v) { return static_cast<uint8_t>(std::clamp(v, 0.0, 255.0)); }

// A deterministic pseudo-random value in [-1, 1] per pixel: texture and noise.
double Noise(int x, int y, uint32_t seed) {
  uint32_t h = static_cast<uint32_t>(x) * 0x9e3779b1u ^ static_cast<uint32_t>(y) * 0x85ebca77u ^
               seed * 0xc2b2ae3du;
  h ^= h >> 15;
  h *= 0x2c1b3c6du;
  h ^= h >> 12;
  return static_cast<double>(h & 0xffff) / 32767.5 - 1.0;
}

class Canvas {
 public:
  Canvas(int w, int h) : w_(w), h_(h), px_(static_cast<size_t>(w) * h * 3, 0) {}

  ImageView View() const { return {px_.data(), w_, h_, 3, static_cast<size_t>(w_) * 3}; }
  int width() const { return w_; }
  int height() const { return h_; }

  void Set(int x, int y, Rgb c) {
    uint8_t* p = &px_[(static_cast<size_t>(y) * w_ + x) * 3];
    p[0] = c.r, p[1] = c.g, p[2] = c.b;
  }
  Rgb Get(int x, int y) const {
    const uint8_t* p = &px_[(static_cast<size_t>(y) * w_ + x) * 3];
    return {p[0], p[1], p[2]};
  }
  void Paint(const PixelRect& r, const std::function<Rgb(int, int)>& colour) {
    for (int y = r.y; y < r.y + r.height; ++y) {
      for (int x = r.x; x < r.x + r.width; ++x) Set(x, y, colour(x, y));
    }
  }
  void Fill(const PixelRect& r, Rgb c) {
    Paint(r, [c](int, int) { return c; });
  }
  // A detailed picture: large smooth shapes plus fine texture, like a photo's.
  void Picture(const PixelRect& r) {
    Paint(r, [&r](int x, int y) {
      const double u = x - r.x, v = y - r.y;
      const double base = 120 + 60 * std::sin(u / 25) * std::cos(v / 30) + 25 * Noise(x, y, 1);
      return Rgb{Clamp(base + 30 * std::sin(v / 11)), Clamp(base),
                 Clamp(base - 20 * Noise(x, y, 2))};
    });
  }
  // Adds noise of +-amplitude to every channel (a camera's or a codec's).
  void AddNoise(double amplitude) {
    for (int y = 0; y < h_; ++y) {
      for (int x = 0; x < w_; ++x) {
        const Rgb c = Get(x, y);
        const double n = amplitude * Noise(x, y, 7);
        Set(x, y, {Clamp(c.r + n), Clamp(c.g + n), Clamp(c.b + n)});
      }
    }
  }

 private:
  int w_, h_;
  std::vector<uint8_t> px_;
};

constexpr Rgb kBlack{0, 0, 0}, kWhite{255, 255, 255}, kRed{200, 30, 30}, kGrey{128, 128, 128},
    kBlue{20, 40, 160};

// A w x h picture framed by bars of the given thickness and colour (0: none).
Canvas Framed(int w, int h, int top, int bottom, int left, int right, Rgb colour) {
  Canvas c(w, h);
  c.Fill({0, 0, w, h}, colour);
  c.Picture({left, top, w - left - right, h - top - bottom});
  return c;
}

// Box-blurs one channel plane (w x h) with radius r, twice along each axis: close to a
// Gaussian of sigma ~0.8 r.
void BoxBlur(std::vector<double>* plane, int w, int h, int r) {
  auto pass = [&](bool along_x) {
    std::vector<double> out(plane->size());
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        double sum = 0;
        int n = 0;
        for (int d = -r; d <= r; ++d) {
          const int sx = along_x ? x + d : x, sy = along_x ? y : y + d;
          if (sx < 0 || sx >= w || sy < 0 || sy >= h) continue;
          sum += (*plane)[static_cast<size_t>(sy) * w + sx];
          ++n;
        }
        out[static_cast<size_t>(y) * w + x] = sum / n;
      }
    }
    *plane = std::move(out);
  };
  for (int i = 0; i < 2; ++i) pass(true), pass(false);
}

// Side bars filled with the picture enlarged and blurred (a "blurred pillarbox"), as
// phone video editors make them: the fill is the whole picture scaled to the frame's
// width, box-blurred twice with a radius of `blur` pixels.
Canvas BlurredPillarbox(int w, int h, int bar, int blur) {
  Canvas content(w - 2 * bar, h);
  content.Picture({0, 0, w - 2 * bar, h});
  std::vector<double> fill(static_cast<size_t>(w) * h);
  const double scale = static_cast<double>(content.width()) / w;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const int sy = std::clamp(static_cast<int>((y - h / 2) * scale + h / 2.0), 0, h - 1);
      const Rgb c = content.Get(static_cast<int>(x * scale), sy);
      fill[static_cast<size_t>(y) * w + x] = 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
    }
  }
  BoxBlur(&fill, w, h, blur);
  Canvas c(w, h);
  c.Paint({0, 0, w, h}, [&](int x, int y) {
    const uint8_t v = Clamp(fill[static_cast<size_t>(y) * w + x] * 0.6);  // darkened, as usual
    return Rgb{v, v, v};
  });
  c.Paint({bar, 0, w - 2 * bar, h}, [&](int x, int y) { return content.Get(x - bar, y); });
  return c;
}

// A smooth landscape picture, as many wallpapers are: soft bands and waves with little
// detail along any line (under a flat bar's threshold) and rows of about one brightness,
// so it is told from its blurred, enlarged copy only by the seam where it starts.
Rgb SmoothPicture(double u, double v) {
  const double shade = 110 + 40 * std::sin(u / 37) + 25 * std::sin(v / 13);
  return {Clamp(shade + 20), Clamp(shade), Clamp(shade + 30 * std::cos(u / 23))};
}

// A landscape picture (w x ph) in a 9:16 frame (w x h), centred; the bars above and below
// are filled with the picture enlarged to cover the frame, centre cut and box-blurred with
// radius `blur` (short-video tools' "blurred background").
Canvas BlurredLetterbox(int w, int h, int ph, int blur,
                        const std::function<Rgb(double, double)>& picture) {
  const int top = (h - ph) / 2;
  const double scale = static_cast<double>(ph) / h;  // frame pixel -> picture pixel
  std::array<std::vector<double>, 3> fill;
  for (auto& plane : fill) plane.resize(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const Rgb c = picture((x - w / 2.0) * scale + w / 2.0, y * scale);
      const size_t i = static_cast<size_t>(y) * w + x;
      fill[0][i] = c.r, fill[1][i] = c.g, fill[2][i] = c.b;
    }
  }
  for (auto& plane : fill) BoxBlur(&plane, w, h, blur);
  Canvas c(w, h);
  c.Paint({0, 0, w, h}, [&](int x, int y) {
    const size_t i = static_cast<size_t>(y) * w + x;
    return Rgb{Clamp(fill[0][i]), Clamp(fill[1][i]), Clamp(fill[2][i])};
  });
  c.Paint({0, top, w, ph}, [&](int x, int y) { return picture(x, y - top); });
  return c;
}

struct Case {
  std::string name;
  std::function<Canvas()> make;
  std::optional<PixelRect> want;
  int tolerance = 0;  // pixels each edge may be off by
};

std::vector<Case> Cases() {
  return {
      {"black_border_all_sides_6pc", [] { return Framed(400, 300, 18, 18, 24, 24, kBlack); },
       PixelRect{24, 18, 352, 264}},
      {"white_top_only", [] { return Framed(400, 300, 15, 0, 0, 0, kWhite); },
       PixelRect{0, 15, 400, 285}},
      {"red_left_only", [] { return Framed(400, 300, 0, 0, 32, 0, kRed); },
       PixelRect{32, 0, 368, 300}},
      {"grey_right_only", [] { return Framed(400, 300, 0, 0, 0, 40, kGrey); },
       PixelRect{0, 0, 360, 300}},
      {"blue_bottom_only", [] { return Framed(400, 300, 0, 30, 0, 0, kBlue); },
       PixelRect{0, 0, 400, 270}},
      {"letterbox_16x9_in_9x16", [] { return Framed(270, 480, 164, 164, 0, 0, kBlack); },
       PixelRect{0, 164, 270, 152}},
      {"pillarbox_black", [] { return Framed(480, 270, 0, 0, 60, 60, kBlack); },
       PixelRect{60, 0, 360, 270}},
      {"pillarbox_blurred_fill", [] { return BlurredPillarbox(480, 270, 60, 12); },
       PixelRect{60, 0, 360, 270}},
      // Before seams were looked for, a smooth picture's edges passed for more of the
      // blurred bars, or the bars for a smooth region of a picture.
      {"blurred_letterbox_9x16_smooth_picture",
       [] { return BlurredLetterbox(270, 480, 152, 12, SmoothPicture); },
       PixelRect{0, 164, 270, 152}},
      {"gradient_bars_top_bottom",
       [] {
         Canvas c = Framed(400, 300, 30, 30, 0, 0, kBlack);
         for (int y : {0, 270}) {
           c.Paint({0, y, 400, 30}, [y](int, int yy) {
             const uint8_t v = static_cast<uint8_t>(40 + 2 * (yy - y));  // 40..98 across it
             return Rgb{v, v, static_cast<uint8_t>(v + 40)};
           });
         }
         return c;
       },
       PixelRect{0, 30, 400, 240}},
      {"gradient_along_side_bars",
       [] {
         Canvas c = Framed(480, 270, 0, 0, 50, 50, kBlack);
         for (int x : {0, 430}) {
           c.Paint({x, 0, 50, 270}, [](int, int y) {
             const uint8_t v = static_cast<uint8_t>(30 + y / 2);  // 30..164 down the bar
             return Rgb{v, static_cast<uint8_t>(v / 2), 60};
           });
         }
         return c;
       },
       PixelRect{50, 0, 380, 270}},
      {"soft_bars_beside_smooth_bright_content",
       [] {
         Canvas c = Framed(480, 270, 0, 0, 60, 60, kBlack);
         for (int x : {0, 420}) {
           c.Paint({x, 0, 60, 270}, [](int, int y) {
             const uint8_t v = static_cast<uint8_t>(30 + y / 4);  // a gradient down the bar
             return Rgb{v, v, v};
           });
         }
         for (int x : {60, 390}) {  // the picture's edges: smooth, much brighter
           c.Paint({x, 0, 30, 270}, [](int xx, int y) {
             const double v = 180 + 15 * std::sin(y / 9.0) + 2 * Noise(xx, y, 5);
             return Rgb{Clamp(v), Clamp(v), Clamp(v)};
           });
         }
         return c;
       },
       PixelRect{60, 0, 360, 270}},
      {"smooth_sky_and_water_fading_into_detail",
       [] {
         Canvas c = Framed(400, 300, 0, 0, 0, 0, kBlack);
         // Texture that grows over 40 rows from both smooth ends: no straight edge.
         c.Paint({0, 0, 400, 300}, [](int x, int y) {
           const int from_end = std::min(y, 299 - y);
           const double amount = std::clamp((from_end - 60) / 40.0, 0.0, 1.0);
           const double v = 120 + 0.3 * y + amount * 40 * Noise(x, y, 9);
           return Rgb{Clamp(v), Clamp(v + 20), Clamp(v + 40)};
         });
         return c;
       },
       std::nullopt},
      {"noisy_border",
       [] {
         Canvas c = Framed(400, 300, 20, 20, 20, 20, kGrey);
         c.AddNoise(3);
         return c;
       },
       PixelRect{20, 20, 360, 260}, 2},
      {"no_border", [] { return Framed(400, 300, 0, 0, 0, 0, kBlack); }, std::nullopt},
      {"sky_gradient_on_top_is_not_a_border",
       [] {
         Canvas c = Framed(400, 300, 0, 0, 0, 0, kBlack);
         c.Paint({0, 0, 400, 90}, [](int x, int y) {
           const double n = Noise(x, y, 3);
           return Rgb{Clamp(100 + y * 0.9 + n), Clamp(150 + y * 0.6 + n), Clamp(230 + y * 0.2)};
         });
         return c;
       },
       std::nullopt},
      {"border_thinner_than_2pc", [] { return Framed(400, 300, 3, 3, 3, 3, kBlack); },
       std::nullopt},
      {"content_under_25pc", [] { return Framed(400, 300, 120, 120, 0, 0, kBlack); }, std::nullopt},
      {"uniform_image", [] { return Framed(400, 300, 150, 150, 0, 0, kWhite); }, std::nullopt},
      {"soft_bar_one_side_only",
       [] {
         Canvas c = Framed(480, 270, 0, 0, 0, 0, kBlack);
         c.Paint({0, 0, 60, 270}, [](int, int y) {
           const uint8_t v = static_cast<uint8_t>(30 + y / 2);
           return Rgb{v, v, v};
         });
         return c;
       },
       std::nullopt},
  };
}

TEST(FindContentRect, Table) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    const Canvas canvas = c.make();
    const std::optional<PixelRect> got = FindContentRect(canvas.View());
    ASSERT_EQ(got.has_value(), c.want.has_value());
    if (!got) continue;
    EXPECT_NEAR(got->x, c.want->x, c.tolerance);
    EXPECT_NEAR(got->y, c.want->y, c.tolerance);
    EXPECT_NEAR(got->x + got->width, c.want->x + c.want->width, c.tolerance);
    EXPECT_NEAR(got->y + got->height, c.want->y + c.want->height, c.tolerance);
  }
}

TEST(FindContentRect, GreyAndAlphaChannels) {
  const Canvas rgb = Framed(200, 200, 10, 10, 10, 10, kBlack);
  for (int channels : {1, 2, 4}) {
    SCOPED_TRACE(channels);
    std::vector<uint8_t> px(static_cast<size_t>(200) * 200 * channels, 255);
    for (int y = 0; y < 200; ++y) {
      for (int x = 0; x < 200; ++x) {
        const Rgb c = rgb.Get(x, y);
        uint8_t* p = &px[(static_cast<size_t>(y) * 200 + x) * channels];
        if (channels < 3) {
          p[0] = static_cast<uint8_t>((c.r + c.g + c.b) / 3);
        } else {
          p[0] = c.r, p[1] = c.g, p[2] = c.b;
        }
        if (channels % 2 == 0) p[channels - 1] = static_cast<uint8_t>(x);  // alpha: ignored
      }
    }
    const auto got =
        FindContentRect({px.data(), 200, 200, channels, static_cast<size_t>(200) * channels});
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, (PixelRect{10, 10, 180, 180}));
  }
}

// The same pixels with `channels` channels (1, 2: their mean as grey; 2, 4: an alpha,
// which is ignored), rows padded past the pixels as a decoder's may be.
std::vector<uint8_t> WithChannels(const Canvas& rgb, int channels, size_t stride) {
  std::vector<uint8_t> px(stride * static_cast<size_t>(rgb.height()), 7);
  for (int y = 0; y < rgb.height(); ++y) {
    for (int x = 0; x < rgb.width(); ++x) {
      const Rgb c = rgb.Get(x, y);
      uint8_t* p = &px[static_cast<size_t>(y) * stride + static_cast<size_t>(x * channels)];
      if (channels < 3) {
        p[0] = static_cast<uint8_t>((c.r + c.g + c.b) / 3);
      } else {
        p[0] = c.r, p[1] = c.g, p[2] = c.b;
      }
      if (channels % 2 == 0) p[channels - 1] = static_cast<uint8_t>(x * 7 + y);
    }
  }
  return px;
}

// RGB and grey images are read with SSE a block of 16 lines at a time, every line alone
// (and RGBA, grey + alpha, and partial blocks) by the scalar code: their statistics must
// agree to the bit on every table case, whatever the channels or row padding.
TEST(FindContentRect, BlockAndSingleLineStatisticsAgree) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    const Canvas canvas = c.make();
    for (int channels : {1, 2, 3, 4}) {
      SCOPED_TRACE(channels);
      const size_t stride = static_cast<size_t>(canvas.width() * channels + 5);
      const std::vector<uint8_t> px = WithChannels(canvas, channels, stride);
      const auto mismatch = border_trim_internal::FirstBlockMismatch(
          {px.data(), canvas.width(), canvas.height(), channels, stride});
      EXPECT_FALSE(mismatch.has_value()) << *mismatch;
    }
  }
}

TEST(FindContentRect, InvalidAndTinyViews) {
  EXPECT_FALSE(FindContentRect(ImageView{}).has_value());
  const Canvas tiny = Framed(12, 12, 2, 2, 2, 2, kBlack);
  EXPECT_FALSE(FindContentRect(tiny.View()).has_value());
  ImageView bad = Framed(100, 100, 10, 10, 10, 10, kBlack).View();
  bad.stride = 10;  // shorter than a row
  EXPECT_FALSE(FindContentRect(bad).has_value());
}

TEST(SubView, SharesPixelsAndClips) {
  const Canvas c = Framed(100, 80, 10, 10, 10, 10, kBlack);
  const ImageView full = c.View();
  const ImageView sub = SubView(full, {10, 20, 30, 40});
  EXPECT_EQ(sub.data, full.data + 20 * full.stride + 10 * 3);
  EXPECT_EQ(sub.width, 30);
  EXPECT_EQ(sub.height, 40);
  EXPECT_EQ(sub.stride, full.stride);
  const ImageView clipped = SubView(full, {90, 70, 50, 50});
  EXPECT_EQ(clipped.width, 10);
  EXPECT_EQ(clipped.height, 10);
}

// The trimmed picture hashes like the unframed one: what the extra query hash is for.
TEST(FindContentRect, TrimmedHashMatchesTheUnframedPicture) {
  Canvas plain(360, 270);
  plain.Picture({0, 0, 360, 270});
  Canvas framed(360 + 2 * 22, 270 + 2 * 16);
  framed.Fill({0, 0, framed.width(), framed.height()}, kBlack);
  framed.Paint({22, 16, 360, 270}, [&](int x, int y) { return plain.Get(x - 22, y - 16); });
  PdqHasher pdq;
  const PdqResult want = pdq.Hash(plain.View());
  const auto box = FindContentRect(framed.View());
  ASSERT_TRUE(box.has_value());
  EXPECT_EQ(HammingDistance(pdq.Hash(SubView(framed.View(), *box)).hash, want.hash), 0);
  EXPECT_GT(HammingDistance(pdq.Hash(framed.View()).hash, want.hash), 0);
}

// A box whose picture varies along one axis only is no content: each of these would
// otherwise be trimmed to a flat or smoothly shaded box (a flag's stripe taken for a bar,
// a clip-art panel in a black frame, a phone's screen), whose PDQ hash matches any
// near-flat image.
TEST(FindContentRect, FeaturelessBoxesAreNotContent) {
  Canvas flag(500, 375);
  flag.Fill({0, 0, 500, 187}, kRed);
  flag.Fill({0, 187, 500, 188}, kWhite);
  Canvas panel = Framed(400, 340, 30, 50, 32, 54, kBlack);
  panel.Paint({32, 30, 314, 260}, [](int, int y) {  // white to blue, top to bottom
    const double t = (y - 30) / 260.0;
    return Rgb{Clamp(255 - 190 * t), Clamp(255 - 120 * t), 255};
  });
  Canvas screen = Framed(460, 640, 90, 340, 157, 186, kBlack);
  screen.Fill({157, 90, 117, 210}, kGrey);
  screen.Fill({157, 90, 117, 8}, kWhite);  // the phone's rims, inside the box's outer tenth
  screen.Fill({157, 292, 117, 8}, kWhite);
  for (const Canvas* c : {&flag, &panel, &screen}) {
    Canvas noisy = *c;
    noisy.AddNoise(2);  // a codec's noise on the flat parts is still no detail
    EXPECT_FALSE(FindContentRect(c->View()).has_value());
    EXPECT_FALSE(FindContentRect(noisy.View()).has_value());
  }
  // The same frames around a picture are trimmed, also around a smooth one whose
  // neighbouring pixels differ by under one level (a soft wallpaper at full size).
  Canvas framed = Framed(400, 340, 30, 50, 32, 54, kBlack);
  EXPECT_EQ(FindContentRect(framed.View()), (PixelRect{32, 30, 314, 260}));
  Canvas smooth = Framed(400, 340, 30, 50, 32, 54, kBlack);
  smooth.Paint({32, 30, 314, 260}, [](int x, int y) {
    const double v = 110 + 40 * std::sin(x / 60.0) * std::cos(y / 45.0);
    return Rgb{Clamp(v + 20), Clamp(v), Clamp(v - 20)};
  });
  EXPECT_EQ(FindContentRect(smooth.View()), (PixelRect{32, 30, 314, 260}));
}

}  // namespace
}  // namespace vigil
