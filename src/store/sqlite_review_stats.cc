// SqliteReviewStore::Stats: the dashboard's aggregates (cases and decisions per UTC day,
// per-bank decision and dispute counts, cases per status). Read-only; one snapshot, so the
// three parts agree with each other.
#include <map>

#include "store/sqlite_review_store.h"

namespace vigil {
namespace {

// Day numbers are whole UTC days since the epoch: integer division, no time zones.
constexpr std::string_view kCasesPerDay =
    "SELECT created_at / 86400 AS day, count(*) FROM cases WHERE created_at >= ?1 "
    "GROUP BY day ORDER BY day";
constexpr std::string_view kDecisionsPerDay =
    "SELECT decided_at / 86400 AS day, decision, count(*) FROM decisions "
    "WHERE decided_at >= ?1 GROUP BY day, decision ORDER BY day";
// One row per (bank, case) first, so a case with several decisions or several matches
// in one bank counts once per bank.
constexpr std::string_view kPerBank = R"sql(
SELECT bank, count(*), sum(decided), sum(removed), sum(kept), sum(disputed) FROM (
  SELECT m.bank_name AS bank,
         max(d.decision IN ('remove', 'keep')) AS decided,
         max(d.decision = 'remove') AS removed,
         max(d.decision = 'keep') AS kept,
         max(d.dispute_signal = 1) AS disputed
  FROM case_matches m JOIN cases c ON c.id = m.case_id
  LEFT JOIN decisions d ON d.case_id = c.id
  WHERE c.created_at >= ?1
  GROUP BY m.bank_name, c.id)
GROUP BY bank ORDER BY bank)sql";
constexpr std::string_view kPerStatus =
    "SELECT status, count(*) FROM cases GROUP BY status ORDER BY status";

Result<std::vector<DayCounts>> ReadDays(SqliteDb* db, int64_t since) {
  std::map<int64_t, DayCounts> days;
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement opened, db->Prepare(kCasesPerDay));
  opened.BindInt(1, since);
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, opened.Step());
    if (!row) break;
    days[opened.Int(0)].cases_opened = opened.Int(1);
  }
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement decided, db->Prepare(kDecisionsPerDay));
  decided.BindInt(1, since);
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, decided.Step());
    if (!row) break;
    DayCounts& d = days[decided.Int(0)];
    auto kind = ParseDecisionKind(decided.Text(1));
    if (!kind) continue;  // the table's CHECK allows no other value
    (*kind == DecisionKind::kRemove ? d.removes
     : *kind == DecisionKind::kKeep ? d.keeps
                                    : d.escalations) = decided.Int(2);
  }
  std::vector<DayCounts> out;
  for (auto& [day, counts] : days) {
    counts.day = day;
    out.push_back(counts);
  }
  return out;
}

Result<ReviewStats> ReadStats(SqliteDb* db, int64_t since) {
  ReviewStats stats;
  VIGIL_ASSIGN_OR_RETURN(stats.days, ReadDays(db, since));
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement banks, db->Prepare(kPerBank));
  banks.BindInt(1, since);
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, banks.Step());
    if (!row) break;
    stats.banks.push_back({std::string(banks.Text(0)), banks.Int(1), banks.Int(2), banks.Int(3),
                           banks.Int(4), banks.Int(5)});
  }
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement status, db->Prepare(kPerStatus));
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, status.Step());
    if (!row) break;
    if (auto s = ParseCaseStatus(status.Text(0))) stats.cases_by_status.emplace_back(*s, status.Int(1));
  }
  return stats;
}

}  // namespace

Result<ReviewStats> SqliteReviewStore::Stats(int64_t since) {
  // A deferred (read) transaction: one snapshot without taking the write lock.
  VIGIL_RETURN_IF_ERROR(db_->Exec("BEGIN"));
  Result<ReviewStats> stats = ReadStats(db_.get(), since);
  Status end = db_->Exec(stats.ok() ? "COMMIT" : "ROLLBACK");
  if (stats.ok() && !end.ok()) return end;
  return stats;
}

}  // namespace vigil
