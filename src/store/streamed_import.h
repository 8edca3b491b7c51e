// StreamedImport: BankStore::Import fed by pushed pieces of input instead of a pulled
// std::istream, for a body that arrives piece by piece (an HTTP request read by the
// server, api/bank_routes.cc). The import runs on a thread of its own, reading a bounded
// pipe, so at most kMaxBufferedBytes of the input are held at once whatever its size, and
// the row readers (bank_format.h) are the very ones the command line uses.
//
// All or nothing, as BankStore::Import promises: an input cut short (Abort: the client
// went away, the body went over a cap) makes the import fail and commit nothing, even
// when what did arrive parses as whole rows. Only Finish lets the import see the end of
// its input, so only Finish can commit.
//
// Thread-safety: Feed, Finish and Abort are called from one thread. From construction
// until Finish or Abort returns, `store` belongs to the import thread: the caller must not
// use it meanwhile (BankStore objects are one thread at a time).
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>
#include <thread>

#include "store/bank_store.h"

namespace vigil {

// A bounded single-producer, single-consumer byte pipe that is a std::streambuf on its
// reading end. Write blocks while kMaxBufferedBytes are queued. After Fail the reader's
// next read throws, which std::istream turns into badbit: the importer reports an I/O
// error instead of taking the cut as the end of the input.
class BytePipe : public std::streambuf {
 public:
  static constexpr size_t kBlockBytes = size_t{256} << 10;  // small writes are coalesced
  static constexpr size_t kMaxBufferedBytes = size_t{4} << 20;

  // Producer side. Bytes written after the reader has gone (Release) are dropped.
  void Write(std::string_view bytes);
  void Close();  // the input is complete: the reader sees its end
  void Fail();   // the input is incomplete: the reader sees an error
  // Reader side: it reads no more, so the producer must not wait for it.
  void Release();

 protected:
  int_type underflow() override;

 private:
  void Push(std::string block);  // producer; waits for room

  std::mutex mu_;
  std::condition_variable cv_;
  // Guarded by mu_:
  std::deque<std::string> blocks_;
  size_t queued_bytes_ = 0;
  bool closed_ = false, failed_ = false, released_ = false;
  std::string pending_;  // producer only: bytes not yet a whole block
  std::string current_;  // reader only: the block the get area points into
};

class StreamedImport {
 public:
  // Starts the import of `bank` at once; it waits for input on its own thread.
  StreamedImport(BankStore& store, std::string bank, ImportOptions options);
  // An import neither finished nor aborted is aborted (nothing committed).
  ~StreamedImport();
  StreamedImport(const StreamedImport&) = delete;
  StreamedImport& operator=(const StreamedImport&) = delete;

  // Hands the next bytes to the importer; blocks while the pipe is full. Once the
  // importer has its answer early (no such bank, a bad header), the bytes are dropped.
  void Feed(std::string_view bytes) { pipe_.Write(bytes); }
  // The input is complete: waits for the import and returns what Import returned.
  Result<ImportReport> Finish();
  // The input is incomplete: waits for the import to fail and returns `why`. Nothing of
  // this import is committed.
  Status Abort(Status why);

 private:
  Result<ImportReport> Join();

  BankStore& store_;
  const std::string bank_;
  const ImportOptions options_;
  BytePipe pipe_;
  std::optional<Result<ImportReport>> result_;  // written by the thread before it ends
  std::thread thread_;
};

}  // namespace vigil
