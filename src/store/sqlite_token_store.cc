#include "store/sqlite_token_store.h"

#include "store/crypto.h"
#include "store/sqlite_audit.h"
#include "store/sqlite_review_schema.h"

namespace vigil {
namespace {

constexpr std::string_view kSecretPrefix = "vgl_";
constexpr size_t kSecretRandomBytes = 32;  // 256 bits
constexpr size_t kSecretLength = 4 + 43;   // prefix + unpadded base64url of 32 bytes

// One message for every refusal, so a caller cannot tell unknown from revoked.
Status InvalidToken() { return NotFound("invalid or revoked API token"); }

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin: return "admin";
    case Role::kCurator: return "curator";
    case Role::kSubmitter: return "submitter";
    case Role::kReviewer: return "reviewer";
    case Role::kAuditor: return "auditor";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kAdmin, Role::kCurator, Role::kSubmitter, Role::kReviewer,
                 Role::kAuditor}) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

Status ValidateTokenName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 64;
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '.' || c == '@' || c == '-');
  }
  if (ok) return Status::Ok();
  return InvalidArgument("token name '" + std::string(name) +
                         "' must be 1-64 characters of A-Z a-z 0-9 _ . @ -");
}

Result<std::unique_ptr<SqliteTokenStore>> SqliteTokenStore::Open(const std::string& path,
                                                                 const Clock& clock) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, OpenVigilDatabase(path));
  return std::unique_ptr<SqliteTokenStore>(new SqliteTokenStore(std::move(db), clock));
}

Result<NewToken> SqliteTokenStore::CreateToken(std::string_view name, Role role,
                                               const Actor& by) {
  VIGIL_RETURN_IF_ERROR(ValidateTokenName(name));
  VIGIL_ASSIGN_OR_RETURN(std::string random, SecureRandomBytes(kSecretRandomBytes));
  NewToken token;
  token.secret = std::string(kSecretPrefix) + Base64Url(random);
  token.info.name = name;
  token.info.role = role;
  token.info.created_at = clock_.NowUnix();
  Sha256Digest digest = Sha256(token.secret);
  VIGIL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  VIGIL_ASSIGN_OR_RETURN(
      SqliteStatement exists,
      db_->Prepare("SELECT 1 FROM api_tokens WHERE name = ? AND revoked_at IS NULL"));
  exists.BindText(1, name);
  VIGIL_ASSIGN_OR_RETURN(bool taken, exists.Step());
  if (taken) return AlreadyExists("a live token named '" + std::string(name) + "' exists");
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement ins,
                         db_->Prepare("INSERT INTO api_tokens(name, role, secret_sha256, "
                                      "created_at) VALUES(?, ?, ?, ?)"));
  ins.BindText(1, name);
  ins.BindText(2, RoleName(role));
  ins.BindBlob(3, digest.data(), digest.size());
  ins.BindInt(4, token.info.created_at);
  VIGIL_RETURN_IF_ERROR(ins.Run());
  token.info.id = db_->LastInsertRowid();
  VIGIL_RETURN_IF_ERROR(AppendAuditEvent(
      db_.get(), token.info.created_at, by,
      {"token.create", "token", std::to_string(token.info.id),
       "{\"name\":" + JsonQuote(name) + ",\"role\":" + JsonQuote(RoleName(role)) + "}"}));
  VIGIL_RETURN_IF_ERROR(txn->Commit());
  return token;
}

Status SqliteTokenStore::RevokeToken(std::string_view name, const Actor& by) {
  const int64_t now = clock_.NowUnix();
  VIGIL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  VIGIL_ASSIGN_OR_RETURN(
      SqliteStatement find,
      db_->Prepare("SELECT id FROM api_tokens WHERE name = ? AND revoked_at IS NULL"));
  find.BindText(1, name);
  VIGIL_ASSIGN_OR_RETURN(bool found, find.Step());
  if (!found) return NotFound("no live token named '" + std::string(name) + "'");
  const int64_t id = find.Int(0);
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement up,
                         db_->Prepare("UPDATE api_tokens SET revoked_at = ? WHERE id = ?"));
  up.BindInt(1, now);
  up.BindInt(2, id);
  VIGIL_RETURN_IF_ERROR(up.Run());
  VIGIL_RETURN_IF_ERROR(AppendAuditEvent(db_.get(), now, by,
                                         {"token.revoke", "token", std::to_string(id),
                                          "{\"name\":" + JsonQuote(name) + "}"}));
  return txn->Commit();
}

Result<std::vector<TokenInfo>> SqliteTokenStore::ListTokens() {
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("SELECT id, name, role, created_at, revoked_at FROM "
                                      "api_tokens ORDER BY id"));
  std::vector<TokenInfo> tokens;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return tokens;
    TokenInfo& t = tokens.emplace_back();
    t.id = st.Int(0);
    t.name = st.Text(1);
    t.role = ParseRole(st.Text(2)).value_or(Role::kAuditor);
    t.created_at = st.Int(3);
    if (!st.IsNull(4)) t.revoked_at = st.Int(4);
  }
}

Result<Actor> SqliteTokenStore::Authenticate(std::string_view secret) {
  if (secret.size() != kSecretLength || !secret.starts_with(kSecretPrefix)) {
    return InvalidToken();
  }
  Sha256Digest digest = Sha256(secret);
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("SELECT id, name, role, secret_sha256 FROM api_tokens "
                                      "WHERE secret_sha256 = ? AND revoked_at IS NULL"));
  st.BindBlob(1, digest.data(), digest.size());
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || !ConstantTimeEqual(st.Blob(3), DigestBytes(digest))) return InvalidToken();
  std::optional<Role> role = ParseRole(st.Text(2));
  if (!role) return InvalidToken();
  return Actor{st.Int(0), std::string(st.Text(1)), *role};
}

}  // namespace vigil
