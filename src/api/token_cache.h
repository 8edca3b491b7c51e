// TokenCache: remembers, for a second or two, who a bearer secret belongs to, so a busy
// upload path does not read the token table on every request (1.4% of a scan's CPU when
// profiled). Only successes are cached: a new token works at once and an unknown one
// always reaches the store.
//
// Revocation: a revoke through the API clears the cache at once (review_routes.cc). A
// revoke by `vigil token revoke` in another process is seen after at most `ttl`; the
// default is short enough for that to be the same as "at once" for a person.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/token_store.h"

namespace vigil::api {

class TokenCache {
 public:
  using Lookup = std::function<Result<Actor>(std::string_view secret)>;
  using Clock = std::chrono::steady_clock;

  explicit TokenCache(Lookup lookup, Clock::duration ttl = std::chrono::seconds(2),
                      size_t max_entries = 4096);

  Result<Actor> Authenticate(std::string_view secret);
  void Clear();

 private:
  struct Entry {
    Actor actor;
    Clock::time_point expires;
  };

  Lookup lookup_;
  Clock::duration ttl_;
  size_t max_entries_;
  std::mutex mu_;
  // Bumped by Clear(): a lookup that began before a revoke must not re-insert what the
  // revoke just cleared.
  uint64_t generation_ = 0;
  // Keyed by the secret's SHA-256, so the cache holds no secret in memory.
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace vigil::api
