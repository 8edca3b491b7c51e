// ReviewApi: what the review, appeal, policy, settings, audit and token routes
// (review_routes.cc) need besides ApiContext: a pool of ReviewStore connections (SQLite
// connections must not be shared between request threads), and openers for the token
// store and the audit log, which admin and auditor calls open per request (rare calls).
//
// Wiring (server side): build one ReviewApi next to the ApiContext, call
// AddReviewRoutes(router, review) where the other routes are registered, and keep the
// ReviewApi alive as long as the server. The WebhookDispatcher (actions/) runs beside it on
// its own connection.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/router.h"
#include "review/review_service.h"
#include "store/audit_log.h"
#include "store/review_store.h"
#include "store/token_store.h"
#include "util/clock.h"

namespace vigil::api {

class ReviewApi {
 public:
  using ReviewOpener = std::function<Result<std::unique_ptr<ReviewStore>>()>;
  using TokenOpener = std::function<Result<std::unique_ptr<TokenStore>>()>;
  using AuditOpener = std::function<Result<std::unique_ptr<AuditLog>>()>;

  ReviewApi(ReviewOpener review, TokenOpener tokens, AuditOpener audit,
            const Clock& clock = SystemClock::Get());
  // All three on the SQLite file at `path`.
  static std::unique_ptr<ReviewApi> ForSqlite(const std::string& path,
                                              const Clock& clock = SystemClock::Get());

  // Runs fn(ReviewService&) on a pooled connection; an open failure becomes the reply.
  Reply WithService(const std::function<Reply(ReviewService&)>& fn);
  Reply WithTokens(const std::function<Reply(TokenStore&)>& fn);
  Reply WithAudit(const std::function<Reply(AuditLog&)>& fn);
  const Clock& clock() const { return clock_; }

 private:
  ReviewOpener open_review_;
  TokenOpener open_tokens_;
  AuditOpener open_audit_;
  const Clock& clock_;
  std::mutex mu_;                                  // guards idle_
  std::vector<std::unique_ptr<ReviewStore>> idle_;
};

// Registers /v1/cases..., /v1/banks/<name>/policy, /v1/settings/webhook, /v1/audit...,
// /v1/tokens... (the table in review_routes.cc; roles per route, admin always).
void AddReviewRoutes(Router& router, ReviewApi& review);
// POST /v1/scan: hashes, matches, and a case for a matching item (scan_routes.cc).
void AddScanRoutes(Router& router, ReviewApi& review);

}  // namespace vigil::api
