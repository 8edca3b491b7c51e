// The command-line face of vigil: parses argv into one of the subcommands of the table
// in app.cc and runs it over the library's services. Exceptions stop here (STYLE.md 3).
#pragma once

namespace vigil {

// Exit codes, documented in docs/cli.md. Scan and match results are bit flags so a
// script can tell "found something" from "could not read something" from both at once.
enum ExitCode : int {
  kExitOk = 0,           // done; nothing matched, every input processed
  kExitMatched = 1,      // scan/match: at least one match
  kExitInputErrors = 2,  // hash/scan: some inputs could not be read or decoded
  // 3 = kExitMatched | kExitInputErrors
  kExitFailed = 4,       // the command itself failed (no such bank, import rejected, db)
  kExitUsage = 64,       // bad command line
};

int RunVigil(int argc, char** argv);

}  // namespace vigil
