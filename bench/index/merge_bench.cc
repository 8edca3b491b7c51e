// bench_merge: how long lookups wait while hot adds push MultiIndexHammingIndex past its
// merge limit, with the index behind a reader-writer lock as in MatchService. Two modes,
// same bank, same adds, same queries, side by side in one process:
//   inline      the Add that crosses the limit rebuilds the base under the writer lock
//               (MatchService before background merges);
//   background  kExternal merges on a merge thread with MatchService::MergeOnce's
//               protocol: PrepareMerge under the reader lock, PreparedMerge::Build with
//               no lock, InstallMerge under the writer lock.
// Reader threads issue one-query lookups (radius 31; half near copies of bank entries) on
// a fixed schedule, --lookup-rate per second each, and time each from when it was due, so
// a lookup stuck behind the lock also delays the ones due after it (no coordinated
// omission: a 4 s stall counts as 4 s worth of late lookups, not as one slow sample).
// A writer adds --adds new entries at --add-rate per second, each under the writer lock
// (an importer calling AddSignal). Readers stop 0.5 s after the writer is done and no
// merge is pending. Latencies are wall-clock, so
// run it on a quiet machine; --readers + 1 cores keep the merge thread off the readers'.
// Flags: --size=4000000 --readers=1 --lookup-rate=250 --adds=(2 * delta limit + 2)
//        --add-rate=4000 --shape=uniform|clustered
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "index/hamming_test_data.h"
#include "index/multi_index_hamming_index.h"

namespace vigil::bench {
namespace {

using Merge = MultiIndexOptions::Merge;
constexpr int kRadius = 31;
constexpr int64_t kFirstAddedId = int64_t{1} << 40;  // past every bank id

struct Guarded {
  explicit Guarded(MultiIndexOptions options) : index(options) {}
  std::shared_mutex mu;  // guards index: shared for lookups, unique for mutations
  MultiIndexHammingIndex index;
};

struct Outcome {
  std::vector<double> reader_us;  // every lookup's latency, lock wait included
  double longest_add_ms = 0;      // the writer's longest Add, lock wait included
  double longest_prepare_ms = 0;  // background: reader lock held by PrepareMerge
  double longest_install_ms = 0;  // background: writer lock held by InstallMerge
  int merges = 0;                 // background merges installed
  double wall_s = 0;
  bool exact = false;             // every added entry found afterwards, and only once
};

double Ms(double seconds) { return seconds * 1e3; }

void Read(Guarded& g, const std::vector<Hash256>& queries, double rate,
          const std::atomic<bool>& stop, std::vector<double>* latencies_us) {
  RadiusSearchResults out;
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
    const auto due = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                 std::chrono::duration<double>(static_cast<double>(i) / rate));
    std::this_thread::sleep_until(due);
    const Hash256& q = queries[i % queries.size()];
    {
      std::shared_lock lock(g.mu);
      g.index.RadiusSearch({&q, 1}, kRadius, &out);
    }
    const std::chrono::duration<double, std::micro> late = std::chrono::steady_clock::now() - due;
    latencies_us->push_back(late.count());
  }
}

// MatchService::MergeOnce, polled instead of signalled: merges while the index wants one.
void MergeInBackground(Guarded& g, const std::atomic<bool>& writer_done, Outcome* o) {
  while (true) {
    std::optional<MultiIndexHammingIndex::PreparedMerge> merge;
    const bool done = writer_done.load();  // read first: its adds are then all visible
    {
      std::shared_lock lock(g.mu);
      if (g.index.WantsMerge()) {
        const double t0 = Seconds();
        merge.emplace(g.index.PrepareMerge());
        o->longest_prepare_ms = std::max(o->longest_prepare_ms, Ms(Seconds() - t0));
      }
    }
    if (!merge) {
      if (done) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    merge->Build();
    std::unique_lock lock(g.mu);
    const double t0 = Seconds();
    o->merges += g.index.InstallMerge(&*merge);
    o->longest_install_ms = std::max(o->longest_install_ms, Ms(Seconds() - t0));
    lock.unlock();  // before `merge` frees the old base
  }
}

void Write(Guarded& g, const std::vector<Hash256>& adds, double rate, Outcome* o) {
  const auto start = std::chrono::steady_clock::now();
  for (size_t k = 0; k < adds.size(); ++k) {
    std::this_thread::sleep_until(
        start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    std::chrono::duration<double>(static_cast<double>(k) / rate)));
    const double t0 = Seconds();
    {
      std::unique_lock lock(g.mu);
      (void)g.index.Add(kFirstAddedId + static_cast<int64_t>(k), adds[k]);
    }
    o->longest_add_ms = std::max(o->longest_add_ms, Ms(Seconds() - t0));
  }
}

bool AllAddsFound(const MultiIndexHammingIndex& index, const std::vector<Hash256>& adds) {
  RadiusSearchResults out;
  index.RadiusSearch(adds, 0, &out);
  for (size_t k = 0; k < adds.size(); ++k) {
    const int64_t id = kFirstAddedId + static_cast<int64_t>(k);
    const auto first = out.ids.begin() + static_cast<ptrdiff_t>(out.offsets[k]);
    const auto last = out.ids.begin() + static_cast<ptrdiff_t>(out.offsets[k + 1]);
    if (std::count(first, last, id) != 1) return false;
  }
  return true;
}

struct Workload {
  std::vector<Hash256> bank, queries, adds;
  std::vector<int64_t> ids;
  int readers = 1;
  // Per reader; well below what one core serves, so lookups never queue behind each other.
  double lookup_rate = 250;
  double add_rate = 4000;
};

Outcome Run(Merge mode, const Workload& w) {
  MultiIndexOptions options;
  options.merge = mode;
  Guarded g(options);
  g.index.Build(w.bank, w.ids);
  Outcome o;
  std::atomic<bool> stop{false}, writer_done{false};
  std::vector<std::vector<double>> latencies(static_cast<size_t>(w.readers));
  std::vector<std::thread> readers;
  for (auto& l : latencies) {
    l.reserve(1 << 20);
    readers.emplace_back(Read, std::ref(g), std::cref(w.queries), w.lookup_rate,
                         std::cref(stop), &l);
  }
  std::thread merger;
  if (mode == Merge::kExternal) {
    merger = std::thread(MergeInBackground, std::ref(g), std::cref(writer_done), &o);
  }
  const double t0 = Seconds();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // lookups before the adds
  Write(g, w.adds, w.add_rate, &o);
  writer_done.store(true);
  if (merger.joinable()) merger.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // and after
  stop.store(true);
  for (std::thread& t : readers) t.join();
  o.wall_s = Seconds() - t0;
  for (auto& l : latencies) o.reader_us.insert(o.reader_us.end(), l.begin(), l.end());
  o.exact = g.index.size() == w.bank.size() + w.adds.size() && !g.index.WantsMerge() &&
            AllAddsFound(g.index, w.adds);
  return o;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

void Print(const char* mode, const Outcome& o) {
  const double max_us = o.reader_us.empty()
                            ? 0
                            : *std::max_element(o.reader_us.begin(), o.reader_us.end());
  std::printf("| %-10s | %8zu | %7.0f | %8.0f | %9.0f | %9.1f | %10.1f | %11.2f | %11.2f "
              "| %6d | %6.1f | %-5s |\n",
              mode, o.reader_us.size(), Percentile(o.reader_us, 0.5),
              Percentile(o.reader_us, 0.99), Percentile(o.reader_us, 0.999), max_us / 1e3,
              o.longest_add_ms, o.longest_prepare_ms, o.longest_install_ms, o.merges, o.wall_s,
              o.exact ? "yes" : "NO");
  std::fflush(stdout);
}

}  // namespace
}  // namespace vigil::bench

int main(int argc, char** argv) {
  using namespace vigil;
  using namespace vigil::bench;
  const Flags flags(argc, argv);
  const auto n = static_cast<size_t>(flags.GetInt("size", 4'000'000));
  const auto shape = flags.Get("shape", "uniform") == "clustered"
                         ? index_testing::BankShape::kClustered
                         : index_testing::BankShape::kUniform;
  const size_t delta_limit = std::clamp<size_t>(n / 1024, 1024, 8192);
  Workload w;
  w.bank = index_testing::MakeBank(n, shape, 42 + n);
  w.ids = index_testing::MakeIds(n, 43 + n);
  w.queries = index_testing::MakeQueries(w.bank, 10'000, 31, 44 + n);
  w.adds = index_testing::MakeQueries(
      w.bank, static_cast<size_t>(flags.GetInt("adds", static_cast<long>(2 * delta_limit + 2))),
      20, 45 + n);
  w.readers = static_cast<int>(flags.GetInt("readers", 1));
  w.lookup_rate = static_cast<double>(flags.GetInt("lookup-rate", 250));
  w.add_rate = static_cast<double>(flags.GetInt("add-rate", 4000));
  std::printf("bench_merge: n=%zu, delta limit %zu, %zu adds at %.0f/s (each under the writer "
              "lock), %d reader thread(s) of one-query lookups at radius %d, %.0f/s each; "
              "latency from when each lookup was due, wall-clock\n",
              n, delta_limit, w.adds.size(), w.add_rate, w.readers, kRadius, w.lookup_rate);
  std::printf("| merge      | lookups  | p50 us  | p99 us   | p99.9 us  | max ms    | max add ms "
              "| prepare ms  | install ms  | merges | wall s | exact |\n");
  const Outcome before = Run(MultiIndexOptions::Merge::kInline, w);
  Print("inline", before);
  const Outcome after = Run(MultiIndexOptions::Merge::kExternal, w);
  Print("background", after);
  const auto max_of = [](const Outcome& o) {
    return *std::max_element(o.reader_us.begin(), o.reader_us.end());
  };
  std::printf("longest lookup: inline / background = %.0fx; p99: %.1fx\n",
              max_of(before) / max_of(after),
              Percentile(before.reader_us, 0.99) / Percentile(after.reader_us, 0.99));
  return before.exact && after.exact ? 0 : 1;
}
