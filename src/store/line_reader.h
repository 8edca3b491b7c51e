// LineReader: reads an std::istream one physical line at a time with a hard length limit,
// so no input (a binary file, a file without newlines) can make a reader hold more than
// kMaxLineBytes. Strips the line end (LF or CRLF) and a UTF-8 byte-order mark on line 1.
// Shared by the CSV and JSON Lines bank readers.
//
// Thread-safety: one thread at a time.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>

namespace vigil {

class LineReader {
 public:
  static constexpr size_t kMaxLineBytes = size_t{1} << 20;

  enum class Outcome { kLine, kTooLong, kEnd };

  explicit LineReader(std::istream& in);

  // kLine: *line holds the line. kTooLong: the line was longer than kMaxLineBytes and has
  // been skipped; line_number() is its number. kEnd: no more input (or the stream failed).
  Outcome Next(std::string* line);
  uint64_t line_number() const { return line_number_; }

 private:
  std::istream& in_;
  std::unique_ptr<char[]> buf_;
  uint64_t line_number_ = 0;
};

}  // namespace vigil
