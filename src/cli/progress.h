// A one-line progress bar on stderr, drawn only when stderr is a terminal (never into a
// pipe or a log file) and at most ten times a second, so it costs nothing measurable.
#pragma once

#include <chrono>
#include <cstddef>

namespace vigil {

enum class ProgressDisplay { kAuto, kOff };

class ProgressBar {
 public:
  ProgressBar(size_t total, ProgressDisplay display);
  ~ProgressBar();
  void Update(size_t done, size_t matched, size_t errors);
  // Clears the bar so a summary can follow on a clean line; later Updates draw nothing.
  void Finish();

 private:
  void Draw(size_t done, size_t matched, size_t errors);

  size_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace vigil
