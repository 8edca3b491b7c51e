// vigil hash: prints the signals of files and folders, in the PDQ reference's CSV shape
// (hash,quality,path) so outputs can be compared with other PDQ tools line by line. A
// video's signals are lines "vpdq,<text>,path" and "tmk_pdqf,<text>,path" (the text a
// CSV field, quoted when it holds commas), as the bank CSV format spells them. With
// --trimmed, an image with a border or letterbox adds a line
// "trimmed,<hash>,<quality>,<x>,<y>,<width>,<height>,path" (with --dihedral its 8 hashes),
// a letterboxed video "vpdq_trimmed,<text>,path"; --json always carries them when found.
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "api/uploads.h"
#include "cli/app.h"
#include "cli/commands.h"
#include "hash/video_signal.h"
#include "match/scanner.h"
#include "store/csv.h"

namespace vigil {
namespace {

struct HashFlags {
  std::vector<std::string> paths;
  bool dihedral = false;
  bool trimmed = false;         // print the trimmed hashes in text mode
  bool no_border_trim = false;  // do not look for borders at all
  bool full_resolution = false;
  bool json = false;
  int jobs = 0;
  ContentHashOptions hashing;
};

void PrintJson(const ScanItem& item) {
  nlohmann::json j{{"path", item.path}};
  if (item.hashes) {
    j["md5"] = item.hashes->exact.md5;
    j["sha256"] = item.hashes->exact.sha256;
  }
  if (item.hashes && item.hashes->pdq) {
    j["pdq"] = item.hashes->pdq->hash.ToHex();
    j["quality"] = item.hashes->pdq->quality;
    j["width"] = item.hashes->width;
    j["height"] = item.hashes->height;
    if (!item.hashes->dihedral.empty()) j["dihedral"] = api::HexList(item.hashes->dihedral);
  }
  if (item.hashes) {
    api::AddTrimmedJson(*item.hashes, &j);
    api::AddVideoJson(*item.hashes, &j);
  }
  if (!item.error.ok()) j["error"] = api::StatusJson(item.error);
  std::cout << j.dump() << "\n";
}

void PrintPdqCsv(const std::optional<PdqResult>& pdq, const std::vector<PdqResult>& dihedral,
                 const std::string& tail);

void PrintCsv(const ScanItem& item, bool trimmed) {
  if (!item.error.ok()) {
    ReportError(item.error);
    return;
  }
  const ContentHashes& h = *item.hashes;
  if (h.pdq) PrintPdqCsv(h.pdq, h.dihedral, item.path);
  if (trimmed && h.trimmed) {
    const PixelRect& b = *h.trimmed_box;
    std::cout << "trimmed,";
    PrintPdqCsv(h.trimmed, h.trimmed_dihedral,
                fmt::format("{},{},{},{},{}", b.x, b.y, b.width, b.height, item.path));
  }
  const bool vpdq_trimmed = trimmed && h.vpdq_trimmed;
  std::string line;
  for (auto [name, text] :
       {std::pair{SignalTypeName(SignalType::kVpdq), h.vpdq ? FormatVpdqSignal(*h.vpdq) : ""},
        std::pair{std::string_view("vpdq_trimmed"),
                  vpdq_trimmed ? FormatVpdqSignal(*h.vpdq_trimmed) : ""},
        std::pair{SignalTypeName(SignalType::kTmk), h.tmk ? FormatTmkSignal(*h.tmk) : ""}}) {
    if (text.empty()) continue;
    line.assign(name);
    line += ',';
    AppendCsvField(text, &line);
    std::cout << line << "," << item.path << "\n";
  }
  if (h.video && h.video->partial) {
    ReportError(Corrupt(item.path + ": damaged video, hashed the frames that decode: " +
                        h.video->damage));
  }
}

// "hash,quality,<tail>", or the 8 dihedral hashes then quality and tail.
void PrintPdqCsv(const std::optional<PdqResult>& pdq, const std::vector<PdqResult>& dihedral,
                 const std::string& tail) {
  if (dihedral.empty()) {
    std::cout << pdq->hash.ToHex();
  } else {
    for (size_t i = 0; i < dihedral.size(); ++i) {
      std::cout << (i ? "," : "") << dihedral[i].hash.ToHex();
    }
  }
  std::cout << "," << pdq->quality << "," << tail << "\n";
}

int RunHash(const HashFlags& flags) {
  auto files = ExpandPaths(flags.paths);
  if (!files.ok()) {
    ReportError(files.status());
    return kExitFailed;
  }
  ScanOptions options;
  options.jobs = flags.jobs;
  options.hashing = flags.hashing;
  options.hashing.pdq_mode = flags.full_resolution ? PdqMode::kFullResolution : PdqMode::kReference;
  options.hashing.dihedral = flags.dihedral ? DihedralHashes::kOn : DihedralHashes::kOff;
  // Borders are looked for only when the output can show the trimmed hash.
  const bool shown = flags.json || flags.trimmed;
  options.hashing.trim = shown && !flags.no_border_trim ? BorderTrim::kOn : BorderTrim::kOff;
  Scanner scanner(nullptr, options);
  ScanSummary summary = scanner.Run(*files, [&](const ScanItem& item) {
    flags.json ? PrintJson(item) : PrintCsv(item, flags.trimmed);
  });
  return summary.errors > 0 ? kExitInputErrors : kExitOk;
}

}  // namespace

void AddHashCommand(CLI::App& app, GlobalOptions& global) {
  auto flags = std::make_shared<HashFlags>();
  CLI::App* cmd = app.add_subcommand(
      "hash",
      "Print the PDQ hash and quality of images, the vPDQ and TMK+PDQF hashes of videos "
      "(and with --json MD5/SHA-256)");
  cmd->add_option("paths", flags->paths, "Files or folders (recursive)")->required();
  cmd->add_flag("--dihedral", flags->dihedral, "Print all 8 rotation/mirror hashes");
  cmd->add_flag("--trimmed", flags->trimmed,
                "Also print the hash of the picture inside a detected border or letterbox "
                "(a 'trimmed,...' or 'vpdq_trimmed,...' line; --json always includes it)");
  cmd->add_flag("--no-border-trim", flags->no_border_trim,
                "Do not look for borders (no 'trimmed' in --json)");
  cmd->add_flag("--full-resolution", flags->full_resolution,
                "Skip the reference's 512x512 pre-resize (HMA's Python hashes)");
  cmd->add_flag("--json", flags->json, "One JSON object per file, with MD5 and SHA-256");
  cmd->add_option("-j,--jobs", flags->jobs, "Worker threads (0 = one per core)");
  AddDecodeLimitFlags(cmd, &flags->hashing.limits);
  AddVideoFlags(cmd, &flags->hashing);
  cmd->callback([flags, &global] { global.exit_code = RunHash(*flags); });
}

}  // namespace vigil
