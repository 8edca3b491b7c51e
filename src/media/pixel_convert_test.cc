// The ImageMagick conversion rules of pixel_convert.h on hand-made pixels.
#include "media/pixel_convert.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil {
namespace {

TEST(PixelConvertTest, SixteenBitRoundsLikeImageMagick) {
  // ScaleQuantumToChar equals round-half-up of v / 257 for every 16-bit value.
  for (uint32_t v = 0; v < 65536; ++v) {
    ASSERT_EQ(ScaleShortToChar(static_cast<uint16_t>(v)), static_cast<uint8_t>(v / 257.0 + 0.5)) << v;
  }
  for (int v = 0; v < 256; ++v) EXPECT_EQ(ScaleShortToChar(static_cast<uint16_t>(v * 257)), v);
}

TEST(PixelConvertTest, CmykUsesTheNaiveFormula) {
  // {C, M, Y, K} ink amounts -> R = (255 - C)(255 - K) / 255, rounded.
  std::vector<uint8_t> px = {0, 0, 0, 0,  255, 0, 0, 0,  0, 0, 0, 255,  100, 50, 0, 51};
  CmykToRgb(px.data(), 4);
  const std::vector<uint8_t> expected = {255, 255, 255,  0, 255, 255,  0, 0, 0,  124, 164, 204};
  EXPECT_EQ(std::vector<uint8_t>(px.begin(), px.begin() + 12), expected);
}

TEST(PixelConvertTest, AllGreyRgbBecomesOneChannel) {
  std::vector<uint8_t> grey = {7, 7, 7, 200, 200, 200};
  EXPECT_TRUE(CompactIfGrey(grey.data(), 2));
  EXPECT_EQ(grey[0], 7);
  EXPECT_EQ(grey[1], 200);
  std::vector<uint8_t> colour = {7, 7, 7, 200, 201, 200};
  EXPECT_FALSE(CompactIfGrey(colour.data(), 2));
  EXPECT_EQ(colour, (std::vector<uint8_t>{7, 7, 7, 200, 201, 200}));
}

TEST(PixelConvertTest, AlphaDroppedNotComposited) {
  std::vector<uint8_t> rgba = {10, 20, 30, 0, 40, 50, 60, 128};
  DropChannels(rgba.data(), 2, 4, 3);
  EXPECT_EQ(std::vector<uint8_t>(rgba.begin(), rgba.begin() + 6),
            (std::vector<uint8_t>{10, 20, 30, 40, 50, 60}));
}

}  // namespace
}  // namespace vigil
