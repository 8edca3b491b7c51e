// vigil serve: the HTTP service on the SQLite database (api/server.h).
#include <csignal>
#include <iostream>

#include "actions/webhook_dispatcher.h"
#include "api/review_api.h"
#include "api/server.h"
#include "cli/app.h"
#include "cli/commands.h"
#include "store/sqlite_bank_store.h"
#include "store/sqlite_review_store.h"
#include "store/sqlite_token_store.h"

namespace vigil {
namespace {

struct ServeFlags {
  api::ServerOptions server;
  api::ApiOptions api;
  int token_cache_ms = 2000;
  int decode_wait_ms = 30000;
};

api::Server* g_server = nullptr;  // for the signal handler only

// Each HTTP thread authenticates on its own token-store connection (SQLite connections
// are not shared between threads).
api::Authenticator MakeAuthenticator(std::string db) {
  return [db](std::string_view secret) -> Result<Actor> {
    thread_local std::string open_path;
    thread_local std::unique_ptr<SqliteTokenStore> tokens;
    if (!tokens || open_path != db) {
      VIGIL_ASSIGN_OR_RETURN(tokens, SqliteTokenStore::Open(db));
      open_path = db;
    }
    return tokens->Authenticate(secret);
  };
}

int RunServe(const GlobalOptions& global, const ServeFlags& f) {
  std::string db = global.db;
  auto opener = [db]() -> Result<std::unique_ptr<BankStore>> {
    VIGIL_ASSIGN_OR_RETURN(auto store, SqliteBankStore::Open(db));
    return std::unique_ptr<BankStore>(std::move(store));
  };
  auto first = opener();
  if (!first.ok()) return ReportError(first.status()), kExitFailed;
  auto matches = MatchService::Load(**first, MatcherOptions{});
  if (!matches.ok()) return ReportError(matches.status()), kExitFailed;
  auto ctx = std::make_unique<api::ApiContext>(opener, std::move(matches).value(),
                                               MakeAuthenticator(db), f.api);
  // Webhooks go out from their own connection and thread, so a slow platform endpoint
  // never holds up a request.
  auto outbox = SqliteReviewStore::Open(db);
  if (!outbox.ok()) return ReportError(outbox.status()), kExitFailed;
  WebhookDispatcher webhooks(std::move(outbox).value(), SystemClock::Get());
  api::Server server(f.server, std::move(ctx), api::ReviewApi::ForSqlite(db));
  auto port = server.Bind();
  if (!port.ok()) return ReportError(port.status()), kExitFailed;
  webhooks.Start();
  std::cerr << "vigil: serving http://" << f.server.host << ":" << *port << " (database "
            << db << ", " << server.context().matches->pdq_count() << " PDQ signals); reviewer UI at "
            << "http://" << f.server.host << ":" << *port << "/ui/\n";
  g_server = &server;
  std::signal(SIGINT, [](int) { g_server->Stop(); });
  std::signal(SIGTERM, [](int) { g_server->Stop(); });
  Status s = server.Serve();
  g_server = nullptr;
  webhooks.Stop();
  if (!s.ok()) return ReportError(s), kExitFailed;
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, GlobalOptions& global) {
  auto f = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the HTTP API (docs/api.md)");
  cmd->add_option("--host", f->server.host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", f->server.port, "Port (0 = any free port)")->capture_default_str();
  cmd->add_option("--media-dir", f->server.media_dir,
                  "Serve this folder's files to reviewers at /media/<name> (the demo's content URLs)");
  cmd->add_option("--threads", f->server.threads, "HTTP workers, one per open connection (0 = max(128, 8 per core))");
  cmd->add_option("--max-body-bytes", f->api.max_body_bytes, "Largest request body")
      ->capture_default_str();
  cmd->add_option("--max-import-bytes", f->api.max_import_bytes,
                  "Largest bank import body (streamed, not held in memory)")
      ->capture_default_str();
  cmd->add_option("--max-concurrent-decodes", f->api.max_concurrent_decodes,
                  "Image uploads decoded at once (0 = one per core, plus one)");
  cmd->add_option("--max-concurrent-video-decodes", f->api.max_concurrent_video_decodes,
                  "Video and GIF uploads decoded at once, in slots of their own so long videos "
                  "do not hold up images (0 = half the cores, at least one)");
  cmd->add_option("--decode-wait-ms", f->decode_wait_ms,
                  "How long an upload waits for a decode worker before the answer is 503")
      ->capture_default_str()
      ->check(CLI::Range(1, 600'000));
  cmd->add_option("--token-cache-ms", f->token_cache_ms,
                  "How long a checked API token is trusted before the database is read again; "
                  "a revoke through the API applies at once, one by `vigil token revoke` within this (0 = read every request)")
      ->capture_default_str()
      ->check(CLI::Range(0, 60'000));
  AddDecodeLimitFlags(cmd, &f->api.hashing.limits);
  AddVideoFlags(cmd, &f->api.hashing);
  AddQueryVariantFlags(cmd, &f->api.hashing);
  cmd->callback([f, &global] {
    f->api.token_cache_ttl = std::chrono::milliseconds(f->token_cache_ms);
    f->api.decode_wait = std::chrono::milliseconds(f->decode_wait_ms);
    global.exit_code = RunServe(global, *f);
  });
}

}  // namespace vigil
