// ContentHasher on videos: sniffing, streamed digests, vPDQ + TMK signals, and the errors
// of a video that does not decode. Sampling at 1 s keeps these quick; the golden frame
// equality of the hashers has its own tests.
#include "content/content_hasher.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "content/media_sniff.h"
#include "util/file_io.h"

namespace vigil {
namespace {

std::string Data(const std::string& rel) {
  const char* env = std::getenv("VIGIL_TEST_DATA");
  return std::string(env != nullptr ? env : VIGIL_TEST_DATA) + "/" + rel;
}

std::vector<uint8_t> Read(const std::string& path) {
  auto bytes = ReadFileWithLimit(path, 64 << 20);
  EXPECT_TRUE(bytes.ok()) << path;
  return bytes.ok() ? *bytes : std::vector<uint8_t>();
}

TEST(SniffMedia, ByTheBytes) {
  EXPECT_EQ(SniffMedia(Read(Data("video/doorknob-hd-no-bar.mp4"))), SniffedMedia::kVideo);
  EXPECT_EQ(SniffMedia(Read(Data("bad/frames-5000.gif"))), SniffedMedia::kGif);
  EXPECT_EQ(SniffMedia(Read(Data("pdq/bridge-mods/aaa-orig.jpg"))), SniffedMedia::kOther);
  const std::string mkv = "\x1a\x45\xdf\xa3rest";
  EXPECT_EQ(SniffMedia(std::span(reinterpret_cast<const uint8_t*>(mkv.data()), mkv.size())),
            SniffedMedia::kVideo);
  const std::string avi("RIFF\x10\x00\x00\x00" "AVI LIST", 16);
  EXPECT_EQ(SniffMedia(std::span(reinterpret_cast<const uint8_t*>(avi.data()), avi.size())),
            SniffedMedia::kVideo);
  const std::string webp("RIFF\x10\x00\x00\x00" "WEBPVP8 ", 16);
  EXPECT_EQ(SniffMedia(std::span(reinterpret_cast<const uint8_t*>(webp.data()), webp.size())),
            SniffedMedia::kOther);
  const std::string heic = std::string("\0\0\0\x18", 4) + "ftypheic";
  EXPECT_EQ(SniffMedia(std::span(reinterpret_cast<const uint8_t*>(heic.data()), heic.size())),
            SniffedMedia::kOther);
}

TEST(ContentHasherVideo, FileGivesDigestsVpdqAndTmk) {
  const std::string path = Data("video/doorknob-hd-no-bar.mp4");
  ContentHasher hasher({});
  auto hashes = hasher.HashFile(path);
  ASSERT_TRUE(hashes.ok()) << hashes.status().ToString();
  EXPECT_TRUE(hashes->is_video);
  EXPECT_TRUE(hashes->MediaError().ok()) << hashes->MediaError().ToString();
  EXPECT_FALSE(hashes->pdq.has_value());
  auto whole = ComputeExactHashes(Read(path));
  EXPECT_EQ(hashes->exact.md5, whole->md5);
  EXPECT_EQ(hashes->exact.sha256, whole->sha256);
  ASSERT_TRUE(hashes->vpdq.has_value());
  ASSERT_TRUE(hashes->video.has_value());
  EXPECT_FALSE(hashes->video->partial);
  // One hash per second of video (the last second may add one).
  const double seconds = hashes->video->duration_seconds;
  EXPECT_GT(seconds, 1);
  EXPECT_NEAR(static_cast<double>(hashes->vpdq->frames.size()), seconds, 1.5);
  ASSERT_TRUE(hashes->tmk.has_value());
  EXPECT_GT(hashes->tmk->frame_count, 0);

  // The same bytes as an upload give the same signals.
  const std::vector<uint8_t> bytes = Read(path);
  auto upload = hasher.HashBytes(bytes, "upload.mp4");
  ASSERT_TRUE(upload.ok());
  EXPECT_EQ(upload->vpdq, hashes->vpdq);
  EXPECT_EQ(upload->tmk, hashes->tmk);
  EXPECT_EQ(upload->exact.sha256, hashes->exact.sha256);
}

TEST(ContentHasherVideo, TmkCanBeTurnedOff) {
  ContentHashOptions options;
  options.tmk = TmkHashing::kOff;
  ContentHasher hasher(options);
  auto hashes = hasher.HashFile(Data("video/doorknob-hd-no-bar.mp4"));
  ASSERT_TRUE(hashes.ok());
  EXPECT_TRUE(hashes->vpdq.has_value());
  EXPECT_FALSE(hashes->tmk.has_value());
}

TEST(ContentHasherVideo, CutShortVideoKeepsItsDigestsAndSaysWhy) {
  std::vector<uint8_t> bytes = Read(Data("video/doorknob-hd-no-bar.mp4"));
  bytes.resize(4000);  // the header only
  ContentHasher hasher({});
  auto hashes = hasher.HashBytes(bytes, "cut.mp4");
  ASSERT_TRUE(hashes.ok());
  EXPECT_TRUE(hashes->is_video);
  EXPECT_EQ(hashes->exact.md5.size(), 32u);
  EXPECT_FALSE(hashes->vpdq.has_value());
  EXPECT_FALSE(hashes->MediaError().ok());
  EXPECT_EQ(hashes->MediaError().message().rfind("cut.mp4", 0), 0u)
      << hashes->MediaError().ToString();
}

TEST(ContentHasherVideo, VideoOverItsByteLimitIsRefusedBeforeDecoding) {
  ContentHashOptions options;
  options.video_limits.max_bytes = 100'000;
  ContentHasher hasher(options);
  auto hashes = hasher.HashFile(Data("video/doorknob-hd-no-bar.mp4"));
  ASSERT_FALSE(hashes.ok());
  EXPECT_EQ(hashes.status().code(), ErrorCode::kLimitExceeded);
}

TEST(ContentHasherVideo, ImagesAreUnchanged) {
  ContentHasher hasher({});
  auto hashes = hasher.HashFile(Data("pdq/bridge-mods/aaa-orig.jpg"));
  ASSERT_TRUE(hashes.ok());
  EXPECT_FALSE(hashes->is_video);
  EXPECT_TRUE(hashes->pdq.has_value());
  EXPECT_FALSE(hashes->vpdq.has_value());
  EXPECT_TRUE(hashes->MediaError().ok());
}

}  // namespace
}  // namespace vigil
