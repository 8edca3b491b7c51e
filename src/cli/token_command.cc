// vigil token create|revoke|list: API tokens for the HTTP service (store/token_store.h).
// The CLI acts as Actor{0, "cli", admin}: whoever can run it can already open the file.
#include <iostream>

#include <fmt/format.h>

#include "cli/app.h"
#include "cli/commands.h"
#include "store/sqlite_token_store.h"
#include "store/unix_time.h"

namespace vigil {
namespace {

const Actor kCliActor{0, "cli", Role::kAdmin};

struct TokenFlags {
  std::string name;
  std::string role;
};

int Create(TokenStore& store, const TokenFlags& f) {
  std::optional<Role> role = ParseRole(f.role);
  if (!role) {
    ReportError(InvalidArgument("unknown role '" + f.role +
                                "' (admin, curator, submitter, reviewer or auditor)"));
    return kExitUsage;
  }
  auto token = store.CreateToken(f.name, *role, kCliActor);
  if (!token.ok()) return ReportError(token.status()), kExitFailed;
  // The secret goes to stdout alone so `$(vigil token create ...)` captures just it.
  std::cerr << "created token '" << token->info.name << "' (role " << RoleName(*role)
            << "); the secret is shown once:\n";
  std::cout << token->secret << "\n";
  return kExitOk;
}

int Revoke(TokenStore& store, const TokenFlags& f) {
  Status s = store.RevokeToken(f.name, kCliActor);
  if (!s.ok()) return ReportError(s), kExitFailed;
  std::cout << "revoked token " << f.name << "\n";
  return kExitOk;
}

int List(TokenStore& store) {
  auto tokens = store.ListTokens();
  if (!tokens.ok()) return ReportError(tokens.status()), kExitFailed;
  std::cout << fmt::format("{:>6} {:<24} {:<10} {:<21} {}\n", "ID", "NAME", "ROLE", "CREATED",
                           "REVOKED");
  for (const TokenInfo& t : *tokens) {
    std::cout << fmt::format("{:>6} {:<24} {:<10} {:<21} {}\n", t.id, t.name, RoleName(t.role),
                             FormatIsoTime(t.created_at),
                             t.revoked_at ? FormatIsoTime(*t.revoked_at) : "-");
  }
  return kExitOk;
}

template <typename Fn>
CLI::App* AddVerb(CLI::App* parent, GlobalOptions& global, std::shared_ptr<TokenFlags> flags,
                  const char* verb, const char* help, Fn run) {
  CLI::App* cmd = parent->add_subcommand(verb, help);
  cmd->callback([flags, &global, run] {
    auto store = SqliteTokenStore::Open(global.db);
    if (!store.ok()) {
      ReportError(store.status());
      global.exit_code = kExitFailed;
      return;
    }
    global.exit_code = run(**store, *flags);
  });
  return cmd;
}

}  // namespace

void AddTokenCommand(CLI::App& app, GlobalOptions& global) {
  auto f = std::make_shared<TokenFlags>();
  CLI::App* token = app.add_subcommand("token", "Manage API tokens for `vigil serve`");
  token->require_subcommand(1);
  CLI::App* c = AddVerb(token, global, f, "create", "Create a token; prints its secret once",
                        Create);
  c->add_option("--name", f->name, "Who or what uses it (staff or integration, not a user)")
      ->required();
  c->add_option("--role", f->role, "admin, curator, submitter, reviewer or auditor")->required();
  AddVerb(token, global, f, "revoke", "Revoke a live token by name", Revoke)
      ->add_option("name", f->name)
      ->required();
  AddVerb(token, global, f, "list", "List tokens (never their secrets)",
          [](TokenStore& s, const TokenFlags&) { return List(s); });
}

}  // namespace vigil
