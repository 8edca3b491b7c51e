// The CSV bank format: header row, RFC 4180 records (csv.h), one row per record.
#include <array>
#include <string>
#include <vector>

#include "store/bank_format.h"
#include "store/csv.h"
#include "store/unix_time.h"

namespace vigil {
namespace {

class CsvBankRowReader : public BankRowReader {
 public:
  explicit CsvBankRowReader(std::istream& in) : records_(in) {}

  Outcome Next(BankRow* row, RowError* error) override {
    if (!header_read_) {
      Outcome o = ReadHeader(error);
      if (o != Outcome::kRow) return o;
      header_read_ = true;
    }
    CsvRecordReader::Outcome r = records_.Next(&fields_, &error->message);
    error->line = records_.record_line();
    if (r == CsvRecordReader::Outcome::kEnd) return Outcome::kEnd;
    if (r == CsvRecordReader::Outcome::kBadRecord) return Outcome::kBadRow;
    if (fields_.size() != column_of_field_.size()) {
      error->message = "expected " + std::to_string(column_of_field_.size()) +
                       " fields as in the header, got " + std::to_string(fields_.size());
      return Outcome::kBadRow;
    }
    Status s = Fill(row);
    if (s.ok()) return Outcome::kRow;
    error->message = s.message();
    return Outcome::kBadRow;
  }

 private:
  // Maps header names to columns. Returns kRow when the header is good.
  Outcome ReadHeader(RowError* error) {
    CsvRecordReader::Outcome r = records_.Next(&fields_, &error->message);
    error->line = records_.record_line();
    if (r == CsvRecordReader::Outcome::kEnd) return Outcome::kEnd;
    if (r == CsvRecordReader::Outcome::kBadRecord) return Outcome::kBadHeader;
    field_of_column_.fill(-1);
    for (size_t i = 0; i < fields_.size(); ++i) {
      std::string_view name = fields_[i];
      std::optional<BankColumn> c = ParseBankColumnName(name);
      if (!c) {
        error->message = "unknown column " + QuoteValue(name) +
                         " in the header; known columns: " + std::string(KnownBankColumns());
        return Outcome::kBadHeader;
      }
      int& slot = field_of_column_[static_cast<int>(*c)];
      if (slot >= 0) {
        error->message = "column " + QuoteValue(name) + " appears twice in the header";
        return Outcome::kBadHeader;
      }
      slot = static_cast<int>(i);
      column_of_field_.push_back(*c);
    }
    for (BankColumn required : {BankColumn::kSignalType, BankColumn::kSignal}) {
      if (field_of_column_[static_cast<int>(required)] < 0) {
        error->message = "the header has no '" + std::string(BankColumnName(required)) +
                         "' column; required columns: signal_type, signal";
        return Outcome::kBadHeader;
      }
    }
    return Outcome::kRow;
  }

  std::string_view Field(BankColumn c) const {
    int i = field_of_column_[static_cast<int>(c)];
    return i < 0 ? std::string_view() : fields_[i];
  }

  // Applies the fields in BankColumn order (signal_type first: later rules depend on it).
  Status Fill(BankRow* row) {
    row->Reset();
    VIGIL_RETURN_IF_ERROR(ApplySignalType(Field(BankColumn::kSignalType), row));
    VIGIL_RETURN_IF_ERROR(ApplySignal(Field(BankColumn::kSignal), row));
    VIGIL_RETURN_IF_ERROR(ApplyQualityText(Field(BankColumn::kQuality), row));
    VIGIL_RETURN_IF_ERROR(NormaliseLabelsText(Field(BankColumn::kLabels), &row->labels));
    std::string_view source = Field(BankColumn::kSource);
    if (!source.empty()) row->source = source;
    VIGIL_RETURN_IF_ERROR(ApplyAddedAtText(Field(BankColumn::kAddedAt), row));
    VIGIL_RETURN_IF_ERROR(ApplyOpinionText(Field(BankColumn::kOpinion), row));
    return ApplyDisabledText(Field(BankColumn::kDisabled), row);
  }

  CsvRecordReader records_;
  bool header_read_ = false;
  std::vector<std::string_view> fields_;
  std::vector<BankColumn> column_of_field_;
  std::array<int, kBankColumnCount> field_of_column_{};
};

class CsvBankRowWriter : public BankRowWriter {
 public:
  explicit CsvBankRowWriter(std::ostream& out) : out_(out) {
    out_ << "signal_type,signal,labels,quality,source,added_at,opinion,disabled\n";
  }

  void Write(const Signal& s) override {
    line_.clear();
    line_ += SignalTypeName(s.type);
    line_ += ',';
    AppendCsvField(s.value, &line_);  // a vpdq text holds commas and quotes
    line_ += ',';
    joined_.clear();
    for (const std::string& label : s.labels) {
      if (!joined_.empty()) joined_ += ';';
      joined_ += label;
    }
    AppendCsvField(joined_, &line_);
    line_ += ',';
    if (s.quality) line_ += std::to_string(*s.quality);
    line_ += ',';
    AppendCsvField(s.source, &line_);
    line_ += ',';
    line_ += FormatIsoTime(s.added_at);
    line_ += ',';
    line_ += OpinionName(s.opinion);
    line_ += s.disabled ? ",true\n" : ",false\n";
    out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
  }

 private:
  std::ostream& out_;
  std::string line_, joined_;
};

}  // namespace

std::unique_ptr<BankRowReader> NewCsvBankRowReader(std::istream& in) {
  return std::make_unique<CsvBankRowReader>(in);
}

std::unique_ptr<BankRowWriter> NewCsvBankRowWriter(std::ostream& out) {
  return std::make_unique<CsvBankRowWriter>(out);
}

}  // namespace vigil
