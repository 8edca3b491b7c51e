#include "store/csv.h"

namespace vigil {

// Reads one physical line into buf_ (or appends it after a '\n' when `append`). A line
// over the limit reads as empty with too_long_ set. Returns false at the end of input.
bool CsvRecordReader::ReadLine(bool append) {
  std::string& dst = append ? line_ : buf_;
  LineReader::Outcome o = lines_.Next(&dst);
  if (o == LineReader::Outcome::kEnd) return false;
  if (o == LineReader::Outcome::kTooLong) {
    too_long_ = true;
    dst.clear();
  }
  if (append) {
    buf_ += '\n';
    buf_ += line_;
  }
  return true;
}

CsvRecordReader::Outcome CsvRecordReader::Next(std::vector<std::string_view>* fields,
                                               std::string* error) {
  do {
    if (!ReadLine(false)) return Outcome::kEnd;
  } while (buf_.empty() && !too_long_);
  record_line_ = lines_.line_number();
  if (too_long_) {
    too_long_ = false;
    *error = "the line is longer than 1 MiB";
    return Outcome::kBadRecord;
  }
  return Split(fields, error);
}

// Splits buf_ into fields, unescaping quoted fields in place (the write position w never
// passes the read position r). A quoted field that reaches the end of buf_ pulls in the
// next line, as RFC 4180 allows newlines inside quotes.
CsvRecordReader::Outcome CsvRecordReader::Split(std::vector<std::string_view>* fields,
                                                std::string* error) {
  spans_.clear();
  size_t r = 0, w = 0;
  for (;;) {
    size_t start = w;
    if (r < buf_.size() && buf_[r] == '"') {
      ++r;
      for (;;) {
        if (r == buf_.size()) {
          if (!ReadLine(true)) {
            *error = "field " + std::to_string(spans_.size() + 1) +
                     ": quoted field is not terminated";
            return Outcome::kBadRecord;
          }
          if (too_long_ || buf_.size() > kMaxRecordBytes) {
            too_long_ = false;
            *error = "the record is longer than 1 MiB (an unterminated quote?)";
            return Outcome::kBadRecord;
          }
          continue;
        }
        char c = buf_[r++];
        if (c == '"') {
          if (r < buf_.size() && buf_[r] == '"') {
            ++r;
          } else {
            break;
          }
        }
        buf_[w++] = c;
      }
      if (r < buf_.size() && buf_[r] != ',') {
        *error = "field " + std::to_string(spans_.size() + 1) +
                 ": unexpected character after the closing quote";
        return Outcome::kBadRecord;
      }
    } else {
      while (r < buf_.size() && buf_[r] != ',') {
        if (buf_[r] == '"') {
          *error = "field " + std::to_string(spans_.size() + 1) +
                   ": a quote inside an unquoted field (quote the whole field)";
          return Outcome::kBadRecord;
        }
        buf_[w++] = buf_[r++];
      }
    }
    spans_.emplace_back(start, w - start);
    if (r == buf_.size()) break;
    ++r;  // the comma
  }
  fields->clear();
  for (auto [off, len] : spans_) fields->emplace_back(buf_.data() + off, len);
  return Outcome::kRecord;
}

void AppendCsvField(std::string_view field, std::string* out) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace vigil
