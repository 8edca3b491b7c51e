// SqliteTokenStore: the TokenStore on the shared SQLite file (table api_tokens, see
// docs/schema.md). Secrets are "vgl_" + base64url of 32 bytes from OpenSSL's RAND_bytes;
// only their SHA-256 is stored. Creating and revoking are audited in the same transaction.
//
// Authenticate looks the digest up by its unique index and then compares it with
// CRYPTO_memcmp: the timing of the lookup depends only on the SHA-256 of the presented
// secret, which tells an attacker nothing about any stored secret.
//
// Thread-safety: one object per thread (it owns one connection).
#pragma once

#include <memory>
#include <string>

#include "store/sqlite_db.h"
#include "store/token_store.h"
#include "util/clock.h"

namespace vigil {

class SqliteTokenStore : public TokenStore {
 public:
  // Opens (and migrates) the database at `path`. `clock` must outlive the store.
  static Result<std::unique_ptr<SqliteTokenStore>> Open(
      const std::string& path, const Clock& clock = SystemClock::Get());

  Result<NewToken> CreateToken(std::string_view name, Role role, const Actor& by) override;
  Status RevokeToken(std::string_view name, const Actor& by) override;
  Result<std::vector<TokenInfo>> ListTokens() override;
  Result<Actor> Authenticate(std::string_view secret) override;

 private:
  SqliteTokenStore(std::unique_ptr<SqliteDb> db, const Clock& clock)
      : db_(std::move(db)), clock_(clock) {}

  std::unique_ptr<SqliteDb> db_;
  const Clock& clock_;
};

// Token names identify staff or integrations: [A-Za-z0-9_.@-]{1,64}.
Status ValidateTokenName(std::string_view name);

}  // namespace vigil
