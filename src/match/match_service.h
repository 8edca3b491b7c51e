// MatchService: the Matcher a long-running process (the HTTP server, later the stream
// workers) queries while banks change under it. Queries share a reader lock; a signal
// added, disabled or removed is applied to the live indexes under the writer lock, so
// the next query sees it with no periodic rebuild. Bank-level changes (enable, delete,
// import) rebuild a fresh Matcher off-lock and swap it in, so queries never wait for a
// rebuild.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <shared_mutex>

#include "match/matcher.h"

namespace vigil {

class MatchService {
 public:
  static Result<std::unique_ptr<MatchService>> Load(BankStore& store, MatcherOptions options);

  std::vector<MatchHit> Match(const ContentHashes& hashes) const;
  std::vector<MatchHit> MatchSignal(SignalType type, std::string_view value) const;

  Result<std::vector<MatchReport>> Describe(BankStore& store, std::span<const MatchHit> hits) const;

  Status AddSignal(const Signal& signal);
  void RemoveSignal(int64_t signal_id);
  void AddBank(const Bank& bank);
  // Rebuilds from the store and swaps; concurrent queries keep using the old matcher.
  Status Reload(BankStore& store);

  size_t pdq_count() const;
  size_t exact_count() const;

 private:
  explicit MatchService(MatcherOptions options) : options_(std::move(options)) {}

  // A change made while a Reload reads the store might be missed by the fresh matcher;
  // such changes are recorded and replayed onto it before the swap.
  struct PendingChange {
    enum class Kind { kAdd, kRemove, kAddBank } kind;
    Signal signal;          // kAdd
    Bank bank;              // kAddBank
    int64_t signal_id = 0;  // kRemove
  };

  MatcherOptions options_;
  std::mutex reload_mu_;  // serialises Reloads so two rebuilds never race to swap
  mutable std::shared_mutex mu_;  // guards matcher_: shared for queries, unique to change
  std::shared_ptr<Matcher> matcher_;
  bool reloading_ = false;               // guarded by mu_
  std::vector<PendingChange> pending_;  // guarded by mu_
};

}  // namespace vigil
