// A thin RAII layer over the SQLite C API for the SQLite store: a connection, prepared
// statements and transactions, with SQLite's errors turned into Status values. Private to
// store/ (nothing above store/ writes SQL).
//
// Thread-safety: a SqliteDb and its statements belong to one thread at a time (the
// connection is opened with SQLITE_OPEN_NOMUTEX).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

namespace vigil {

class SqliteStatement {
 public:
  SqliteStatement() = default;
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteStatement(SqliteStatement&& o) noexcept { *this = std::move(o); }
  SqliteStatement& operator=(SqliteStatement&& o) noexcept;
  ~SqliteStatement() { sqlite3_finalize(stmt_); }

  // Binds are 1-based like SQLite's. Text and blobs are not copied: the caller keeps them
  // alive until Step() has run. A failed bind is reported by the next Step().
  void BindInt(int i, int64_t v) { Check(sqlite3_bind_int64(stmt_, i, v)); }
  void BindNull(int i) { Check(sqlite3_bind_null(stmt_, i)); }
  void BindText(int i, std::string_view v) {
    Check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC));
  }
  void BindBlob(int i, const void* data, size_t size) {
    Check(sqlite3_bind_blob(stmt_, i, data, static_cast<int>(size), SQLITE_STATIC));
  }

  // true: a row is ready; false: the statement is done.
  Result<bool> Step();
  // Runs to completion, ignoring rows.
  Status Run();
  // Makes the statement ready to run again with new binds.
  void Reset();

  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string_view Text(int col) const;
  std::string_view Blob(int col) const;

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = SQLITE_OK;
};

class SqliteDb {
 public:
  // Opens or creates `path` read-write.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb() { sqlite3_close_v2(db_); }
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  Status Exec(const std::string& sql);
  Result<SqliteStatement> Prepare(std::string_view sql);
  // The one text value of a one-row query (a PRAGMA's answer).
  Result<std::string> QueryText(std::string_view sql);
  // The one integer value of a one-row query.
  Result<int64_t> QueryInt(std::string_view sql);
  int64_t Changes() const { return sqlite3_changes64(db_); }
  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  const std::string& path() const { return path_; }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

// Turns an SQLite result code into a Status: busy/locked -> kFailedPrecondition,
// corruption -> kCorrupt, I/O and full disk -> kIoError, the rest kInternal.
Status SqliteError(sqlite3* db, int rc, std::string_view what);

// BEGIN IMMEDIATE on construction (takes the write lock at once, so a busy database fails
// here and not halfway through); rolls back in the destructor unless Commit() ran.
class SqliteTransaction {
 public:
  static Result<std::unique_ptr<SqliteTransaction>> Begin(SqliteDb* db);
  ~SqliteTransaction();
  Status Commit();

 private:
  explicit SqliteTransaction(SqliteDb* db) : db_(db) {}
  SqliteDb* db_;
  bool done_ = false;
};

}  // namespace vigil
