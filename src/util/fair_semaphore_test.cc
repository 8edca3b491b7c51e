#include "util/fair_semaphore.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace vigil {
namespace {

using std::chrono::milliseconds;

TEST(FairSemaphoreTest, CountsSlotsAndTimesOut) {
  FairSemaphore slots(2);
  EXPECT_TRUE(slots.AcquireFor(milliseconds(0)));
  EXPECT_TRUE(slots.AcquireFor(milliseconds(0)));
  EXPECT_FALSE(slots.AcquireFor(milliseconds(20)));
  EXPECT_EQ(slots.waiting(), 0u);  // a timed-out waiter leaves the line
  slots.Release();
  EXPECT_TRUE(slots.AcquireFor(milliseconds(0)));
}

// Waiters queued one after another get the slot in that order, one per Release.
TEST(FairSemaphoreTest, GrantsInArrivalOrder) {
  FairSemaphore slots(1);
  ASSERT_TRUE(slots.AcquireFor(milliseconds(0)));
  std::mutex mu;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      ASSERT_TRUE(slots.AcquireFor(std::chrono::seconds(30)));
      {
        std::lock_guard lock(mu);
        order.push_back(i);
      }
      slots.Release();
    });
    // The next thread starts only once this one is in line.
    while (slots.waiting() != static_cast<size_t>(i + 1)) std::this_thread::yield();
  }
  slots.Release();
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

// A waiter that gives up in the middle of the line does not swallow a slot.
TEST(FairSemaphoreTest, ATimedOutWaiterLosesNoSlot) {
  FairSemaphore slots(1);
  ASSERT_TRUE(slots.AcquireFor(milliseconds(0)));
  std::thread quitter([&] { EXPECT_FALSE(slots.AcquireFor(milliseconds(30))); });
  quitter.join();
  slots.Release();
  EXPECT_TRUE(slots.AcquireFor(milliseconds(0)));
}

}  // namespace
}  // namespace vigil
