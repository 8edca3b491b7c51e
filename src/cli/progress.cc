#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace vigil {

ProgressBar::ProgressBar(size_t total, ProgressDisplay display)
    : total_(total),
      enabled_(display == ProgressDisplay::kAuto && ::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Finish() {
  if (drawn_) std::fputs("\r\033[K", stderr);
  drawn_ = false;
  enabled_ = false;
}

void ProgressBar::Update(size_t done, size_t matched, size_t errors) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw(done, matched, errors);
}

void ProgressBar::Draw(size_t done, size_t matched, size_t errors) {
  constexpr int kWidth = 30;
  int filled = total_ ? static_cast<int>(kWidth * done / total_) : kWidth;
  std::string bar(filled, '#');
  bar.resize(kWidth, '.');
  double secs = std::chrono::duration<double>(last_draw_ - start_).count();
  std::fprintf(stderr, "\r[%s] %zu/%zu files  %zu matched  %zu errors  %.0f/s\033[K",
               bar.c_str(), done, total_, matched, errors, secs > 0 ? done / secs : 0.0);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace vigil
