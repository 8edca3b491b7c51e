#include "api/review_api.h"

#include "store/sqlite_review_store.h"
#include "store/sqlite_token_store.h"

namespace vigil::api {

ReviewApi::ReviewApi(ReviewOpener review, TokenOpener tokens, AuditOpener audit,
                     const Clock& clock)
    : open_review_(std::move(review)),
      open_tokens_(std::move(tokens)),
      open_audit_(std::move(audit)),
      clock_(clock) {}

std::unique_ptr<ReviewApi> ReviewApi::ForSqlite(const std::string& path, const Clock& clock) {
  auto review = [path, &clock]() -> Result<std::unique_ptr<ReviewStore>> {
    VIGIL_ASSIGN_OR_RETURN(auto s, SqliteReviewStore::Open(path, clock));
    return std::unique_ptr<ReviewStore>(std::move(s));
  };
  auto tokens = [path, &clock]() -> Result<std::unique_ptr<TokenStore>> {
    VIGIL_ASSIGN_OR_RETURN(auto s, SqliteTokenStore::Open(path, clock));
    return std::unique_ptr<TokenStore>(std::move(s));
  };
  auto audit = [path]() -> Result<std::unique_ptr<AuditLog>> {
    VIGIL_ASSIGN_OR_RETURN(auto s, SqliteAuditLog::Open(path));
    return std::unique_ptr<AuditLog>(std::move(s));
  };
  return std::make_unique<ReviewApi>(review, tokens, audit, clock);
}

Reply ReviewApi::WithService(const std::function<Reply(ReviewService&)>& fn) {
  std::unique_ptr<ReviewStore> store;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      store = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!store) {
    auto opened = open_review_();
    if (!opened.ok()) return ErrorReply(opened.status());
    store = std::move(opened).value();
  }
  ReviewService service(*store, clock_);
  Reply reply = fn(service);
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(std::move(store));
  return reply;
}

Reply ReviewApi::WithTokens(const std::function<Reply(TokenStore&)>& fn) {
  auto store = open_tokens_();
  return store.ok() ? fn(**store) : ErrorReply(store.status());
}

Reply ReviewApi::WithAudit(const std::function<Reply(AuditLog&)>& fn) {
  auto log = open_audit_();
  return log.ok() ? fn(**log) : ErrorReply(log.status());
}

}  // namespace vigil::api
