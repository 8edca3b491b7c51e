// vigil bank create|list|show|delete|import|add|export: bank administration over BankStore.
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cli/app.h"
#include "cli/commands.h"
#include "content/bank_media.h"
#include "store/bank_format.h"
#include "store/bank_row.h"

namespace vigil {
namespace {

struct BankFlags {
  std::string name;
  std::string description;
  std::vector<std::string> labels;
  bool disabled = false;
  std::string file;  // import input / export output; "-" = stdin/stdout
  std::string format;  // csv | jsonl; empty = from the file name
  std::string source;
  // bank add
  std::vector<std::string> files;
  std::string labels_text;  // "a;b"
  std::string crops = "none";
  bool full_resolution = false;
  ContentHashOptions hashing;
};

Result<BankFormat> ChooseFormat(const BankFlags& f) {
  std::string fmt = f.format;
  if (fmt.empty()) fmt = f.file.ends_with(".jsonl") || f.file.ends_with(".ndjson") ? "jsonl" : "csv";
  if (fmt == "csv") return BankFormat::kCsv;
  if (fmt == "jsonl" || fmt == "json") return BankFormat::kJsonLines;
  return InvalidArgument("unknown format '" + fmt + "' (csv or jsonl)");
}

int Create(BankStore& store, const BankFlags& f) {
  auto bank = store.CreateBank(BankSpec{f.name, f.description, !f.disabled, f.labels});
  if (!bank.ok()) return ReportError(bank.status()), kExitFailed;
  std::cout << "created bank " << bank->name << "\n";
  return kExitOk;
}

int List(BankStore& store) {
  auto banks = store.ListBanks();
  if (!banks.ok()) return ReportError(banks.status()), kExitFailed;
  std::cout << fmt::format("{:<24} {:>8} {:>12} {}\n", "NAME", "ENABLED", "SIGNALS", "LABELS");
  for (const Bank& b : *banks) {
    std::cout << fmt::format("{:<24} {:>8} {:>12} {}\n", b.name, b.enabled ? "yes" : "no",
                             b.signal_count, FormatLabels(b.labels));
  }
  return kExitOk;
}

int Show(BankStore& store, const BankFlags& f) {
  auto b = store.GetBank(f.name);
  if (!b.ok()) return ReportError(b.status()), kExitFailed;
  std::cout << "name:        " << b->name << "\n"
            << "description: " << b->description << "\n"
            << "enabled:     " << (b->enabled ? "yes" : "no") << "\n"
            << "labels:      " << FormatLabels(b->labels) << "\n"
            << "signals:     " << b->signal_count << " (" << b->enabled_signal_count
            << " enabled)\n";
  return kExitOk;
}

int Delete(BankStore& store, const BankFlags& f) {
  Status s = store.DeleteBank(f.name);
  if (!s.ok()) return ReportError(s), kExitFailed;
  std::cout << "deleted bank " << f.name << "\n";
  return kExitOk;
}

void PrintImportReport(const ImportReport& r, const std::string& file) {
  for (const RowError& e : r.errors) {
    std::cerr << file << ":" << e.line << ": " << e.message << "\n";
  }
  if (r.rows_invalid > r.errors.size()) {
    std::cerr << "... and " << (r.rows_invalid - r.errors.size()) << " more bad rows\n";
  }
  std::cerr << fmt::format("{}: {} rows read, {} imported, {} duplicates, {} invalid{}\n", file,
                           r.rows_read, r.rows_inserted, r.rows_duplicate, r.rows_invalid,
                           r.committed ? "" : " - nothing imported");
}

int Import(BankStore& store, const BankFlags& f) {
  auto format = ChooseFormat(f);
  if (!format.ok()) return ReportError(format.status()), kExitUsage;
  std::ifstream file;
  if (f.file != "-") {
    file.open(f.file, std::ios::binary);
    if (!file) return ReportError(NotFound(f.file + ": cannot open")), kExitFailed;
  }
  ImportOptions options{*format, f.source.empty() ? f.file : f.source};
  auto report = store.Import(f.name, f.file == "-" ? std::cin : file, options);
  if (!report.ok()) return ReportError(report.status().WithContext(f.file)), kExitFailed;
  PrintImportReport(*report, f.file);
  return report->committed ? kExitOk : kExitFailed;
}

// One row of a `bank add` import, for naming it if the import refuses it.
struct AddedRow {
  size_t entry = 0;  // index into the entries
  std::string what;  // "pdq", "pdq#crop=c90"
};

std::string RowName(const MediaSignal& s) {
  return std::string(SignalTypeName(s.type)) + (s.crop.empty() ? "" : CropSourceSuffix(s.crop));
}

// Each entry's rows as JSON Lines: one row per line whatever the source text holds, so an
// import error's line number names its file and row.
std::string AddRowsText(const std::vector<MediaBankEntry>& entries, const BankFlags& f,
                        const std::vector<std::string>& labels, std::vector<AddedRow>* rows) {
  std::ostringstream text;
  auto writer = BankRowWriter::Create(BankFormat::kJsonLines, text);
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  for (size_t i = 0; i < entries.size(); ++i) {
    for (const MediaSignal& m : entries[i].signals) {
      Signal s;
      s.type = m.type;
      s.value = m.value;
      s.quality = m.quality;
      s.labels = labels;
      s.added_at = now;
      s.source = (f.source.empty() ? entries[i].path : f.source) +
                 (m.crop.empty() ? "" : CropSourceSuffix(m.crop));
      writer->Write(s);
      rows->push_back({i, RowName(m)});
    }
  }
  return std::move(text).str();
}

// What one file added (when the import committed), its notes, or why it added nothing.
void PrintEntry(const MediaBankEntry& e, bool committed) {
  if (!e.error.ok()) {
    ReportError(e.error);
    std::cerr << e.path << ": not added\n";
    return;
  }
  for (const std::string& note : e.notes) std::cerr << e.path << ": " << note << "\n";
  if (!committed) return;
  std::string own, crops;
  for (const MediaSignal& s : e.signals) {
    std::string& list = s.crop.empty() ? own : crops;
    list +=
        (list.empty() ? "" : " ") + (s.crop.empty() ? std::string(SignalTypeName(s.type)) : s.crop);
  }
  std::cout << "added " << e.path << ": " << own << (crops.empty() ? "" : ", crops " + crops)
            << "\n";
}

// An import error names the file and row it came from (line N is row N of AddRowsText).
void PrintRowErrors(const ImportReport& report, const std::vector<MediaBankEntry>& entries,
                    const std::vector<AddedRow>& rows) {
  for (const RowError& e : report.errors) {
    if (e.line < 1 || e.line > rows.size()) {
      std::cerr << "row " << e.line << ": " << e.message << "\n";
      continue;
    }
    const AddedRow& row = rows[e.line - 1];
    std::cerr << entries[row.entry].path << ": " << row.what << ": " << e.message << "\n";
  }
}

// Checks the flags before any file is decoded: the crop set and the labels.
Result<std::vector<std::string>> CheckAddFlags(const BankFlags& f, std::vector<CropSpec>* crops) {
  Result<std::vector<CropSpec>> parsed = ParseCropSet(f.crops);
  if (!parsed.ok()) return parsed.status().WithContext("--crops");
  *crops = std::move(parsed).value();
  std::string joined;
  VIGIL_RETURN_IF_ERROR(NormaliseLabelsText(f.labels_text, &joined).WithContext("--labels"));
  return SplitLabels(joined);
}

int AddMedia(BankStore& store, const BankFlags& f) {
  std::vector<CropSpec> crops;
  auto labels = CheckAddFlags(f, &crops);
  if (!labels.ok()) return ReportError(labels.status()), kExitUsage;
  if (auto bank = store.GetBank(f.name); !bank.ok()) return ReportError(bank.status()), kExitFailed;
  MediaBankOptions options{f.hashing, crops};
  options.hashing.pdq_mode = f.full_resolution ? PdqMode::kFullResolution : PdqMode::kReference;
  MediaBankBuilder builder(options);
  std::vector<MediaBankEntry> entries;
  size_t failed = 0;
  for (const std::string& path : f.files) {
    entries.push_back(builder.Build(path));
    failed += entries.back().error.ok() ? 0 : 1;
  }
  std::vector<AddedRow> rows;
  std::istringstream text(AddRowsText(entries, f, *labels, &rows));
  ImportOptions import{BankFormat::kJsonLines, f.source.empty() ? "vigil bank add" : f.source};
  // No rows (every file failed): no import, so the audit log records no empty change.
  Result<ImportReport> report = ImportReport{.committed = true};
  if (!rows.empty()) report = store.Import(f.name, text, import);
  if (!report.ok()) return ReportError(report.status()), kExitFailed;
  for (const MediaBankEntry& e : entries) PrintEntry(e, report->committed);
  PrintRowErrors(*report, entries, rows);
  std::cerr << fmt::format(
      "bank {}: {} files, {} added, {} not added; {} rows: {} new, {} already in "
      "the bank{}\n",
      f.name, entries.size(), entries.size() - failed, failed, report->rows_read,
      report->rows_inserted, report->rows_duplicate,
      report->committed ? "" : " - import rejected, nothing added");
  if (!report->committed) return kExitFailed;
  return failed > 0 ? kExitInputErrors : kExitOk;
}

int Export(BankStore& store, const BankFlags& f) {
  auto format = ChooseFormat(f);
  if (!format.ok()) return ReportError(format.status()), kExitUsage;
  if (f.file == "-") {
    Status s = store.Export(f.name, std::cout, *format);
    return s.ok() ? kExitOk : (ReportError(s), kExitFailed);
  }
  // Written beside the target and renamed, so a failed export never leaves half a file.
  std::string tmp = f.file + ".partial";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  Status s = out ? store.Export(f.name, out, *format) : IoError(tmp + ": cannot create");
  out.close();
  if (s.ok() && !out) s = IoError(tmp + ": write failed");
  if (s.ok() && std::rename(tmp.c_str(), f.file.c_str()) != 0) s = IoError(f.file + ": rename failed");
  if (!s.ok()) {
    std::remove(tmp.c_str());
    return ReportError(s), kExitFailed;
  }
  return kExitOk;
}

// Registers one `vigil bank <verb>`; `run` gets the open store and the flags.
template <typename Fn>
CLI::App* AddVerb(CLI::App* bank, GlobalOptions& global, std::shared_ptr<BankFlags> flags,
                  const char* verb, const char* help, Fn run) {
  CLI::App* cmd = bank->add_subcommand(verb, help);
  cmd->callback([flags, &global, run] {
    auto store = OpenStoreOrReport(global);
    global.exit_code = store ? run(*store, *flags) : kExitFailed;
  });
  return cmd;
}

}  // namespace

void AddBankCommand(CLI::App& app, GlobalOptions& global) {
  auto f = std::make_shared<BankFlags>();
  CLI::App* bank = app.add_subcommand("bank", "Manage banks (hash lists)");
  bank->require_subcommand(1);
  CLI::App* c = AddVerb(bank, global, f, "create", "Create a bank", Create);
  c->add_option("name", f->name, "Bank name ([A-Za-z0-9_.-], up to 64)")->required();
  c->add_option("-d,--description", f->description, "What the bank holds");
  c->add_option("-l,--label", f->labels, "Label for every signal (repeatable)");
  c->add_flag("--disabled", f->disabled, "Create it disabled for matching");
  AddVerb(bank, global, f, "list", "List banks", [](BankStore& s, const BankFlags&) { return List(s); });
  AddVerb(bank, global, f, "show", "Show one bank", Show)->add_option("name", f->name)->required();
  AddVerb(bank, global, f, "delete", "Delete a bank and its signals", Delete)
      ->add_option("name", f->name)->required();
  CLI::App* i = AddVerb(bank, global, f, "import", "Import CSV or JSON Lines (all or nothing)", Import);
  i->add_option("name", f->name)->required();
  i->add_option("file", f->file, "Input file, or - for stdin")->required();
  i->add_option("--format", f->format, "csv or jsonl (default: from the file name)");
  i->add_option("--source", f->source, "Provenance for rows without a source column");
  CLI::App* a =
      AddVerb(bank, global, f, "add",
              "Hash image and video files into a bank (all files' rows in one import)", AddMedia);
  a->add_option("name", f->name)->required();
  a->add_option("files", f->files, "Image or video files")->required();
  a->add_option("--labels", f->labels_text, "Labels for every row, separated by ';'");
  a->add_option("--source", f->source, "Provenance for every row (default: the file's path)");
  a->add_option("--crops", f->crops,
                "PDQ crop variants per image: none, default (" + FormatCropSet(DefaultCropSet()) +
                    "), full (default plus tl, tr, bl, br at 97, 95, ..., 85: 33 variants) "
                    "or a list like c95,c90,tl90")
      ->capture_default_str();
  a->add_flag("--full-resolution", f->full_resolution,
              "Hash without the reference's 512x512 pre-resize (as the scans that will match)");
  AddDecodeLimitFlags(a, &f->hashing.limits);
  AddVideoFlags(a, &f->hashing);
  CLI::App* e = AddVerb(bank, global, f, "export", "Export a bank as CSV or JSON Lines", Export);
  e->add_option("name", f->name)->required();
  e->add_option("-o,--output", f->file, "Output file, or - for stdout")->capture_default_str();
  e->add_option("--format", f->format, "csv or jsonl (default: from the file name)");
  f->file = "-";
}

}  // namespace vigil
