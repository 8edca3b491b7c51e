// TokenStore: bearer API tokens and their roles. A token's secret is shown once, when it
// is created; only its SHA-256 is stored, so a copy of the database grants nothing.
// Token names identify moderators and integrations (staff), never uploaders.
//
// Thread-safety: like BankStore, one object per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace vigil {

// What a token may do; each HTTP endpoint names the roles it accepts (admin always).
enum class Role {
  kAdmin,      // everything, incl. tokens, settings, verified banks
  kCurator,    // banks and signals
  kSubmitter,  // hash, match, scan (the platform's upload path)
  kReviewer,   // cases: review, decide, appeals
  kAuditor,    // read the audit log and reports
};

std::string_view RoleName(Role role);  // "admin", "curator", ...
std::optional<Role> ParseRole(std::string_view name);

// Who did something: recorded in the audit log and on decisions.
struct Actor {
  int64_t token_id = 0;  // 0 for the local CLI and the system itself
  std::string name;      // the token's name, "cli" or "system"
  Role role = Role::kAdmin;
};

struct TokenInfo {
  int64_t id = 0;
  std::string name;  // unique among live tokens
  Role role = Role::kReviewer;
  int64_t created_at = 0;
  std::optional<int64_t> revoked_at;
};

struct NewToken {
  TokenInfo info;
  std::string secret;  // "vgl_" + 43 base64url characters (256 random bits); shown once
};

class TokenStore {
 public:
  virtual ~TokenStore() = default;
  // kAlreadyExists if a live token has the name. Audited.
  virtual Result<NewToken> CreateToken(std::string_view name, Role role, const Actor& by) = 0;
  // kNotFound if no live token has the name. Audited.
  virtual Status RevokeToken(std::string_view name, const Actor& by) = 0;
  virtual Result<std::vector<TokenInfo>> ListTokens() = 0;
  // The actor a presented secret belongs to; kNotFound (one message for unknown and
  // revoked, so a caller learns nothing) otherwise. Constant-time in the secret's bytes.
  virtual Result<Actor> Authenticate(std::string_view secret) = 0;
};

}  // namespace vigil
