// vigil audit list|verify: read the audit log and check its hash chain (store/audit_log.h).
#include <iostream>

#include <fmt/format.h>

#include "cli/app.h"
#include "cli/commands.h"
#include "store/audit_log.h"
#include "store/unix_time.h"

namespace vigil {
namespace {

struct AuditFlags {
  size_t limit = 50;
};

int List(AuditLog& log, const AuditFlags& f) {
  auto events = log.List(f.limit, std::nullopt);
  if (!events.ok()) return ReportError(events.status()), kExitFailed;
  for (const AuditEvent& e : *events) {
    std::cout << fmt::format("{:>8} {} {}#{}({}) {} {}:{} {}\n", e.id, FormatIsoTime(e.at),
                             e.actor.name, e.actor.token_id, RoleName(e.actor.role),
                             e.record.action, e.record.object_type, e.record.object_id,
                             e.record.detail);
  }
  return kExitOk;
}

int Verify(AuditLog& log) {
  auto report = log.Verify();
  if (!report.ok()) return ReportError(report.status()), kExitFailed;
  if (!report->ok) {
    std::cerr << "vigil: audit chain broken at event " << report->first_bad_id.value_or(0)
              << ": " << report->problem << "\n";
    return kExitFailed;
  }
  std::cout << "audit chain intact: " << report->events << " events, head "
            << (report->head_hash_hex.empty() ? "-" : report->head_hash_hex) << "\n";
  return kExitOk;
}

template <typename Fn>
CLI::App* AddVerb(CLI::App* parent, GlobalOptions& global, std::shared_ptr<AuditFlags> flags,
                  const char* verb, const char* help, Fn run) {
  CLI::App* cmd = parent->add_subcommand(verb, help);
  cmd->callback([flags, &global, run] {
    auto log = SqliteAuditLog::Open(global.db);
    if (!log.ok()) {
      ReportError(log.status());
      global.exit_code = kExitFailed;
      return;
    }
    global.exit_code = run(**log, *flags);
  });
  return cmd;
}

}  // namespace

void AddAuditCommand(CLI::App& app, GlobalOptions& global) {
  auto f = std::make_shared<AuditFlags>();
  CLI::App* audit = app.add_subcommand("audit", "Read and verify the audit log");
  audit->require_subcommand(1);
  AddVerb(audit, global, f, "list", "The newest events, newest first", List)
      ->add_option("--limit", f->limit, "How many events")
      ->capture_default_str();
  AddVerb(audit, global, f, "verify",
          "Recompute the hash chain; names the first edited, inserted or deleted event",
          [](AuditLog& log, const AuditFlags&) { return Verify(log); });
}

}  // namespace vigil
