// PdqHasher against a deliberately naive, line-by-line restatement of specs/pdq.md (scalar
// loops in the reference's order, no buffers reused). The fast implementation must agree
// with it bit for bit on every size, including tiny and odd ones that the golden images
// do not cover.
#include "hash/pdq.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

namespace vigil {
namespace {

// specs/pdq.md step 2, one 1-D box filter with the reference's four phases.
void NaiveBox(const float* in, float* out, int n, int stride, int w) {
  const int half = (w + 2) / 2;
  int li = 0, ri = 0, oi = 0, count = 0;
  float sum = 0.0f;
  for (int i = 0; i < half - 1; ++i, ++count, ri += stride) sum += in[ri];
  for (int i = 0; i < w - half + 1; ++i, ri += stride, oi += stride) {
    sum += in[ri];
    ++count;
    out[oi] = sum / count;
  }
  for (int i = 0; i < n - w; ++i, li += stride, ri += stride, oi += stride) {
    sum += in[ri];
    sum -= in[li];
    out[oi] = sum / count;
  }
  for (int i = 0; i < half - 1; ++i, li += stride, oi += stride) {
    sum -= in[li];
    --count;
    out[oi] = sum / count;
  }
}

PdqResult NaiveHash(const ImageView& image, PdqMode mode, std::array<float, 256>* dct_out) {
  int w = image.width, h = image.height;
  if (w < 5 || h < 5) return {};
  if (mode == PdqMode::kReference && (w > 512 || h > 512)) w = h = 512;
  std::vector<float> luma(static_cast<size_t>(w) * h), tmp(luma.size());
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const int sx = static_cast<int>(static_cast<int64_t>(x) * image.width / w);
      const int sy = static_cast<int>(static_cast<int64_t>(y) * image.height / h);
      const uint8_t* p = image.data + sy * image.stride + sx * image.channels;
      luma[y * w + x] = image.channels >= 3 ? 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2]
                                            : static_cast<float>(p[0]);
    }
  }
  const int wx = (w + 127) / 128, wy = (h + 127) / 128;
  for (int pass = 0; pass < 2; ++pass) {
    for (int y = 0; y < h; ++y) NaiveBox(&luma[y * w], &tmp[y * w], w, 1, wx);
    for (int x = 0; x < w; ++x) NaiveBox(&tmp[x], &luma[x], h, w, wy);
  }
  float a[64][64];
  for (int i = 0; i < 64; ++i) {
    for (int j = 0; j < 64; ++j) {
      a[i][j] = luma[static_cast<int>(((i + 0.5) * h) / 64) * w +
                     static_cast<int>(((j + 0.5) * w) / 64)];
    }
  }
  int gradient = 0;
  for (int i = 0; i < 63; ++i) {
    for (int j = 0; j < 64; ++j) gradient += std::abs(static_cast<int>((a[i][j] - a[i + 1][j]) * 100 / 255));
  }
  for (int i = 0; i < 64; ++i) {
    for (int j = 0; j < 63; ++j) gradient += std::abs(static_cast<int>((a[i][j] - a[i][j + 1]) * 100 / 255));
  }
  float d[16][64], t[16][64];
  const float scale = std::sqrt(2.0 / 64.0);
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 64; ++j) d[i][j] = scale * std::cos((std::numbers::pi / 2 / 64.0) * (i + 1) * (2 * j + 1));
  }
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 64; ++j) {
      float sum = 0.0f;
      for (int k = 0; k < 64; ++k) sum += d[i][k] * a[k][j];
      t[i][j] = sum;
    }
  }
  std::array<float, 256> b;
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 16; ++j) {
      float sum = 0.0f;
      for (int k = 0; k < 64; ++k) sum += t[i][k] * d[j][k];
      b[i * 16 + j] = sum;
    }
  }
  if (dct_out != nullptr) *dct_out = b;
  std::array<float, 256> sorted = b;
  std::sort(sorted.begin(), sorted.end());
  PdqResult result;
  for (int k = 0; k < 256; ++k) {
    if (b[k] > sorted[127]) result.hash.SetBit(k);
  }
  result.quality = std::min(100, gradient / 90);
  return result;
}

std::vector<uint8_t> RandomSmoothImage(int w, int h, int channels, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> px(static_cast<size_t>(w) * h * channels);
  const float fx = std::uniform_real_distribution<float>(0.01f, 0.2f)(rng);
  const float fy = std::uniform_real_distribution<float>(0.01f, 0.2f)(rng);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < channels; ++c) {
        const float v = 127 + 80 * std::sin(fx * x * (c + 1)) * std::cos(fy * y) +
                        static_cast<float>(rng() % 40);
        px[(static_cast<size_t>(y) * w + x) * channels + c] = static_cast<uint8_t>(std::clamp(v, 0.0f, 255.0f));
      }
    }
  }
  return px;
}

struct SizeCase {
  int w, h, channels;
};

TEST(PdqHasherTest, MatchesNaiveRestatementOnManySizes) {
  const SizeCase cases[] = {{5, 5, 3},     {5, 9, 1},     {34, 42, 3},   {63, 65, 3},
                            {64, 64, 1},   {100, 7, 3},   {128, 129, 3}, {255, 300, 1},
                            {512, 512, 3}, {513, 200, 3}, {700, 1100, 4}, {1600, 1004, 3},
                            {301, 2000, 2}};
  PdqHasher hasher;
  unsigned seed = 1;
  for (const SizeCase& c : cases) {
    const auto px = RandomSmoothImage(c.w, c.h, c.channels, seed++);
    const ImageView view{px.data(), c.w, c.h, c.channels, static_cast<size_t>(c.w) * c.channels};
    for (PdqMode mode : {PdqMode::kReference, PdqMode::kFullResolution}) {
      SCOPED_TRACE(testing::Message() << c.w << "x" << c.h << "x" << c.channels << " mode "
                                      << static_cast<int>(mode));
      const PdqResult expected = NaiveHash(view, mode, nullptr);
      const PdqResult actual = hasher.Hash(view, mode);
      EXPECT_EQ(actual.hash.ToHex(), expected.hash.ToHex());
      EXPECT_EQ(actual.quality, expected.quality);
    }
  }
}

TEST(PdqHasherTest, TinyOrInvalidImagesHashToZero) {
  PdqHasher hasher;
  const std::vector<uint8_t> px(4 * 100 * 3, 200);
  EXPECT_EQ(hasher.Hash({px.data(), 4, 100, 3, 12}), PdqResult{});
  EXPECT_EQ(hasher.Hash({px.data(), 100, 4, 3, 300}), PdqResult{});
  EXPECT_EQ(hasher.Hash({nullptr, 100, 100, 3, 300}), PdqResult{});
  EXPECT_EQ(hasher.Hash({px.data(), 10, 10, 3, 5}), PdqResult{});  // stride too small
}

TEST(PdqHasherTest, StrideIsHonoured) {
  const int w = 80, h = 60;
  const auto px = RandomSmoothImage(w, h, 3, 7);
  std::vector<uint8_t> padded(static_cast<size_t>(h) * (w * 3 + 13), 0);
  for (int y = 0; y < h; ++y) std::copy_n(&px[y * w * 3], w * 3, &padded[y * (w * 3 + 13)]);
  PdqHasher hasher;
  EXPECT_EQ(hasher.Hash({px.data(), w, h, 3, w * 3u}),
            hasher.Hash({padded.data(), w, h, 3, w * 3u + 13}));
}

// The variants themselves are checked against the reference in pdq_golden_test.cc.
TEST(PdqHasherTest, FirstDihedralVariantIsThePlainHash) {
  const int n = 128;
  const auto px = RandomSmoothImage(n, n, 3, 11);
  PdqHasher hasher;
  const auto variants = hasher.HashDihedral({px.data(), n, n, 3, 3 * n});
  EXPECT_EQ(variants[0], hasher.Hash({px.data(), n, n, 3, 3 * n}));
  for (const PdqResult& v : variants) EXPECT_EQ(v.quality, variants[0].quality);
}

}  // namespace
}  // namespace vigil
