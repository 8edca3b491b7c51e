#include "store/line_reader.h"

#include <limits>

namespace vigil {

LineReader::LineReader(std::istream& in) : in_(in), buf_(new char[kMaxLineBytes + 2]) {}

LineReader::Outcome LineReader::Next(std::string* line) {
  if (!in_.good()) return Outcome::kEnd;
  // istream::getline stops after kMaxLineBytes + 1 characters and sets failbit when the
  // line is longer; it reads through the stream buffer in bulk, like std::getline.
  in_.getline(buf_.get(), kMaxLineBytes + 2);
  std::streamsize got = in_.gcount();
  if (got == 0 && in_.eof()) return Outcome::kEnd;
  ++line_number_;
  if (in_.fail() && !in_.eof() && !in_.bad()) {
    in_.clear();
    in_.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    return Outcome::kTooLong;
  }
  size_t n = static_cast<size_t>(got);
  if (n > 0 && !in_.eof()) --n;  // gcount() includes the extracted '\n'
  line->assign(buf_.get(), n);
  if (!line->empty() && line->back() == '\r') line->pop_back();
  if (line->size() > kMaxLineBytes) return Outcome::kTooLong;
  if (line_number_ == 1 && line->starts_with("\xEF\xBB\xBF")) line->erase(0, 3);
  return Outcome::kLine;
}

}  // namespace vigil
