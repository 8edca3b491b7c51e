#include "store/bank_row.h"

#include <charconv>

#include "hash/hash256.h"
#include "store/crypto.h"
#include "store/unix_time.h"

namespace vigil {
namespace {

constexpr std::string_view kColumnNames[kBankColumnCount] = {
    "signal_type", "signal", "quality", "labels", "source", "added_at", "opinion", "disabled"};

// Hex digit values, -1 for every other byte: one load per digit on the import hot path.
constexpr std::array<int8_t, 256> kHexValue = [] {
  std::array<int8_t, 256> t{};
  t.fill(-1);
  for (int i = 0; i < 10; ++i) t['0' + i] = static_cast<int8_t>(i);
  for (int i = 0; i < 6; ++i) t['a' + i] = t['A' + i] = static_cast<int8_t>(10 + i);
  return t;
}();

int HexNibble(char c) { return kHexValue[static_cast<unsigned char>(c)]; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view BankColumnName(BankColumn c) { return kColumnNames[static_cast<int>(c)]; }

std::optional<BankColumn> ParseBankColumnName(std::string_view name) {
  for (int i = 0; i < kBankColumnCount; ++i) {
    if (kColumnNames[i] == name) return static_cast<BankColumn>(i);
  }
  return std::nullopt;
}

std::string_view KnownBankColumns() {
  return "signal_type, signal, labels, quality, source, added_at, opinion, disabled";
}

void BankRow::Reset() {
  labels.clear();
  body.clear();
  quality.reset();
  source.reset();
  added_at.reset();
  opinion = Opinion::kNone;
  disabled = false;
}

size_t SignalByteSize(SignalType type) { return type == SignalType::kMd5 ? 16 : 32; }

bool DecodeSignalHex(SignalType type, std::string_view text, uint8_t* out) {
  size_t n = SignalByteSize(type);
  if (text.size() != 2 * n) return false;
  for (size_t i = 0; i < n; ++i) {
    int hi = HexNibble(text[2 * i]), lo = HexNibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

std::string EncodeSignalHex(const uint8_t* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * size, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

std::string QuoteValue(std::string_view value) {
  // Built by appends: GCC 12's -Wrestrict misfires on "'" + std::string(...) chains.
  std::string out(1, '\'');
  out.append(value.substr(0, 80));
  if (value.size() > 80) out.append("...");
  out.push_back('\'');
  return out;
}

Status CheckLabel(std::string_view label) {
  if (label.empty()) return InvalidArgument("labels: a label is empty");
  if (label.size() > kMaxLabelBytes) {
    return InvalidArgument("labels: label " + QuoteValue(label) + " is longer than 128 bytes");
  }
  if (label.front() == ' ' || label.back() == ' ') {
    return InvalidArgument("labels: label " + QuoteValue(label) +
                           " starts or ends with a space");
  }
  for (unsigned char c : label) {
    if (c == ';') return InvalidArgument("labels: label " + QuoteValue(label) + " contains ';'");
    if (c < 0x20 || c == 0x7f) {
      return InvalidArgument("labels: label " + QuoteValue(label) +
                             " contains a control character");
    }
  }
  return Status::Ok();
}

Status NormaliseLabelsText(std::string_view text, std::string* out) {
  out->clear();
  while (!text.empty()) {
    size_t semi = text.find(';');
    std::string_view part = Trim(text.substr(0, semi));
    text = semi == std::string_view::npos ? std::string_view() : text.substr(semi + 1);
    if (part.empty()) continue;
    VIGIL_RETURN_IF_ERROR(CheckLabel(part));
    if (!out->empty()) out->push_back(';');
    out->append(part);
  }
  return Status::Ok();
}

Result<std::string> JoinLabels(const std::vector<std::string>& labels) {
  std::string out;
  for (const std::string& label : labels) {
    VIGIL_RETURN_IF_ERROR(CheckLabel(label));
    if (!out.empty()) out.push_back(';');
    out += label;
  }
  return out;
}

std::vector<std::string> SplitLabels(std::string_view joined) {
  std::vector<std::string> out;
  while (!joined.empty()) {
    size_t semi = joined.find(';');
    out.emplace_back(joined.substr(0, semi));
    if (semi == std::string_view::npos) break;
    joined.remove_prefix(semi + 1);
  }
  return out;
}

Status ApplySignalType(std::string_view text, BankRow* row) {
  std::optional<SignalType> type = ParseSignalTypeName(text);
  if (!type) {
    return InvalidArgument("signal_type must be one of " + std::string(KnownSignalTypeNames()) +
                           ", got " + QuoteValue(text));
  }
  row->type = *type;
  return Status::Ok();
}

// The fast path decodes directly; only a bad value pays for CanonicalSignal, which owns
// the rule and its wording (both accept exactly the type's hex length, either case).
Status ApplySignal(std::string_view text, BankRow* row) {
  row->value_size = SignalByteSize(row->type);
  if (IsVideoSignalType(row->type)) {
    Result<std::string> canonical = CanonicalSignal(row->type, text);
    if (!canonical.ok()) return canonical.status().WithContext("signal");
    row->body = std::move(*canonical);
    row->value = Sha256(row->body);
    return Status::Ok();
  }
  if (DecodeSignalHex(row->type, text, row->value.data())) return Status::Ok();
  Result<std::string> canonical = CanonicalSignal(row->type, text);
  if (canonical.ok()) return Internal("signal: decoder and CanonicalSignal disagree");
  return canonical.status().WithContext("signal");
}

Status ApplyQuality(int64_t quality, std::string_view shown, BankRow* row) {
  if (quality < 0 || quality > 100) {
    return InvalidArgument("quality must be an integer from 0 to 100, got " + std::string(shown));
  }
  if (row->type == SignalType::kPdq && quality < kPdqMinQuality) {
    return InvalidArgument("quality " + std::to_string(quality) +
                           " is below 50: PDQ hashes this weak are not matched");
  }
  row->quality = static_cast<int>(quality);
  return Status::Ok();
}

Status ApplyQualityText(std::string_view text, BankRow* row) {
  if (text.empty()) return Status::Ok();
  int64_t v = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) v = -1;
  return ApplyQuality(v, QuoteValue(text), row);
}

Status ApplyAddedAtText(std::string_view text, BankRow* row) {
  if (text.empty()) return Status::Ok();
  std::optional<int64_t> t = ParseUnixOrIsoTime(text);
  if (!t) {
    return InvalidArgument(
        "added_at must be unix seconds or an ISO-8601 UTC time like 2024-05-01T12:00:00Z, "
        "got " + QuoteValue(text));
  }
  row->added_at = *t;
  return Status::Ok();
}

Status ApplyOpinionText(std::string_view text, BankRow* row) {
  std::optional<Opinion> o = ParseOpinion(text);
  if (!o) {
    return InvalidArgument("opinion must be confirmed, disputed or empty, got " +
                           QuoteValue(text));
  }
  row->opinion = *o;
  return Status::Ok();
}

Status ApplyDisabledText(std::string_view text, BankRow* row) {
  if (text.empty() || text == "false" || text == "0") {
    row->disabled = false;
  } else if (text == "true" || text == "1") {
    row->disabled = true;
  } else {
    return InvalidArgument("disabled must be true, false, 1, 0 or empty, got " +
                           QuoteValue(text));
  }
  return Status::Ok();
}

}  // namespace vigil
