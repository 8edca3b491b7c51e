// Internal to media/: the pieces VideoDecoder hands FFmpeg. A byte source (a file read with
// pread, or memory) behind an AVIOContext, so no FFmpeg protocol ever opens a path or URL;
// the wall-clock deadline checked on every read and by the interrupt callback, so a stalled
// demuxer stops; and the capture of FFmpeg's error log lines for our messages.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "util/status.h"

extern "C" {
struct AVIOContext;
}

namespace vigil::ffmpeg {

using Clock = std::chrono::steady_clock;

// The bytes of one input. Not thread-safe; owned by one decoder.
class ByteSource {
 public:
  ByteSource() = default;
  ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Opens `path` for reading. kNotFound / kIoError name the path.
  Status OpenFile(const std::string& path);
  void UseMemory(std::span<const uint8_t> bytes);
  int64_t size() const { return size_; }

  // Reads up to `n` bytes at the start (for messages about what the bytes are).
  std::vector<uint8_t> Head(size_t n) const;

  void set_deadline(Clock::time_point deadline) { deadline_ = deadline; }
  // True once a read or the interrupt callback found the deadline passed.
  bool timed_out() const { return timed_out_; }
  // Set when the OS refused a read.
  const std::string& io_error() const { return io_error_; }
  // Checks the deadline (and records it when passed).
  bool PastDeadline();

  // An AVIOContext reading this source (owned by the caller: FreeAvio()).
  AVIOContext* NewAvio();
  static void FreeAvio(AVIOContext** avio);

  // For AVFormatContext::interrupt_callback: opaque is the ByteSource.
  static int InterruptCallback(void* opaque);

 private:
  static int Read(void* opaque, uint8_t* buf, int n);
  static int64_t Seek(void* opaque, int64_t offset, int whence);

  int fd_ = -1;
  std::span<const uint8_t> memory_;
  int64_t size_ = 0;
  int64_t pos_ = 0;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool timed_out_ = false;
  std::string io_error_;
};

// Error-level lines FFmpeg logged while a LogCapture was active on this thread, kept for a
// message: the first few distinct lines, each prefixed with the component ("h264: ...").
class LogLines {
 public:
  void Add(std::string line);
  void Clear() { lines_.clear(); }
  bool empty() const { return lines_.empty(); }
  // "line1; line2", or empty.
  std::string Joined() const;

 private:
  std::vector<std::string> lines_;
};

// While alive, FFmpeg's error lines logged on this thread go to `lines`. Nests.
class LogCapture {
 public:
  explicit LogCapture(LogLines* lines);
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

 private:
  LogLines* previous_;
};

// Process-wide FFmpeg setup (log callback and level, allocation cap); once.
Status InitFfmpegOnce();

// FFmpeg's text for an error code, e.g. "Invalid data found when processing input".
std::string ErrorText(int av_error);

// " (line1; line2)" with the captured lines, or "" when there are none.
std::string WithLog(const LogLines& lines);

}  // namespace vigil::ffmpeg
