// HasherPool: the ContentHashers that upload routes hash on, shared by the HTTP threads.
//
// Why not one hasher per HTTP thread: the server runs a thread per open connection (128
// by default) while only the decode slots' holders hash at once. A hasher per thread
// kept one set of pixel and PDQ buffers per thread (about 5 MB for a 1000x1000 image),
// each cold in cache and first touched (page faults) when its thread got an upload.
// Here a slot holder borrows a hasher and hands it back, so the server keeps about as
// many as it has slots, and the most recently returned one, warmest in cache, goes next.
//
// Thread-safety: Borrow may be called from any thread; a Lease is used by its holder only.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "content/content_hasher.h"

namespace vigil::api {

class HasherPool {
 public:
  explicit HasherPool(ContentHashOptions options) : options_(options) {}

  // A hasher for its holder alone; back to the pool when the lease ends.
  class Lease {
   public:
    Lease(HasherPool* pool, std::unique_ptr<ContentHasher> hasher)
        : pool_(pool), hasher_(std::move(hasher)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_->Return(std::move(hasher_)); }
    ContentHasher& operator*() { return *hasher_; }
    ContentHasher* operator->() { return hasher_.get(); }

   private:
    HasherPool* pool_;
    std::unique_ptr<ContentHasher> hasher_;
  };

  // The last hasher returned, or a new one when all are lent (the decode slots bound how
  // many are lent at once).
  Lease Borrow();
  // How many hashers wait in the pool (for tests).
  size_t idle() const;

 private:
  void Return(std::unique_ptr<ContentHasher> hasher);

  const ContentHashOptions options_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<ContentHasher>> idle_;  // guarded by mu_; last returned at the back
};

}  // namespace vigil::api
