#include "api/token_cache.h"

#include "store/crypto.h"

namespace vigil::api {

TokenCache::TokenCache(Lookup lookup, Clock::duration ttl, size_t max_entries)
    : lookup_(std::move(lookup)), ttl_(ttl), max_entries_(max_entries) {}

Result<Actor> TokenCache::Authenticate(std::string_view secret) {
  std::string key(DigestBytes(Sha256(secret)));
  Clock::time_point now = Clock::now();
  uint64_t generation;
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && now < it->second.expires) return it->second.actor;
    generation = generation_;
  }
  // The store is read outside the lock: a slow SQLite read must not hold up the hits.
  Result<Actor> actor = lookup_(secret);
  if (!actor.ok() || ttl_ <= Clock::duration::zero()) return actor;
  std::lock_guard lock(mu_);
  if (generation != generation_) return actor;
  // A flood of distinct valid tokens is not a real workload; dropping everything keeps
  // the bound simple and costs one store read per token afterwards.
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_[key] = Entry{*actor, now + ttl_};
  return actor;
}

void TokenCache::Clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
  ++generation_;
}

}  // namespace vigil::api
