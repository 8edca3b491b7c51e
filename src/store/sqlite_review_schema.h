// The review service's tables (tokens, audit log, settings, bank match policies, cases,
// decisions, appeals, the webhook outbox) and their versioned migrations, kept apart from
// the bank tables' list (sqlite_schema.h) so the two can evolve independently. They live
// in the same SQLite file as the banks so an audit event shares its change's transaction.
//
// Discipline as for the bank schema: each migration runs once, in its own BEGIN IMMEDIATE
// transaction that re-reads the version and records it in schema_migrations_review.
// docs/schema.md lists the versions.
//
// Thread-safety: call with a connection no other thread is using.
#pragma once

#include <memory>
#include <string>

#include "store/sqlite_db.h"
#include "util/status.h"

namespace vigil {

int LatestReviewSchemaVersion();

// Brings the bank schema and then the review schema up to date (review tables reference
// banks); returns the review schema's version. A newer database is kFailedPrecondition.
Result<int> MigrateReviewSchema(SqliteDb* db);

// Opens `path` with the pragmas every vigil connection uses (busy timeout, WAL, foreign
// keys) and migrates both schemas. Every SQLite store (banks, tokens, audit, review) opens
// through it, so all connections to one file agree on these settings.
Result<std::unique_ptr<SqliteDb>> OpenVigilDatabase(const std::string& path);

}  // namespace vigil
