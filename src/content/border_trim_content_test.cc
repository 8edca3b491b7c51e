// ContentHasher's query variants on images: the plain PDQ hash never changes, and a
// bordered photo re-encoded as a low-quality JPEG gets a trimmed hash near the unbordered
// photo's. Encoding the test JPEG uses libvips directly (test code only; the library
// decodes through media/ alone).
#include <gtest/gtest.h>
#include <vips/vips.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "content/content_hasher.h"
#include "content/vpdq_video.h"
#include "media/test_images.h"
#include "util/file_io.h"

namespace vigil {
namespace {

using testing_data::Data;
using testing_data::DecodeFile;

// `image` (RGB) inside bars of `colour`: top/bottom and left/right thicknesses.
Image Framed(const Image& image, int bar_y, int bar_x, uint8_t colour) {
  Image out;
  out.width = image.width + 2 * bar_x;
  out.height = image.height + 2 * bar_y;
  out.channels = 3;
  out.pixels.assign(static_cast<size_t>(out.width) * out.height * 3, colour);
  for (int y = 0; y < image.height; ++y) {
    const uint8_t* src = &image.pixels[static_cast<size_t>(y) * image.width * 3];
    uint8_t* dst = &out.pixels[(static_cast<size_t>(y + bar_y) * out.width + bar_x) * 3];
    std::copy(src, src + static_cast<size_t>(image.width) * 3, dst);
  }
  return out;
}

std::vector<uint8_t> EncodeJpeg(const Image& image, int quality) {
  VipsImage* vips =
      vips_image_new_from_memory_copy(image.pixels.data(), image.pixels.size(), image.width,
                                      image.height, image.channels, VIPS_FORMAT_UCHAR);
  void* buf = nullptr;
  size_t len = 0;
  const int rc = vips_jpegsave_buffer(vips, &buf, &len, "Q", quality, nullptr);
  g_object_unref(vips);
  EXPECT_EQ(rc, 0) << vips_error_buffer();
  std::vector<uint8_t> bytes(static_cast<uint8_t*>(buf), static_cast<uint8_t*>(buf) + len);
  g_free(buf);
  return bytes;
}

ContentHashOptions PlainOptions() {
  ContentHashOptions o;
  o.dihedral = DihedralHashes::kOff;
  o.trim = BorderTrim::kOff;
  return o;
}

class BorderTrimContentTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitMedia().ok()); }
};

TEST_F(BorderTrimContentTest, PlainHashIsTheSameWithEveryVariantOn) {
  for (const char* rel : {"pdq/bridge-mods/aaa-orig.jpg", "pdq/misc-images/c.png"}) {
    SCOPED_TRACE(rel);
    auto plain = ContentHasher(PlainOptions()).HashFile(Data(rel));
    auto all = ContentHasher({}).HashFile(Data(rel));
    ASSERT_TRUE(plain.ok() && all.ok());
    ASSERT_TRUE(plain->pdq && all->pdq);
    EXPECT_EQ(*plain->pdq, *all->pdq);
    EXPECT_EQ(all->dihedral.size(), 8u);
    EXPECT_EQ(all->dihedral[0], *all->pdq);
    EXPECT_TRUE(plain->dihedral.empty());
    EXPECT_FALSE(plain->trimmed.has_value());
  }
}

// A 6% black border, re-encoded as JPEG at quality 25: PDQ alone loses the photo, the
// trimmed hash finds it.
TEST_F(BorderTrimContentTest, BorderedLowQualityJpegIsTrimmed) {
  const Image photo = DecodeFile(Data("pdq/bridge-mods/aaa-orig.jpg"));
  ASSERT_GT(photo.width, 0);
  ContentHasher hasher({});
  ContentHashes original;
  hasher.HashPixels({photo.pixels.data(), photo.width, photo.height, photo.channels,
                     static_cast<size_t>(photo.width) * photo.channels},
                    &original);
  ASSERT_TRUE(original.pdq.has_value());
  const int bar_y = photo.height * 6 / 100, bar_x = photo.width * 6 / 100;
  for (uint8_t colour : {0, 255, 90}) {
    SCOPED_TRACE(static_cast<int>(colour));
    const std::vector<uint8_t> jpeg = EncodeJpeg(Framed(photo, bar_y, bar_x, colour), 25);
    auto hashes = hasher.HashBytes(jpeg, "framed.jpg");
    ASSERT_TRUE(hashes.ok());
    ASSERT_TRUE(hashes->trimmed.has_value());
    ASSERT_TRUE(hashes->trimmed_box.has_value());
    EXPECT_NEAR(hashes->trimmed_box->x, bar_x, 8);
    EXPECT_NEAR(hashes->trimmed_box->y, bar_y, 8);
    EXPECT_NEAR(hashes->trimmed_box->width, photo.width, 16);
    EXPECT_NEAR(hashes->trimmed_box->height, photo.height, 16);
    EXPECT_EQ(hashes->trimmed_dihedral.size(), 8u);
    const int trimmed = HammingDistance(hashes->trimmed->hash, original.pdq->hash);
    const int plain = HammingDistance(hashes->pdq->hash, original.pdq->hash);
    EXPECT_LE(trimmed, 24) << "plain distance " << plain;
    EXPECT_GT(plain, kPdqMatchDistance);
  }
}

// A saturated red 6% border (the detection bench's colour) around a photo whose edges are
// a smooth grey of about the border's luma, as a quality-85 JPEG: the bars differ from the
// picture in colour, hardly in brightness or detail, and are still found.
TEST_F(BorderTrimContentTest, ColouredBorderBesideSmoothEdgesIsTrimmed) {
  Image photo = DecodeFile(Data("pdq/bridge-mods/aaa-orig.jpg"));
  ASSERT_GT(photo.width, 200);
  const int margin = photo.width / 10;
  for (int y = 0; y < photo.height; ++y) {
    for (int x = 0; x < photo.width; ++x) {
      const int from_edge = std::min({x, y, photo.width - 1 - x, photo.height - 1 - y});
      if (from_edge >= margin) continue;
      uint8_t* p = &photo.pixels[(static_cast<size_t>(y) * photo.width + x) * 3];
      const uint8_t v = static_cast<uint8_t>(84 + 12 * y / photo.height);  // a slow ramp
      p[0] = p[1] = p[2] = v;
    }
  }
  ContentHasher hasher({});
  ContentHashes original;
  hasher.HashPixels(
      {photo.pixels.data(), photo.width, photo.height, 3, static_cast<size_t>(photo.width) * 3},
      &original);
  const int bar_y = photo.height * 6 / 100, bar_x = photo.width * 6 / 100;
  Image framed = Framed(photo, bar_y, bar_x, 0);
  for (int y = 0; y < framed.height; ++y) {
    for (int x = 0; x < framed.width; ++x) {
      if (x >= bar_x && x < bar_x + photo.width && y >= bar_y && y < bar_y + photo.height) {
        continue;
      }
      uint8_t* p = &framed.pixels[(static_cast<size_t>(y) * framed.width + x) * 3];
      p[0] = 200, p[1] = 16, p[2] = 46;
    }
  }
  auto hashes = hasher.HashBytes(EncodeJpeg(framed, 85), "red-border.jpg");
  ASSERT_TRUE(hashes.ok());
  ASSERT_TRUE(hashes->trimmed_box.has_value());
  EXPECT_NEAR(hashes->trimmed_box->x, bar_x, 2);
  EXPECT_NEAR(hashes->trimmed_box->y, bar_y, 2);
  EXPECT_NEAR(hashes->trimmed_box->width, photo.width, 4);
  EXPECT_NEAR(hashes->trimmed_box->height, photo.height, 4);
  ASSERT_TRUE(original.pdq.has_value());
  EXPECT_LE(HammingDistance(hashes->trimmed->hash, original.pdq->hash), 16);
}

// A landscape photo in a wider frame whose side bars are the photo enlarged 1.5x and
// Gaussian-blurred (sigma 8 and 25), as a quality-40 JPEG: the box is the photo's.
TEST_F(BorderTrimContentTest, BlurredPillarboxJpegIsTrimmed) {
  const std::string path = Data("pdq/bridge-mods/aaa-orig.jpg");
  VipsImage* photo = vips_image_new_from_file(path.c_str(), nullptr);
  ASSERT_NE(photo, nullptr) << vips_error_buffer();
  const int w = vips_image_get_width(photo), h = vips_image_get_height(photo);
  const int bar = w / 4;
  ContentHasher hasher({});
  auto plain = ContentHasher(PlainOptions()).HashFile(path);
  ASSERT_TRUE(plain.ok());
  for (double sigma : {8.0, 25.0}) {
    SCOPED_TRACE(sigma);
    VipsImage *big = nullptr, *crop = nullptr, *blur = nullptr, *fill = nullptr, *out = nullptr;
    ASSERT_EQ(vips_resize(photo, &big, 1.5, nullptr), 0);
    const int extended = vips_image_get_height(big);
    ASSERT_EQ(vips_extract_area(big, &crop, 0, (extended - h) / 2, w + 2 * bar, h, nullptr), 0);
    ASSERT_EQ(vips_gaussblur(crop, &blur, sigma, nullptr), 0);
    ASSERT_EQ(vips_cast(blur, &fill, VIPS_FORMAT_UCHAR, nullptr), 0);
    ASSERT_EQ(vips_insert(fill, photo, &out, bar, 0, nullptr), 0);
    void* buf = nullptr;
    size_t len = 0;
    ASSERT_EQ(vips_jpegsave_buffer(out, &buf, &len, "Q", 40, nullptr), 0);
    const std::vector<uint8_t> jpeg(static_cast<uint8_t*>(buf), static_cast<uint8_t*>(buf) + len);
    g_free(buf);
    for (VipsImage* i : {big, crop, blur, fill, out}) g_object_unref(i);
    auto hashes = hasher.HashBytes(jpeg, "pillarbox.jpg");
    ASSERT_TRUE(hashes.ok());
    ASSERT_TRUE(hashes->trimmed_box.has_value());
    EXPECT_NEAR(hashes->trimmed_box->x, bar, 4);
    EXPECT_NEAR(hashes->trimmed_box->width, w, 8);
    EXPECT_EQ(hashes->trimmed_box->height, h);
    EXPECT_LE(HammingDistance(hashes->trimmed->hash, plain->pdq->hash), 16);
    EXPECT_GT(HammingDistance(hashes->pdq->hash, plain->pdq->hash), kPdqMatchDistance);
  }
  g_object_unref(photo);
}

TEST_F(BorderTrimContentTest, NoBorderNoTrimmedHash) {
  auto hashes = ContentHasher({}).HashFile(Data("pdq/bridge-mods/aaa-orig.jpg"));
  ASSERT_TRUE(hashes.ok());
  EXPECT_FALSE(hashes->trimmed.has_value());
  EXPECT_FALSE(hashes->trimmed_box.has_value());
  EXPECT_TRUE(hashes->trimmed_dihedral.empty());
}

TEST_F(BorderTrimContentTest, TrimOffGivesNoTrimmedHash) {
  const Image photo = DecodeFile(Data("pdq/bridge-mods/aaa-orig.jpg"));
  const Image framed = Framed(photo, 40, 40, 0);
  ContentHashOptions options;
  options.trim = BorderTrim::kOff;
  ContentHashes out;
  ContentHasher(options).HashPixels(
      {framed.pixels.data(), framed.width, framed.height, 3, static_cast<size_t>(framed.width) * 3},
      &out);
  EXPECT_TRUE(out.pdq.has_value());
  EXPECT_FALSE(out.trimmed.has_value());
}

// A letterboxed clip: frames of different pictures in black bars, two of them dark (no bar
// to see). The dark ones are cut to the last box found; the others to their own.
TEST_F(BorderTrimContentTest, TrimmedVpdqCutsEachFrameToItsBox) {
  const Image photo = DecodeFile(Data("pdq/bridge-mods/aaa-orig.jpg"));
  ASSERT_GE(photo.width, 800);
  PdqHasher pdq;
  VpdqHasher original;
  TrimmedVpdqBuilder trimmed;
  std::vector<Hash256> want;
  for (int i = 0; i < 10; ++i) {
    Image crop{400, 300, 3, {}};
    for (int y = 0; y < 300; ++y) {
      const uint8_t* src =
          &photo.pixels[(static_cast<size_t>(y + 20 * i) * photo.width + 40 * i) * 3];
      crop.pixels.insert(crop.pixels.end(), src, src + 400 * 3);
    }
    const bool dark = i == 3 || i == 4;
    if (dark) std::fill(crop.pixels.begin(), crop.pixels.end(), 0);
    const Image frame = Framed(crop, 100, 0, 0);
    const ImageView view{frame.pixels.data(), frame.width, frame.height, 3,
                         static_cast<size_t>(frame.width) * 3};
    original.AddFrame(view, i * 30, i);
    trimmed.AddFrame(view, i * 30, i);
    want.push_back(
        pdq.Hash({crop.pixels.data(), 400, 300, 3, 1200}, PdqMode::kFullResolution).hash);
  }
  const VpdqHash plain = original.Finish();
  const std::optional<VpdqHash> cut = trimmed.Finish(plain);
  ASSERT_TRUE(cut.has_value());
  ASSERT_EQ(cut->frames.size(), 10u);
  for (int i = 0; i < 10; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(cut->frames[i].frame_number, plain.frames[i].frame_number);
    EXPECT_EQ(cut->frames[i].pdq, want[i]);  // the dark ones too: cut to the last box
  }
}

TEST_F(BorderTrimContentTest, TrimmedVpdqNeedsBarsInMostFrames) {
  const Image photo = DecodeFile(Data("pdq/bridge-mods/aaa-orig.jpg"));
  Image crop{400, 300, 3, {}};
  for (int y = 0; y < 300; ++y) {
    const uint8_t* src = &photo.pixels[static_cast<size_t>(y) * photo.width * 3];
    crop.pixels.insert(crop.pixels.end(), src, src + 400 * 3);
  }
  const Image framed = Framed(crop, 60, 0, 0);
  VpdqHasher original;
  TrimmedVpdqBuilder trimmed;
  for (int i = 0; i < 10; ++i) {
    const Image& frame = i < 5 ? framed : crop;  // half with bars: not a letterboxed video
    const ImageView view{frame.pixels.data(), frame.width, frame.height, 3,
                         static_cast<size_t>(frame.width) * 3};
    original.AddFrame(view, i, i);
    trimmed.AddFrame(view, i, i);
  }
  EXPECT_FALSE(trimmed.Finish(original.Finish()).has_value());
}

// The plain vPDQ hash is the same with trimming on; a video without bars gets no second.
TEST_F(BorderTrimContentTest, VideoHashUnchangedByTrim) {
  ContentHashOptions off = PlainOptions();
  off.tmk = TmkHashing::kOff;
  ContentHashOptions on;
  on.tmk = TmkHashing::kOff;
  const std::string path = Data("video/doorknob-hd-no-bar.mp4");
  auto plain = ContentHasher(off).HashFile(path);
  auto all = ContentHasher(on).HashFile(path);
  ASSERT_TRUE(plain.ok() && all.ok());
  ASSERT_TRUE(plain->vpdq && all->vpdq);
  EXPECT_EQ(*plain->vpdq, *all->vpdq);
  EXPECT_FALSE(plain->vpdq_trimmed.has_value());
  EXPECT_FALSE(all->vpdq_trimmed.has_value());
}

// The reference's sample videos: an SD encoding of the pattern clip inside grey bars does
// not match the HD original by vPDQ; its trimmed frames do, fully.
TEST_F(BorderTrimContentTest, BarredVideoMatchesTheOriginalThroughItsTrimmedHash) {
  ContentHashOptions options;
  options.tmk = TmkHashing::kOff;
  ContentHasher hasher(options);
  auto original = hasher.HashFile(Data("video/pattern-hd-no-bar.mp4"));
  auto barred = hasher.HashFile(Data("video/pattern-sd-grey-bar.mp4"));
  ASSERT_TRUE(original.ok() && barred.ok());
  ASSERT_TRUE(original->vpdq && barred->vpdq);
  EXPECT_FALSE(original->vpdq_trimmed.has_value());
  ASSERT_TRUE(barred->vpdq_trimmed.has_value());
  EXPECT_FALSE(VpdqMatch(*barred->vpdq, *original->vpdq).match);
  const VpdqMatchResult trimmed = VpdqMatch(*barred->vpdq_trimmed, *original->vpdq);
  EXPECT_TRUE(trimmed.match);
  EXPECT_GE(trimmed.target_percent, 90);
}

}  // namespace
}  // namespace vigil
