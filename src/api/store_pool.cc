#include "api/store_pool.h"

namespace vigil::api {

Result<StorePool::Lease> StorePool::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<BankStore> store = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(store));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<BankStore> store, opener_());
  return Lease(this, std::move(store));
}

void StorePool::Return(std::unique_ptr<BankStore> store) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(store));
}

}  // namespace vigil::api
