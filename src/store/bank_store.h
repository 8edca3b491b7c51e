// BankStore: the storage interface for banks and their signals. SQLite implements it now
// (sqlite_bank_store.h); PostgreSQL will implement the same interface for scale-out.
// Nothing above store/ writes SQL. All methods return errors as values.
//
// Thread-safety: an implementation object may be used from one thread at a time; open one
// store per thread (SQLite in WAL mode allows concurrent readers across connections).
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "hash/signal_type.h"
#include "store/token_store.h"
#include "util/status.h"

namespace vigil {

enum class Opinion { kNone, kConfirmed, kDisputed };
std::string_view OpinionName(Opinion o);          // "", "confirmed", "disputed"
std::optional<Opinion> ParseOpinion(std::string_view text);

// Checks a bank name against [A-Za-z0-9_.-]{1,64}; the error quotes the name.
Status ValidateBankName(std::string_view name);

struct BankSpec {
  std::string name;  // [A-Za-z0-9_.-]{1,64}; unique
  std::string description;
  bool enabled = true;
  std::vector<std::string> labels;
};

struct Bank {
  int64_t id = 0;
  std::string name;
  std::string description;
  bool enabled = true;
  std::vector<std::string> labels;
  int64_t created_at = 0;        // unix seconds
  int64_t signal_count = 0;      // all signals, disabled ones included
  int64_t enabled_signal_count = 0;
};

struct Signal {
  int64_t id = 0;  // unique across banks; the id the index reports
  int64_t bank_id = 0;
  SignalType type = SignalType::kPdq;
  std::string value;  // canonical form (CanonicalSignal)
  std::vector<std::string> labels;
  std::string source;          // provenance, e.g. "gifct", "tat", a file name
  int64_t added_at = 0;        // unix seconds
  bool disabled = false;
  Opinion opinion = Opinion::kNone;
  std::optional<int> quality;  // PDQ quality when the source gave one
};

enum class BankFormat { kCsv, kJsonLines };

struct ImportOptions {
  BankFormat format = BankFormat::kCsv;
  std::string source;          // default provenance for rows without a source column
  size_t max_reported_errors = 1000;  // every bad row is counted; this many are kept
};

struct RowError {
  uint64_t line = 0;  // 1-based line number in the input
  std::string message;  // says which field was wrong and why
};

struct ImportReport {
  uint64_t rows_read = 0;      // data rows (header excluded)
  uint64_t rows_inserted = 0;  // new signals
  uint64_t rows_duplicate = 0; // already in the bank (or repeated in the input): skipped
  uint64_t rows_invalid = 0;   // bad rows; when > 0 nothing was imported
  std::vector<RowError> errors;  // the first max_reported_errors bad rows
  bool committed = false;
};

class BankStore {
 public:
  virtual ~BankStore() = default;

  virtual Result<Bank> CreateBank(const BankSpec& spec) = 0;
  virtual Result<std::vector<Bank>> ListBanks() = 0;
  virtual Result<Bank> GetBank(std::string_view name) = 0;
  // Deletes the bank and all its signals.
  virtual Status DeleteBank(std::string_view name) = 0;

  // Adds one signal (value canonicalised and validated); kAlreadyExists if the bank has it.
  virtual Result<Signal> AddSignal(std::string_view bank, const Signal& signal) = 0;
  virtual Result<Signal> GetSignal(int64_t id) = 0;
  virtual Status SetSignalDisabled(int64_t id, bool disabled) = 0;
  virtual Status SetSignalOpinion(int64_t id, Opinion opinion) = 0;
  virtual Status RemoveSignal(int64_t id) = 0;

  // Streams `in` into `bank` in one transaction: all rows or none. Every bad row is
  // counted and reported with its line number; if any row is bad nothing is committed and
  // the returned report has committed == false (the Status is still OK: the report is the
  // answer). A Status error means the import could not run at all (no such bank, I/O).
  virtual Result<ImportReport> Import(std::string_view bank, std::istream& in,
                                      const ImportOptions& options) = 0;
  virtual Status Export(std::string_view bank, std::ostream& out, BankFormat format) = 0;
  // One page of an export read in pieces (paged_export.h): up to `max_rows` signals of
  // `bank` with ids above `after_id`, in id order; empty after the last. Each call is its
  // own short read, so a slow reader of many pages holds no transaction open between them.
  virtual Result<std::vector<Signal>> ListSignalsPage(std::string_view bank, int64_t after_id,
                                                      size_t max_rows) = 0;

  // Calls `fn` for every signal of `type` that is matchable: its bank is enabled, the
  // signal is not disabled. Streams; never holds all signals. Used to build indexes.
  virtual Status ForEachMatchableSignal(SignalType type,
                                        const std::function<void(const Signal&)>& fn) = 0;

  // Who the audit log (audit_log.h) records as making this object's later changes; the
  // HTTP server sets it per request on a pooled store. Until set: Actor{0, "cli", admin}.
  // Not pure, so stores without an audit log (test fakes) need not care.
  virtual void SetActor(const Actor& actor) { (void)actor; }
};

}  // namespace vigil
