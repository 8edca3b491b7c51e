// SqliteReviewStore: the ReviewStore on the shared SQLite file (tables in
// sqlite_review_schema.cc, described in docs/schema.md). Every write is one BEGIN
// IMMEDIATE transaction holding the change, its audit event and any outbox row.
//
// A decision that disputes signals updates the signals table directly, inside the
// decision's transaction (rather than through BankStore::SetSignalOpinion on another
// connection), so the opinion, the decision and their audit events are atomic.
//
// Thread-safety: one object per thread (it owns one connection).
#pragma once

#include <initializer_list>
#include <memory>
#include <string>

#include "store/review_store.h"
#include "store/sqlite_db.h"
#include "util/clock.h"

namespace vigil {

class SqliteReviewStore : public ReviewStore {
 public:
  // Opens (and migrates) the database at `path`. `clock` must outlive the store.
  static Result<std::unique_ptr<SqliteReviewStore>> Open(
      const std::string& path, const Clock& clock = SystemClock::Get());

  Result<Opened> OpenCase(const NewCase& c, const Actor& actor) override;
  Result<Case> GetCase(int64_t id) override;
  Result<CaseDetail> GetCaseDetail(int64_t id) override;
  Result<std::vector<Case>> ListCases(const CaseFilter& filter) override;

  Result<Decision> RecordDecision(const DecisionWrite& write) override;
  Result<Appeal> RecordAppeal(int64_t case_id, std::string_view text,
                              const Actor& actor) override;
  Result<Appeal> RecordAppealDecision(const AppealDecisionWrite& write,
                                      const Actor& actor) override;

  Result<BankPolicy> GetBankPolicy(std::string_view bank) override;
  Status SetBankPolicy(const BankPolicy& policy, const Actor& actor) override;
  Result<std::optional<std::string>> GetSetting(std::string_view key) override;
  Status SetSettings(const std::vector<Setting>& settings, const Actor& actor) override;

  Result<ReviewStats> Stats(int64_t since) override;

  Result<std::vector<WebhookDelivery>> DueWebhooks(int64_t now, size_t limit) override;
  Status RecordWebhookAttempt(int64_t delivery_id, DeliveryStatus status,
                              int64_t next_attempt_at, std::string_view error) override;

 private:
  SqliteReviewStore(std::unique_ptr<SqliteDb> db, const Clock& clock)
      : db_(std::move(db)), clock_(clock) {}

  Result<std::optional<Case>> FindCaseByContentId(std::string_view content_id);
  Status LoadMatches(Case* c);
  Result<std::vector<Decision>> QueryDecisions(std::string_view where, int64_t param);
  Result<std::vector<Appeal>> QueryAppeals(std::string_view where, int64_t param);
  // Binds `params` to ?1, ?2, ... of `where`.
  Result<std::vector<WebhookDelivery>> QueryDeliveries(std::string_view where,
                                                       std::initializer_list<int64_t> params);
  // Moves the case from `expected` to `next`; kFailedPrecondition if it was not `expected`.
  Status MoveCase(int64_t case_id, CaseStatus expected, CaseStatus next, int64_t now);
  Status DisputeSignals(int64_t case_id, int64_t now, const Actor& actor);
  Result<int64_t> InsertDecision(const Decision& d);
  Status Enqueue(int64_t case_id, const WebhookRequest& webhook, const Decision& d, int64_t now);

  std::unique_ptr<SqliteDb> db_;
  const Clock& clock_;
};

}  // namespace vigil
