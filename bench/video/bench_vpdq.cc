// bench_vpdq: how fast is vPDQ hashing next to decoding? On one core and in one process it
// times, side by side over the same file, (1) decode only: every frame through
// VideoDecoder::NextFrame, no colour conversion; (2) HashVideoVpdq at the given sampling
// (default 1 s). It prints each as a multiple of real time (video seconds per wall second)
// and their ratio. Best of N rounds, interleaved (noise on a shared machine only adds time).
//
// Usage: bench_vpdq [--rounds N] [--seconds-per-hash S] [--resize N] FILE
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "content/vpdq_video.h"
#include "media/video_decoder.h"

namespace {

using vigil::Result;
using vigil::VideoDecoder;
using Clock = std::chrono::steady_clock;

double CpuNow() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

struct Timing {
  double wall = 1e9, cpu = 1e9;
  int64_t frames = 0, hashed = 0;
};

std::unique_ptr<VideoDecoder> Open(const std::string& path) {
  auto decoder = VideoDecoder::OpenFile(path);
  if (!decoder.ok()) {
    std::fprintf(stderr, "bench_vpdq: %s\n", decoder.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(*decoder);
}

template <typename Fn>
void Time(Timing& best, Fn&& run) {
  const auto start = Clock::now();
  const double cpu_start = CpuNow();
  run();
  best.wall = std::min(best.wall, std::chrono::duration<double>(Clock::now() - start).count());
  best.cpu = std::min(best.cpu, CpuNow() - cpu_start);
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 3;
  vigil::VpdqVideoOptions options;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rounds" && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
    } else if (arg == "--seconds-per-hash" && i + 1 < argc) {
      options.seconds_per_hash = std::atof(argv[++i]);
    } else if (arg == "--resize" && i + 1 < argc) {
      options.resize_width = options.resize_height = std::atoi(argv[++i]);
    } else {
      path = arg;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr,
                 "usage: bench_vpdq [--rounds N] [--seconds-per-hash S] [--resize N] FILE\n");
    return 64;
  }
  Timing decode, hash;
  double duration = 0;
  for (int r = 0; r < rounds; ++r) {
    Time(decode, [&] {
      auto decoder = Open(path);
      duration = decoder->info().duration_seconds;
      int64_t n = 0;
      while (*decoder->NextFrame()) ++n;
      decode.frames = n;
    });
    Time(hash, [&] {
      auto decoder = Open(path);
      Result<vigil::VpdqVideo> video = vigil::HashVideoVpdq(*decoder, options);
      if (!video.ok()) {
        std::fprintf(stderr, "bench_vpdq: %s\n", video.status().ToString().c_str());
        std::exit(1);
      }
      hash.frames = video->frames_decoded;
      hash.hashed = static_cast<int64_t>(video->hash.frames.size());
    });
  }
  std::printf("%s: %.1f s of video, %lld frames\n", path.c_str(), duration,
              static_cast<long long>(decode.frames));
  std::printf("vigil decode only      : %6.2f s wall, %6.2f s CPU = %6.1fx real time\n",
              decode.wall, decode.cpu, duration / decode.wall);
  std::printf("vigil vPDQ (%g s, %lld hashes): %6.2f s wall, %6.2f s CPU = %6.1fx real time\n",
              options.seconds_per_hash, static_cast<long long>(hash.hashed), hash.wall, hash.cpu,
              duration / hash.wall);
  std::printf("vPDQ / decode-only time: %.2f\n", hash.wall / decode.wall);
  return 0;
}
