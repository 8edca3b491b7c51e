// The SQLite store's schema and its versioned migrations (docs/schema.md). Each migration
// runs once, in its own transaction, and is recorded in the schema_migrations table (and
// mirrored in PRAGMA user_version for tools that only look there).
//
// Thread-safety: call with a connection no other thread is using; concurrent openers in
// other processes are serialised by BEGIN IMMEDIATE, and each re-checks the version inside
// its transaction, so a migration never runs twice.
#pragma once

#include "store/sqlite_db.h"
#include "util/status.h"

namespace vigil {

// The newest schema version this build knows.
int LatestSqliteSchemaVersion();

// Brings the database up to LatestSqliteSchemaVersion(); returns the version it is at.
// A database from a newer vigil (a higher version) is refused with kFailedPrecondition.
Result<int> MigrateSqliteSchema(SqliteDb* db);

}  // namespace vigil
