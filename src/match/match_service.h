// MatchService: the Matcher a long-running process (the HTTP server, later the stream
// workers) queries while banks change under it. Queries share a reader lock; a signal
// added, disabled or removed is applied to the live indexes under the writer lock, so
// the next query sees it with no periodic rebuild. Bank-level changes (enable, delete,
// import) rebuild a fresh Matcher off-lock and swap it in, so queries never wait for a
// rebuild.
//
// Hot updates accumulate in the PDQ index's delta; once it passes its limit the index is
// merged by one background thread (MultiIndexHammingIndex, kExternal merges): a snapshot
// under the reader lock, the rebuild (~1 s per million signals) under no lock, the swap
// under the writer lock for O(n/64 + delta), so neither queries nor updates wait for the
// rebuild. At most one merge runs at a time. While it runs the delta keeps growing, which
// each query pays as a linear scan of the delta (256 KiB per 8192 signals); a merge needs
// memory for a second PDQ base (~1.3 GB at 10M signals) until it is installed.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <stop_token>
#include <thread>

#include "match/matcher.h"
#include "util/writer_priority_mutex.h"

namespace vigil {

class MatchService {
 public:
  // The matcher's PDQ index is always merged in the background (options.pdq_merge is
  // overridden).
  static Result<std::unique_ptr<MatchService>> Load(BankStore& store, MatcherOptions options);
  // Stops the merge thread; waits for a merge in flight to finish building.
  ~MatchService();

  std::vector<MatchHit> Match(const ContentHashes& hashes) const;
  std::vector<MatchHit> MatchSignal(SignalType type, std::string_view value) const;

  Result<std::vector<MatchReport>> Describe(BankStore& store, std::span<const MatchHit> hits) const;

  // Visible to the next query when it returns. A signal already live (the same store id)
  // is not an error: a Reload may have loaded it from the store first.
  Status AddSignal(const Signal& signal);
  void RemoveSignal(int64_t signal_id);
  void AddBank(const Bank& bank);
  // Rebuilds from the store and swaps; concurrent queries keep using the old matcher.
  Status Reload(BankStore& store);

  size_t pdq_count() const;
  size_t exact_count() const;

  // Blocks until no index merge is wanted or running. For tests, benchmarks and shutdown;
  // queries never need it.
  void WaitForMerges();
  // Background merges installed so far.
  uint64_t merges_installed() const { return merges_installed_.load(); }

 private:
  explicit MatchService(MatcherOptions options);

  // A change made while a Reload reads the store might be missed by the fresh matcher;
  // such changes are recorded and replayed onto it before the swap.
  struct PendingChange {
    enum class Kind { kAdd, kRemove, kAddBank } kind;
    Signal signal;          // kAdd
    Bank bank;              // kAddBank
    int64_t signal_id = 0;  // kRemove
  };

  void RequestMerge();
  void RunMerges(std::stop_token stop);
  bool MergeOnce();

  MatcherOptions options_;
  std::mutex reload_mu_;  // serialises Reloads so two rebuilds never race to swap
  // Guards matcher_: shared for queries, unique to change. Writer-priority, so a hot
  // update is not starved by a steady stream of lookups.
  mutable WriterPriorityMutex mu_;
  std::shared_ptr<Matcher> matcher_;
  bool reloading_ = false;               // guarded by mu_
  std::vector<PendingChange> pending_;  // guarded by mu_

  // The merge thread's state. mu_ and merge_mu_ are never held together.
  std::mutex merge_mu_;  // guards merge_requested_ and merging_
  std::condition_variable_any merge_cv_;  // on merge_mu_: a request, or a merge done
  bool merge_requested_ = false;  // an update pushed the index past its limits
  bool merging_ = false;          // the thread is preparing, building or installing
  std::atomic<uint64_t> merges_installed_{0};
  // Declared last: destroyed (stopped and joined) before the members it uses.
  std::jthread merger_;
};

}  // namespace vigil
