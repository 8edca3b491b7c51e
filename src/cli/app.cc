#include "cli/app.h"

#include <iostream>

#include "cli/commands.h"
#include "store/sqlite_bank_store.h"

namespace vigil {
namespace {

using AddCommandFn = void (*)(CLI::App&, GlobalOptions&);

// Every subcommand, in the order `vigil --help` lists them.
constexpr AddCommandFn kCommands[] = {
    AddHashCommand,
    AddScanCommand,
    AddMatchCommand,
    AddBankCommand,
    AddTokenCommand,
    AddAuditCommand,
    AddServeCommand,
};

int Run(int argc, char** argv) {
  CLI::App app{"vigil: find known terrorist content by hash matching (PDQ, MD5, SHA-256)",
               "vigil"};
  app.set_version_flag("--version", "vigil 0.1.0");
  app.require_subcommand(1);
  GlobalOptions global;
  app.add_option("--db", global.db, "SQLite database file")
      ->capture_default_str()
      ->envname("VIGIL_DB");
  for (AddCommandFn add : kCommands) add(app, global);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return global.exit_code;
}

}  // namespace

std::string FormatLabels(const std::vector<std::string>& labels) {
  std::string out;
  for (const std::string& l : labels) out += (out.empty() ? "" : ";") + l;
  return out;
}

void ReportError(const Status& status) { std::cerr << "vigil: " << status.message() << "\n"; }

std::unique_ptr<BankStore> OpenStoreOrReport(const GlobalOptions& options) {
  auto store = SqliteBankStore::Open(options.db);
  if (!store.ok()) {
    ReportError(store.status());
    return nullptr;
  }
  return std::move(store).value();
}

void AddDecodeLimitFlags(CLI::App* cmd, DecodeLimits* limits) {
  cmd->add_option("--max-bytes", limits->max_bytes, "Largest input file, bytes")
      ->capture_default_str();
  cmd->add_option("--max-pixels", limits->max_pixels, "Largest image, width x height")
      ->capture_default_str();
  cmd->add_option("--decode-timeout", limits->max_seconds, "Longest decode of one file, seconds")
      ->capture_default_str();
}

int RunVigil(int argc, char** argv) {
  // The one place exceptions are caught: a bug or allocation failure becomes an exit code
  // and a message, never an abort with a half-written output.
  try {
    Status init = InitMedia();
    if (!init.ok()) {
      ReportError(init);
      return kExitFailed;
    }
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "vigil: internal error: " << e.what() << "\n";
    return kExitFailed;
  }
}

}  // namespace vigil
