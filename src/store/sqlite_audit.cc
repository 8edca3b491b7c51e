// The audit log on SQLite: appends inside a caller's transaction, lists, and verifies the
// hash chain (audit_log.h; the canonical form is in docs/schema.md, "Audit chain").
#include <nlohmann/json.hpp>

#include "store/audit_log.h"
#include "store/crypto.h"
#include "store/sqlite_audit.h"
#include "store/sqlite_review_schema.h"

namespace vigil {
namespace {

constexpr std::string_view kEventColumns =
    "id, at, actor_token_id, actor_name, actor_role, action, object_type, object_id, detail, "
    "hash";

// An event's fields as stored (the role as text, so a row with a bad role still hashes).
struct RawEvent {
  int64_t id = 0;
  int64_t at = 0;
  int64_t actor_token_id = 0;
  std::string actor_name, actor_role, action, object_type, object_id, detail, hash;
};

// The bytes the chain hashes: a version tag, then each field as "<length>:<bytes>" on its
// own line, so no two different events share a form.
std::string Canonical(const RawEvent& e) {
  std::string out = "vigil-audit-v1";
  auto field = [&out](std::string_view v) {
    out += '\n';
    out += std::to_string(v.size());
    out += ':';
    out += v;
  };
  field(std::to_string(e.id));
  field(std::to_string(e.at));
  field(std::to_string(e.actor_token_id));
  field(e.actor_name);
  field(e.actor_role);
  field(e.action);
  field(e.object_type);
  field(e.object_id);
  field(e.detail);
  return out;
}

std::string ChainHash(std::string_view prev_hash, const RawEvent& e) {
  return std::string(DigestBytes(Sha256(std::string(prev_hash) + Canonical(e))));
}

const std::string& GenesisHash() {
  static const std::string kZero(32, '\0');
  return kZero;
}

void ReadRaw(const SqliteStatement& st, RawEvent* e) {
  e->id = st.Int(0);
  e->at = st.Int(1);
  e->actor_token_id = st.Int(2);
  e->actor_name = st.Text(3);
  e->actor_role = st.Text(4);
  e->action = st.Text(5);
  e->object_type = st.Text(6);
  e->object_id = st.Text(7);
  e->detail = st.Text(8);
  e->hash = st.Blob(9);
}

struct Head {
  int64_t last_id = 0;
  std::string hash = GenesisHash();
  bool present = false;
};

Result<Head> ReadHead(SqliteDb* db) {
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db->Prepare("SELECT last_id, hash FROM audit_head WHERE one = 1"));
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  Head head;
  if (row) head = Head{st.Int(0), std::string(st.Blob(1)), true};
  return head;
}

}  // namespace

std::string JsonQuote(std::string_view text) { return nlohmann::json(std::string(text)).dump(); }

Status AppendAuditEvent(SqliteDb* db, int64_t at, const Actor& actor, const AuditRecord& record) {
  VIGIL_ASSIGN_OR_RETURN(Head head, ReadHead(db));
  RawEvent e{head.last_id + 1, at,           actor.token_id,     actor.name,
             std::string(RoleName(actor.role)), record.action, record.object_type,
             record.object_id, record.detail, ""};
  e.hash = ChainHash(head.hash, e);
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement ins,
                         db->Prepare("INSERT INTO audit_events(" + std::string(kEventColumns) +
                                     ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  ins.BindInt(1, e.id);
  ins.BindInt(2, e.at);
  ins.BindInt(3, e.actor_token_id);
  ins.BindText(4, e.actor_name);
  ins.BindText(5, e.actor_role);
  ins.BindText(6, e.action);
  ins.BindText(7, e.object_type);
  ins.BindText(8, e.object_id);
  ins.BindText(9, e.detail);
  ins.BindBlob(10, e.hash.data(), e.hash.size());
  // A failure here (say the head was deleted by hand, so the id collides) fails the change
  // itself: vigil does not write past a log it cannot extend.
  VIGIL_RETURN_IF_ERROR(ins.Run().WithContext("audit log append"));
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement up,
                         db->Prepare("INSERT INTO audit_head(one, last_id, hash) VALUES(1, ?, ?) "
                                     "ON CONFLICT(one) DO UPDATE SET last_id = excluded.last_id, "
                                     "hash = excluded.hash"));
  up.BindInt(1, e.id);
  up.BindBlob(2, e.hash.data(), e.hash.size());
  return up.Run();
}

struct SqliteAuditLog::Impl {
  std::unique_ptr<SqliteDb> db;
};

SqliteAuditLog::SqliteAuditLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteAuditLog::~SqliteAuditLog() = default;

Result<std::unique_ptr<SqliteAuditLog>> SqliteAuditLog::Open(const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, OpenVigilDatabase(path));
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(db);
  return std::unique_ptr<SqliteAuditLog>(new SqliteAuditLog(std::move(impl)));
}

Result<std::vector<AuditEvent>> SqliteAuditLog::List(size_t limit,
                                                     std::optional<int64_t> before_id) {
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         impl_->db->Prepare("SELECT " + std::string(kEventColumns) +
                                            " FROM audit_events WHERE id < ? ORDER BY id DESC "
                                            "LIMIT ?"));
  st.BindInt(1, before_id.value_or(INT64_MAX));
  st.BindInt(2, static_cast<int64_t>(limit));
  std::vector<AuditEvent> events;
  RawEvent raw;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return events;
    ReadRaw(st, &raw);
    AuditEvent& e = events.emplace_back();
    e.id = raw.id;
    e.at = raw.at;
    e.actor = Actor{raw.actor_token_id, raw.actor_name,
                    ParseRole(raw.actor_role).value_or(Role::kAuditor)};
    e.record = AuditRecord{raw.action, raw.object_type, raw.object_id, raw.detail};
    e.hash_hex = LowerHex(raw.hash);
  }
}

Result<AuditVerifyReport> SqliteAuditLog::Verify() {
  SqliteDb* db = impl_->db.get();
  // One read transaction, so the rows and the head are one snapshot.
  VIGIL_RETURN_IF_ERROR(db->Exec("BEGIN"));
  struct EndRead {
    SqliteDb* db;
    ~EndRead() { (void)db->Exec("COMMIT"); }
  } end_read{db};
  VIGIL_ASSIGN_OR_RETURN(Head head, ReadHead(db));
  VIGIL_ASSIGN_OR_RETURN(
      SqliteStatement st,
      db->Prepare("SELECT " + std::string(kEventColumns) + " FROM audit_events ORDER BY id"));
  AuditVerifyReport report;
  auto fail = [&report](int64_t id, std::string problem) {
    report.ok = false;
    report.first_bad_id = id;
    report.problem = std::move(problem);
    return report;
  };
  std::string prev = GenesisHash();
  RawEvent e;
  for (int64_t expected = 1;; ++expected) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ReadRaw(st, &e);
    ++report.events;
    if (e.id != expected) {
      if (e.id < expected) {
        return fail(e.id, "event id " + std::to_string(e.id) + " is out of sequence (inserted)");
      }
      const std::string gap = e.id - 1 == expected
                                  ? "event " + std::to_string(expected) + " is"
                                  : "events " + std::to_string(expected) + " to " +
                                        std::to_string(e.id - 1) + " are";
      return fail(expected, gap + " missing (deleted)");
    }
    if (!ConstantTimeEqual(e.hash, ChainHash(prev, e))) {
      return fail(e.id, "event " + std::to_string(e.id) +
                            " does not match its hash: it was edited, or inserted in place "
                            "of the original");
    }
    prev = e.hash;
  }
  const int64_t last = report.events;
  if (last != head.last_id || (last > 0 && !head.present)) {
    if (last < head.last_id) {
      return fail(last + 1, "the log ends at event " + std::to_string(last) +
                                " but its head records event " + std::to_string(head.last_id) +
                                ": later events were deleted");
    }
    return fail(head.last_id + 1, "events after " + std::to_string(head.last_id) +
                                      " are not recorded in the head: inserted");
  }
  if (!ConstantTimeEqual(head.hash, prev)) {
    return fail(last, "the head's hash does not match event " + std::to_string(last));
  }
  report.head_hash_hex = LowerHex(prev);
  return report;
}

}  // namespace vigil
