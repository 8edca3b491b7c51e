#include "match/match_service.h"

namespace vigil {

Result<std::unique_ptr<MatchService>> MatchService::Load(BankStore& store,
                                                         MatcherOptions options) {
  std::unique_ptr<MatchService> service(new MatchService(options));
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
  std::unique_lock lock(mu_);
  if (reloading_) pending_.push_back({PendingChange::Kind::kAdd, signal, {}, 0});
  return matcher_->AddSignal(signal);
}

void MatchService::RemoveSignal(int64_t signal_id) {
  std::unique_lock lock(mu_);
  if (reloading_) pending_.push_back({PendingChange::Kind::kRemove, {}, {}, signal_id});
  matcher_->RemoveSignal(signal_id);
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
    switch (c.kind) {
      case PendingChange::Kind::kAdd: (void)(*fresh)->AddSignal(c.signal); break;
      case PendingChange::Kind::kRemove: (*fresh)->RemoveSignal(c.signal_id); break;
      case PendingChange::Kind::kAddBank: (*fresh)->AddBank(c.bank); break;
    }
  }
  old = std::move(matcher_);
  matcher_ = std::move(fresh).value();
  lock.unlock();
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

}  // namespace vigil
