#include "store/streamed_import.h"

#include <istream>
#include <stdexcept>

namespace vigil {
namespace {

// Thrown from BytePipe::underflow after Fail; std::istream catches it and sets badbit
// (its exception mask is empty), which every row reader treats as a failed stream.
struct InputCutShort : std::runtime_error {
  InputCutShort() : std::runtime_error("the import input was cut short") {}
};

}  // namespace

void BytePipe::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    size_t take = std::min(bytes.size(), kBlockBytes - pending_.size());
    pending_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (pending_.size() == kBlockBytes) Push(std::exchange(pending_, {}));
  }
}

void BytePipe::Push(std::string block) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return released_ || queued_bytes_ < kMaxBufferedBytes; });
  if (released_) return;
  queued_bytes_ += block.size();
  blocks_.push_back(std::move(block));
  cv_.notify_all();
}

void BytePipe::Close() {
  if (!pending_.empty()) Push(std::exchange(pending_, {}));
  std::lock_guard lock(mu_);
  closed_ = true;
  cv_.notify_all();
}

void BytePipe::Fail() {
  std::lock_guard lock(mu_);
  failed_ = true;
  cv_.notify_all();
}

void BytePipe::Release() {
  std::lock_guard lock(mu_);
  released_ = true;
  blocks_.clear();
  queued_bytes_ = 0;
  cv_.notify_all();
}

BytePipe::int_type BytePipe::underflow() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return failed_ || closed_ || !blocks_.empty(); });
  if (failed_) throw InputCutShort();
  if (blocks_.empty()) return traits_type::eof();
  current_ = std::move(blocks_.front());
  blocks_.pop_front();
  queued_bytes_ -= current_.size();
  cv_.notify_all();
  setg(current_.data(), current_.data(), current_.data() + current_.size());
  return traits_type::to_int_type(current_.front());
}

StreamedImport::StreamedImport(BankStore& store, std::string bank, ImportOptions options)
    : store_(store), bank_(std::move(bank)), options_(std::move(options)) {
  thread_ = std::thread([this] {
    std::istream in(&pipe_);
    result_.emplace(store_.Import(bank_, in, options_));
    pipe_.Release();
  });
}

StreamedImport::~StreamedImport() {
  if (thread_.joinable()) (void)Abort(IoError("the import was abandoned"));
}

Result<ImportReport> StreamedImport::Join() {
  thread_.join();
  return std::move(*result_);
}

Result<ImportReport> StreamedImport::Finish() {
  pipe_.Close();
  return Join();
}

Status StreamedImport::Abort(Status why) {
  pipe_.Fail();
  Result<ImportReport> result = Join();
  // Cannot happen: the reader never saw the end of its input, and an import commits only
  // after reading to the end. Say so loudly rather than report a commit as a failure.
  if (result.ok() && result->committed) {
    return Internal("an import committed although its input was cut short (" +
                    why.message() + ")");
  }
  return why;
}

}  // namespace vigil
