// StorePool: database connections for request threads. SQLite connections must not be
// shared between threads, and opening one per request costs a schema check; the pool
// keeps idle connections and hands each request its own.
//
// Thread-safety: Acquire may be called from any thread; a Lease is used by one thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "store/bank_store.h"

namespace vigil::api {

class StorePool {
 public:
  using Opener = std::function<Result<std::unique_ptr<BankStore>>()>;
  explicit StorePool(Opener opener) : opener_(std::move(opener)) {}

  class Lease {
   public:
    Lease(StorePool* pool, std::unique_ptr<BankStore> store)
        : pool_(pool), store_(std::move(store)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (store_) pool_->Return(std::move(store_));
    }
    BankStore& operator*() { return *store_; }
    BankStore* operator->() { return store_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<BankStore> store_;
  };

  Result<Lease> Acquire();

 private:
  void Return(std::unique_ptr<BankStore> store);

  Opener opener_;
  std::mutex mu_;  // guards idle_
  std::vector<std::unique_ptr<BankStore>> idle_;
};

}  // namespace vigil::api
