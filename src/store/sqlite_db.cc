#include "store/sqlite_db.h"

#include <mutex>
#include <utility>

namespace vigil {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string m = "sqlite: " + std::string(what) + ": " +
                  (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_READONLY: return FailedPrecondition(std::move(m));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return Corrupt(std::move(m));
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM: return IoError(std::move(m));
    default: return Internal(std::move(m));
  }
}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(o.db_, nullptr);
    stmt_ = std::exchange(o.stmt_, nullptr);
    bind_rc_ = std::exchange(o.bind_rc_, SQLITE_OK);
  }
  return *this;
}

Result<bool> SqliteStatement::Step() {
  if (bind_rc_ != SQLITE_OK) return SqliteError(db_, bind_rc_, "bind");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, rc, sqlite3_sql(stmt_));
}

Status SqliteStatement::Run() {
  for (;;) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  bind_rc_ = SQLITE_OK;
}

std::string_view SqliteStatement::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (!p) return {};
  return {reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

std::string_view SqliteStatement::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  if (!p) return {};
  return {static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  // Memory statistics take a global mutex on every SQLite malloc and free (~3% of an
  // import's CPU). vigil never reads them. This only works before SQLite initialises;
  // if something else initialised it first the call fails harmlessly.
  static std::once_flag no_memstatus;
  std::call_once(no_memstatus, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(db, rc, "cannot open '" + path + "'");
    sqlite3_close_v2(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<SqliteDb>(new SqliteDb(db, path));
}

Status SqliteDb::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, sql.substr(0, 60));
  return Status::Ok();
}

Result<SqliteStatement> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare " + std::string(sql.substr(0, 60)));
  return SqliteStatement(db_, stmt);
}

Result<std::string> SqliteDb::QueryText(std::string_view sql) {
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement stmt, Prepare(sql));
  VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Internal("sqlite: no answer to " + std::string(sql));
  return std::string(stmt.Text(0));
}

Result<int64_t> SqliteDb::QueryInt(std::string_view sql) {
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement stmt, Prepare(sql));
  VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Internal("sqlite: no answer to " + std::string(sql));
  return stmt.Int(0);
}

Result<std::unique_ptr<SqliteTransaction>> SqliteTransaction::Begin(SqliteDb* db) {
  VIGIL_RETURN_IF_ERROR(db->Exec("BEGIN IMMEDIATE"));
  return std::unique_ptr<SqliteTransaction>(new SqliteTransaction(db));
}

SqliteTransaction::~SqliteTransaction() {
  if (!done_) (void)db_->Exec("ROLLBACK");
}

Status SqliteTransaction::Commit() {
  done_ = true;
  Status s = db_->Exec("COMMIT");
  if (!s.ok()) (void)db_->Exec("ROLLBACK");
  return s;
}

}  // namespace vigil
