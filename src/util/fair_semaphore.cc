#include "util/fair_semaphore.h"

#include <algorithm>

namespace vigil {

bool FairSemaphore::AcquireFor(std::chrono::steady_clock::duration timeout) {
  std::unique_lock lock(mu_);
  if (free_ > 0 && waiters_.empty()) {
    --free_;
    return true;
  }
  Waiter me;
  auto place = waiters_.insert(waiters_.end(), &me);
  if (me.cv.wait_for(lock, timeout, [&me] { return me.granted; })) return true;
  waiters_.erase(place);  // not granted, so Release has not taken it off the list
  return false;
}

void FairSemaphore::Release() {
  std::lock_guard lock(mu_);
  if (waiters_.empty()) {
    ++free_;
    return;
  }
  Waiter* next = waiters_.front();
  waiters_.pop_front();
  next->granted = true;
  next->cv.notify_one();  // under the lock: `next` lives on its waiter's stack
}

size_t FairSemaphore::waiting() const {
  std::lock_guard lock(mu_);
  return waiters_.size();
}

}  // namespace vigil
