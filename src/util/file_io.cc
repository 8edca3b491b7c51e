#include "util/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vigil {
namespace {

Status ErrnoStatus(const std::string& path, const char* what) {
  int e = errno;
  std::string m = path + ": " + what + ": " + std::strerror(e);
  if (e == ENOENT) return NotFound(std::move(m));
  return IoError(std::move(m));
}

// Closes the descriptor on every return path.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() { ::close(fd_); }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

// Opens `path` for reading, refusing anything but a regular file of at most `max_bytes`
// (checked before a byte is read). On success *fd is open (the caller closes it) and *size
// is the size at open; on failure nothing is left open.
Status OpenWithinLimit(const std::string& path, uint64_t max_bytes, int* fd, uint64_t* size) {
  *fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (*fd < 0) return ErrnoStatus(path, "cannot open");
  struct stat st;
  Status refused;
  if (::fstat(*fd, &st) != 0) {
    refused = ErrnoStatus(path, "cannot stat");
  } else if (!S_ISREG(st.st_mode)) {
    refused = InvalidArgument(path + ": not a regular file");
  } else if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    refused = LimitExceeded(path + ": file is " + std::to_string(st.st_size) +
                            " bytes, over the limit of " + std::to_string(max_bytes) + " bytes");
  }
  if (!refused.ok()) {
    ::close(*fd);
    return refused;
  }
  *size = static_cast<uint64_t>(st.st_size);
  return Status::Ok();
}

}  // namespace

Status ReadFileChunks(const std::string& path, uint64_t max_bytes,
                      const std::function<bool(std::span<const uint8_t>)>& on_chunk) {
  int fd = -1;
  uint64_t size = 0;
  VIGIL_RETURN_IF_ERROR(OpenWithinLimit(path, max_bytes, &fd, &size));
  FdCloser closer(fd);
  std::vector<uint8_t> buf(size_t{1} << 20);
  uint64_t total = 0;
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(path, "cannot read");
    }
    if (n == 0) return Status::Ok();
    total += static_cast<uint64_t>(n);
    if (total > max_bytes) {
      return LimitExceeded(path + ": file grew past the limit of " + std::to_string(max_bytes) +
                           " bytes while reading");
    }
    if (!on_chunk(std::span<const uint8_t>(buf.data(), static_cast<size_t>(n)))) {
      return Status::Ok();
    }
  }
}

Result<std::vector<uint8_t>> ReadFileWithLimit(const std::string& path, uint64_t max_bytes) {
  int fd = -1;
  uint64_t size = 0;
  VIGIL_RETURN_IF_ERROR(OpenWithinLimit(path, max_bytes, &fd, &size));
  FdCloser closer(fd);
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  size_t filled = 0;
  for (;;) {
    if (filled == bytes.size()) {
      // The file may have grown since fstat; probe one byte more, within the limit.
      if (bytes.size() >= max_bytes) {
        uint8_t extra;
        ssize_t n = ::read(fd, &extra, 1);
        if (n > 0) {
          return LimitExceeded(path + ": file grew past the limit of " +
                               std::to_string(max_bytes) + " bytes while reading");
        }
        break;
      }
      bytes.resize(std::min<uint64_t>(max_bytes, bytes.size() + 65536));
    }
    ssize_t n = ::read(fd, bytes.data() + filled, bytes.size() - filled);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(path, "cannot read");
    }
    if (n == 0) break;
    filled += static_cast<size_t>(n);
  }
  bytes.resize(filled);
  return bytes;
}

}  // namespace vigil
