// WriterPriorityMutex: a reader-writer lock (SharedMutex requirements, so std::shared_lock
// and std::unique_lock work with it) under which a waiting writer holds off new readers.
//
// Why not std::shared_mutex: libstdc++ builds it on a default pthread rwlock, and glibc's
// default prefers readers, so under a steady stream of overlapping lookups (64 HTTP
// connections) the read lock is never free and a hot index update can wait without bound.
// Here a writer waits only for the readers already inside.
//
// Not recursive: a thread that holds the shared lock must not take it again (it would
// deadlock behind a waiting writer).
#pragma once

#include <pthread.h>

namespace vigil {

class WriterPriorityMutex {
 public:
  WriterPriorityMutex();
  ~WriterPriorityMutex();
  WriterPriorityMutex(const WriterPriorityMutex&) = delete;
  WriterPriorityMutex& operator=(const WriterPriorityMutex&) = delete;

  void lock();
  bool try_lock();
  void unlock();
  void lock_shared();
  bool try_lock_shared();
  void unlock_shared();

 private:
  pthread_rwlock_t lock_;
};

}  // namespace vigil
