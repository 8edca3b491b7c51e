// Matcher with the query variants ContentHasher makes by default: a bank photo is found
// again under a black border, in a 9:16 letterbox (through the trimmed hash, variant 8),
// rotated (through a dihedral hash) and rotated inside a border (9..15); a bordered video
// through its trimmed vPDQ hash, reported once.
#include <gtest/gtest.h>

#include <cstdlib>

#include "content/content_hasher.h"
#include "hash/video_signal.h"
#include "match/matcher.h"
#include "store/sqlite_bank_store.h"
#include "store/test_temp_dir.h"
#include "media/test_images.h"
#include "util/file_io.h"

namespace vigil {
namespace {

using testing_data::Data;
using testing_data::DecodeFile;

ImageView View(const Image& image) {
  return {image.pixels.data(), image.width, image.height, image.channels,
          static_cast<size_t>(image.width) * image.channels};
}

// `image` centred in a width x height canvas of `colour`.
Image Framed(const Image& image, int width, int height, uint8_t colour) {
  Image out{width, height, image.channels, {}};
  out.pixels.assign(static_cast<size_t>(width) * height * image.channels, colour);
  const int x0 = (width - image.width) / 2, y0 = (height - image.height) / 2;
  const size_t row = static_cast<size_t>(image.width) * image.channels;
  for (int y = 0; y < image.height; ++y) {
    std::copy_n(&image.pixels[y * row], row,
                &out.pixels[(static_cast<size_t>(y + y0) * width + x0) * image.channels]);
  }
  return out;
}

// `image` turned a quarter clockwise.
Image Rotated90(const Image& image) {
  Image out{image.height, image.width, image.channels, {}};
  out.pixels.resize(image.pixels.size());
  const int c = image.channels;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const int ox = image.height - 1 - y, oy = x;
      std::copy_n(&image.pixels[(static_cast<size_t>(y) * image.width + x) * c], c,
                  &out.pixels[(static_cast<size_t>(oy) * out.width + ox) * c]);
    }
  }
  return out;
}

class BorderMatchTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitMedia().ok());
    store_ = std::move(SqliteBankStore::Open(dir_.File("vigil.db"))).value();
    ASSERT_TRUE(store_->CreateBank({"terror", "", true, {"tat"}}).ok());
    photo_ = DecodeFile(Data("pdq/bridge-mods/aaa-orig.jpg"));
    ASSERT_GT(photo_.width, 0);
    // The bank holds the plain reference-mode hash, as `vigil bank add` makes it.
    ContentHashOptions plain;
    plain.dihedral = DihedralHashes::kOff;
    plain.trim = BorderTrim::kOff;
    ContentHashes bank;
    ContentHasher(plain).HashPixels(View(photo_), &bank);
    bank_hash_ = bank.pdq->hash;
    Signal s;
    s.type = SignalType::kPdq;
    s.value = bank_hash_.ToHex();
    auto added = store_->AddSignal("terror", s);
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    signal_id_ = added->id;
    auto m = Matcher::Load(*store_, {});
    ASSERT_TRUE(m.ok());
    matcher_ = std::move(m).value();
  }

  // The hashes an upload of `image` gets with `options` (default: every variant on).
  static ContentHashes Upload(const Image& image, ContentHashOptions options = {}) {
    ContentHashes out;
    out.exact = {std::string(32, '0'), std::string(64, '0')};
    ContentHasher(options).HashPixels(View(image), &out);
    return out;
  }

  TempDir dir_;
  std::unique_ptr<SqliteBankStore> store_;
  std::unique_ptr<Matcher> matcher_;
  Image photo_;
  Hash256 bank_hash_;
  int64_t signal_id_ = 0;
};

TEST_F(BorderMatchTest, VariantsFindTheFramedAndTurnedPhoto) {
  const int bx = photo_.width * 6 / 100, by = photo_.height * 6 / 100;
  const Image rotated = Rotated90(photo_);
  struct Case {
    const char* name;
    Image image;
    int min_variant, max_variant;
  } cases[] = {
      {"as is", photo_, 0, 0},
      {"6% black border", Framed(photo_, photo_.width + 2 * bx, photo_.height + 2 * by, 0),
       kTrimmedVariant, kTrimmedVariant},
      {"9:16 letterbox", Framed(photo_, photo_.width, photo_.width * 16 / 9, 0), kTrimmedVariant,
       kTrimmedVariant},
      {"white border", Framed(photo_, photo_.width + 2 * bx, photo_.height + 2 * by, 255),
       kTrimmedVariant, kTrimmedVariant},
      {"rotated", rotated, 1, 7},
      {"rotated in a border", Framed(rotated, rotated.width + 2 * by, rotated.height + 2 * bx, 0),
       kTrimmedVariant + 1, kTrimmedVariant + 7},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const ContentHashes query = Upload(c.image);
    const std::vector<MatchHit> hits = matcher_->Match(query);
    ASSERT_EQ(hits.size(), 1u);  // one hit however many query hashes reach the signal
    EXPECT_EQ(hits[0].signal_id, signal_id_);
    EXPECT_GE(hits[0].variant, c.min_variant);
    EXPECT_LE(hits[0].variant, c.max_variant);
    EXPECT_LE(hits[0].distance, kPdqMatchDistance);
    if (c.min_variant > 0) {  // what plain PDQ alone would have missed
      EXPECT_GT(HammingDistance(query.pdq->hash, bank_hash_), kPdqMatchDistance);
    }
  }
}

TEST_F(BorderMatchTest, VariantsOffFindNothing) {
  ContentHashOptions off;
  off.dihedral = DihedralHashes::kOff;
  off.trim = BorderTrim::kOff;
  const int bx = photo_.width * 6 / 100, by = photo_.height * 6 / 100;
  const Image framed = Framed(photo_, photo_.width + 2 * bx, photo_.height + 2 * by, 0);
  EXPECT_TRUE(matcher_->Match(Upload(framed, off)).empty());
  EXPECT_TRUE(matcher_->Match(Upload(Rotated90(photo_), off)).empty());
  EXPECT_EQ(matcher_->Match(Upload(photo_, off)).size(), 1u);
}

// A low-quality trimmed hash is not queried, whatever the plain hash's quality.
TEST_F(BorderMatchTest, TrimmedHashUnderTheQualityFloorIsNotQueried) {
  ContentHashes query;
  query.exact = {std::string(32, '0'), std::string(64, '0')};
  query.pdq = PdqResult{Hash256::FromHex(std::string(64, 'f')).value(), 100};
  query.trimmed = PdqResult{bank_hash_, kPdqMinQuality - 1};
  EXPECT_TRUE(matcher_->Match(query).empty());
  query.trimmed->quality = kPdqMinQuality;
  ASSERT_EQ(matcher_->Match(query).size(), 1u);
  EXPECT_EQ(matcher_->Match(query)[0].variant, kTrimmedVariant);
}

// vPDQ: both hashes are queried and a bank video is reported once, by the better hit.
TEST(BorderMatchVideo, TrimmedVpdqHitsOncePerSignal) {
  TempDir dir;
  auto store = std::move(SqliteBankStore::Open(dir.File("vigil.db"))).value();
  ASSERT_TRUE(store->CreateBank({"videos", "", true, {}}).ok());
  VpdqHash bank;
  for (int i = 0; i < 10; ++i) {
    Hash256 h;
    for (int w = 0; w < 4; ++w) h.words[w] = 0x9e3779b97f4a7c15ull * (i * 4 + w + 1);
    bank.frames.push_back(VpdqFrame{i, 100, h, static_cast<double>(i)});
  }
  Signal s;
  s.type = SignalType::kVpdq;
  s.value = FormatVpdqSignal(bank);
  auto added = store->AddSignal("videos", s);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  auto matcher = std::move(Matcher::Load(*store, {})).value();

  VpdqHash unrelated = bank, half = bank;
  for (VpdqFrame& f : unrelated.frames)
    f.pdq.words[0] = ~f.pdq.words[0], f.pdq.words[1] = ~f.pdq.words[1];
  for (int i = 0; i < 2; ++i) half.frames[i] = unrelated.frames[i];  // 80% of the bank
  ContentHashes query;
  query.vpdq = unrelated;
  query.vpdq_trimmed = bank;
  std::vector<MatchHit> hits = matcher->Match(query);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].variant, kTrimmedVariant);
  EXPECT_EQ(hits[0].vpdq.bank_percent, 100);

  query.vpdq = half;  // both match: the trimmed one matches more of the bank video
  hits = matcher->Match(query);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].variant, kTrimmedVariant);
  query.vpdq = bank;
  query.vpdq_trimmed = half;
  hits = matcher->Match(query);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].variant, 0);
}

TEST(MatchVariantName, NamesEveryVariant) {
  EXPECT_EQ(MatchVariantName(0), "original");
  EXPECT_EQ(MatchVariantName(1), "rotate90");
  EXPECT_EQ(MatchVariantName(7), "flip_minus1");
  EXPECT_EQ(MatchVariantName(kTrimmedVariant), "trimmed");
  EXPECT_EQ(MatchVariantName(kTrimmedVariant + 1), "trimmed_rotate90");
  EXPECT_EQ(MatchVariantName(15), "trimmed_flip_minus1");
  EXPECT_EQ(MatchVariantName(16), "unknown");
  EXPECT_EQ(MatchVariantName(-1), "unknown");
}

}  // namespace
}  // namespace vigil
