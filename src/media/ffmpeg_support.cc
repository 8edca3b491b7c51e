#include "media/ffmpeg_support.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>

extern "C" {
#include <libavformat/avio.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
}

namespace vigil::ffmpeg {
namespace {

constexpr int kAvioBufferBytes = 64 * 1024;
constexpr size_t kMaxLogLines = 4;
constexpr size_t kMaxLogLineChars = 200;
// No single FFmpeg allocation may exceed this: an 8K RGB frame is ~100 MB, so only a
// crafted header asking for a giant table or buffer reaches it.
constexpr size_t kMaxSingleAllocation = size_t{1} << 30;

thread_local LogLines* tls_lines = nullptr;

void CaptureLog(void* avcl, int level, const char* fmt, va_list vl) {
  if (level > AV_LOG_ERROR || tls_lines == nullptr) return;
  char text[512];
  std::vsnprintf(text, sizeof text, fmt, vl);
  std::string line(text);
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ' || line.back() == '.')) {
    line.pop_back();
  }
  if (line.empty()) return;
  const AVClass* cls = avcl != nullptr ? *static_cast<const AVClass* const*>(avcl) : nullptr;
  if (cls != nullptr && cls->item_name != nullptr) {
    const char* item = cls->item_name(avcl);
    if (item != nullptr && std::strcmp(item, "NULL") != 0) line = std::string(item) + ": " + line;
  }
  tls_lines->Add(std::move(line));
}

}  // namespace

ByteSource::~ByteSource() {
  if (fd_ >= 0) ::close(fd_);
}

Status ByteSource::OpenFile(const std::string& path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    const int err = errno;
    if (err == ENOENT) return NotFound(path + ": no such file");
    return IoError(path + ": cannot open: " + std::strerror(err));
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return IoError(path + ": cannot stat: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return IoError(path + ": not a regular file");
  size_ = st.st_size;
  return Status::Ok();
}

void ByteSource::UseMemory(std::span<const uint8_t> bytes) {
  memory_ = bytes;
  size_ = static_cast<int64_t>(bytes.size());
}

std::vector<uint8_t> ByteSource::Head(size_t n) const {
  std::vector<uint8_t> out(std::min<int64_t>(static_cast<int64_t>(n), size_));
  if (fd_ >= 0) {
    const ssize_t got = ::pread(fd_, out.data(), out.size(), 0);
    out.resize(got > 0 ? static_cast<size_t>(got) : 0);
  } else {
    std::copy_n(memory_.data(), out.size(), out.data());
  }
  return out;
}

bool ByteSource::PastDeadline() {
  if (!timed_out_ && Clock::now() > deadline_) timed_out_ = true;
  return timed_out_;
}

int ByteSource::Read(void* opaque, uint8_t* buf, int n) {
  auto* self = static_cast<ByteSource*>(opaque);
  if (self->PastDeadline()) return AVERROR_EXIT;
  if (self->pos_ >= self->size_ || n <= 0) return AVERROR_EOF;
  const size_t want = static_cast<size_t>(std::min<int64_t>(n, self->size_ - self->pos_));
  if (self->fd_ < 0) {
    std::memcpy(buf, self->memory_.data() + self->pos_, want);
    self->pos_ += static_cast<int64_t>(want);
    return static_cast<int>(want);
  }
  ssize_t got;
  do {
    got = ::pread(self->fd_, buf, want, self->pos_);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    self->io_error_ = std::strerror(errno);
    return AVERROR(EIO);
  }
  if (got == 0) return AVERROR_EOF;  // the file shrank under us
  self->pos_ += got;
  return static_cast<int>(got);
}

int64_t ByteSource::Seek(void* opaque, int64_t offset, int whence) {
  auto* self = static_cast<ByteSource*>(opaque);
  whence &= ~AVSEEK_FORCE;
  if (whence == AVSEEK_SIZE) return self->size_;
  int64_t target;
  switch (whence) {
    case SEEK_SET:
      target = offset;
      break;
    case SEEK_CUR:
      target = self->pos_ + offset;
      break;
    case SEEK_END:
      target = self->size_ + offset;
      break;
    default:
      return AVERROR(EINVAL);
  }
  if (target < 0) return AVERROR(EINVAL);
  self->pos_ = target;  // past the end is allowed; reads there report EOF
  return target;
}

AVIOContext* ByteSource::NewAvio() {
  auto* buffer = static_cast<unsigned char*>(av_malloc(kAvioBufferBytes));
  if (buffer == nullptr) return nullptr;
  AVIOContext* avio = avio_alloc_context(buffer, kAvioBufferBytes, /*write_flag=*/0, this,
                                         &ByteSource::Read, nullptr, &ByteSource::Seek);
  if (avio == nullptr) av_free(buffer);
  return avio;
}

void ByteSource::FreeAvio(AVIOContext** avio) {
  if (*avio == nullptr) return;
  av_freep(&(*avio)->buffer);
  avio_context_free(avio);
}

int ByteSource::InterruptCallback(void* opaque) {
  return static_cast<ByteSource*>(opaque)->PastDeadline() ? 1 : 0;
}

void LogLines::Add(std::string line) {
  if (lines_.size() >= kMaxLogLines) return;
  if (line.size() > kMaxLogLineChars) line.resize(kMaxLogLineChars);
  if (std::find(lines_.begin(), lines_.end(), line) != lines_.end()) return;
  lines_.push_back(std::move(line));
}

std::string LogLines::Joined() const {
  std::string out;
  for (const std::string& line : lines_) {
    if (!out.empty()) out += "; ";
    out += line;
  }
  return out;
}

LogCapture::LogCapture(LogLines* lines) : previous_(tls_lines) { tls_lines = lines; }
LogCapture::~LogCapture() { tls_lines = previous_; }

Status InitFfmpegOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Damaged uploads are routine: nothing goes to stderr; error lines reach the caller
    // through LogCapture. The level also spares FFmpeg formatting lines nobody reads.
    av_log_set_level(AV_LOG_ERROR);
    av_log_set_callback(&CaptureLog);
    av_max_alloc(kMaxSingleAllocation);
  });
  return Status::Ok();
}

std::string ErrorText(int av_error) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  if (av_strerror(av_error, text, sizeof text) != 0) {
    std::snprintf(text, sizeof text, "FFmpeg error %d", av_error);
  }
  return text;
}

std::string WithLog(const LogLines& lines) {
  return lines.empty() ? std::string() : " (" + lines.Joined() + ")";
}

}  // namespace vigil::ffmpeg
