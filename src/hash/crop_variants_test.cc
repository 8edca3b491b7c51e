#include "hash/crop_variants.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace vigil {
namespace {

// An RGB image whose pixel (x, y) holds x in channel 0 and y in channel 1, so a view's
// first pixel says where it starts.
struct CoordinateImage {
  std::vector<uint8_t> pixels;
  ImageView view;
  CoordinateImage(int width, int height) : pixels(static_cast<size_t>(width) * height * 3) {
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        uint8_t* p = &pixels[(static_cast<size_t>(y) * width + x) * 3];
        p[0] = static_cast<uint8_t>(x);
        p[1] = static_cast<uint8_t>(y);
        p[2] = static_cast<uint8_t>((x * 7 + y * 13) & 0xff);
      }
    }
    view = {pixels.data(), width, height, 3, static_cast<size_t>(width) * 3};
  }
};

TEST(CropName, EachAnchor) {
  EXPECT_EQ(CropName({CropAnchor::kCenter, 90}), "c90");
  EXPECT_EQ(CropName({CropAnchor::kTopLeft, 80}), "tl80");
  EXPECT_EQ(CropName({CropAnchor::kTopRight, 80}), "tr80");
  EXPECT_EQ(CropName({CropAnchor::kBottomLeft, 80}), "bl80");
  EXPECT_EQ(CropName({CropAnchor::kBottomRight, 50}), "br50");
}

TEST(ParseCropSet, KeywordsAndLists) {
  EXPECT_EQ(ParseCropSet("default").value(), DefaultCropSet());
  EXPECT_EQ(ParseCropSet(" full ").value(), FullCropSet());
  EXPECT_TRUE(ParseCropSet("none").value().empty());
  const std::vector<CropSpec> want = {{CropAnchor::kCenter, 95},
                                      {CropAnchor::kCenter, 90},
                                      {CropAnchor::kTopLeft, 90},
                                      {CropAnchor::kBottomRight, 80}};
  EXPECT_EQ(ParseCropSet("c95,c90,tl90,br80").value(), want);
  EXPECT_EQ(ParseCropSet(" c95 , c90,tl90 ,br80 ").value(), want);
  EXPECT_EQ(FormatCropSet(want), "c95,c90,tl90,br80");
  EXPECT_EQ(FormatCropSet({}), "none");
}

TEST(ParseCropSet, DefaultSetIsSmallAndRoundTrips) {
  const std::vector<CropSpec> set = DefaultCropSet();
  EXPECT_FALSE(set.empty());
  EXPECT_LE(set.size(), 5u);  // each variant is one more bank signal per image
  EXPECT_EQ(ParseCropSet(FormatCropSet(set)).value(), set);
}

// The full set is the default one plus a regular grid of corner crops, the same at each
// corner: a set fitted to one test crop would not be.
TEST(ParseCropSet, FullSetIsDefaultPlusEveryCornerOnAGrid) {
  const std::vector<CropSpec> full = FullCropSet();
  const std::vector<CropSpec> centre = DefaultCropSet();
  ASSERT_GT(full.size(), centre.size());
  EXPECT_TRUE(std::equal(centre.begin(), centre.end(), full.begin()));
  const std::vector<CropSpec> corners(full.begin() + centre.size(), full.end());
  ASSERT_EQ(corners.size() % 4, 0u);
  for (size_t level = 0; level < corners.size() / 4; ++level) {
    const int keep = 97 - 2 * static_cast<int>(level);
    const std::vector<CropSpec> want = {{CropAnchor::kTopLeft, keep},
                                        {CropAnchor::kTopRight, keep},
                                        {CropAnchor::kBottomLeft, keep},
                                        {CropAnchor::kBottomRight, keep}};
    EXPECT_TRUE(std::equal(want.begin(), want.end(), corners.begin() + 4 * level)) << keep;
  }
  // Down to the default set's smallest crop; the round trip also says no name is there twice.
  EXPECT_EQ(corners.back().keep_percent, 85);
  EXPECT_EQ(ParseCropSet(FormatCropSet(full)).value(), full);
}

struct BadCropSet {
  const char* text;
  const char* message;
};

TEST(ParseCropSet, BadInputsNameTheItem) {
  const BadCropSet cases[] = {
      {"", "crop set '': an empty item (use none, default, full, or names like c90,tl80)"},
      {"c90,,c80",
       "crop set 'c90,,c80': an empty item (use none, default, full, or names like c90,tl80)"},
      {"c90,", "crop set 'c90,': an empty item (use none, default, full, or names like c90,tl80)"},
      {"x90", "crop 'x90': unknown anchor 'x' (c, tl, tr, bl or br, then a percent)"},
      {"c90,middle",
       "crop 'middle': unknown anchor 'middle' (c, tl, tr, bl or br, then a percent)"},
      {"C90", "crop 'C90': unknown anchor 'C' (c, tl, tr, bl or br, then a percent)"},
      {"c", "crop 'c': the percent kept must be 50..99"},
      {"c100", "crop 'c100': the percent kept must be 50..99"},
      {"tl49", "crop 'tl49': the percent kept must be 50..99"},
      {"c9x", "crop 'c9x': the percent kept must be 50..99"},
      {"c-90", "crop 'c-90': unknown anchor 'c-' (c, tl, tr, bl or br, then a percent)"},
      {"c90,c90", "crop 'c90' appears twice in the crop set"},
      {"Default", "crop 'Default': unknown anchor 'Default' (c, tl, tr, bl or br, then a percent)"},
      {"full,c90", "crop 'full': unknown anchor 'full' (c, tl, tr, bl or br, then a percent)"},
  };
  for (const BadCropSet& c : cases) {
    Result<std::vector<CropSpec>> r = ParseCropSet(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << c.text;
    EXPECT_EQ(r.status().message(), c.message) << c.text;
  }
}

struct Geometry {
  CropSpec spec;
  int x0, y0, width, height;
};

TEST(CropView, GeometryOfEachAnchor) {
  CoordinateImage image(100, 50);
  const Geometry cases[] = {
      {{CropAnchor::kCenter, 90}, 5, 2, 90, 45},  // 50-45 = 5: the odd pixel goes at the bottom
      {{CropAnchor::kTopLeft, 80}, 0, 0, 80, 40},
      {{CropAnchor::kTopRight, 80}, 20, 0, 80, 40},
      {{CropAnchor::kBottomLeft, 80}, 0, 10, 80, 40},
      {{CropAnchor::kBottomRight, 80}, 20, 10, 80, 40},
      {{CropAnchor::kCenter, 99}, 0, 0, 99, 50},  // 49.5 rounds to 50: the height is kept
  };
  for (const Geometry& g : cases) {
    const ImageView v = CropView(image.view, g.spec);
    EXPECT_EQ(v.width, g.width) << CropName(g.spec);
    EXPECT_EQ(v.height, g.height) << CropName(g.spec);
    EXPECT_EQ(v.channels, 3);
    EXPECT_EQ(v.stride, image.view.stride) << "a view, not a copy";
    EXPECT_EQ(v.data[0], g.x0) << CropName(g.spec);
    EXPECT_EQ(v.data[1], g.y0) << CropName(g.spec);
    // The last pixel of the view is inside the image and at the expected place.
    const uint8_t* last = v.data + (v.height - 1) * v.stride + (v.width - 1) * 3;
    EXPECT_EQ(last[0], g.x0 + g.width - 1);
    EXPECT_EQ(last[1], g.y0 + g.height - 1);
  }
}

TEST(CropView, CropOfACropComposes) {
  CoordinateImage image(200, 100);
  const ImageView outer = CropView(image.view, {CropAnchor::kBottomRight, 90});  // 180x90 at 20,10
  const ImageView inner = CropView(outer, {CropAnchor::kCenter, 50});            // 90x45 in it
  EXPECT_EQ(inner.width, 90);
  EXPECT_EQ(inner.height, 45);
  EXPECT_EQ(inner.data[0], 20 + 45);
  EXPECT_EQ(inner.data[1], 10 + 22);
  EXPECT_EQ(inner.stride, image.view.stride);
}

TEST(CropView, TinyAndInvalidImages) {
  CoordinateImage one(1, 1);
  const ImageView v = CropView(one.view, {CropAnchor::kCenter, 50});
  EXPECT_EQ(v.width, 1);  // never below one pixel
  EXPECT_EQ(v.height, 1);
  const ImageView empty = CropView(ImageView{}, {CropAnchor::kCenter, 90});
  EXPECT_EQ(empty.data, nullptr);
  EXPECT_EQ(empty.width, 0);
  PdqHasher hasher;
  EXPECT_EQ(hasher.Hash(empty).quality, 0);
}

// Hashing the view must equal hashing a tightly packed copy of the same pixels: the
// hasher honours the stride, so no copy is needed.
TEST(CropView, HashOfViewEqualsHashOfCopy) {
  CoordinateImage image(300, 200);
  const ImageView v = CropView(image.view, {CropAnchor::kTopRight, 85});
  std::vector<uint8_t> copy;
  for (int y = 0; y < v.height; ++y) {
    const uint8_t* row = v.data + y * v.stride;
    copy.insert(copy.end(), row, row + v.width * 3);
  }
  const ImageView packed{copy.data(), v.width, v.height, 3, static_cast<size_t>(v.width) * 3};
  PdqHasher hasher;
  for (PdqMode mode : {PdqMode::kReference, PdqMode::kFullResolution}) {
    EXPECT_EQ(hasher.Hash(v, mode), hasher.Hash(packed, mode));
  }
}

}  // namespace
}  // namespace vigil
