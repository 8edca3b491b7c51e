// The subcommands, each registered on the CLI11 app by one function; app.cc lists them
// in one table. Commands return an ExitCode through `*exit_code`.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

#include "content/content_hasher.h"
#include "media/image_decoder.h"
#include "store/bank_store.h"

namespace vigil {

struct GlobalOptions {
  std::string db = "vigil.db";
  int exit_code = 0;
};

// Limits shared by every command that decodes media, with their flags.
void AddDecodeLimitFlags(CLI::App* cmd, DecodeLimits* limits);
// Video hashing and its limits (vigil hash, vigil scan): --seconds-per-hash, --no-tmk,
// --video-max-bytes, --video-max-duration, --video-max-pixels, --video-max-frames,
// --video-timeout. Sets the video fields of `options`.
void AddVideoFlags(CLI::App* cmd, ContentHashOptions* options);
// The query variants of matching (vigil scan, vigil serve): --no-dihedral (only the image
// as uploaded, not its 8 rotations/mirrors) and --no-border-trim (no extra hash of the
// picture inside a detected border or letterbox, for images and vPDQ).
void AddQueryVariantFlags(CLI::App* cmd, ContentHashOptions* options);
// " variant=<name>" for a hit through a query variant (MatchVariantName), "" for variant 0:
// the word `vigil scan` puts before labels= in its text output.
std::string FormatVariantWord(const struct MatchHit& hit);
// A video hit's details as one word of `vigil scan`'s text output (docs/cli.md):
// "query=93.1% bank=100.0% segments=0.0-12.0>0.0-12.0,..." or "level1=0.981 level2=0.962".
std::string FormatVideoHit(const struct MatchHit& hit);
// Opens the SQLite store at options.db, printing the error on failure.
std::unique_ptr<BankStore> OpenStoreOrReport(const GlobalOptions& options);
// Labels as the CLI prints them: "a;b;c" (the separator of the CSV labels column).
std::string FormatLabels(const std::vector<std::string>& labels);
// Prints "vigil: <status>" to stderr.
void ReportError(const Status& status);

void AddHashCommand(CLI::App& app, GlobalOptions& global);
void AddBankCommand(CLI::App& app, GlobalOptions& global);
void AddMatchCommand(CLI::App& app, GlobalOptions& global);
void AddScanCommand(CLI::App& app, GlobalOptions& global);
void AddTokenCommand(CLI::App& app, GlobalOptions& global);
void AddAuditCommand(CLI::App& app, GlobalOptions& global);
void AddServeCommand(CLI::App& app, GlobalOptions& global);

}  // namespace vigil
