// tmk_bench: how fast TMK+PDQF hashes a video on one core, as a multiple of real time,
// beside decoding alone through the same VideoDecoder (every frame decoded, none
// converted), each the best of `runs`. Usage: tmk_bench VIDEO [runs]
// bench/video/tmk_bench.sh adds the ffmpeg command line's own decode speed.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "content/tmk_video.h"
#include "media/video_decoder.h"

namespace vigil {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Seconds to decode every frame of `path`, or a negative value on error.
double DecodeOnly(const std::string& path, int64_t* frames) {
  const auto start = Clock::now();
  auto decoder = VideoDecoder::OpenFile(path);
  if (!decoder.ok()) {
    std::fprintf(stderr, "%s\n", decoder.status().ToString().c_str());
    return -1;
  }
  for (;;) {
    auto more = (*decoder)->NextFrame();
    if (!more.ok()) return -1;
    if (!*more) break;
  }
  *frames = (*decoder)->frames_decoded();
  return Seconds(start);
}

double HashTmk(const std::string& path, int* tmk_frames) {
  const auto start = Clock::now();
  auto decoder = VideoDecoder::OpenFile(path);
  if (!decoder.ok()) return -1;
  auto features = HashVideoTmk(**decoder);
  if (!features.ok()) {
    std::fprintf(stderr, "%s\n", features.status().ToString().c_str());
    return -1;
  }
  *tmk_frames = features->frame_count;
  return Seconds(start);
}

int Run(const std::string& path, int runs) {
  auto probe = VideoDecoder::OpenFile(path);
  if (!probe.ok()) {
    std::fprintf(stderr, "%s\n", probe.status().ToString().c_str());
    return 1;
  }
  const VideoInfo info = (*probe)->info();
  double decode = 1e300, tmk = 1e300;
  int64_t frames = 0;
  int tmk_frames = 0;
  for (int r = 0; r < runs; ++r) {
    const double d = DecodeOnly(path, &frames);
    const double t = HashTmk(path, &tmk_frames);
    if (d < 0 || t < 0) return 1;
    decode = std::min(decode, d);
    tmk = std::min(tmk, t);
  }
  const double length = frames / info.frame_rate;  // seconds of video
  std::printf("video: %dx%d %s, %lld frames at %.3f fps = %.2f s\n", info.width, info.height,
              info.codec.c_str(), static_cast<long long>(frames), info.frame_rate, length);
  std::printf("vigil decode only:    %7.3f s  %6.1fx real time\n", decode, length / decode);
  std::printf("vigil TMK+PDQF hash:  %7.3f s  %6.1fx real time  (%d frames at 15 fps, "
              "%.1f%% over decode)\n",
              tmk, length / tmk, tmk_frames, 100.0 * (tmk - decode) / decode);
  return 0;
}

}  // namespace
}  // namespace vigil

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s VIDEO [runs]\n", argv[0]);
    return 2;
  }
  return vigil::Run(argv[1], argc > 2 ? std::max(1, std::atoi(argv[2])) : 3);
}
