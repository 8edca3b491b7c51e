// HashVideoTmk against the reference's sample hashes (tests/data/video/tmk-expected, made
// by facebook/ThreatExchange tmk-hash-video, which pipes frames from the ffmpeg CLI), and
// Cli15FpsResampler against frame counts the ffmpeg 5.1 command line gives.
#include "content/tmk_video.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "util/file_io.h"

namespace vigil {
namespace {

std::string VideoDir() {
  const char* env = std::getenv("VIGIL_TEST_DATA");
  return std::string(env != nullptr ? env : VIGIL_TEST_DATA) + "/video";
}

// Largest |ours - theirs| over a vector, absolute and relative to the vector's largest
// magnitude.
struct Diff {
  double abs = 0, rel = 0;
  void Add(const std::vector<float>& ours, const std::vector<float>& theirs) {
    ASSERT_EQ(ours.size(), theirs.size());
    double scale = 0, worst = 0;
    for (size_t i = 0; i < ours.size(); ++i) {
      scale = std::max(scale, std::fabs(double{theirs[i]}));
      worst = std::max(worst, std::fabs(double{ours[i]} - theirs[i]));
    }
    abs = std::max(abs, worst);
    if (scale > 0) rel = std::max(rel, worst / scale);
  }
};

struct Sample {
  std::string name;
  TmkFeatures ours, theirs;
};

// Every sample video that has a reference hash, hashed once for all tests.
const std::vector<Sample>& Samples() {
  static const std::vector<Sample> samples = [] {
    std::vector<Sample> out;
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(VideoDir() + "/tmk-expected")) {
      names.push_back(e.path().stem());
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      const std::string video = VideoDir() + "/" + name + ".mp4";
      if (!std::filesystem::exists(video)) continue;  // two are too large to keep
      auto bytes = ReadFileWithLimit(VideoDir() + "/tmk-expected/" + name + ".tmk", 1 << 20);
      EXPECT_TRUE(bytes.ok()) << name;
      auto theirs = ParseTmk(*bytes, name);
      EXPECT_TRUE(theirs.ok()) << theirs.status().ToString();
      auto decoder = VideoDecoder::OpenFile(video);
      EXPECT_TRUE(decoder.ok()) << decoder.status().ToString();
      if (!decoder.ok() || !theirs.ok()) continue;
      auto ours = HashVideoTmk(**decoder);
      EXPECT_TRUE(ours.ok()) << ours.status().ToString();
      if (ours.ok()) out.push_back({name, std::move(*ours), std::move(*theirs)});
    }
    return out;
  }();
  return samples;
}

// Features equal the reference's. With the same 64x64 frames our arithmetic is the
// reference's, operation for operation (hash/tmk.cc), so the only source of difference is
// the frames; with FFmpeg 5.1 they are the CLI's byte for byte and the measured difference
// is 0. The bound allows a few float ulps (1e-6 of a vector's largest value) and no more:
// one pixel off by one in one frame moves features by ~1e-4 relative, which fails.
TEST(TmkVideoTest, FeaturesEqualTheReferenceSampleHashes) {
  const auto& samples = Samples();
  ASSERT_EQ(samples.size(), 13u);
  Diff all;
  for (const auto& s : samples) {
    EXPECT_EQ(s.ours.frame_count, s.theirs.frame_count) << s.name;
    Diff d;
    d.Add(s.ours.pure_average, s.theirs.pure_average);
    d.Add(s.ours.cos_features, s.theirs.cos_features);
    d.Add(s.ours.sin_features, s.theirs.sin_features);
    EXPECT_LE(d.rel, 1e-6) << s.name << ": max abs " << d.abs << ", rel " << d.rel;
    all.abs = std::max(all.abs, d.abs);
    all.rel = std::max(all.rel, d.rel);
  }
  std::printf("TMK features vs reference, %zu videos: max abs diff %.3g, max rel diff %.3g\n",
              samples.size(), all.abs, all.rel);
}

// For every pair of sample videos, both scores from our features equal those from the
// reference's features within 1e-4 (specs/video.md).
TEST(TmkVideoTest, PairScoresEqualThoseOfTheReferenceFeatures) {
  const auto& samples = Samples();
  double worst1 = 0, worst2 = 0;
  int pairs = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    for (size_t j = i + 1; j < samples.size(); ++j) {
      const auto& a = samples[i];
      const auto& b = samples[j];
      const float ours1 = *TmkLevel1Score(a.ours, b.ours);
      const float theirs1 = *TmkLevel1Score(a.theirs, b.theirs);
      const float ours2 = *TmkLevel2Score(a.ours, b.ours);
      const float theirs2 = *TmkLevel2Score(a.theirs, b.theirs);
      EXPECT_NEAR(ours1, theirs1, 1e-4) << a.name << " " << b.name;
      EXPECT_NEAR(ours2, theirs2, 1e-4) << a.name << " " << b.name;
      worst1 = std::max(worst1, std::fabs(double{ours1} - theirs1));
      worst2 = std::max(worst2, std::fabs(double{ours2} - theirs2));
      ++pairs;
    }
  }
  EXPECT_EQ(pairs, 78);
  std::printf("TMK pair scores, %d pairs: max |level-1 diff| %.3g, max |level-2 diff| %.3g\n",
              pairs, worst1, worst2);
}

// Output frame counts (including the repeats at the end) of
//   ffmpeg -i F -s 64:64 -an -f rawvideo -pix_fmt rgb24 -r 15 -
// with FFmpeg 5.1 on 3-second testsrc2 clips (libx264, MP4 time base 1/15360) at each
// rate, and on the 564-frame chair-19-sd-bar.mp4 (30 fps).
struct CountCase {
  int rate_num, rate_den, frames, expected_out;
};

TEST(Cli15FpsResamplerTest, FrameCountsMatchTheFfmpegCommandLine) {
  const CountCase cases[] = {
      {25, 1, 75, 47},  {24, 1, 72, 47}, {30000, 1001, 90, 47}, {10, 1, 30, 46},
      {7, 1, 21, 45},   {60, 1, 180, 47}, {15, 1, 45, 45},      {50, 1, 150, 47},
      {12, 1, 36, 45},  {30, 1, 564, 284},
  };
  for (const auto& c : cases) {
    Cli15FpsResampler resampler(static_cast<double>(c.rate_num) / c.rate_den);
    int64_t out = 0;
    for (int k = 0; k < c.frames; ++k) {
      // MP4 timestamps at time base 1/15360, as the muxer rounded them.
      const int64_t pts = std::llround(k * 15360.0 * c.rate_den / c.rate_num);
      const auto d = resampler.Offer(pts, 1, 15360);
      ASSERT_LE(d.repeat_previous, d.emit);
      out += d.emit;
    }
    out += resampler.Flush();
    EXPECT_EQ(out, c.expected_out) << c.rate_num << "/" << c.rate_den;
  }
}

TEST(Cli15FpsResamplerTest, ThirtyFpsKeepsEveryOtherFrameAfterTheStart) {
  Cli15FpsResampler resampler(30);
  std::vector<int> emits;
  for (int k = 0; k < 10; ++k) emits.push_back(resampler.Offer(k * 512, 1, 15360).emit);
  // ffmpeg lags the output one slot behind before it starts dropping.
  EXPECT_EQ(emits, (std::vector<int>{1, 1, 1, 1, 0, 1, 0, 1, 0, 1}));
}

TEST(Cli15FpsResamplerTest, GapsRepeatTheFrameBefore) {
  Cli15FpsResampler resampler(15);
  EXPECT_EQ(resampler.Offer(0, 1, 15).emit, 1);
  // Slots 1-4 are empty. ffmpeg fills llrint(delta0 - 0.6) = 3 of them with the frame
  // before and gives this frame (due at 5) the rest: slots 1-3 old, 4-5 new.
  const auto d = resampler.Offer(5, 1, 15);
  EXPECT_EQ(d.repeat_previous, 3);
  EXPECT_EQ(d.emit, 5);
  EXPECT_EQ(resampler.frames_out(), 6);
}

TEST(Cli15FpsResamplerTest, AWildTimestampJumpIsBoundedNotOverflowed) {
  Cli15FpsResampler resampler(30);
  resampler.Offer(0, 1, 15360);
  const auto d = resampler.Offer(int64_t{1} << 60, 1, 15360);
  EXPECT_EQ(d.emit, 1 << 30);
  EXPECT_GT(resampler.frames_out(), int64_t{1} << 29);
}

TEST(TmkVideoTest, OutputFrameLimitIsEnforced) {
  auto decoder = VideoDecoder::OpenFile(VideoDir() + "/doorknob-hd-no-bar.mp4");
  ASSERT_TRUE(decoder.ok()) << decoder.status().ToString();
  auto f = HashVideoTmk(**decoder, {.max_output_frames = 10});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(f.status().message().find("doorknob-hd-no-bar.mp4"), std::string::npos);
}

}  // namespace
}  // namespace vigil
