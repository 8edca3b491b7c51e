#include "cli/app.h"

#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "match/matcher.h"
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

void AddVideoFlags(CLI::App* cmd, ContentHashOptions* options) {
  VideoLimits& v = options->video_limits;
  cmd->add_option("--seconds-per-hash", options->vpdq_seconds_per_hash,
                  "vPDQ: hash a video frame every this many seconds (0 = every frame)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag_callback("--no-tmk", [options] { options->tmk = TmkHashing::kOff; },
                         "Skip TMK+PDQF for videos (one decode instead of two)");
  cmd->add_option("--video-max-bytes", v.max_bytes, "Largest video file, bytes")
      ->capture_default_str();
  cmd->add_option("--video-max-duration", v.max_duration_seconds, "Longest video, seconds")
      ->capture_default_str();
  cmd->add_option("--video-max-pixels", v.max_pixels, "Largest video frame, width x height")
      ->capture_default_str();
  cmd->add_option("--video-max-frames", v.max_frames, "Most frames one video may have")
      ->capture_default_str();
  cmd->add_option("--video-timeout", v.max_seconds,
                  "Longest decode of one video, seconds (per hasher: vPDQ, then TMK)")
      ->capture_default_str();
}

void AddQueryVariantFlags(CLI::App* cmd, ContentHashOptions* options) {
  cmd->add_flag_callback("--no-dihedral", [options] { options->dihedral = DihedralHashes::kOff; },
                         "Match images only as uploaded, not also rotated or mirrored");
  cmd->add_flag_callback("--no-border-trim", [options] { options->trim = BorderTrim::kOff; },
                         "Do not also match the picture inside a detected border or letterbox");
}

std::string FormatVariantWord(const MatchHit& hit) {
  if (hit.variant == 0) return "";
  return fmt::format(" variant={}", MatchVariantName(hit.variant));
}

std::string FormatVideoHit(const MatchHit& hit) {
  if (hit.type == SignalType::kTmk) {
    return fmt::format("level1={:.3f} level2={:.3f}", hit.tmk.level1, hit.tmk.level2);
  }
  std::string segments;
  for (const VideoSegment& s : hit.vpdq.segments) {
    segments += fmt::format("{}{:.1f}-{:.1f}>{:.1f}-{:.1f}", segments.empty() ? "" : ",",
                            s.query_start_s, s.query_end_s, s.bank_start_s, s.bank_end_s);
  }
  return fmt::format("query={:.1f}% bank={:.1f}% segments={}", hit.vpdq.query_percent,
                     hit.vpdq.bank_percent, segments);
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
