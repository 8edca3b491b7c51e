#include "util/writer_priority_mutex.h"

#include <cstdlib>

namespace vigil {

namespace {
// pthread rwlock calls fail only on misuse (EDEADLK, EINVAL) or exhaustion at init; none
// is recoverable for a lock, so it ends the process, as std::shared_mutex would throw.
void Check(int rc) {
  if (rc != 0) std::abort();
}
}  // namespace

WriterPriorityMutex::WriterPriorityMutex() {
  pthread_rwlockattr_t attr;
  Check(pthread_rwlockattr_init(&attr));
  Check(pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP));
  Check(pthread_rwlock_init(&lock_, &attr));
  pthread_rwlockattr_destroy(&attr);
}

WriterPriorityMutex::~WriterPriorityMutex() { pthread_rwlock_destroy(&lock_); }

void WriterPriorityMutex::lock() { Check(pthread_rwlock_wrlock(&lock_)); }
bool WriterPriorityMutex::try_lock() { return pthread_rwlock_trywrlock(&lock_) == 0; }
void WriterPriorityMutex::unlock() { Check(pthread_rwlock_unlock(&lock_)); }
void WriterPriorityMutex::lock_shared() { Check(pthread_rwlock_rdlock(&lock_)); }
bool WriterPriorityMutex::try_lock_shared() { return pthread_rwlock_tryrdlock(&lock_) == 0; }
void WriterPriorityMutex::unlock_shared() { Check(pthread_rwlock_unlock(&lock_)); }

}  // namespace vigil
