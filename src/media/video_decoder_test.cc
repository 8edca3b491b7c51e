// VideoDecoder: the sample videos and one small file per container decode in full; a table
// of bad inputs (docs/errors.md, "Video") each gives its error code and message within its
// wall limit and bounded memory; damaged streams give a result marked partial; the exact
// colour conversion gives the same bytes whatever the CPU offers.
#include "media/video_decoder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "util/file_io.h"

extern "C" {
#include <libavutil/cpu.h>
}

namespace vigil {
namespace {

using Bytes = std::vector<uint8_t>;
using Clock = std::chrono::steady_clock;

std::string DataPath(const std::string& rel) {
  const char* env = std::getenv("VIGIL_TEST_DATA");
  return std::string(env != nullptr ? env : VIGIL_TEST_DATA) + "/" + rel;
}

Bytes ReadData(const std::string& rel) {
  auto bytes = ReadFileWithLimit(DataPath(rel), 64 << 20);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : Bytes{};
}

Bytes Prefix(const std::string& rel, size_t n) {
  Bytes bytes = ReadData(rel);
  bytes.resize(std::min(n, bytes.size()));
  return bytes;
}

Bytes Text(std::string_view text) { return Bytes(text.begin(), text.end()); }

// Decodes to the end; returns the frame count or the error.
Result<int64_t> DecodeAll(VideoDecoder& decoder) {
  int64_t n = 0;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(const bool got, decoder.NextFrame());
    if (!got) return n;
    ++n;
  }
}

// Opens and decodes; the first error, or OK.
Status OpenAndDecode(const Bytes& bytes, const std::string& name, const VideoLimits& limits) {
  auto decoder = VideoDecoder::OpenBytes(bytes, name, limits);
  if (!decoder.ok()) return decoder.status();
  return DecodeAll(**decoder).status();
}

TEST(VideoDecoderTest, SampleVideoDecodesEveryFrameInOrder) {
  auto opened = VideoDecoder::OpenFile(DataPath("video/pattern-sd-grey-bar.mp4"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  VideoDecoder& decoder = **opened;
  const VideoInfo& info = decoder.info();
  EXPECT_EQ(info.container, "mov,mp4,m4a,3gp,3g2,mj2");
  EXPECT_EQ(info.codec, "h264");
  EXPECT_EQ(info.width, 480);
  EXPECT_EQ(info.height, 720);
  EXPECT_DOUBLE_EQ(info.frame_rate, 30.0);
  EXPECT_EQ(info.header_frame_count, 206);
  EXPECT_NEAR(info.duration_seconds, 6.87, 0.01);

  RgbFrame rgb;
  EXPECT_EQ(decoder.ConvertFrame(0, 0, ScaleFilter::kArea, &rgb).code(),
            ErrorCode::kInvalidArgument);  // no frame yet
  double last_pts = -1;
  int64_t n = 0;
  for (;;) {
    auto got = decoder.NextFrame();
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    if (!*got) break;
    const VideoFrame& frame = decoder.frame();
    EXPECT_EQ(frame.index, n);
    EXPECT_EQ(frame.width, 480);
    EXPECT_TRUE(frame.has_pts);
    EXPECT_GT(frame.pts_seconds, last_pts);
    EXPECT_NEAR(frame.pts_seconds, n / 30.0, 0.002);
    if (n == 0) {
      EXPECT_TRUE(frame.key_frame);
    }
    last_pts = frame.pts_seconds;
    ++n;
  }
  EXPECT_EQ(n, 206);
  EXPECT_EQ(decoder.frames_decoded(), 206);
  EXPECT_EQ(decoder.completeness(), Completeness::kComplete) << decoder.damage();
  auto again = decoder.NextFrame();  // the end stays the end
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  EXPECT_EQ(decoder.ConvertFrame(0, 0, ScaleFilter::kArea, &rgb).code(),
            ErrorCode::kInvalidArgument);
}

TEST(VideoDecoderTest, ConvertFrameGivesPaddedRgbRows) {
  auto opened = VideoDecoder::OpenFile(DataPath("video/doorknob-hd-no-bar.mp4"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  ASSERT_TRUE((*opened)->NextFrame().ok());
  RgbFrame rgb;
  ASSERT_TRUE((*opened)->ConvertFrame(0, 0, ScaleFilter::kPoint, &rgb).ok());
  EXPECT_EQ(rgb.width, 1280);
  EXPECT_EQ(rgb.height, 720);
  EXPECT_GE(rgb.stride, 1280u * 3);
  EXPECT_GE(rgb.pixels.size(), rgb.stride * 720);
  ASSERT_TRUE(
      (*opened)->ConvertFrame(128, 128, ScaleFilter::kLanczos, ScalePrecision::kExact, &rgb).ok());
  EXPECT_EQ(rgb.width, 128);
  EXPECT_EQ(rgb.height, 128);
  EXPECT_EQ((*opened)->ConvertFrame(-1, 5, ScaleFilter::kArea, &rgb).code(),
            ErrorCode::kInvalidArgument);
}

TEST(VideoDecoderTest, BytesAndFileGiveTheSameFrames) {
  const Bytes bytes = ReadData("video/pattern-sd-grey-bar.mp4");
  auto from_bytes = VideoDecoder::OpenBytes(bytes, "upload");
  ASSERT_TRUE(from_bytes.ok()) << from_bytes.status().ToString();
  auto from_file = VideoDecoder::OpenFile(DataPath("video/pattern-sd-grey-bar.mp4"));
  ASSERT_TRUE(from_file.ok());
  RgbFrame a, b;
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(*(*from_bytes)->NextFrame());
    ASSERT_TRUE(*(*from_file)->NextFrame());
    if (i % 13 != 0) continue;
    ASSERT_TRUE((*from_bytes)->ConvertFrame(0, 0, ScaleFilter::kArea, &a).ok());
    ASSERT_TRUE((*from_file)->ConvertFrame(0, 0, ScaleFilter::kArea, &b).ok());
    EXPECT_EQ(a.pixels, b.pixels) << "frame " << i;
  }
}

// One small file per container besides MP4 (tests/data/make-video-test-files.sh).
TEST(VideoDecoderTest, EachContainerDecodes) {
  struct Case {
    const char* file;
    const char* codec;
  };
  for (const Case& c :
       {Case{"testsrc.gif", "gif"}, Case{"testsrc.webm", "vp8"}, Case{"testsrc.mkv", "h264"},
        Case{"testsrc.avi", "mpeg4"}, Case{"testsrc.mov", "h264"}}) {
    SCOPED_TRACE(c.file);
    auto opened = VideoDecoder::OpenFile(DataPath(std::string("video-formats/") + c.file));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    VideoDecoder& decoder = **opened;
    EXPECT_EQ(decoder.info().codec, c.codec);
    EXPECT_EQ(decoder.info().width, 64);
    EXPECT_EQ(decoder.info().height, 48);
    EXPECT_DOUBLE_EQ(decoder.info().frame_rate, 10.0);
    RgbFrame rgb;
    int64_t n = 0;
    while (*decoder.NextFrame()) {
      ASSERT_TRUE(decoder.ConvertFrame(0, 0, ScaleFilter::kArea, &rgb).ok());
      ++n;
    }
    EXPECT_EQ(n, 10);
    EXPECT_EQ(decoder.completeness(), Completeness::kComplete) << decoder.damage();
    // testsrc's colour bars: the top-left pixel differs from the middle one.
    EXPECT_NE(std::vector<uint8_t>(rgb.pixels.begin(), rgb.pixels.begin() + 3),
              std::vector<uint8_t>(rgb.pixels.begin() + 24 * rgb.stride + 96,
                                   rgb.pixels.begin() + 24 * rgb.stride + 99));
  }
}

// Linux: "5" in /proc/self/clear_refs resets the peak resident set size (VmHWM).
void ResetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

// A "VmHWM:" (peak) or "VmRSS:" (current) line of /proc/self/status in kB, or -1.
long StatusKb(std::string_view key) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with(key)) return std::atol(line.c_str() + key.size());
  }
  return -1;
}

struct BadInput {
  const char* name;
  std::function<Bytes()> bytes;
  ErrorCode code;
  const char* message;  // the whole message must contain this
  VideoLimits limits = {};
};

// Each must fail with its code and message, quickly, whether at open or while decoding.
TEST(VideoDecoderTest, BadInputsGiveTheirErrors) {
  const std::string sample = "video/pattern-sd-grey-bar.mp4";  // moov first, 206 frames
  const std::string moov_last = "video/test-padded-dimensions.mp4";
  VideoLimits tiny_bytes;
  tiny_bytes.max_bytes = 1000;
  VideoLimits few_pixels;
  few_pixels.max_pixels = 100'000;
  VideoLimits few_frames;
  few_frames.max_frames = 50;
  VideoLimits short_duration;
  short_duration.max_duration_seconds = 5;
  VideoLimits no_time;
  no_time.max_seconds = 0;
  VideoLimits mkv_frames;
  mkv_frames.max_frames = 5;
  const BadInput cases[] = {
      {"zero-length.mp4", [] { return Bytes{}; }, ErrorCode::kCorrupt,
       "zero-length.mp4: empty file (0 bytes)"},
      {"cut-mid-moov.mp4", [&] { return Prefix(sample, 4000); }, ErrorCode::kCorrupt,
       "cut-mid-moov.mp4: corrupt or truncated MP4/MOV header: Invalid data found when "
       "processing input"},
      {"cut-mid-mdat-moov-last.mp4", [&] { return Prefix(moov_last, 20000); }, ErrorCode::kCorrupt,
       "cut-mid-mdat-moov-last.mp4: corrupt or truncated MP4/MOV header: Invalid data found "
       "when processing input (mov,mp4,m4a,3gp,3g2,mj2: moov atom not found)"},
      {"cut-after-moov.mp4", [&] { return Prefix(sample, 8400); }, ErrorCode::kCorrupt,
       "cut-after-moov.mp4: no frame could be decoded: 1 packet(s) cut short"},
      {"video-100000x100000.avi", [] { return ReadData("bad/video-100000x100000.avi"); },
       ErrorCode::kLimitExceeded,
       "video-100000x100000.avi: 100000x100000 has a side over the 8192-pixel limit"},
      {"video-10-hours.mp4", [] { return ReadData("bad/video-10-hours.mp4"); },
       ErrorCode::kLimitExceeded,
       "video-10-hours.mp4: the header gives a duration of 36000 s, over the 10800 s limit"},
      {"text.mp4", [] { return Text("This is a text file, not a video.\n"); },
       ErrorCode::kUnsupported, "text.mp4: not a video: the bytes are text"},
      {"playlist.mp4", [] { return Text("#EXTM3U\n#EXTINF:10,\nfile:///etc/passwd\n"); },
       ErrorCode::kUnsupported, "playlist.mp4: not a video: the bytes are text"},
      {"photo.mp4", [] { return ReadData("pdq/misc-images/small.jpg"); }, ErrorCode::kUnsupported,
       "photo.mp4: not a video: the bytes are an image (FFmpeg sees jpeg_pipe)"},
      {"random.mp4",
       [] {
         Bytes b(5000);
         uint32_t x = 12345;
         for (uint8_t& v : b) v = static_cast<uint8_t>((x = x * 1103515245 + 12345) >> 24);
         return b;
       },
       // FFmpeg may take random bytes for MP3 (or nothing): either way not a video.
       ErrorCode::kUnsupported, "random.mp4: not a video format vigil reads"},
      {"raw.y4m",
       [] {
         const std::string_view header = "YUV4MPEG2 W16 H16 F25:1 Ip A1:1 C420jpeg\nFRAME\n";
         Bytes b(header.size() + 16 * 16 * 3 / 2, 128);  // one grey 16x16 4:2:0 frame
         std::copy(header.begin(), header.end(), b.begin());
         return b;
       },
       ErrorCode::kUnsupported,
       "raw.y4m: not a video format vigil reads: FFmpeg sees YUV4MPEG pipe (yuv4mpegpipe)"},
      {"video-audio-only.mp4", [] { return ReadData("bad/video-audio-only.mp4"); },
       ErrorCode::kUnsupported, "video-audio-only.mp4: no video stream"},
      {"video-huffyuv.avi", [] { return ReadData("bad/video-huffyuv.avi"); },
       ErrorCode::kUnsupported, "video-huffyuv.avi: video codec huffyuv is not supported"},
      {"over-max-bytes.mp4", [&] { return ReadData(sample); }, ErrorCode::kLimitExceeded,
       "over-max-bytes.mp4: file is 1015671 bytes, over the limit of 1000 bytes", tiny_bytes},
      {"over-max-pixels.mp4", [&] { return ReadData(sample); }, ErrorCode::kLimitExceeded,
       "over-max-pixels.mp4: 480x720 is 345600 pixels, over the 100000-pixel limit", few_pixels},
      {"over-max-frames.mp4", [&] { return ReadData(sample); }, ErrorCode::kLimitExceeded,
       "over-max-frames.mp4: the header gives 206 frames, over the limit of 50", few_frames},
      {"over-max-duration.mp4", [&] { return ReadData(sample); }, ErrorCode::kLimitExceeded,
       "over-max-duration.mp4: the header gives a duration of 6.86667 s, over the 5 s limit",
       short_duration},
      {"no-time.mp4", [&] { return ReadData(sample); }, ErrorCode::kLimitExceeded,
       "no-time.mp4: decoding took longer than the 0 s limit", no_time},
      {"frames-counted.mkv", [] { return ReadData("video-formats/testsrc.mkv"); },
       ErrorCode::kLimitExceeded, "frames-counted.mkv: more than 5 frames", mkv_frames},
  };
  ResetPeakRss();  // earlier tests in this process may have decoded large images
  const long baseline_kb = StatusKb("VmRSS:");
  for (const BadInput& c : cases) {
    SCOPED_TRACE(c.name);
    const Bytes bytes = c.bytes();
    const auto start = Clock::now();
    const Status status = OpenAndDecode(bytes, c.name, c.limits);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    EXPECT_EQ(status.code(), c.code) << status.ToString();
    EXPECT_NE(status.message().find(c.message), std::string::npos)
        << "got:  " << status.message() << "\nwant: " << c.message;
    EXPECT_LT(seconds, 2.0);  // all are refused from headers or the first packets
  }
  // Bounded memory: nothing above holds more than a few small frames. Measured as the peak
  // over what the process held before (earlier tests keep their heap): ~8 MB optimised,
  // ~35 MB under AddressSanitizer.
  const long growth_kb = StatusKb("VmHWM:") - baseline_kb;
  std::printf("peak RSS growth over the bad inputs: %ld kB\n", growth_kb);
  if (baseline_kb >= 0) {
    EXPECT_LT(growth_kb, 200 * 1024);
  }
}

TEST(VideoDecoderTest, MissingFileIsNotFound) {
  auto opened = VideoDecoder::OpenFile(DataPath("video/no-such-video.mp4"));
  EXPECT_EQ(opened.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(opened.status().message().find("no-such-video.mp4: no such file"), std::string::npos);
}

TEST(VideoDecoderTest, WallTimeLimitStopsADecodeInProgress) {
  VideoLimits limits;
  limits.max_seconds = 0.05;
  auto opened = VideoDecoder::OpenFile(DataPath("video/chair-19-sd-bar.mp4"), limits);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  const auto start = Clock::now();
  const Result<int64_t> n = DecodeAll(**opened);
  EXPECT_EQ(n.status().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(n.status().message().find("decoding took longer than the 0.05 s limit"),
            std::string::npos);
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 1.0);
  EXPECT_EQ((*opened)->NextFrame().status().code(), ErrorCode::kLimitExceeded);  // sticky
}

// A file cut in its media data keeps the frames before the cut, marked partial.
TEST(VideoDecoderTest, TruncatedMediaDataGivesAPartialResult) {
  const Bytes bytes = Prefix("video/pattern-sd-grey-bar.mp4", 500'000);
  auto opened = VideoDecoder::OpenBytes(bytes, "cut.mp4");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  const Result<int64_t> n = DecodeAll(**opened);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_GT(*n, 50);
  EXPECT_LT(*n, 206);
  EXPECT_EQ((*opened)->completeness(), Completeness::kPartial);
  EXPECT_NE((*opened)->damage().find("1 packet(s) cut short"), std::string::npos)
      << (*opened)->damage();
}

// Garbage over part of the media data: no crash, the frames around it still decode.
TEST(VideoDecoderTest, CorruptMediaDataStillDecodes) {
  Bytes bytes = ReadData("video/pattern-sd-grey-bar.mp4");
  for (size_t i = 400'000; i < 420'000; ++i) bytes[i] = static_cast<uint8_t>(i * 7919 >> 3);
  auto opened = VideoDecoder::OpenBytes(bytes, "garbled.mp4");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  const Result<int64_t> n = DecodeAll(**opened);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_GT(*n, 150);
  EXPECT_EQ((*opened)->completeness(), Completeness::kPartial);
  EXPECT_FALSE((*opened)->damage().empty());
}

// The RGB bytes of the first `n` frames, converted as given. One decoder per conversion, so
// its swscale context is made once, under whatever CPU flags are forced at the time.
std::vector<Bytes> ConvertFrames(const std::string& path, int n, int size, ScaleFilter filter,
                                 ScalePrecision precision) {
  std::vector<Bytes> out;
  auto opened = VideoDecoder::OpenFile(path);
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  if (!opened.ok()) return out;
  RgbFrame rgb;
  for (int i = 0; i < n && *(*opened)->NextFrame(); ++i) {
    EXPECT_TRUE((*opened)->ConvertFrame(size, size, filter, precision, &rgb).ok());
    out.push_back(rgb.pixels);
  }
  return out;
}

// ScalePrecision::kExact gives the same bytes with FFmpeg's SIMD code paths off as on
// (kFast does not on x86: its SSSE3 YUV->RGB rounds differently; reported, not asserted).
TEST(VideoDecoderTest, ExactConversionIsTheSameOnEveryCpu) {
  const std::string path = DataPath("video/doorknob-hd-no-bar.mp4");
  constexpr int kFrames = 12;
  auto run_all = [&] {
    return std::vector<std::vector<Bytes>>{
        ConvertFrames(path, kFrames, 0, ScaleFilter::kPoint, ScalePrecision::kExact),
        ConvertFrames(path, kFrames, 128, ScaleFilter::kLanczos, ScalePrecision::kExact),
        ConvertFrames(path, kFrames, 0, ScaleFilter::kArea, ScalePrecision::kFast)};
  };
  av_force_cpu_flags(0);  // C code only, for every context made until reset
  const auto no_simd = run_all();
  av_force_cpu_flags(-1);  // back to what the CPU offers
  const auto plain = run_all();
  ASSERT_EQ(no_simd[0].size(), static_cast<size_t>(kFrames));
  EXPECT_TRUE(plain[0] == no_simd[0]) << "native, exact";
  EXPECT_TRUE(plain[1] == no_simd[1]) << "128x128 Lanczos, exact";
  std::printf("fast conversion with and without SIMD: %s\n",
              plain[2] == no_simd[2] ? "same bytes" : "different bytes");
}

}  // namespace
}  // namespace vigil
