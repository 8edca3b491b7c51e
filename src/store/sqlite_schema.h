// The SQLite store's schema and its versioned migrations (docs/schema.md). Each migration
// runs once, in its own transaction, and is recorded in the schema_migrations table (and
// mirrored in PRAGMA user_version for tools that only look there).
//
// Thread-safety: call with a connection no other thread is using; concurrent openers in
// other processes are serialised by BEGIN IMMEDIATE, and each re-checks the version inside
// its transaction, so a migration never runs twice.
#pragma once

#include <span>

#include "store/sqlite_db.h"
#include "util/status.h"

namespace vigil {

struct SqliteMigration {
  int version;  // 1, 2, 3, ... with no gaps
  const char* name;
  const char* sql;
};

// One component's migrations (the bank schema, the review schema), recorded in its own
// table so components version independently in the same file.
struct SqliteMigrationSet {
  const char* table;  // e.g. "schema_migrations"; a constant, never user input
  const char* label;  // "schema", "review schema": used in error messages
  std::span<const SqliteMigration> migrations;
  bool mirror_user_version = false;  // also set PRAGMA user_version (one set only)
};

// Brings `set` up to date: each migration once, in its own transaction, re-checking the
// version inside it. A database newer than the list is refused with kFailedPrecondition.
// Returns the version the database is at.
Result<int> ApplySqliteMigrations(SqliteDb* db, const SqliteMigrationSet& set);

// The newest schema version this build knows.
int LatestSqliteSchemaVersion();

// Brings the database up to LatestSqliteSchemaVersion(); returns the version it is at.
// A database from a newer vigil (a higher version) is refused with kFailedPrecondition.
Result<int> MigrateSqliteSchema(SqliteDb* db);

}  // namespace vigil
