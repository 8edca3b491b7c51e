// Clock: the one source of "now" for code whose behaviour depends on time (case ages,
// audit timestamps, webhook retry schedules), so tests move time by hand instead of
// sleeping. Time is whole unix seconds, the resolution everything stored uses.
//
// Thread-safety: SystemClock is stateless. FakeClock is safe to read and advance from
// several threads (the value is atomic).
#pragma once

#include <atomic>
#include <cstdint>
#include <ctime>

namespace vigil {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowUnix() const = 0;
};

class SystemClock : public Clock {
 public:
  int64_t NowUnix() const override { return static_cast<int64_t>(std::time(nullptr)); }
  // A process-wide instance for callers that were given no clock.
  static const Clock& Get() {
    static const SystemClock clock;
    return clock;
  }
};

// A clock that moves only when told to.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t start_unix) : now_(start_unix) {}
  int64_t NowUnix() const override { return now_.load(); }
  void Set(int64_t unix_seconds) { now_.store(unix_seconds); }
  void Advance(int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace vigil
