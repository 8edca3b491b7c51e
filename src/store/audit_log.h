// The audit log: one append-only event per change (bank edits, imports, tokens, settings,
// cases, decisions, appeals), written by the stores in the SAME transaction as the change,
// so a change and its record commit or vanish together.
//
// Events are hash-chained: each row stores hash = SHA-256(previous row's hash || its own
// canonical fields) (format in docs/schema.md), and the newest id and hash are kept in a
// one-row head table. Verify() recomputes the chain and names the first event that does
// not fit, so an edited, inserted or deleted row (the last one included) is found. The
// chain has no secret: someone with write access who knows the format can rebuild it, so
// operators who need more copy the head hash that `vigil audit verify` prints somewhere
// vigil cannot write (docs/schema.md, "Audit chain").
//
// Events name staff (token id, name, role), never uploaders; details are small JSON
// objects of ids and names, never secrets or content.
//
// Thread-safety: one object per thread, like the other stores.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/token_store.h"
#include "util/clock.h"
#include "util/status.h"

namespace vigil {

// What a change appends; the store adds id, time, actor and hash.
struct AuditRecord {
  std::string action;       // "bank.create", "signal.add", "case.decide", "token.create", ...
  std::string object_type;  // "bank", "signal", "case", "appeal", "token", "setting", ...
  std::string object_id;    // the object's id or name, as text
  std::string detail = "{}";  // a small JSON object: before/after values and related ids
};

struct AuditEvent {
  int64_t id = 0;  // 1, 2, 3, ... with no gaps
  int64_t at = 0;  // unix seconds
  Actor actor;
  AuditRecord record;
  std::string hash_hex;  // this row's chain hash
};

struct AuditVerifyReport {
  bool ok = true;
  int64_t events = 0;                   // rows checked
  std::optional<int64_t> first_bad_id;  // the first event that breaks the chain
  std::string problem;                  // what is wrong with it, for a person
  std::string head_hash_hex;            // the newest hash when ok (to anchor elsewhere)
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // The newest `limit` events (newest first), or those with id < before_id.
  virtual Result<std::vector<AuditEvent>> List(size_t limit,
                                               std::optional<int64_t> before_id) = 0;
  // Recomputes the whole chain. Errors are only for a database that cannot be read; a
  // broken chain is an OK Result whose report has ok == false.
  virtual Result<AuditVerifyReport> Verify() = 0;
};

class SqliteAuditLog : public AuditLog {
 public:
  static Result<std::unique_ptr<SqliteAuditLog>> Open(const std::string& path);
  ~SqliteAuditLog() override;

  Result<std::vector<AuditEvent>> List(size_t limit, std::optional<int64_t> before_id) override;
  Result<AuditVerifyReport> Verify() override;

 private:
  struct Impl;
  explicit SqliteAuditLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil
