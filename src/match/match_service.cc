#include "match/match_service.h"

#include <optional>

namespace vigil {

MatchService::MatchService(MatcherOptions options) : options_(std::move(options)) {
  options_.pdq_merge = MultiIndexOptions::Merge::kExternal;
  merger_ = std::jthread([this](std::stop_token stop) { RunMerges(stop); });
}

MatchService::~MatchService() {
  merger_.request_stop();
  merger_.join();
}

Result<std::unique_ptr<MatchService>> MatchService::Load(BankStore& store,
                                                         MatcherOptions options) {
  std::unique_ptr<MatchService> service(new MatchService(std::move(options)));
  VIGIL_RETURN_IF_ERROR(service->Reload(store));
  return service;
}

std::vector<MatchHit> MatchService::Match(const ContentHashes& hashes) const {
  std::shared_lock lock(mu_);
  return matcher_->Match(hashes);
}

std::vector<MatchHit> MatchService::MatchSignal(SignalType type, std::string_view value) const {
  std::shared_lock lock(mu_);
  return matcher_->MatchSignal(type, value);
}

Result<std::vector<MatchReport>> MatchService::Describe(BankStore& store,
                                                       std::span<const MatchHit> hits) const {
  std::shared_ptr<Matcher> matcher;
  {
    std::shared_lock lock(mu_);
    matcher = matcher_;  // kept alive without holding the lock through store reads
  }
  return matcher->Describe(store, hits);
}

void MatchService::AddBank(const Bank& bank) {
  std::unique_lock lock(mu_);
  if (reloading_) pending_.push_back({PendingChange::Kind::kAddBank, {}, bank, 0});
  matcher_->AddBank(bank);
}

Status MatchService::AddSignal(const Signal& signal) {
  Status added;
  bool wants_merge = false;
  {
    std::unique_lock lock(mu_);
    if (reloading_) pending_.push_back({PendingChange::Kind::kAdd, signal, {}, 0});
    added = matcher_->AddSignal(signal);
    wants_merge = matcher_->WantsIndexMerge();
  }
  if (wants_merge) RequestMerge();
  // Ids are the store's: an id already live is this very signal, loaded by a Reload that
  // read the store after the caller wrote it.
  return added.code() == ErrorCode::kAlreadyExists ? Status::Ok() : added;
}

void MatchService::RemoveSignal(int64_t signal_id) {
  bool wants_merge = false;
  {
    std::unique_lock lock(mu_);
    if (reloading_) pending_.push_back({PendingChange::Kind::kRemove, {}, {}, signal_id});
    matcher_->RemoveSignal(signal_id);
    wants_merge = matcher_->WantsIndexMerge();
  }
  if (wants_merge) RequestMerge();
}

Status MatchService::Reload(BankStore& store) {
  std::lock_guard reload(reload_mu_);
  {
    std::unique_lock lock(mu_);
    reloading_ = matcher_ != nullptr;
  }
  auto fresh = Matcher::Load(store, options_);
  std::shared_ptr<Matcher> old;
  std::unique_lock lock(mu_);
  reloading_ = false;
  std::vector<PendingChange> pending = std::move(pending_);
  pending_.clear();
  if (!fresh.ok()) return fresh.status();
  for (const PendingChange& c : pending) {
    // The fresh load may already hold an added signal: AlreadyExists is expected then.
    // Replaying never rebuilds the index here (kExternal merges): it may only leave it
    // wanting a merge, requested below.
    switch (c.kind) {
      case PendingChange::Kind::kAdd: (void)(*fresh)->AddSignal(c.signal); break;
      case PendingChange::Kind::kRemove: (*fresh)->RemoveSignal(c.signal_id); break;
      case PendingChange::Kind::kAddBank: (*fresh)->AddBank(c.bank); break;
    }
  }
  old = std::move(matcher_);
  matcher_ = std::move(fresh).value();
  const bool wants_merge = matcher_->WantsIndexMerge();
  lock.unlock();
  // A merge in flight on `old` will find matcher_ changed and drop its work.
  if (wants_merge) RequestMerge();
  return Status::Ok();  // `old` is freed here, outside the lock
}

size_t MatchService::pdq_count() const {
  std::shared_lock lock(mu_);
  return matcher_->pdq_count();
}

size_t MatchService::exact_count() const {
  std::shared_lock lock(mu_);
  return matcher_->exact_count();
}

void MatchService::RequestMerge() {
  std::lock_guard lock(merge_mu_);
  merge_requested_ = true;
  merge_cv_.notify_all();
}

void MatchService::WaitForMerges() {
  std::unique_lock lock(merge_mu_);
  merge_cv_.wait(lock, [this] { return !merge_requested_ && !merging_; });
}

// The merge thread: one merge at a time, for as long as updates keep the index wanting one.
void MatchService::RunMerges(std::stop_token stop) {
  std::unique_lock lock(merge_mu_);
  while (merge_cv_.wait(lock, stop, [this] { return merge_requested_; }) &&
         !stop.stop_requested()) {
    merge_requested_ = false;
    merging_ = true;
    lock.unlock();
    const bool again = MergeOnce();
    lock.lock();
    merging_ = false;
    merge_requested_ = merge_requested_ || again;
    merge_cv_.notify_all();  // wakes WaitForMerges
  }
  merge_requested_ = false;  // stopping: nothing will merge, so nothing is awaited
  merge_cv_.notify_all();
}

// One merge of the live matcher's PDQ index. Only the snapshot (shared lock) and the
// install (unique lock) hold mu_, each for O(n/64 + delta); the build holds nothing.
// Returns whether the live index wants another merge (updates made meanwhile pushed it
// past its limits again, or a Reload swapped in a matcher that wants one).
bool MatchService::MergeOnce() {
  std::shared_ptr<Matcher> matcher;
  std::optional<MultiIndexHammingIndex::PreparedMerge> merge;
  {
    std::shared_lock lock(mu_);
    if (!matcher_->WantsIndexMerge()) return false;
    matcher = matcher_;
    merge.emplace(matcher->PrepareIndexMerge());
  }
  merge->Build();
  // Declared after `merge` and `matcher`, so it is released before they are destroyed:
  // the old base (and, after a Reload, the old matcher) are freed outside the lock.
  std::unique_lock lock(mu_);
  // After a Reload swapped matchers this merge is moot and is dropped.
  if (matcher_ == matcher && matcher->InstallIndexMerge(&*merge)) ++merges_installed_;
  return matcher_->WantsIndexMerge();
}

}  // namespace vigil
