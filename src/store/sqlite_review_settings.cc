// SqliteReviewStore: per-bank match policies, settings and the webhook outbox. Cases,
// decisions and appeals are in sqlite_review_store.cc.
#include <nlohmann/json.hpp>

#include "store/sqlite_audit.h"
#include "store/sqlite_review_store.h"

namespace vigil {
namespace {

const Actor kSystem{0, "system", Role::kAdmin};

constexpr std::string_view kDeliveryColumns =
    "id, case_id, kind, payload, status, attempts, next_attempt_at, last_error, created_at, "
    "delivered_at";

void ReadDelivery(const SqliteStatement& st, WebhookDelivery* w) {
  w->id = st.Int(0);
  w->case_id = st.Int(1);
  w->kind = st.Text(2) == "reinstate" ? WebhookKind::kReinstate : WebhookKind::kRemove;
  w->payload = st.Text(3);
  std::string_view status = st.Text(4);
  w->status = status == "delivered" ? DeliveryStatus::kDelivered
              : status == "dead"    ? DeliveryStatus::kDead
                                    : DeliveryStatus::kPending;
  w->attempts = static_cast<int>(st.Int(5));
  w->next_attempt_at = st.Int(6);
  w->last_error = st.Text(7);
  w->created_at = st.Int(8);
  if (!st.IsNull(9)) w->delivered_at = st.Int(9);
}

}  // namespace

Result<BankPolicy> SqliteReviewStore::GetBankPolicy(std::string_view bank) {
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("SELECT p.policy, p.verified FROM banks b LEFT JOIN "
                                      "bank_policies p ON p.bank_id = b.id WHERE b.name = ?"));
  st.BindText(1, bank);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("bank '" + std::string(bank) + "' not found");
  BankPolicy p{std::string(bank), MatchPolicy::kReview, false};
  if (!st.IsNull(0)) {
    p.policy = ParseMatchPolicy(st.Text(0)).value_or(MatchPolicy::kReview);
    p.verified = st.Int(1) != 0;
  }
  return p;
}

Status SqliteReviewStore::SetBankPolicy(const BankPolicy& p, const Actor& actor) {
  const int64_t now = clock_.NowUnix();
  VIGIL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  VIGIL_ASSIGN_OR_RETURN(BankPolicy before, GetBankPolicy(p.bank));
  VIGIL_ASSIGN_OR_RETURN(
      SqliteStatement st,
      db_->Prepare("INSERT INTO bank_policies(bank_id, policy, verified, updated_at) "
                   "SELECT id, ?, ?, ? FROM banks WHERE name = ? ON CONFLICT(bank_id) DO "
                   "UPDATE SET policy = excluded.policy, verified = excluded.verified, "
                   "updated_at = excluded.updated_at"));
  st.BindText(1, MatchPolicyName(p.policy));
  st.BindInt(2, p.verified ? 1 : 0);
  st.BindInt(3, now);
  st.BindText(4, p.bank);
  VIGIL_RETURN_IF_ERROR(st.Run());
  nlohmann::json detail = {
      {"before", {{"policy", MatchPolicyName(before.policy)}, {"verified", before.verified}}},
      {"after", {{"policy", MatchPolicyName(p.policy)}, {"verified", p.verified}}}};
  VIGIL_RETURN_IF_ERROR(AppendAuditEvent(db_.get(), now, actor,
                                         {"bank.policy", "bank", p.bank, detail.dump()}));
  return txn->Commit();
}

Result<std::optional<std::string>> SqliteReviewStore::GetSetting(std::string_view key) {
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("SELECT value FROM settings WHERE key = ?"));
  st.BindText(1, key);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(std::string(st.Text(0)));
}

Status SqliteReviewStore::SetSettings(const std::vector<Setting>& settings,
                                      const Actor& actor) {
  const int64_t now = clock_.NowUnix();
  VIGIL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("INSERT INTO settings(key, value, updated_at) VALUES(?, ?, "
                                      "?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                                      "updated_at = excluded.updated_at"));
  for (const auto& [key, value] : settings) {
    VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> before, GetSetting(key));
    st.Reset();
    st.BindText(1, key);
    st.BindText(2, value);
    st.BindInt(3, now);
    VIGIL_RETURN_IF_ERROR(st.Run());
    nlohmann::json detail;
    if (key.ends_with(".secret")) {
      detail = {{"changed", true}};  // never the secret itself
    } else {
      detail = {{"before", before ? nlohmann::json(*before) : nlohmann::json(nullptr)},
                {"after", value}};
    }
    VIGIL_RETURN_IF_ERROR(
        AppendAuditEvent(db_.get(), now, actor, {"setting.set", "setting", key, detail.dump()}));
  }
  return txn->Commit();
}

Result<std::vector<WebhookDelivery>> SqliteReviewStore::QueryDeliveries(
    std::string_view where, std::initializer_list<int64_t> params) {
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("SELECT " + std::string(kDeliveryColumns) +
                                      " FROM webhook_outbox " + std::string(where)));
  int i = 0;
  for (int64_t p : params) st.BindInt(++i, p);
  std::vector<WebhookDelivery> out;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    ReadDelivery(st, &out.emplace_back());
  }
}

Status SqliteReviewStore::Enqueue(int64_t case_id, const WebhookRequest& webhook,
                                  const Decision& d, int64_t now) {
  std::string payload = webhook.payload ? webhook.payload(d) : "{}";
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("INSERT INTO webhook_outbox(case_id, kind, payload, "
                                      "next_attempt_at, created_at) VALUES(?, ?, ?, ?, ?)"));
  st.BindInt(1, case_id);
  st.BindText(2, WebhookKindName(webhook.kind));
  st.BindText(3, payload);
  st.BindInt(4, now);
  st.BindInt(5, now);
  VIGIL_RETURN_IF_ERROR(st.Run());
  const int64_t id = db_->LastInsertRowid();
  nlohmann::json detail = {{"case_id", case_id}, {"kind", WebhookKindName(webhook.kind)}};
  return AppendAuditEvent(db_.get(), now, d.actor,
                          {"webhook.enqueue", "webhook", std::to_string(id), detail.dump()});
}

Result<std::vector<WebhookDelivery>> SqliteReviewStore::DueWebhooks(int64_t now, size_t limit) {
  return QueryDeliveries(
      "WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2",
      {now, static_cast<int64_t>(limit)});
}

// Retries are bookkeeping and not audited; the two outcomes (delivered, dead) are.
Status SqliteReviewStore::RecordWebhookAttempt(int64_t delivery_id, DeliveryStatus status,
                                               int64_t next_attempt_at, std::string_view error) {
  const int64_t now = clock_.NowUnix();
  VIGIL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  VIGIL_ASSIGN_OR_RETURN(
      SqliteStatement st,
      db_->Prepare("UPDATE webhook_outbox SET status = ?, attempts = attempts + 1, "
                   "next_attempt_at = ?, last_error = ?, delivered_at = ? "
                   "WHERE id = ? AND status = 'pending'"));
  st.BindText(1, DeliveryStatusName(status));
  st.BindInt(2, next_attempt_at);
  st.BindText(3, error);
  if (status == DeliveryStatus::kDelivered) {
    st.BindInt(4, now);
  } else {
    st.BindNull(4);
  }
  st.BindInt(5, delivery_id);
  VIGIL_RETURN_IF_ERROR(st.Run());
  if (db_->Changes() == 0) {
    return FailedPrecondition("webhook delivery " + std::to_string(delivery_id) +
                              " is not pending");
  }
  if (status != DeliveryStatus::kPending) {
    nlohmann::json detail = {{"status", DeliveryStatusName(status)}};
    if (!error.empty()) detail["error"] = std::string(error);
    VIGIL_RETURN_IF_ERROR(AppendAuditEvent(
        db_.get(), now, kSystem,
        {"webhook." + std::string(DeliveryStatusName(status)), "webhook",
         std::to_string(delivery_id), detail.dump()}));
  }
  return txn->Commit();
}

}  // namespace vigil
