#include "util/writer_priority_mutex.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <thread>

namespace vigil {
namespace {

TEST(WriterPriorityMutexTest, ReadersShareWritersExclude) {
  WriterPriorityMutex mu;
  {
    std::shared_lock a(mu);
    EXPECT_TRUE(mu.try_lock_shared());
    mu.unlock_shared();
    EXPECT_FALSE(mu.try_lock());
  }
  std::unique_lock w(mu);
  EXPECT_FALSE(mu.try_lock_shared());
}

// The property std::shared_mutex lacks on glibc: once a writer waits, a new reader does
// not get in ahead of it, even while another reader still holds the lock.
TEST(WriterPriorityMutexTest, AWaitingWriterHoldsOffNewReaders) {
  WriterPriorityMutex mu;
  mu.lock_shared();  // a reader inside
  std::atomic<bool> written = false;
  std::thread writer([&] {
    std::unique_lock lock(mu);
    written = true;
  });
  // Wait (bounded) until the writer is queued: then new readers must be refused.
  bool refused = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!refused && std::chrono::steady_clock::now() < deadline) {
    if (mu.try_lock_shared()) {
      mu.unlock_shared();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } else {
      refused = true;
    }
  }
  EXPECT_TRUE(refused) << "a new reader kept getting in ahead of the waiting writer";
  EXPECT_FALSE(written);
  mu.unlock_shared();
  writer.join();
  EXPECT_TRUE(written);
}

}  // namespace
}  // namespace vigil
