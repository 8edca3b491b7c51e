// vigil hash: prints the signals of files and folders, in the PDQ reference's CSV shape
// (hash,quality,path) so outputs can be compared with other PDQ tools line by line. A
// video's signals are lines "vpdq,<text>,path" and "tmk_pdqf,<text>,path" (the text a
// CSV field, quoted when it holds commas), as the bank CSV format spells them.
#include <iostream>

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
    if (!item.hashes->dihedral.empty()) {
      nlohmann::json all = nlohmann::json::array();
      for (const PdqResult& r : item.hashes->dihedral) all.push_back(r.hash.ToHex());
      j["dihedral"] = all;
    }
  }
  if (item.hashes) api::AddVideoJson(*item.hashes, &j);
  if (!item.error.ok()) j["error"] = api::StatusJson(item.error);
  std::cout << j.dump() << "\n";
}

void PrintPdqCsv(const ContentHashes& h, const std::string& path);

void PrintCsv(const ScanItem& item) {
  if (!item.error.ok()) {
    ReportError(item.error);
    return;
  }
  const ContentHashes& h = *item.hashes;
  if (h.pdq) PrintPdqCsv(h, item.path);
  std::string line;
  for (auto [type, text] : {std::pair{SignalType::kVpdq, h.vpdq ? FormatVpdqSignal(*h.vpdq) : ""},
                            std::pair{SignalType::kTmk, h.tmk ? FormatTmkSignal(*h.tmk) : ""}}) {
    if (text.empty()) continue;
    line.assign(SignalTypeName(type));
    line += ',';
    AppendCsvField(text, &line);
    std::cout << line << "," << item.path << "\n";
  }
  if (h.video && h.video->partial) {
    ReportError(Corrupt(item.path + ": damaged video, hashed the frames that decode: " +
                        h.video->damage));
  }
}

void PrintPdqCsv(const ContentHashes& h, const std::string& path) {
  if (h.dihedral.empty()) {
    std::cout << h.pdq->hash.ToHex();
  } else {
    for (size_t i = 0; i < h.dihedral.size(); ++i) {
      std::cout << (i ? "," : "") << h.dihedral[i].hash.ToHex();
    }
  }
  std::cout << "," << h.pdq->quality << "," << path << "\n";
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
  Scanner scanner(nullptr, options);
  ScanSummary summary = scanner.Run(*files, [&](const ScanItem& item) {
    flags.json ? PrintJson(item) : PrintCsv(item);
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
  cmd->add_flag("--full-resolution", flags->full_resolution,
                "Skip the reference's 512x512 pre-resize (HMA's Python hashes)");
  cmd->add_flag("--json", flags->json, "One JSON object per file, with MD5 and SHA-256");
  cmd->add_option("-j,--jobs", flags->jobs, "Worker threads (0 = one per core)");
  AddDecodeLimitFlags(cmd, &flags->hashing.limits);
  AddVideoFlags(cmd, &flags->hashing);
  cmd->callback([flags, &global] { global.exit_code = RunHash(*flags); });
}

}  // namespace vigil
