#include "store/sqlite_schema.h"

#include <ctime>
#include <iterator>
#include <string>

namespace vigil {
namespace {

// Append only: never edit a migration that has shipped; add the next version instead.
constexpr SqliteMigration kMigrations[] = {
    {1, "banks and signals", R"sql(
CREATE TABLE banks (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT    NOT NULL UNIQUE,
  description TEXT    NOT NULL DEFAULT '',
  enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  labels      TEXT    NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);
CREATE TABLE signals (
  id          INTEGER PRIMARY KEY,
  bank_id     INTEGER NOT NULL REFERENCES banks(id) ON DELETE CASCADE,
  signal_type TEXT    NOT NULL,
  value       BLOB    NOT NULL,
  labels      TEXT    NOT NULL DEFAULT '',
  source      TEXT    NOT NULL DEFAULT '',
  added_at    INTEGER NOT NULL,
  disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  opinion     TEXT    NOT NULL DEFAULT '' CHECK (opinion IN ('', 'confirmed', 'disputed')),
  quality     INTEGER CHECK (quality BETWEEN 0 AND 100),
  UNIQUE (bank_id, signal_type, value)
);
CREATE TABLE id_sequences (
  name    TEXT    PRIMARY KEY,
  next_id INTEGER NOT NULL
);
INSERT INTO id_sequences(name, next_id) VALUES ('signals', 1);
)sql"},
    // Video signals (vpdq, tmk_pdqf) are up to ~0.9 MB of text: `value` keeps a fixed
    // 32-byte key (the text's SHA-256) so the unique index stays small, and the text
    // itself lives here. NULL for every other type.
    {2, "video signal bodies", R"sql(
ALTER TABLE signals ADD COLUMN body BLOB;
)sql"},
};

std::string CreateTableSql(const SqliteMigrationSet& set) {
  return std::string("CREATE TABLE IF NOT EXISTS ") + set.table +
         " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";
}

Result<int> CurrentVersion(SqliteDb* db, const SqliteMigrationSet& set) {
  VIGIL_ASSIGN_OR_RETURN(
      int64_t v, db->QueryInt(std::string("SELECT coalesce(max(version), 0) FROM ") + set.table));
  return static_cast<int>(v);
}

// Applies `m` if the database is still below it; the check is inside the transaction.
Status ApplyOnce(SqliteDb* db, const SqliteMigrationSet& set, const SqliteMigration& m) {
  VIGIL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db));
  VIGIL_RETURN_IF_ERROR(db->Exec(CreateTableSql(set)));
  VIGIL_ASSIGN_OR_RETURN(int current, CurrentVersion(db, set));
  if (current >= m.version) return Status::Ok();  // another process got here first
  VIGIL_RETURN_IF_ERROR(db->Exec(m.sql).WithContext(std::string(set.label) + " migration " +
                                                     std::to_string(m.version)));
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement record,
                         db->Prepare(std::string("INSERT INTO ") + set.table +
                                     "(version, name, applied_at) VALUES(?, ?, ?)"));
  record.BindInt(1, m.version);
  record.BindText(2, m.name);
  record.BindInt(3, static_cast<int64_t>(std::time(nullptr)));
  VIGIL_RETURN_IF_ERROR(record.Run());
  if (set.mirror_user_version) {
    VIGIL_RETURN_IF_ERROR(db->Exec("PRAGMA user_version = " + std::to_string(m.version)));
  }
  return txn->Commit();
}

}  // namespace

int LatestSqliteSchemaVersion() { return std::size(kMigrations); }

Result<int> ApplySqliteMigrations(SqliteDb* db, const SqliteMigrationSet& set) {
  VIGIL_RETURN_IF_ERROR(db->Exec(CreateTableSql(set)));
  VIGIL_ASSIGN_OR_RETURN(int current, CurrentVersion(db, set));
  int latest = static_cast<int>(set.migrations.size());
  if (current > latest) {
    return FailedPrecondition("database '" + db->path() + "' has " + set.label + " version " +
                              std::to_string(current) + ", newer than this vigil knows (" +
                              std::to_string(latest) + ")");
  }
  for (const SqliteMigration& m : set.migrations) {
    if (m.version > current) VIGIL_RETURN_IF_ERROR(ApplyOnce(db, set, m));
  }
  return CurrentVersion(db, set);
}

Result<int> MigrateSqliteSchema(SqliteDb* db) {
  return ApplySqliteMigrations(db, {"schema_migrations", "schema", kMigrations, true});
}

}  // namespace vigil
