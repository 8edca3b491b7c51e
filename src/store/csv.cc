#include "store/csv.h"

namespace vigil {

// Reads one physical line into buf_ (or appends it after a '\n' when `append`), without
// its line end. Strips a UTF-8 BOM from the first line.
bool CsvRecordReader::ReadLine(bool append) {
  std::string& dst = append ? line_ : buf_;
  if (!std::getline(in_, dst)) return false;
  ++lines_read_;
  if (!dst.empty() && dst.back() == '\r') dst.pop_back();
  if (lines_read_ == 1 && dst.starts_with("\xEF\xBB\xBF")) dst.erase(0, 3);
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
  } while (buf_.empty());
  record_line_ = lines_read_;
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
          if (buf_.size() > kMaxRecordBytes) {
            *error = "the record is longer than 1 MiB (an unterminated quote?)";
            return Outcome::kBadRecord;
          }
          if (!ReadLine(true)) {
            *error = "field " + std::to_string(spans_.size() + 1) +
                     ": quoted field is not terminated";
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
