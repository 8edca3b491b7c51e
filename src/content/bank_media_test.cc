// MediaBankBuilder on real files: the rows an image gives with and without crop variants,
// a weak image, a video, and files that give nothing.
#include "content/bank_media.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "util/file_io.h"

namespace vigil {
namespace {

std::string Data(const std::string& rel) {
  const char* env = std::getenv("VIGIL_TEST_DATA");
  return std::string(env != nullptr ? env : VIGIL_TEST_DATA) + "/" + rel;
}

const char kBridge[] = "pdq/bridge-mods/aaa-orig.jpg";
// tests/data/pdq/expected-reference.csv
const char kBridgePdq[] = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";

std::vector<std::string> Types(const MediaBankEntry& e) {
  std::vector<std::string> out;
  for (const MediaSignal& s : e.signals) {
    out.push_back(std::string(SignalTypeName(s.type)) + (s.crop.empty() ? "" : "#" + s.crop));
  }
  return out;
}

// The decoded pixels of a test image, for checking crops against the hasher directly.
struct Decoded {
  Image image;
  ImageView view;
  explicit Decoded(const std::string& path) {
    auto bytes = ReadFileWithLimit(path, 64 << 20);
    EXPECT_TRUE(bytes.ok());
    ImageDecoder decoder;
    EXPECT_TRUE(decoder.Decode(*bytes, path, &image).ok());
    view = {image.pixels.data(), image.width, image.height, image.channels,
            static_cast<size_t>(image.width) * image.channels};
  }
};

TEST(MediaBankBuilder, ImageWithoutCrops) {
  MediaBankBuilder builder({});
  const MediaBankEntry e = builder.Build(Data(kBridge));
  ASSERT_TRUE(e.error.ok()) << e.error.ToString();
  EXPECT_EQ(Types(e), (std::vector<std::string>{"md5", "sha256", "pdq"}));
  auto bytes = ReadFileWithLimit(Data(kBridge), 64 << 20);
  auto exact = ComputeExactHashes(*bytes);
  EXPECT_EQ(e.signals[0].value, exact->md5);
  EXPECT_EQ(e.signals[1].value, exact->sha256);
  EXPECT_EQ(e.signals[2].value, kBridgePdq);
  EXPECT_EQ(e.signals[2].quality, 100);
  EXPECT_EQ(e.crops_added, 0);
  EXPECT_TRUE(e.notes.empty());
}

TEST(MediaBankBuilder, ImageWithDefaultCrops) {
  MediaBankOptions options;
  options.crops = DefaultCropSet();
  MediaBankBuilder builder(options);
  const MediaBankEntry e = builder.Build(Data(kBridge));
  ASSERT_TRUE(e.error.ok()) << e.error.ToString();
  ASSERT_EQ(e.signals.size(), 3 + options.crops.size());
  EXPECT_EQ(e.crops_added, static_cast<int>(options.crops.size()));
  EXPECT_EQ(e.signals[2].value, kBridgePdq);  // the original is unchanged by crops
  // Each variant is the PDQ of that crop of the full-resolution decode, in the same mode.
  Decoded decoded(Data(kBridge));
  PdqHasher hasher;
  std::set<std::string> values;
  for (size_t i = 0; i < options.crops.size(); ++i) {
    const MediaSignal& s = e.signals[3 + i];
    EXPECT_EQ(s.type, SignalType::kPdq);
    EXPECT_EQ(s.crop, CropName(options.crops[i]));
    const PdqResult want = hasher.Hash(CropView(decoded.view, options.crops[i]));
    EXPECT_EQ(s.value, want.hash.ToHex()) << s.crop;
    EXPECT_EQ(s.quality, want.quality);
    EXPECT_GE(*s.quality, kPdqMinQuality);
    values.insert(s.value);
  }
  EXPECT_EQ(values.size(), options.crops.size());
  EXPECT_EQ(CropSourceSuffix(e.signals[3].crop), "#crop=c97");
}

// A copy with 8% cut off evenly (between the c94 and c91 variants) is beyond distance 31
// of the original but within it of a variant: what the variants are for.
TEST(MediaBankBuilder, CroppedCopyLandsNearAVariant) {
  MediaBankOptions options;
  options.crops = DefaultCropSet();
  MediaBankBuilder builder(options);
  const MediaBankEntry e = builder.Build(Data(kBridge));
  ASSERT_TRUE(e.error.ok());
  Decoded decoded(Data(kBridge));
  const ImageView cropped = CropView(decoded.view, {CropAnchor::kCenter, 92});
  const Hash256 query = PdqHasher().Hash(cropped).hash;
  int to_original = 256, to_nearest = 256;
  for (const MediaSignal& s : e.signals) {
    if (s.type != SignalType::kPdq) continue;
    int& best = s.crop.empty() ? to_original : to_nearest;
    best = std::min(best, HammingDistance(query, Hash256::FromHex(s.value).value()));
  }
  EXPECT_GT(to_original, kPdqMatchDistance);
  EXPECT_LE(to_nearest, kPdqMatchDistance);
}

TEST(MediaBankBuilder, RepeatedCropIsLeftOutWithANote) {
  MediaBankOptions options;
  options.crops = {{CropAnchor::kCenter, 90}, {CropAnchor::kCenter, 90}};
  MediaBankBuilder builder(options);
  const MediaBankEntry e = builder.Build(Data(kBridge));
  ASSERT_TRUE(e.error.ok());
  EXPECT_EQ(Types(e), (std::vector<std::string>{"md5", "sha256", "pdq", "pdq#c90"}));
  EXPECT_EQ(e.notes, std::vector<std::string>{"crop c90: same hash as crop c90, not added"});
}

TEST(MediaBankBuilder, WeakImageKeepsOnlyItsExactHashesAndStrongCrops) {
  MediaBankOptions options;
  options.crops = DefaultCropSet();
  MediaBankBuilder builder(options);
  const MediaBankEntry e = builder.Build(Data("pdq/reg-test-input/labelme-subset/q0003.jpg"));
  ASSERT_TRUE(e.error.ok()) << e.error.ToString();
  ASSERT_GE(e.signals.size(), 2u);
  EXPECT_EQ(e.signals[0].type, SignalType::kMd5);
  EXPECT_EQ(e.signals[1].type, SignalType::kSha256);
  ASSERT_FALSE(e.notes.empty());
  EXPECT_EQ(e.notes[0], "pdq quality 3 is below 50: not added (too weak to match)");
  for (const MediaSignal& s : e.signals) {
    if (s.type == SignalType::kPdq) {
      EXPECT_GE(*s.quality, kPdqMinQuality) << s.crop;
    }
  }
}

TEST(MediaBankBuilder, FileThatDoesNotDecodeAddsNothing) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("vigil-bank-media-" + std::to_string(::getpid()) + ".jpg");
  std::ofstream(path, std::ios::binary) << "this is not an image";
  MediaBankOptions options;
  options.crops = DefaultCropSet();
  MediaBankBuilder builder(options);
  const MediaBankEntry e = builder.Build(path.string());
  std::filesystem::remove(path);
  EXPECT_FALSE(e.error.ok());
  EXPECT_NE(e.error.message().find(path.string()), std::string::npos) << e.error.message();
  EXPECT_TRUE(e.signals.empty());

  const MediaBankEntry missing = builder.Build(Data("pdq/no-such-file.jpg"));
  EXPECT_FALSE(missing.error.ok());
  EXPECT_TRUE(missing.signals.empty());
}

TEST(MediaBankBuilder, VideoGivesVideoSignalsAndNoCrops) {
  MediaBankOptions options;
  options.crops = DefaultCropSet();
  options.hashing.tmk = TmkHashing::kOff;  // one decode keeps the test quick
  MediaBankBuilder builder(options);
  const MediaBankEntry e = builder.Build(Data("video/doorknob-hd-no-bar.mp4"));
  ASSERT_TRUE(e.error.ok()) << e.error.ToString();
  EXPECT_EQ(Types(e), (std::vector<std::string>{"md5", "sha256", "vpdq"}));
  EXPECT_TRUE(CanonicalSignal(SignalType::kVpdq, e.signals[2].value).ok());
}

}  // namespace
}  // namespace vigil
