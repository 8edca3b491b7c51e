#include "api/hash_workers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <set>
#include <thread>

namespace vigil::api {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Occupies every worker until `release` is set; returns once all are busy.
std::vector<std::thread> Occupy(HashWorkers& workers, std::shared_future<void> release) {
  std::vector<std::thread> holders;
  for (int i = 0; i < workers.count(); ++i) {
    holders.emplace_back([&workers, release] {
      EXPECT_TRUE(workers.Run([&](ContentHasher&) { release.wait(); }, seconds(10)));
    });
  }
  while (workers.running() < workers.count()) std::this_thread::yield();
  return holders;
}

TEST(HashWorkersTest, AJobRunsOnAWorkerWithTheWorkersOptions) {
  ContentHashOptions options;
  options.dihedral = DihedralHashes::kOff;
  HashWorkers workers(2, options, "test");
  const std::vector<uint8_t> grey(64 * 64, 128);
  ContentHashes out;
  std::thread::id ran_on;
  ASSERT_TRUE(workers.Run(
      [&](ContentHasher& h) {
        ran_on = std::this_thread::get_id();
        h.HashPixels({grey.data(), 64, 64, 1, 64}, &out);
      },
      seconds(10)));
  EXPECT_NE(ran_on, std::this_thread::get_id());
  EXPECT_TRUE(out.pdq.has_value());
  EXPECT_TRUE(out.dihedral.empty());
  EXPECT_EQ(workers.running(), 0);
}

TEST(HashWorkersTest, EachWorkerKeepsItsOwnHasher) {
  HashWorkers workers(3, ContentHashOptions{}, "test");
  std::promise<void> release;
  std::mutex mu;
  std::set<ContentHasher*> seen;
  std::vector<std::thread> holders;
  std::shared_future<void> released = release.get_future().share();
  for (int i = 0; i < 3; ++i) {
    holders.emplace_back([&] {
      workers.Run(
          [&](ContentHasher& h) {
            {
              std::lock_guard lock(mu);
              seen.insert(&h);
            }
            released.wait();
          },
          seconds(10));
    });
  }
  while (workers.running() < 3) std::this_thread::yield();
  release.set_value();
  for (std::thread& t : holders) t.join();
  EXPECT_EQ(seen.size(), 3u);  // three jobs at once: three hashers
}

TEST(HashWorkersTest, AJobNoWorkerTakesInTimeIsWithdrawnUnrun) {
  HashWorkers workers(1, ContentHashOptions{}, "test");
  std::promise<void> release;
  std::vector<std::thread> holders = Occupy(workers, release.get_future().share());
  bool ran = false;
  EXPECT_FALSE(workers.Run([&](ContentHasher&) { ran = true; }, milliseconds(50)));
  EXPECT_EQ(workers.waiting(), 0u);  // withdrawn, not left for a worker to run later
  release.set_value();
  for (std::thread& t : holders) t.join();
  EXPECT_TRUE(workers.Run([](ContentHasher&) {}, seconds(10)));
  EXPECT_FALSE(ran);
}

TEST(HashWorkersTest, QueuedJobsRunFirstComeFirstServed) {
  HashWorkers workers(1, ContentHashOptions{}, "test");
  std::promise<void> release;
  std::vector<std::thread> holders = Occupy(workers, release.get_future().share());
  std::mutex mu;
  std::vector<int> order;
  for (int i = 0; i < 5; ++i) {
    holders.emplace_back([&, i] {
      EXPECT_TRUE(workers.Run(
          [&](ContentHasher&) {
            std::lock_guard lock(mu);
            order.push_back(i);
          },
          seconds(10)));
    });
    while (workers.waiting() < static_cast<size_t>(i + 1)) std::this_thread::yield();
  }
  release.set_value();
  for (std::thread& t : holders) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(HashWorkersTest, ManySubmittersAllRunAndTheDestructorWaits) {
  std::atomic<int> runs{0};
  {
    HashWorkers workers(2, ContentHashOptions{}, "test");
    std::vector<std::thread> submitters;
    for (int i = 0; i < 16; ++i) {
      submitters.emplace_back([&] {
        for (int k = 0; k < 50; ++k) EXPECT_TRUE(workers.Run([&](ContentHasher&) { ++runs; }, seconds(10)));
      });
    }
    for (std::thread& t : submitters) t.join();
  }
  EXPECT_EQ(runs.load(), 16 * 50);
}

}  // namespace
}  // namespace vigil::api
