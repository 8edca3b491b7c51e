// vigil scan and vigil match: look files, or one given signal, up in the banks.
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "match/scanner.h"

namespace vigil {
namespace {

struct ScanFlags {
  std::vector<std::string> paths;
  std::vector<std::string> banks;
  int distance = kPdqMatchDistance;
  bool json = false;
  bool full_resolution = false;
  bool no_progress = false;
  int jobs = 0;
  ContentHashOptions hashing;
  std::string signal;       // vigil match
  std::string signal_type;  // vigil match; empty = from the length
};

// A video signal's text (up to ~0.9 MB) is not repeated per match: its id names it.
nlohmann::json MatchJson(const MatchReport& m) {
  nlohmann::json j = {{"bank", m.bank},           {"signal_id", m.hit.signal_id},
                      {"signal_type", SignalTypeName(m.hit.type)},
                      {"distance", m.hit.distance}, {"labels", m.labels},
                      {"opinion", OpinionName(m.opinion)}};
  // Which query hash matched: a rotation, the picture inside a border (matcher.h).
  if (m.hit.type == SignalType::kPdq || m.hit.type == SignalType::kVpdq) {
    j["variant"] = MatchVariantName(m.hit.variant);
  }
  if (!IsVideoSignalType(m.hit.type)) j["signal"] = m.value;
  if (m.hit.type == SignalType::kVpdq) {
    nlohmann::json segments = nlohmann::json::array();
    for (const VideoSegment& s : m.hit.vpdq.segments) {
      segments.push_back({{"query_start_s", s.query_start_s}, {"query_end_s", s.query_end_s},
                          {"bank_start_s", s.bank_start_s}, {"bank_end_s", s.bank_end_s}});
    }
    j["query_percent"] = m.hit.vpdq.query_percent;
    j["bank_percent"] = m.hit.vpdq.bank_percent;
    j["segments"] = segments;
  } else if (m.hit.type == SignalType::kTmk) {
    j["level1"] = m.hit.tmk.level1;
    j["level2"] = m.hit.tmk.level2;
  }
  return j;
}

void PrintMatches(const std::string& path, const std::vector<MatchReport>& matches, bool json) {
  if (json) {
    nlohmann::json all = nlohmann::json::array();
    for (const MatchReport& m : matches) all.push_back(MatchJson(m));
    std::cout << nlohmann::json{{"path", path}, {"matches", all}}.dump() << "\n";
    return;
  }
  for (const MatchReport& m : matches) {
    if (IsVideoSignalType(m.hit.type)) {
      std::cout << fmt::format("MATCH {} bank={} {}=#{} {}{} labels={}\n", path, m.bank,
                               SignalTypeName(m.hit.type), m.hit.signal_id, FormatVideoHit(m.hit),
                               FormatVariantWord(m.hit), FormatLabels(m.labels));
      continue;
    }
    std::cout << fmt::format("MATCH {} bank={} {}={} distance={}{} labels={}\n", path, m.bank,
                             SignalTypeName(m.hit.type), m.value, m.hit.distance,
                             FormatVariantWord(m.hit), FormatLabels(m.labels));
  }
}

Result<std::unique_ptr<Matcher>> LoadMatcher(BankStore& store, const ScanFlags& f) {
  if (f.distance < 0 || f.distance > 63) {
    return InvalidArgument("--distance must be 0..63, got " + std::to_string(f.distance));
  }
  return Matcher::Load(store, MatcherOptions{f.banks, f.distance});
}

// Prints one scanned file; returns false if describing its matches failed (store error).
bool ReportItem(BankStore& store, const Matcher& matcher, const ScanItem& item, bool json) {
  if (!item.error.ok()) ReportError(item.error);
  if (item.hits.empty()) return true;
  auto reports = matcher.Describe(store, item.hits);
  if (!reports.ok()) return ReportError(reports.status()), false;
  PrintMatches(item.path, *reports, json);
  return true;
}

int RunScan(BankStore& store, const ScanFlags& f) {
  auto matcher = LoadMatcher(store, f);
  if (!matcher.ok()) return ReportError(matcher.status()), kExitFailed;
  auto files = ExpandPaths(f.paths);
  if (!files.ok()) return ReportError(files.status()), kExitFailed;
  ScanOptions options{f.jobs, f.hashing};
  options.hashing.pdq_mode = f.full_resolution ? PdqMode::kFullResolution : PdqMode::kReference;
  ProgressBar progress(files->size(), f.no_progress ? ProgressDisplay::kOff : ProgressDisplay::kAuto);
  size_t done = 0, matched = 0, errors = 0;
  bool store_ok = true;
  Scanner scanner(matcher->get(), options);
  ScanSummary s = scanner.Run(*files, [&](const ScanItem& item) {
    store_ok = ReportItem(store, **matcher, item, f.json) && store_ok;
    matched += item.hits.empty() ? 0 : 1;
    errors += item.error.ok() ? 0 : 1;
    progress.Update(++done, matched, errors);
  });
  progress.Finish();
  std::cerr << fmt::format(
      "scanned {} files in {:.2f} s ({:.1f} files/s): {} matched ({} matches), {} errors; "
      "{} PDQ, {} exact and {} video signals loaded\n",
      s.files, s.elapsed.count(), s.elapsed.count() > 0 ? s.files / s.elapsed.count() : 0.0,
      s.matched_files, s.hits, s.errors, (*matcher)->pdq_count(), (*matcher)->exact_count(),
      (*matcher)->video_count());
  if (!store_ok) return kExitFailed;
  return (s.matched_files ? kExitMatched : 0) | (s.errors ? kExitInputErrors : 0);
}

Result<SignalType> GuessType(const ScanFlags& f) {
  if (!f.signal_type.empty()) {
    auto t = ParseSignalTypeName(f.signal_type);
    if (!t) {
      return InvalidArgument("unknown signal type '" + f.signal_type + "' (" +
                             std::string(KnownSignalTypeNames()) + ")");
    }
    return *t;
  }
  return f.signal.size() == 32 ? SignalType::kMd5 : SignalType::kPdq;
}

int RunMatch(BankStore& store, const ScanFlags& f) {
  auto type = GuessType(f);
  if (!type.ok()) return ReportError(type.status()), kExitUsage;
  auto value = CanonicalSignal(*type, f.signal);
  if (!value.ok()) return ReportError(value.status().WithContext("signal")), kExitUsage;
  auto matcher = LoadMatcher(store, f);
  if (!matcher.ok()) return ReportError(matcher.status()), kExitFailed;
  std::vector<MatchHit> hits = (*matcher)->MatchSignal(*type, *value);
  // A 64-digit value without --type could be either; SHA-256 is tried when PDQ finds none.
  if (hits.empty() && f.signal_type.empty() && *type == SignalType::kPdq) {
    hits = (*matcher)->MatchSignal(SignalType::kSha256, *value);
  }
  auto reports = (*matcher)->Describe(store, hits);
  if (!reports.ok()) return ReportError(reports.status()), kExitFailed;
  // A video signal is too long to repeat as the "path" of each match line.
  PrintMatches(IsVideoSignalType(*type) ? std::string(SignalTypeName(*type)) : *value, *reports,
               f.json);
  return hits.empty() ? kExitOk : kExitMatched;
}

void AddCommonFlags(CLI::App* cmd, ScanFlags* f) {
  cmd->add_option("-b,--bank", f->banks, "Match only these banks (repeatable; default all enabled)");
  cmd->add_option("--distance", f->distance, "PDQ match distance, 0..63")->capture_default_str();
  cmd->add_flag("--json", f->json, "One JSON object per matched file");
}

}  // namespace

void AddScanCommand(CLI::App& app, GlobalOptions& global) {
  auto f = std::make_shared<ScanFlags>();
  CLI::App* cmd = app.add_subcommand("scan", "Hash files and folders and match them against banks");
  cmd->add_option("paths", f->paths, "Files or folders (recursive)")->required();
  AddCommonFlags(cmd, f.get());
  cmd->add_flag("--full-resolution", f->full_resolution, "Hash without the 512x512 pre-resize");
  cmd->add_option("-j,--jobs", f->jobs, "Worker threads (0 = one per core)");
  cmd->add_flag("--no-progress", f->no_progress, "No progress bar even on a terminal");
  AddDecodeLimitFlags(cmd, &f->hashing.limits);
  AddVideoFlags(cmd, &f->hashing);
  AddQueryVariantFlags(cmd, &f->hashing);
  cmd->callback([f, &global] {
    auto store = OpenStoreOrReport(global);
    global.exit_code = store ? RunScan(*store, *f) : kExitFailed;
  });
}

void AddMatchCommand(CLI::App& app, GlobalOptions& global) {
  auto f = std::make_shared<ScanFlags>();
  CLI::App* cmd = app.add_subcommand("match", "Look one hash up in the banks");
  cmd->add_option("signal", f->signal, "A PDQ hash (64 hex), MD5 (32 hex) or SHA-256 (64 hex)")
      ->required();
  cmd->add_option("-t,--type", f->signal_type, "pdq, md5 or sha256 (default: from the length)");
  AddCommonFlags(cmd, f.get());
  cmd->callback([f, &global] {
    auto store = OpenStoreOrReport(global);
    global.exit_code = store ? RunMatch(*store, *f) : kExitFailed;
  });
}

}  // namespace vigil
