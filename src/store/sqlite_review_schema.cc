#include "store/sqlite_review_schema.h"

#include <iterator>
#include <string>

#include "store/sqlite_schema.h"

namespace vigil {
namespace {

// Append only: never edit a migration that has shipped; add the next version instead.
// No table here holds uploader personal data: content is named by the platform's opaque
// id, people only by staff token names.
constexpr SqliteMigration kMigrations[] = {
    {1, "tokens, audit log, settings", R"sql(
CREATE TABLE api_tokens (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  name          TEXT    NOT NULL,
  role          TEXT    NOT NULL,
  secret_sha256 BLOB    NOT NULL UNIQUE,
  created_at    INTEGER NOT NULL,
  revoked_at    INTEGER
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens(name) WHERE revoked_at IS NULL;
CREATE TABLE audit_events (
  id             INTEGER PRIMARY KEY,
  at             INTEGER NOT NULL,
  actor_token_id INTEGER NOT NULL,
  actor_name     TEXT    NOT NULL,
  actor_role     TEXT    NOT NULL,
  action         TEXT    NOT NULL,
  object_type    TEXT    NOT NULL,
  object_id      TEXT    NOT NULL,
  detail         TEXT    NOT NULL DEFAULT '{}',
  hash           BLOB    NOT NULL
);
CREATE TABLE audit_head (
  one     INTEGER PRIMARY KEY CHECK (one = 1),
  last_id INTEGER NOT NULL,
  hash    BLOB    NOT NULL
);
CREATE TABLE settings (
  key        TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql"},
    {2, "bank policies, cases, decisions, appeals, webhook outbox", R"sql(
CREATE TABLE bank_policies (
  bank_id    INTEGER PRIMARY KEY REFERENCES banks(id) ON DELETE CASCADE,
  policy     TEXT    NOT NULL DEFAULT 'review' CHECK (policy IN ('review', 'auto')),
  verified   INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
  updated_at INTEGER NOT NULL
);
CREATE TABLE cases (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  content_id  TEXT    NOT NULL UNIQUE,
  content_url TEXT    NOT NULL DEFAULT '',
  status      TEXT    NOT NULL CHECK (status IN ('open', 'escalated', 'decided', 'appealed', 'closed')),
  priority    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX cases_status_created ON cases(status, created_at);
CREATE INDEX cases_status_priority ON cases(status, priority DESC, created_at);
-- A snapshot of each matched signal: the case keeps its evidence when the signal or its
-- bank is later removed, hence no foreign keys to signals or banks.
CREATE TABLE case_matches (
  case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  signal_id   INTEGER NOT NULL,
  signal_type TEXT    NOT NULL,
  value       TEXT    NOT NULL,
  bank_name   TEXT    NOT NULL,
  labels      TEXT    NOT NULL DEFAULT '',
  distance    INTEGER NOT NULL,
  PRIMARY KEY (case_id, signal_id)
);
CREATE INDEX case_matches_signal ON case_matches(signal_id);
CREATE INDEX case_matches_bank ON case_matches(bank_name);
CREATE TABLE decisions (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id        INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  decision       TEXT    NOT NULL CHECK (decision IN ('remove', 'keep', 'escalate')),
  reason         TEXT    NOT NULL,
  ground_type    TEXT    NOT NULL CHECK (ground_type IN ('legal', 'terms')),
  ground         TEXT    NOT NULL,
  dispute_signal INTEGER NOT NULL DEFAULT 0,
  automated      INTEGER NOT NULL DEFAULT 0,
  actor_token_id INTEGER NOT NULL,
  actor_name     TEXT    NOT NULL,
  actor_role     TEXT    NOT NULL,
  decided_at     INTEGER NOT NULL
);
CREATE INDEX decisions_case ON decisions(case_id);
CREATE TABLE appeals (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id           INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  text              TEXT    NOT NULL,
  filed_by_token_id INTEGER NOT NULL,
  filed_by_name     TEXT    NOT NULL,
  filed_by_role     TEXT    NOT NULL,
  filed_at          INTEGER NOT NULL,
  outcome           TEXT    CHECK (outcome IN ('upheld', 'rejected')),
  outcome_reason    TEXT,
  decided_by_token_id INTEGER,
  decided_by_name   TEXT,
  decided_by_role   TEXT,
  decided_at        INTEGER
);
CREATE INDEX appeals_case ON appeals(case_id);
CREATE TABLE webhook_outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id         INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  kind            TEXT    NOT NULL CHECK (kind IN ('remove', 'reinstate')),
  payload         TEXT    NOT NULL,
  status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT    NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  delivered_at    INTEGER
);
CREATE INDEX webhook_outbox_due ON webhook_outbox(status, next_attempt_at);
CREATE INDEX webhook_outbox_case ON webhook_outbox(case_id);
)sql"},
    {3, "case match details (video: matched time segments and scores)", R"sql(
ALTER TABLE case_matches ADD COLUMN detail TEXT NOT NULL DEFAULT '{}';
)sql"},
};

}  // namespace

int LatestReviewSchemaVersion() { return std::size(kMigrations); }

Result<int> MigrateReviewSchema(SqliteDb* db) {
  VIGIL_RETURN_IF_ERROR(MigrateSqliteSchema(db).status());
  return ApplySqliteMigrations(db, {"schema_migrations_review", "review schema", kMigrations});
}

Result<std::unique_ptr<SqliteDb>> OpenVigilDatabase(const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::Open(path));
  // The busy timeout comes first so the pragmas below wait for another writer too.
  VIGIL_RETURN_IF_ERROR(db->Exec("PRAGMA busy_timeout = 5000"));
  // 16 KiB pages: a shallower signal index and fewer WAL frames per import (measured ~25%
  // faster commits than 4 KiB). Only takes effect on a new, empty file.
  VIGIL_RETURN_IF_ERROR(db->Exec("PRAGMA page_size = 16384"));
  VIGIL_ASSIGN_OR_RETURN(std::string mode, db->QueryText("PRAGMA journal_mode = WAL"));
  if (mode != "wal" && mode != "memory") {
    return FailedPrecondition("database '" + path + "' cannot use WAL mode (got " + mode + ")");
  }
  // NORMAL is durable against application crashes in WAL mode; a power cut may lose the
  // last commits but never corrupts the file.
  VIGIL_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = NORMAL"));
  VIGIL_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys = ON"));
  // The bank schema, then the review schema (MigrateReviewSchema runs both).
  VIGIL_RETURN_IF_ERROR(MigrateReviewSchema(db.get()).status());
  return db;
}

}  // namespace vigil
