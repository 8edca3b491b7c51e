#include "match/match_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <sstream>
#include <thread>

#include "index/hamming_test_data.h"
#include "store/sqlite_bank_store.h"
#include "store/test_temp_dir.h"

namespace vigil {
namespace {

// A random hash per id: no two ids' hashes are within distance 31 of each other (the odds
// for random 256-bit hashes are ~1e-29 per pair), so a query for one finds only that id.
Hash256 HashOf(int64_t id) {
  std::mt19937_64 rng(static_cast<uint64_t>(id) * 0x9E3779B97F4A7C15ull + 1);
  return index_testing::RandomHash(rng);
}

bool Finds(const MatchService& service, int64_t id) {
  auto hits = service.MatchSignal(SignalType::kPdq, HashOf(id).ToHex());
  return hits.size() == 1 && hits[0].signal_id == id && hits[0].distance == 0;
}

class MatchServiceTest : public testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(SqliteBankStore::Open(dir_.File("vigil.db"))).value();
    auto bank = store_->CreateBank({"bank", "", true, {}});
    ASSERT_TRUE(bank.ok());
    bank_id_ = bank->id;
  }

  std::unique_ptr<MatchService> Load() {
    auto service = MatchService::Load(*store_, {});
    EXPECT_TRUE(service.ok()) << service.status().ToString();
    return service.ok() ? std::move(service).value() : nullptr;
  }

  // A hot update as the server receives it; id chosen by the test, not in the store.
  Signal PdqSignal(int64_t id) const {
    Signal s;
    s.id = id;
    s.bank_id = bank_id_;
    s.type = SignalType::kPdq;
    s.value = HashOf(id).ToHex();
    return s;
  }

  TempDir dir_;
  std::unique_ptr<SqliteBankStore> store_;
  int64_t bank_id_ = 0;
};

// 2100 adds cross the delta limit (1024 at this size) twice.
TEST_F(MatchServiceTest, UpdatesPastTheDeltaLimitAreMergedInTheBackground) {
  auto service = Load();
  for (int64_t id = 1; id <= 2100; ++id) {
    ASSERT_TRUE(service->AddSignal(PdqSignal(id)).ok());
    ASSERT_TRUE(Finds(*service, id)) << id;  // each update affects the next query
  }
  EXPECT_TRUE(service->AddSignal(PdqSignal(7)).ok()) << "already live is not an error";
  for (int64_t id = 1; id <= 2100; id += 2) service->RemoveSignal(id);
  service->WaitForMerges();
  EXPECT_GE(service->merges_installed(), 1u);
  EXPECT_EQ(service->pdq_count(), 1050u);
  for (int64_t id = 1; id <= 2100; ++id) ASSERT_EQ(Finds(*service, id), id % 2 == 0) << id;
}

TEST_F(MatchServiceTest, DestroyingTheServiceStopsItsMergeThread) {
  auto service = Load();
  for (int64_t id = 1; id <= 1100; ++id) ASSERT_TRUE(service->AddSignal(PdqSignal(id)).ok());
  service.reset();  // a merge may be in flight: joined, not leaked (ASan checks)
}

// What one reader thread saw.
struct ReaderLog {
  size_t queries = 0;
  size_t wrong = 0;
  std::string first_wrong;
  double longest_wait_ms = 0;
};

// The writer adds ids 1, 2, ... and removes id - 1500 after adding id, publishing how far
// it got; a reader checks each answer against what was published before and after its
// query: an id added before the query began must be found unless it may have been
// removed meanwhile; an id removed before the query began must not be found.
void ReadUntilDone(const MatchService& service, const std::atomic<int64_t>& added,
                   const std::atomic<int64_t>& removed, const std::atomic<bool>& done,
                   uint64_t seed, ReaderLog* log) {
  std::mt19937_64 rng(seed);
  while (!done.load()) {
    const int64_t a = added.load(), r0 = removed.load();
    if (a == 0) continue;
    const int64_t id = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(a));
    const auto t0 = std::chrono::steady_clock::now();
    const auto hits = service.MatchSignal(SignalType::kPdq, HashOf(id).ToHex());
    const std::chrono::duration<double, std::milli> wait = std::chrono::steady_clock::now() - t0;
    const int64_t r1 = removed.load();
    log->longest_wait_ms = std::max(log->longest_wait_ms, wait.count());
    ++log->queries;
    const bool found = hits.size() == 1 && hits[0].signal_id == id && hits[0].distance == 0;
    const bool ok = id <= r0 ? hits.empty() : (id > r1 ? found : hits.empty() || found);
    if (!ok && log->wrong++ == 0) {
      log->first_wrong = "id " + std::to_string(id) + " (added " + std::to_string(a) +
                         ", removed " + std::to_string(r0) + ".." + std::to_string(r1) +
                         "): " + std::to_string(hits.size()) + " hits";
    }
    // A pause lets the writer in: std::shared_mutex (glibc) prefers readers, so readers
    // looping back to back on 2 cores could hold it shared and starve the writer.
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
}

TEST_F(MatchServiceTest, ReadersNeverSeeAWrongResultWhileMergesRun) {
  auto service = Load();
  constexpr int64_t kAdds = 6000, kKept = 1500;
  std::atomic<int64_t> added{0}, removed{0};
  std::atomic<bool> done{false};
  std::vector<ReaderLog> logs(2);
  std::vector<std::thread> readers;
  for (size_t i = 0; i < logs.size(); ++i) {
    readers.emplace_back(ReadUntilDone, std::cref(*service), std::cref(added), std::cref(removed),
                         std::cref(done), 100 + i, &logs[i]);
  }
  size_t failed_adds = 0;
  for (int64_t id = 1; id <= kAdds; ++id) {
    failed_adds += !service->AddSignal(PdqSignal(id)).ok();
    added.store(id);
    if (id > kKept) {
      service->RemoveSignal(id - kKept);
      removed.store(id - kKept);
    }
    if (id % 8 == 0) std::this_thread::sleep_for(std::chrono::microseconds(50));  // readers in
  }
  service->WaitForMerges();  // readers keep querying through the last merge
  done.store(true);
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(failed_adds, 0u);
  EXPECT_EQ(service->pdq_count(), static_cast<size_t>(kKept));
  EXPECT_GE(service->merges_installed(), 3u);
  for (const ReaderLog& log : logs) {
    EXPECT_EQ(log.wrong, 0u) << log.first_wrong;
    EXPECT_GT(log.queries, 0u);
    // Timing is shown, not asserted (bench/index measures it at scale).
    std::printf("reader: %zu queries, longest wait %.2f ms; %llu merges installed\n",
                log.queries, log.longest_wait_ms,
                static_cast<unsigned long long>(service->merges_installed()));
  }
}

// Bank-level Reloads rebuild the matcher from the store while hot updates and background
// merges go on; every update must survive whichever order they land in. A 5k-signal bank
// makes a merge take long enough for a Reload to land while one is in flight, sometimes.
TEST_F(MatchServiceTest, ReloadsAlongsideBackgroundMergesKeepEveryUpdate) {
  constexpr int kBank = 5'000, kHot = 1400;
  std::string csv = "signal_type,signal,labels\n";
  for (int k = 0; k < kBank; ++k) csv += "pdq," + HashOf(1'000'000 + k).ToHex() + ",\n";
  std::istringstream in(csv);
  ASSERT_TRUE(store_->Import("bank", in, {})->committed);
  auto service = Load();
  auto reload_store = SqliteBankStore::Open(dir_.File("vigil.db"));
  ASSERT_TRUE(reload_store.ok());
  // Reloads land just after the delta crosses its limit (1024 here: at ~1140 hot signals,
  // as every tenth is removed again), while the merge that requested is building.
  std::atomic<int> progress{0}, failed_reloads{0};
  std::thread reloader([&] {
    for (int at : {1130, 1145, 1160, kHot}) {
      while (progress.load() < at) std::this_thread::sleep_for(std::chrono::microseconds(200));
      failed_reloads += !service->Reload(**reload_store).ok();
    }
  });
  std::vector<int64_t> ids;  // ids[i]: the store id of hot signal i
  for (int i = 0; i < kHot; ++i) {
    Signal s = PdqSignal(0);
    s.value = HashOf(-1 - i).ToHex();  // store ids are assigned by the store
    auto stored = store_->AddSignal("bank", s);
    ASSERT_TRUE(stored.ok()) << stored.status().ToString();
    ASSERT_TRUE(service->AddSignal(*stored).ok());
    ids.push_back(stored->id);
    if (i % 10 == 0) {
      ASSERT_TRUE(store_->RemoveSignal(stored->id).ok());
      service->RemoveSignal(stored->id);
    }
    progress.store(i + 1);
  }
  reloader.join();
  service->WaitForMerges();
  EXPECT_EQ(failed_reloads.load(), 0);
  std::printf("%llu merges installed\n",
              static_cast<unsigned long long>(service->merges_installed()));
  EXPECT_EQ(service->pdq_count(), kBank + kHot - (kHot + 9) / 10);
  for (int i = 0; i < kHot; ++i) {
    auto hits = service->MatchSignal(SignalType::kPdq, HashOf(-1 - i).ToHex());
    ASSERT_EQ(hits.size(), i % 10 == 0 ? 0u : 1u) << "hot signal " << i;
    if (!hits.empty()) {
      ASSERT_EQ(hits[0].signal_id, ids[i]);
    }
  }
  for (int k = 0; k < kBank; k += 97) {
    ASSERT_EQ(service->MatchSignal(SignalType::kPdq, HashOf(1'000'000 + k).ToHex()).size(), 1u);
  }
}

}  // namespace
}  // namespace vigil
