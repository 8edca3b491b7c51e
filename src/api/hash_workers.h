// HashWorkers: the threads uploads are hashed on. A fixed set of workers, each with its
// own ContentHasher, takes hashing jobs from the HTTP threads first come, first served.
//
// Why not hash on the HTTP thread that holds a decode slot (as before): the server runs a
// thread per open connection (128 by default), so each upload was decoded on whichever
// of them got the slot, with libvips' per-thread buffers and the allocator's per-thread
// arenas cold for it, and a slot released to a waiter on the other core. Measured in one
// process on the 24 HTTP-bench JPEGs (2 cores, 10 interleaved rounds, mean CPU per image):
// hashing on 8 or 64 threads sharing slots and pooled hashers cost 8.91 and 8.90 ms; the
// same threads handing the jobs to workers, 8.19 and 7.99 ms (8-10% less); the CLI's two
// threads with a hasher each, 8.43 ms.
//
// Why a queue in order: with 64 uploads queued for 2 decoders, an unordered wake-up
// (std::counting_semaphore) left some waiting 6.7 s (p99) while the mean wait was 0.4 s.
// Here the oldest job is taken first, so a job waits for the queue ahead of it only.
//
// Thread-safety: Run and waiting may be called from any thread. The destructor runs the
// jobs still queued, then joins the workers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "content/content_hasher.h"

namespace vigil::api {

class HashWorkers {
 public:
  // `count` workers (at least one), named `name` for a debugger or top.
  HashWorkers(int count, const ContentHashOptions& options, std::string name);
  ~HashWorkers();
  HashWorkers(const HashWorkers&) = delete;
  HashWorkers& operator=(const HashWorkers&) = delete;

  using Job = std::function<void(ContentHasher&)>;
  // Runs `job` on the first free worker, with that worker's hasher, and returns once it
  // has run. False, and the job withdrawn unrun, when no worker took it within `wait`.
  bool Run(const Job& job, std::chrono::steady_clock::duration wait);
  // Jobs queued now, not yet taken (for metrics and tests).
  size_t waiting() const;
  // Jobs being run now (for tests).
  int running() const;
  int count() const { return static_cast<int>(threads_.size()); }

 private:
  struct Ticket {
    const Job* job;
    bool taken = false, done = false;  // guarded by mu_
    std::condition_variable changed;
  };

  void Work(ContentHasher* hasher);

  mutable std::mutex mu_;
  std::condition_variable work_;  // a ticket was queued, or stopping_
  std::deque<Ticket*> queue_;     // guarded by mu_; oldest first; each lives in its Run
  int running_ = 0;               // guarded by mu_
  bool stopping_ = false;         // guarded by mu_
  std::vector<std::unique_ptr<ContentHasher>> hashers_;  // one per worker, its own
  std::vector<std::thread> threads_;
};

}  // namespace vigil::api
