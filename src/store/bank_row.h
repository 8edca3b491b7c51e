// BankRow: one validated row of a bank import, and the per-field rules that fill it. The
// CSV and JSON Lines readers (bank_format.h) share these rules, so both formats accept the
// same values and give the same error messages; the SQLite and PostgreSQL stores share the
// row. Nothing here touches a database.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hash/signal_type.h"
#include "store/bank_store.h"
#include "util/status.h"

namespace vigil {

// The bank format's columns (CSV header names, JSON Lines keys), in processing order:
// signal_type comes first because the signal and quality rules depend on it.
enum class BankColumn { kSignalType, kSignal, kQuality, kLabels, kSource, kAddedAt,
                        kOpinion, kDisabled };
inline constexpr int kBankColumnCount = 8;
std::string_view BankColumnName(BankColumn c);
std::optional<BankColumn> ParseBankColumnName(std::string_view name);
// "signal_type, signal, labels, quality, source, added_at, opinion, disabled".
std::string_view KnownBankColumns();

// A readers reuses one BankRow for every row, so its strings keep their capacity and a
// row costs no allocation.
struct BankRow {
  SignalType type = SignalType::kPdq;
  // The database key: the signal's raw bytes (pdq, md5, sha256), or for a video signal
  // (vpdq, tmk_pdqf) the SHA-256 of its canonical text, which `body` holds.
  std::array<uint8_t, 32> value{};
  size_t value_size = 0;            // 16 for md5, 32 for every other type
  std::string body;                 // video signals' canonical text; "" otherwise
  std::string labels;               // validated labels joined by ';', "" for none
  std::optional<int> quality;
  std::optional<std::string_view> source;  // views the reader's buffer until the next row
  std::optional<int64_t> added_at;
  Opinion opinion = Opinion::kNone;
  bool disabled = false;

  void Reset();
};

// Raw key bytes of a signal of `type`: 16 for md5, 32 otherwise (for video signals the
// SHA-256 of the text).
size_t SignalByteSize(SignalType type);
// Decodes exactly 2*SignalByteSize(type) hex digits (either case) into out.
bool DecodeSignalHex(SignalType type, std::string_view text, uint8_t* out);
// Lowercase hex, the canonical form CanonicalSignal gives.
std::string EncodeSignalHex(const uint8_t* bytes, size_t size);

// Labels: each 1..128 bytes, no ';' (the separator inside a CSV field and in the
// database) and no control characters. Text form: "a;b;c", surrounding spaces and empty
// parts dropped.
inline constexpr size_t kMaxLabelBytes = 128;
Status CheckLabel(std::string_view label);
// Validates and normalises a ';'-separated labels text into `out`.
Status NormaliseLabelsText(std::string_view text, std::string* out);
Result<std::string> JoinLabels(const std::vector<std::string>& labels);
std::vector<std::string> SplitLabels(std::string_view joined);

// The field rules. Each sets its field of `row` or returns an error whose message names
// the field and quotes the value. Text forms are the CSV spelling; "" means "not given".
Status ApplySignalType(std::string_view text, BankRow* row);
Status ApplySignal(std::string_view text, BankRow* row);  // after ApplySignalType
Status ApplyQualityText(std::string_view text, BankRow* row);
Status ApplyQuality(int64_t quality, std::string_view shown, BankRow* row);
Status ApplyAddedAtText(std::string_view text, BankRow* row);
Status ApplyOpinionText(std::string_view text, BankRow* row);
Status ApplyDisabledText(std::string_view text, BankRow* row);

// Quotes a user value for an error message, cut to 80 bytes: 'value'.
std::string QuoteValue(std::string_view value);

}  // namespace vigil
