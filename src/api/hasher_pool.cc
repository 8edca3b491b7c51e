#include "api/hasher_pool.h"

namespace vigil::api {

HasherPool::Lease HasherPool::Borrow() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<ContentHasher> hasher = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(hasher));
    }
  }
  return Lease(this, std::make_unique<ContentHasher>(options_));  // built outside the lock
}

size_t HasherPool::idle() const {
  std::lock_guard lock(mu_);
  return idle_.size();
}

void HasherPool::Return(std::unique_ptr<ContentHasher> hasher) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(hasher));
}

}  // namespace vigil::api
