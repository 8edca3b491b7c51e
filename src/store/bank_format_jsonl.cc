// The JSON Lines bank format: one JSON object per line, keys as the CSV columns, labels as
// an array. nlohmann::json's exceptions are caught here and become row errors.
#include <array>
#include <string>

#include <nlohmann/json.hpp>

#include "store/bank_format.h"
#include "store/line_reader.h"
#include "store/unix_time.h"

namespace vigil {
namespace {

using nlohmann::json;

// nlohmann says "[json.exception.parse_error.101] parse error at line 1, column 5: ...";
// the line is always 1 (we parse one line), so keep from "column" on.
std::string DescribeParseError(const json::exception& e) {
  std::string_view what = e.what();
  size_t at = what.find("column ");
  if (at == std::string_view::npos) return "invalid JSON: " + std::string(what);
  return "invalid JSON at " + std::string(what.substr(at));
}

std::string Shown(const json& v) {
  std::string d = v.dump();
  return d.size() > 80 ? d.substr(0, 80) + "..." : d;
}

Status ApplyString(BankColumn c, const json& v, std::string_view* out) {
  if (!v.is_string()) {
    return InvalidArgument(std::string(BankColumnName(c)) + " must be a string, got " + Shown(v));
  }
  *out = v.get_ref<const std::string&>();
  return Status::Ok();
}

Status ApplyLabels(const json& v, BankRow* row) {
  if (v.is_null()) return Status::Ok();
  if (!v.is_array()) return InvalidArgument("labels must be an array of strings, got " + Shown(v));
  for (const json& label : v) {
    if (!label.is_string()) {
      return InvalidArgument("labels must be an array of strings, got " + Shown(v));
    }
    const std::string& text = label.get_ref<const std::string&>();
    VIGIL_RETURN_IF_ERROR(CheckLabel(text));
    if (!row->labels.empty()) row->labels.push_back(';');
    row->labels += text;
  }
  return Status::Ok();
}

Status ApplyJsonQuality(const json& v, BankRow* row) {
  if (v.is_null()) return Status::Ok();
  if (!v.is_number_integer()) return ApplyQuality(-1, Shown(v), row);
  return ApplyQuality(v.get<int64_t>(), Shown(v), row);
}

Status ApplyJsonAddedAt(const json& v, BankRow* row) {
  if (v.is_null()) return Status::Ok();
  if (v.is_number_unsigned()) {
    row->added_at = static_cast<int64_t>(v.get<uint64_t>());
    return Status::Ok();
  }
  if (v.is_string()) return ApplyAddedAtText(v.get_ref<const std::string&>(), row);
  return InvalidArgument(
      "added_at must be unix seconds or an ISO-8601 UTC time like 2024-05-01T12:00:00Z, got " +
      Shown(v));
}

Status ApplyJsonDisabled(const json& v, BankRow* row) {
  if (v.is_null()) return Status::Ok();
  if (!v.is_boolean()) return InvalidArgument("disabled must be true or false, got " + Shown(v));
  row->disabled = v.get<bool>();
  return Status::Ok();
}

// Applies the object's fields in BankColumn order.
Status FillFromObject(const json& obj, BankRow* row, std::string_view* source_buf) {
  std::array<const json*, kBankColumnCount> by_column{};
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    std::optional<BankColumn> c = ParseBankColumnName(it.key());
    if (!c) {
      return InvalidArgument("unknown field " + QuoteValue(it.key()) +
                             "; known fields: " + std::string(KnownBankColumns()));
    }
    by_column[static_cast<int>(*c)] = &*it;
  }
  for (BankColumn required : {BankColumn::kSignalType, BankColumn::kSignal}) {
    if (!by_column[static_cast<int>(required)]) {
      return InvalidArgument("missing required field '" +
                             std::string(BankColumnName(required)) + "'");
    }
  }
  static const json kNull;
  auto field = [&](BankColumn c) -> const json& {
    const json* v = by_column[static_cast<int>(c)];
    return v ? *v : kNull;
  };
  std::string_view text;
  VIGIL_RETURN_IF_ERROR(ApplyString(BankColumn::kSignalType, field(BankColumn::kSignalType), &text));
  VIGIL_RETURN_IF_ERROR(ApplySignalType(text, row));
  VIGIL_RETURN_IF_ERROR(ApplyString(BankColumn::kSignal, field(BankColumn::kSignal), &text));
  VIGIL_RETURN_IF_ERROR(ApplySignal(text, row));
  VIGIL_RETURN_IF_ERROR(ApplyJsonQuality(field(BankColumn::kQuality), row));
  VIGIL_RETURN_IF_ERROR(ApplyLabels(field(BankColumn::kLabels), row));
  const json& source = field(BankColumn::kSource);
  if (!source.is_null()) {
    VIGIL_RETURN_IF_ERROR(ApplyString(BankColumn::kSource, source, source_buf));
    if (!source_buf->empty()) row->source = *source_buf;
  }
  VIGIL_RETURN_IF_ERROR(ApplyJsonAddedAt(field(BankColumn::kAddedAt), row));
  const json& opinion = field(BankColumn::kOpinion);
  if (!opinion.is_null()) {
    VIGIL_RETURN_IF_ERROR(ApplyString(BankColumn::kOpinion, opinion, &text));
    VIGIL_RETURN_IF_ERROR(ApplyOpinionText(text, row));
  }
  return ApplyJsonDisabled(field(BankColumn::kDisabled), row);
}

class JsonLinesBankRowReader : public BankRowReader {
 public:
  explicit JsonLinesBankRowReader(std::istream& in) : lines_(in) {}

  Outcome Next(BankRow* row, RowError* error) override {
    LineReader::Outcome o;
    do {
      o = lines_.Next(&line_);
      if (o == LineReader::Outcome::kEnd) return Outcome::kEnd;
    } while (o == LineReader::Outcome::kLine &&
             line_.find_first_not_of(" \t") == std::string::npos);
    error->line = lines_.line_number();
    if (o == LineReader::Outcome::kTooLong) {
      error->message = "the line is longer than 1 MiB";
      return Outcome::kBadRow;
    }
    row->Reset();
    Status s = Parse(row);
    if (s.ok()) return Outcome::kRow;
    error->message = s.message();
    return Outcome::kBadRow;
  }

 private:
  Status Parse(BankRow* row) {
    try {
      object_ = json::parse(line_);
    } catch (const json::exception& e) {
      return InvalidArgument(DescribeParseError(e));
    }
    if (!object_.is_object()) {
      return InvalidArgument("a line must be a JSON object, got " + std::string(object_.type_name()));
    }
    std::string_view source;
    return FillFromObject(object_, row, &source);  // source views object_, kept until next row
  }

  LineReader lines_;
  std::string line_;
  json object_;
};

class JsonLinesBankRowWriter : public BankRowWriter {
 public:
  explicit JsonLinesBankRowWriter(std::ostream& out) : out_(out) {}

  void Write(const Signal& s) override {
    nlohmann::ordered_json o;
    o["signal_type"] = SignalTypeName(s.type);
    o["signal"] = s.value;
    o["labels"] = s.labels;
    o["quality"] = s.quality ? nlohmann::ordered_json(*s.quality) : nlohmann::ordered_json();
    o["source"] = s.source;
    o["added_at"] = FormatIsoTime(s.added_at);
    o["opinion"] = OpinionName(s.opinion);
    o["disabled"] = s.disabled;
    // Replace invalid UTF-8 rather than throw: a source string came from some user's file.
    line_ = o.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    line_ += '\n';
    out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
  }

 private:
  std::ostream& out_;
  std::string line_;
};

}  // namespace

std::unique_ptr<BankRowReader> NewJsonLinesBankRowReader(std::istream& in) {
  return std::make_unique<JsonLinesBankRowReader>(in);
}

std::unique_ptr<BankRowWriter> NewJsonLinesBankRowWriter(std::ostream& out) {
  return std::make_unique<JsonLinesBankRowWriter>(out);
}

}  // namespace vigil
