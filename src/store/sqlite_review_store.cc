// SqliteReviewStore: cases, decisions and appeals. Policies, settings and the outbox are
// in sqlite_review_settings.cc.
#include "store/sqlite_review_store.h"

#include <nlohmann/json.hpp>

#include "store/bank_row.h"
#include "store/sqlite_audit.h"
#include "store/sqlite_review_schema.h"

namespace vigil {
namespace {

constexpr std::string_view kCaseColumns =
    "c.id, c.content_id, c.content_url, c.status, c.priority, c.created_at, c.updated_at";
constexpr std::string_view kDecisionColumns =
    "d.id, d.case_id, d.decision, d.reason, d.ground_type, d.ground, d.dispute_signal, "
    "d.automated, d.actor_token_id, d.actor_name, d.actor_role, d.decided_at";
constexpr std::string_view kAppealColumns =
    "a.id, a.case_id, a.text, a.filed_by_token_id, a.filed_by_name, a.filed_by_role, "
    "a.filed_at, a.outcome, a.outcome_reason, a.decided_by_token_id, a.decided_by_name, "
    "a.decided_by_role, a.decided_at";

void ReadCase(const SqliteStatement& st, Case* c) {
  c->id = st.Int(0);
  c->content_id = st.Text(1);
  c->content_url = st.Text(2);
  c->status = ParseCaseStatus(st.Text(3)).value_or(CaseStatus::kOpen);
  c->priority = static_cast<int>(st.Int(4));
  c->created_at = st.Int(5);
  c->updated_at = st.Int(6);
}

Actor ReadActor(const SqliteStatement& st, int col) {
  return Actor{st.Int(col), std::string(st.Text(col + 1)),
               ParseRole(st.Text(col + 2)).value_or(Role::kAuditor)};
}

void ReadDecision(const SqliteStatement& st, Decision* d) {
  d->id = st.Int(0);
  d->case_id = st.Int(1);
  d->kind = ParseDecisionKind(st.Text(2)).value_or(DecisionKind::kKeep);
  d->reason = st.Text(3);
  d->ground_type = ParseGroundType(st.Text(4)).value_or(GroundType::kTermsOfService);
  d->ground = st.Text(5);
  d->dispute = st.Int(6) ? SignalDispute::kMarkDisputed : SignalDispute::kNo;
  d->automation = st.Int(7) ? Automation::kAutomated : Automation::kHuman;
  d->actor = ReadActor(st, 8);
  d->decided_at = st.Int(11);
}

void ReadAppeal(const SqliteStatement& st, Appeal* a) {
  a->id = st.Int(0);
  a->case_id = st.Int(1);
  a->text = st.Text(2);
  a->filed_by = ReadActor(st, 3);
  a->filed_at = st.Int(6);
  a->outcome = ParseAppealOutcome(st.Text(7));
  a->outcome_reason = st.Text(8);
  if (!st.IsNull(9)) a->decided_by = ReadActor(st, 9);
  a->decided_at = st.IsNull(12) ? 0 : st.Int(12);
}

Status CaseNotFound(int64_t id) { return NotFound("case " + std::to_string(id) + " not found"); }

}  // namespace

Result<std::unique_ptr<SqliteReviewStore>> SqliteReviewStore::Open(const std::string& path,
                                                                   const Clock& clock) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, OpenVigilDatabase(path));
  return std::unique_ptr<SqliteReviewStore>(new SqliteReviewStore(std::move(db), clock));
}

Status SqliteReviewStore::LoadMatches(Case* c) {
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("SELECT signal_id, signal_type, value, bank_name, labels, "
                                      "distance, detail FROM case_matches WHERE case_id = ? "
                                      "ORDER BY distance, signal_id"));
  st.BindInt(1, c->id);
  c->matches.clear();
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Ok();
    CaseMatch& m = c->matches.emplace_back();
    m.signal_id = st.Int(0);
    m.type = ParseSignalTypeName(st.Text(1)).value_or(SignalType::kPdq);
    m.value = st.Text(2);
    m.bank = st.Text(3);
    m.labels = SplitLabels(st.Text(4));
    m.distance = static_cast<int>(st.Int(5));
    m.detail = st.Text(6);
  }
}

Result<std::optional<Case>> SqliteReviewStore::FindCaseByContentId(std::string_view content_id) {
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("SELECT " + std::string(kCaseColumns) +
                                      " FROM cases c WHERE c.content_id = ?"));
  st.BindText(1, content_id);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<Case>();
  Case c;
  ReadCase(st, &c);
  VIGIL_RETURN_IF_ERROR(LoadMatches(&c));
  return std::optional<Case>(std::move(c));
}

Result<ReviewStore::Opened> SqliteReviewStore::OpenCase(const NewCase& nc, const Actor& actor) {
  const int64_t now = clock_.NowUnix();
  VIGIL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  // Looked up under the write lock, so two scans of one content id open one case.
  VIGIL_ASSIGN_OR_RETURN(std::optional<Case> existing, FindCaseByContentId(nc.content_id));
  if (existing) return Opened{std::move(*existing), false};
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement ins,
                         db_->Prepare("INSERT INTO cases(content_id, content_url, status, "
                                      "priority, created_at, updated_at) "
                                      "VALUES(?, ?, 'open', ?, ?, ?)"));
  ins.BindText(1, nc.content_id);
  ins.BindText(2, nc.content_url);
  ins.BindInt(3, nc.priority);
  ins.BindInt(4, now);
  ins.BindInt(5, now);
  VIGIL_RETURN_IF_ERROR(ins.Run());
  const int64_t case_id = db_->LastInsertRowid();
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement m,
                         db_->Prepare("INSERT OR IGNORE INTO case_matches(case_id, signal_id, "
                                      "signal_type, value, bank_name, labels, distance, detail) "
                                      "VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
  nlohmann::json signal_ids = nlohmann::json::array();
  for (const CaseMatch& cm : nc.matches) {
    VIGIL_ASSIGN_OR_RETURN(std::string labels, JoinLabels(cm.labels));
    m.Reset();
    m.BindInt(1, case_id);
    m.BindInt(2, cm.signal_id);
    m.BindText(3, SignalTypeName(cm.type));
    m.BindText(4, cm.value);
    m.BindText(5, cm.bank);
    m.BindText(6, labels);
    m.BindInt(7, cm.distance);
    m.BindText(8, cm.detail);
    VIGIL_RETURN_IF_ERROR(m.Run());
    signal_ids.push_back(cm.signal_id);
  }
  nlohmann::json detail = {{"content_id", nc.content_id}, {"signals", signal_ids},
                           {"priority", nc.priority}};
  VIGIL_RETURN_IF_ERROR(AppendAuditEvent(db_.get(), now, actor,
                                         {"case.open", "case", std::to_string(case_id),
                                          detail.dump()}));
  VIGIL_RETURN_IF_ERROR(txn->Commit());
  VIGIL_ASSIGN_OR_RETURN(Case c, GetCase(case_id));
  return Opened{std::move(c), true};
}

Result<Case> SqliteReviewStore::GetCase(int64_t id) {
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st, db_->Prepare("SELECT " + std::string(kCaseColumns) +
                                                          " FROM cases c WHERE c.id = ?"));
  st.BindInt(1, id);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return CaseNotFound(id);
  Case c;
  ReadCase(st, &c);
  VIGIL_RETURN_IF_ERROR(LoadMatches(&c));
  return c;
}

Result<std::vector<Decision>> SqliteReviewStore::QueryDecisions(std::string_view where,
                                                                int64_t param) {
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("SELECT " + std::string(kDecisionColumns) +
                                      " FROM decisions d " + std::string(where)));
  st.BindInt(1, param);
  std::vector<Decision> out;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    ReadDecision(st, &out.emplace_back());
  }
}

Result<std::vector<Appeal>> SqliteReviewStore::QueryAppeals(std::string_view where,
                                                            int64_t param) {
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("SELECT " + std::string(kAppealColumns) +
                                      " FROM appeals a " + std::string(where)));
  st.BindInt(1, param);
  std::vector<Appeal> out;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    ReadAppeal(st, &out.emplace_back());
  }
}

Result<CaseDetail> SqliteReviewStore::GetCaseDetail(int64_t id) {
  CaseDetail d;
  VIGIL_ASSIGN_OR_RETURN(d.c, GetCase(id));
  VIGIL_ASSIGN_OR_RETURN(d.decisions, QueryDecisions("WHERE d.case_id = ? ORDER BY d.id", id));
  VIGIL_ASSIGN_OR_RETURN(d.appeals, QueryAppeals("WHERE a.case_id = ? ORDER BY a.id", id));
  VIGIL_ASSIGN_OR_RETURN(d.deliveries,
                         QueryDeliveries("WHERE case_id = ? ORDER BY id", {id}));
  VIGIL_ASSIGN_OR_RETURN(
      d.earlier_decisions_on_signals,
      QueryDecisions("WHERE d.case_id != ?1 AND d.case_id IN (SELECT o.case_id FROM "
                     "case_matches o JOIN case_matches mine ON mine.signal_id = o.signal_id "
                     "WHERE mine.case_id = ?1) ORDER BY d.decided_at DESC, d.id DESC LIMIT 50",
                     id));
  return d;
}

Result<std::vector<Case>> SqliteReviewStore::ListCases(const CaseFilter& f) {
  std::string sql = "SELECT " + std::string(kCaseColumns) + " FROM cases c WHERE 1";
  // Optional filters bind in a fixed order: ?1 status, ?2 bank, ?3 label, ?4/?5 times.
  if (f.status) sql += " AND c.status = ?1";
  if (f.bank) {
    sql += " AND EXISTS (SELECT 1 FROM case_matches m WHERE m.case_id = c.id AND "
           "m.bank_name = ?2)";
  }
  if (f.label) {
    sql += " AND EXISTS (SELECT 1 FROM case_matches m WHERE m.case_id = c.id AND "
           "instr(';' || m.labels || ';', ';' || ?3 || ';') > 0)";
  }
  if (f.created_before) sql += " AND c.created_at < ?4";
  if (f.created_after) sql += " AND c.created_at > ?5";
  sql += f.order == CaseOrder::kPriorityFirst ? " ORDER BY c.priority DESC, c.created_at, c.id"
                                              : " ORDER BY c.created_at, c.id";
  sql += " LIMIT ?6 OFFSET ?7";
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st, db_->Prepare(sql));
  const std::string status(f.status ? CaseStatusName(*f.status) : "");
  if (f.status) st.BindText(1, status);
  if (f.bank) st.BindText(2, *f.bank);
  if (f.label) st.BindText(3, *f.label);
  if (f.created_before) st.BindInt(4, *f.created_before);
  if (f.created_after) st.BindInt(5, *f.created_after);
  st.BindInt(6, static_cast<int64_t>(f.limit));
  st.BindInt(7, static_cast<int64_t>(f.offset));
  std::vector<Case> cases;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ReadCase(st, &cases.emplace_back());
  }
  for (Case& c : cases) VIGIL_RETURN_IF_ERROR(LoadMatches(&c));
  return cases;
}

Status SqliteReviewStore::MoveCase(int64_t case_id, CaseStatus expected, CaseStatus next,
                                   int64_t now) {
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("UPDATE cases SET status = ?, updated_at = ? "
                                      "WHERE id = ? AND status = ?"));
  st.BindText(1, CaseStatusName(next));
  st.BindInt(2, now);
  st.BindInt(3, case_id);
  st.BindText(4, CaseStatusName(expected));
  VIGIL_RETURN_IF_ERROR(st.Run());
  if (db_->Changes() == 1) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(Case c, GetCase(case_id));
  return FailedPrecondition("case " + std::to_string(case_id) + " is " +
                            std::string(CaseStatusName(c.status)) + ", not " +
                            std::string(CaseStatusName(expected)) +
                            " (someone else changed it first)");
}

Status SqliteReviewStore::DisputeSignals(int64_t case_id, int64_t now, const Actor& actor) {
  VIGIL_ASSIGN_OR_RETURN(
      SqliteStatement find,
      db_->Prepare("SELECT s.id, s.opinion FROM signals s JOIN case_matches m ON "
                   "m.signal_id = s.id WHERE m.case_id = ? AND s.opinion != 'disputed'"));
  find.BindInt(1, case_id);
  std::vector<std::pair<int64_t, std::string>> changed;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, find.Step());
    if (!row) break;
    changed.emplace_back(find.Int(0), std::string(find.Text(1)));
  }
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement up,
                         db_->Prepare("UPDATE signals SET opinion = 'disputed' WHERE id = ?"));
  for (const auto& [id, before] : changed) {
    up.Reset();
    up.BindInt(1, id);
    VIGIL_RETURN_IF_ERROR(up.Run());
    nlohmann::json detail = {{"before", before}, {"after", "disputed"}, {"case_id", case_id}};
    VIGIL_RETURN_IF_ERROR(AppendAuditEvent(
        db_.get(), now, actor, {"signal.opinion", "signal", std::to_string(id), detail.dump()}));
  }
  return Status::Ok();
}

Result<int64_t> SqliteReviewStore::InsertDecision(const Decision& d) {
  VIGIL_ASSIGN_OR_RETURN(
      SqliteStatement st,
      db_->Prepare("INSERT INTO decisions(case_id, decision, reason, ground_type, ground, "
                   "dispute_signal, automated, actor_token_id, actor_name, actor_role, "
                   "decided_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  st.BindInt(1, d.case_id);
  st.BindText(2, DecisionKindName(d.kind));
  st.BindText(3, d.reason);
  st.BindText(4, GroundTypeName(d.ground_type));
  st.BindText(5, d.ground);
  st.BindInt(6, d.dispute == SignalDispute::kMarkDisputed ? 1 : 0);
  st.BindInt(7, d.automation == Automation::kAutomated ? 1 : 0);
  st.BindInt(8, d.actor.token_id);
  st.BindText(9, d.actor.name);
  st.BindText(10, RoleName(d.actor.role));
  st.BindInt(11, d.decided_at);
  VIGIL_RETURN_IF_ERROR(st.Run());
  return db_->LastInsertRowid();
}

Result<Decision> SqliteReviewStore::RecordDecision(const DecisionWrite& w) {
  Decision d = w.decision;
  d.decided_at = clock_.NowUnix();
  VIGIL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  VIGIL_RETURN_IF_ERROR(MoveCase(d.case_id, w.expected, w.next, d.decided_at));
  VIGIL_ASSIGN_OR_RETURN(d.id, InsertDecision(d));
  nlohmann::json detail = {{"decision_id", d.id},
                           {"decision", DecisionKindName(d.kind)},
                           {"ground_type", GroundTypeName(d.ground_type)},
                           {"ground", d.ground},
                           {"automated", d.automation == Automation::kAutomated},
                           {"before", CaseStatusName(w.expected)},
                           {"after", CaseStatusName(w.next)}};
  VIGIL_RETURN_IF_ERROR(AppendAuditEvent(db_.get(), d.decided_at, d.actor,
                                         {"case.decide", "case", std::to_string(d.case_id),
                                          detail.dump()}));
  if (d.dispute == SignalDispute::kMarkDisputed) {
    VIGIL_RETURN_IF_ERROR(DisputeSignals(d.case_id, d.decided_at, d.actor));
  }
  if (w.webhook) VIGIL_RETURN_IF_ERROR(Enqueue(d.case_id, *w.webhook, d, d.decided_at));
  VIGIL_RETURN_IF_ERROR(txn->Commit());
  return d;
}

Result<Appeal> SqliteReviewStore::RecordAppeal(int64_t case_id, std::string_view text,
                                               const Actor& actor) {
  const int64_t now = clock_.NowUnix();
  VIGIL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  VIGIL_RETURN_IF_ERROR(MoveCase(case_id, CaseStatus::kDecided, CaseStatus::kAppealed, now));
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("INSERT INTO appeals(case_id, text, filed_by_token_id, "
                                      "filed_by_name, filed_by_role, filed_at) "
                                      "VALUES(?, ?, ?, ?, ?, ?)"));
  st.BindInt(1, case_id);
  st.BindText(2, text);
  st.BindInt(3, actor.token_id);
  st.BindText(4, actor.name);
  st.BindText(5, RoleName(actor.role));
  st.BindInt(6, now);
  VIGIL_RETURN_IF_ERROR(st.Run());
  const int64_t id = db_->LastInsertRowid();
  // The complaint's text stays out of the log: it is the uploader's words.
  nlohmann::json detail = {{"case_id", case_id}};
  VIGIL_RETURN_IF_ERROR(AppendAuditEvent(
      db_.get(), now, actor, {"appeal.file", "appeal", std::to_string(id), detail.dump()}));
  VIGIL_RETURN_IF_ERROR(txn->Commit());
  VIGIL_ASSIGN_OR_RETURN(std::vector<Appeal> a, QueryAppeals("WHERE a.id = ?", id));
  if (a.empty()) return Internal("appeal " + std::to_string(id) + " vanished after insert");
  return std::move(a.front());
}

Result<Appeal> SqliteReviewStore::RecordAppealDecision(const AppealDecisionWrite& w,
                                                       const Actor& actor) {
  const int64_t now = clock_.NowUnix();
  VIGIL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  VIGIL_ASSIGN_OR_RETURN(std::vector<Appeal> found, QueryAppeals("WHERE a.id = ?", w.appeal_id));
  if (found.empty()) return NotFound("appeal " + std::to_string(w.appeal_id) + " not found");
  Appeal a = std::move(found.front());
  if (a.outcome) {
    return FailedPrecondition("appeal " + std::to_string(a.id) + " was already decided");
  }
  VIGIL_RETURN_IF_ERROR(MoveCase(a.case_id, CaseStatus::kAppealed, CaseStatus::kClosed, now));
  VIGIL_ASSIGN_OR_RETURN(
      SqliteStatement st,
      db_->Prepare("UPDATE appeals SET outcome = ?, outcome_reason = ?, decided_by_token_id = ?, "
                   "decided_by_name = ?, decided_by_role = ?, decided_at = ? WHERE id = ?"));
  st.BindText(1, AppealOutcomeName(w.outcome));
  st.BindText(2, w.reason);
  st.BindInt(3, actor.token_id);
  st.BindText(4, actor.name);
  st.BindText(5, RoleName(actor.role));
  st.BindInt(6, now);
  st.BindInt(7, a.id);
  VIGIL_RETURN_IF_ERROR(st.Run());
  a.outcome = w.outcome;
  a.outcome_reason = w.reason;
  a.decided_by = actor;
  a.decided_at = now;
  nlohmann::json detail = {{"case_id", a.case_id}, {"outcome", AppealOutcomeName(w.outcome)}};
  VIGIL_RETURN_IF_ERROR(AppendAuditEvent(
      db_.get(), now, actor, {"appeal.decide", "appeal", std::to_string(a.id), detail.dump()}));
  if (w.dispute == SignalDispute::kMarkDisputed) {
    VIGIL_RETURN_IF_ERROR(DisputeSignals(a.case_id, now, actor));
  }
  if (w.webhook) {
    Decision outcome;
    outcome.id = a.id;
    outcome.case_id = a.case_id;
    outcome.kind = w.outcome == AppealOutcome::kUpheld ? DecisionKind::kKeep : DecisionKind::kRemove;
    outcome.reason = w.reason;
    outcome.actor = actor;
    outcome.decided_at = now;
    VIGIL_RETURN_IF_ERROR(Enqueue(a.case_id, *w.webhook, outcome, now));
  }
  VIGIL_RETURN_IF_ERROR(txn->Commit());
  return a;
}

}  // namespace vigil
