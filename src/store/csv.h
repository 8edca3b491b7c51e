// RFC 4180 CSV: a streaming record reader and a field writer. Knows nothing of banks;
// bank_format.h gives the columns their meaning.
//
// The reader holds one record at a time (never the file), accepts CRLF or LF line ends
// and a UTF-8 byte-order mark, and keeps quoted fields' embedded newlines. It unescapes
// quoted fields in place, so a record costs no allocation once the buffer has grown.
//
// Thread-safety: a reader or writer is used by one thread at a time.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "store/line_reader.h"

namespace vigil {

class CsvRecordReader {
 public:
  // A record (quoted newlines included) longer than this is refused, so an unterminated
  // quote cannot pull a whole file into memory.
  static constexpr size_t kMaxRecordBytes = 1 << 20;

  enum class Outcome { kRecord, kBadRecord, kEnd };

  explicit CsvRecordReader(std::istream& in) : lines_(in) {}

  // kRecord: `fields` views the record's fields, valid until the next call.
  // kBadRecord: `error` says what was wrong; reading may continue with the next record.
  // kEnd: no more records (or the stream failed: check the stream's bad()).
  // Blank lines are skipped.
  Outcome Next(std::vector<std::string_view>* fields, std::string* error);

  // The 1-based line on which the record last returned started.
  uint64_t record_line() const { return record_line_; }

 private:
  bool ReadLine(bool append);
  Outcome Split(std::vector<std::string_view>* fields, std::string* error);

  LineReader lines_;
  std::string buf_;   // the current record, unescaped in place
  std::string line_;  // scratch for continuation lines
  std::vector<std::pair<size_t, size_t>> spans_;  // (offset, length) of each field in buf_
  bool too_long_ = false;  // the last line read was over LineReader's limit and skipped
  uint64_t record_line_ = 0;
};

// Appends `field` to `out`, quoted when it holds a comma, quote, CR or LF (RFC 4180).
void AppendCsvField(std::string_view field, std::string* out);

}  // namespace vigil
