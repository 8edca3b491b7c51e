#include "api/hash_workers.h"

#include <pthread.h>

#include <algorithm>

namespace vigil::api {

HashWorkers::HashWorkers(int count, const ContentHashOptions& options, std::string name) {
  const int n = std::max(count, 1);
  for (int i = 0; i < n; ++i) hashers_.push_back(std::make_unique<ContentHasher>(options));
  for (int i = 0; i < n; ++i) {
    threads_.emplace_back([this, hasher = hashers_[static_cast<size_t>(i)].get()] { Work(hasher); });
    // Linux caps a thread's name at 15 characters.
    pthread_setname_np(threads_.back().native_handle(), name.substr(0, 15).c_str());
  }
}

HashWorkers::~HashWorkers() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_.notify_all();
  for (std::thread& t : threads_) t.join();
}

bool HashWorkers::Run(const Job& job, std::chrono::steady_clock::duration wait) {
  Ticket ticket{&job};
  std::unique_lock lock(mu_);
  queue_.push_back(&ticket);
  work_.notify_one();
  if (!ticket.changed.wait_for(lock, wait, [&] { return ticket.taken; })) {
    // Still queued (taken is false under the lock): withdraw it, so no worker reads it
    // after this frame is gone.
    queue_.erase(std::find(queue_.begin(), queue_.end(), &ticket));
    return false;
  }
  ticket.changed.wait(lock, [&] { return ticket.done; });
  return true;
}

void HashWorkers::Work(ContentHasher* hasher) {
  std::unique_lock lock(mu_);
  for (;;) {
    work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and every queued job has run
    Ticket* ticket = queue_.front();
    queue_.pop_front();
    ticket->taken = true;  // seen by Run when it wakes: at `done`, or at its deadline
    ++running_;
    lock.unlock();
    (*ticket->job)(*hasher);
    lock.lock();
    --running_;
    ticket->done = true;
    ticket->changed.notify_one();
  }
}

size_t HashWorkers::waiting() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

int HashWorkers::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

}  // namespace vigil::api
