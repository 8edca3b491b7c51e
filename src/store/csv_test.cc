#include "store/csv.h"

#include <sstream>

#include <gtest/gtest.h>

namespace vigil {
namespace {

using Fields = std::vector<std::string>;

// Reads every record of `text`; bad records appear as {"!" + error}.
std::vector<Fields> ReadAll(const std::string& text, std::vector<uint64_t>* lines = nullptr) {
  std::istringstream in(text);
  CsvRecordReader reader(in);
  std::vector<std::string_view> fields;
  std::string error;
  std::vector<Fields> out;
  for (;;) {
    CsvRecordReader::Outcome o = reader.Next(&fields, &error);
    if (o == CsvRecordReader::Outcome::kEnd) break;
    if (lines) lines->push_back(reader.record_line());
    if (o == CsvRecordReader::Outcome::kBadRecord) {
      out.push_back({"!" + error});
    } else {
      out.emplace_back(fields.begin(), fields.end());
    }
  }
  return out;
}

TEST(CsvRecordReaderTest, SplitsPlainAndQuotedFields) {
  EXPECT_EQ(ReadAll("a,b,c\n1,,3\n"), (std::vector<Fields>{{"a", "b", "c"}, {"1", "", "3"}}));
  EXPECT_EQ(ReadAll("\"x,y\",\"say \"\"hi\"\"\",\"\"\n"),
            (std::vector<Fields>{{"x,y", "say \"hi\"", ""}}));
  EXPECT_EQ(ReadAll("a,\n"), (std::vector<Fields>{{"a", ""}}));
  EXPECT_EQ(ReadAll("last line without newline"),
            (std::vector<Fields>{{"last line without newline"}}));
}

TEST(CsvRecordReaderTest, AcceptsCrlfBomBlankLinesAndQuotedNewlines) {
  std::vector<uint64_t> lines;
  EXPECT_EQ(ReadAll("\xEF\xBB\xBFh1,h2\r\n\r\n\"multi\r\nline\",2\r\nz,3\r\n", &lines),
            (std::vector<Fields>{{"h1", "h2"}, {"multi\nline", "2"}, {"z", "3"}}));
  EXPECT_EQ(lines, (std::vector<uint64_t>{1, 3, 5}));
}

TEST(CsvRecordReaderTest, ReportsBadRecordsAndGoesOn) {
  std::vector<uint64_t> lines;
  EXPECT_EQ(ReadAll("a\"b,c\n\"x\"y,z\nok,1\n\"open,2\n", &lines),
            (std::vector<Fields>{
                {"!field 1: a quote inside an unquoted field (quote the whole field)"},
                {"!field 1: unexpected character after the closing quote"},
                {"ok", "1"},
                {"!field 1: quoted field is not terminated"}}));
  EXPECT_EQ(lines, (std::vector<uint64_t>{1, 2, 3, 4}));
}

TEST(CsvRecordReaderTest, RefusesOverlongLinesAndRecordsWithoutHoldingThem) {
  std::string big(LineReader::kMaxLineBytes + 10, 'x');
  std::vector<uint64_t> lines;
  EXPECT_EQ(ReadAll("a\n" + big + "\nb\n\"" + big + "\nc\n", &lines),
            (std::vector<Fields>{{"a"},
                                 {"!the line is longer than 1 MiB"},
                                 {"b"},
                                 {"!the line is longer than 1 MiB"},
                                 {"c"}}));
  EXPECT_EQ(lines, (std::vector<uint64_t>{1, 2, 3, 4, 5}));
  std::string half(LineReader::kMaxLineBytes / 2, 'y');
  EXPECT_EQ(ReadAll("\"" + half + "\n" + half + "\n" + half + "\"\nz\n"),
            (std::vector<Fields>{{"!the record is longer than 1 MiB (an unterminated quote?)"},
                                 {"!field 1: a quote inside an unquoted field (quote the whole field)"},
                                 {"z"}}));
}

TEST(CsvFieldTest, QuotesOnlyWhenNeeded) {
  std::string out;
  AppendCsvField("plain", &out);
  out += '|';
  AppendCsvField("a,b", &out);
  out += '|';
  AppendCsvField("say \"hi\"", &out);
  out += '|';
  AppendCsvField("two\nlines", &out);
  EXPECT_EQ(out, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"");
}

}  // namespace
}  // namespace vigil
