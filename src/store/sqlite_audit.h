// Appending to the audit log from inside a store's transaction (private to store/). The
// caller has begun a write transaction (SqliteTransaction); the event commits with it.
#pragma once

#include "store/audit_log.h"
#include "store/sqlite_db.h"

namespace vigil {

// Appends one event with the next id, chained to the current head. Must run inside the
// caller's write transaction, which serialises appenders.
Status AppendAuditEvent(SqliteDb* db, int64_t at, const Actor& actor, const AuditRecord& record);

// Escapes `text` as a JSON string literal, quotes included, for small audit details.
std::string JsonQuote(std::string_view text);

}  // namespace vigil
