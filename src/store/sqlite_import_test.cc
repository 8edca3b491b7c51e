// Import and export through SqliteBankStore on real files: the formats' features, the
// table of bad inputs with their exact errors, and the all-or-nothing property.
#include <algorithm>
#include <cstdio>
#include <sstream>

#include <gtest/gtest.h>

#include "store/sqlite_bank_store.h"
#include "store/test_temp_dir.h"

namespace vigil {
namespace {

// A deterministic 64-hex-digit hash per i (splitmix64).
std::string TestHash(uint64_t i) {
  std::string out;
  for (int w = 0; w < 4; ++w) {
    uint64_t z = (i * 4 + w + 1) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(z));
    out += buf;
  }
  return out;
}

class SqliteImportTest : public testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteBankStore::Open(dir_.File("vigil.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->CreateBank({"bank", "", true, {}}).ok());
  }

  ImportReport Import(const std::string& text, BankFormat format = BankFormat::kCsv,
                      const std::string& bank = "bank") {
    std::istringstream in(text);
    ImportOptions options;
    options.format = format;
    options.source = "test-file";
    auto report = store_->Import(bank, in, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : ImportReport{};
  }

  std::string Export(BankFormat format, const std::string& bank = "bank") {
    std::ostringstream out;
    Status s = store_->Export(bank, out, format);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out.str();
  }

  std::vector<Signal> Signals(SignalType type = SignalType::kPdq) {
    std::vector<Signal> out;
    EXPECT_TRUE(store_->ForEachMatchableSignal(type, [&](const Signal& s) {
      out.push_back(s);
    }).ok());
    return out;
  }

  TempDir dir_;
  std::unique_ptr<SqliteBankStore> store_;
};

TEST_F(SqliteImportTest, CsvWithBomCrlfQuotingAndAllColumns) {
  std::string csv =
      "\xEF\xBB\xBFsignal_type,signal,labels,quality,source,added_at,opinion,disabled\r\n"
      "pdq," + TestHash(1) + ",\"entity:a;behaviour:recruit, video\",90,gifct,"
      "2024-05-01T12:00:00Z,confirmed,false\r\n"
      "PDQ," + TestHash(2) + ",,,\"tat, \"\"weekly\"\"\",1714564800,,\r\n"
      "md5,0123456789ABCDEF0123456789abcdef,x,,,,disputed,true\r\n";
  ImportReport r = Import(csv);
  EXPECT_TRUE(r.committed);
  EXPECT_EQ(r.rows_read, 3u);
  EXPECT_EQ(r.rows_inserted, 3u);
  EXPECT_EQ(r.rows_invalid, 0u);

  std::vector<Signal> pdq = Signals();
  ASSERT_EQ(pdq.size(), 2u);
  EXPECT_EQ(pdq[0].value, TestHash(1));
  EXPECT_EQ(pdq[0].labels, (std::vector<std::string>{"entity:a", "behaviour:recruit, video"}));
  EXPECT_EQ(pdq[0].quality, 90);
  EXPECT_EQ(pdq[0].source, "gifct");
  EXPECT_EQ(pdq[0].added_at, 1714564800);
  EXPECT_EQ(pdq[0].opinion, Opinion::kConfirmed);
  EXPECT_EQ(pdq[1].source, "tat, \"weekly\"");
  EXPECT_EQ(pdq[1].added_at, 1714564800);
  EXPECT_FALSE(pdq[1].quality.has_value());
  EXPECT_TRUE(Signals(SignalType::kMd5).empty());  // the md5 row is disabled
  auto bank = store_->GetBank("bank");
  EXPECT_EQ(bank->signal_count, 3);
}

TEST_F(SqliteImportTest, JsonLinesWithLabelsAndDefaults) {
  std::string jsonl =
      "{\"signal_type\":\"pdq\",\"signal\":\"" + TestHash(1) +
      "\",\"labels\":[\"entity:a\",\"b c\"],\"quality\":77,\"added_at\":\"2024-05-01\"}\r\n"
      "\n"
      "{\"signal\":\"" + TestHash(2) + "\",\"signal_type\":\"pdq\",\"opinion\":\"disputed\","
      "\"source\":null,\"disabled\":false,\"added_at\":5}\n";
  ImportReport r = Import(jsonl, BankFormat::kJsonLines);
  EXPECT_TRUE(r.committed);
  EXPECT_EQ(r.rows_inserted, 2u);
  std::vector<Signal> pdq = Signals();
  ASSERT_EQ(pdq.size(), 2u);
  EXPECT_EQ(pdq[0].labels, (std::vector<std::string>{"entity:a", "b c"}));
  EXPECT_EQ(pdq[0].quality, 77);
  EXPECT_EQ(pdq[0].source, "test-file");  // ImportOptions::source fills the gap
  EXPECT_EQ(pdq[0].added_at, 1714521600);
  EXPECT_EQ(pdq[1].opinion, Opinion::kDisputed);
  EXPECT_EQ(pdq[1].added_at, 5);
}

TEST_F(SqliteImportTest, DuplicatesInTheBankAndInTheInputAreCounted) {
  std::string csv = "signal_type,signal\npdq," + TestHash(1) + "\npdq," + TestHash(2) +
                    "\npdq," + TestHash(1) + "\n";
  ImportReport first = Import(csv);
  EXPECT_EQ(first.rows_inserted, 2u);
  EXPECT_EQ(first.rows_duplicate, 1u);
  ImportReport second = Import(csv);
  EXPECT_TRUE(second.committed);
  EXPECT_EQ(second.rows_inserted, 0u);
  EXPECT_EQ(second.rows_duplicate, 3u);
  EXPECT_EQ(Signals().size(), 2u);
}

TEST_F(SqliteImportTest, DuplicatesInsideOneMultiRowInsertAreCounted) {
  // 300 rows, each hash twice in a row: after sorting, most duplicates share an INSERT
  // statement with their first occurrence (the batch inserts 64 rows per statement).
  std::string csv = "signal_type,signal\n";
  for (int i = 0; i < 150; ++i) csv += "pdq," + TestHash(i) + "\npdq," + TestHash(i) + "\n";
  ImportReport r = Import(csv);
  EXPECT_TRUE(r.committed);
  EXPECT_EQ(r.rows_inserted, 150u);
  EXPECT_EQ(r.rows_duplicate, 150u);
  EXPECT_EQ(store_->GetBank("bank")->signal_count, 150);
  // Ids stay unique and are never handed out again, even after deletes.
  std::vector<Signal> all = Signals();
  int64_t max_id = 0;
  for (const Signal& s : all) max_id = std::max(max_id, s.id);
  ASSERT_TRUE(store_->DeleteBank("bank").ok());
  ASSERT_TRUE(store_->CreateBank({"bank", "", true, {}}).ok());
  ASSERT_TRUE(Import("signal_type,signal\npdq," + TestHash(1) + "\n").committed);
  ASSERT_EQ(Signals().size(), 1u);  // the delete cascaded: foreign keys are on again
  EXPECT_GT(Signals().at(0).id, max_id);
}

TEST_F(SqliteImportTest, ExportRoundTripsThroughBothFormats) {
  std::string csv =
      "signal_type,signal,labels,quality,source,added_at,opinion,disabled\n"
      "pdq," + TestHash(1) + ",a;b,90,\"gifct, weekly\",2024-05-01T12:00:00Z,confirmed,false\n"
      "sha256," + TestHash(2) + ",,,x,1,disputed,true\n"
      "md5," + TestHash(3).substr(0, 32) + ",\"q\"\"uote\",,,2,,false\n";
  ASSERT_TRUE(Import(csv).committed);
  // Export is in id order, and an import assigns ids in key order (import_batch.h).
  std::string exported = Export(BankFormat::kCsv);
  EXPECT_EQ(exported, csv.substr(0, csv.find('\n') + 1) +
                          "md5," + TestHash(3).substr(0, 32) + ",\"q\"\"uote\",,test-file,"
                          "1970-01-01T00:00:02Z,,false\n"
                          "pdq," + TestHash(1) + ",a;b,90,\"gifct, weekly\","
                          "2024-05-01T12:00:00Z,confirmed,false\n"
                          "sha256," + TestHash(2) + ",,,x,1970-01-01T00:00:01Z,disputed,true\n");

  ASSERT_TRUE(store_->CreateBank({"via_jsonl", "", true, {}}).ok());
  ASSERT_TRUE(Import(Export(BankFormat::kJsonLines), BankFormat::kJsonLines, "via_jsonl").committed);
  EXPECT_EQ(Export(BankFormat::kCsv, "via_jsonl"), exported);
  ASSERT_TRUE(store_->CreateBank({"via_csv", "", true, {}}).ok());
  ASSERT_TRUE(Import(exported, BankFormat::kCsv, "via_csv").committed);
  EXPECT_EQ(Export(BankFormat::kJsonLines, "via_csv"), Export(BankFormat::kJsonLines));
}

TEST_F(SqliteImportTest, FailedImportLeavesTheDatabaseUnchanged) {
  ASSERT_TRUE(Import("signal_type,signal\npdq," + TestHash(0) + "\n").committed);
  std::string csv = "signal_type,signal,labels,quality\n";
  for (int i = 1; i <= 10000; ++i) csv += "pdq," + TestHash(i) + ",l" + std::to_string(i) + ",80\n";
  csv += "pdq," + TestHash(10001) + ",bad,30\n";

  ImportReport r = Import(csv);
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(r.rows_read, 10001u);
  EXPECT_EQ(r.rows_invalid, 1u);
  EXPECT_EQ(r.rows_inserted, 0u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 10002u);

  auto bank = store_->GetBank("bank");
  EXPECT_EQ(bank->signal_count, 1);
  EXPECT_EQ(*store_->IntegrityCheck(), "ok");
  store_.reset();  // and after a reopen
  auto reopened = SqliteBankStore::Open(dir_.File("vigil.db"));
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->GetBank("bank")->signal_count, 1);
  EXPECT_EQ(*(*reopened)->IntegrityCheck(), "ok");
}

TEST_F(SqliteImportTest, CountsEveryBadRowAndKeepsTheFirstFew) {
  std::string csv = "signal_type,signal\n";
  for (int i = 0; i < 50; ++i) csv += "pdq,nothex\n";
  std::istringstream in(csv);
  ImportOptions options;
  options.max_reported_errors = 3;
  auto r = store_->Import("bank", in, options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows_invalid, 50u);
  ASSERT_EQ(r->errors.size(), 3u);
  EXPECT_EQ(r->errors[2].line, 4u);
}

TEST_F(SqliteImportTest, MissingBankIsAStatusError) {
  std::istringstream in("signal_type,signal\n");
  auto r = store_->Import("nope", in, ImportOptions{});
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(r.status().message(), "bank 'nope' not found");
}

// The table of bad inputs: each must fail the whole import with exactly this error.
struct BadInput {
  const char* name;
  BankFormat format;
  std::string input;
  uint64_t line;
  std::string message;
};

// gtest (and ctest's test list) show a parameter through PrintTo; without it each case
// printed as "88-byte object <...>".
void PrintTo(const BadInput& c, std::ostream* os) {
  *os << c.name << " (line " << c.line << ": " << c.message << ")";
}

const std::string kH = TestHash(7);
const std::string kHdr = "signal_type,signal,quality\n";
const std::string kOk = "pdq," + kH + ",80\n";
std::string Json(const std::string& rest) {
  return "{\"signal_type\":\"pdq\",\"signal\":\"" + kH + "\"" + rest + "}\n";
}

const BadInput kBadInputs[] = {
    {"unterminated_quote", BankFormat::kCsv, kHdr + kOk + "pdq,\"" + kH + ",80\n", 3,
     "field 2: quoted field is not terminated"},
    {"too_many_fields", BankFormat::kCsv, kHdr + "pdq," + kH + ",80,extra\n", 2,
     "expected 3 fields as in the header, got 4"},
    {"too_few_fields", BankFormat::kCsv, kHdr + "pdq," + kH + "\n", 2,
     "expected 3 fields as in the header, got 2"},
    {"text_after_quote", BankFormat::kCsv, kHdr + "\"pdq\"x," + kH + ",80\n", 2,
     "field 1: unexpected character after the closing quote"},
    {"hash_65_chars", BankFormat::kCsv, kHdr + "pdq," + kH + "0,80\n", 2,
     "signal: a pdq signal must be 64 hex digits, got 65 characters"},
    {"non_hex", BankFormat::kCsv, kHdr + "pdq," + kH.substr(0, 9) + "g" + kH.substr(10) + ",80\n",
     2, "signal: a pdq signal must be hex digits only; character 10 is not"},
    {"md5_too_short", BankFormat::kCsv, kHdr + "md5,abc,\n", 2,
     "signal: a md5 signal must be 32 hex digits, got 3 characters"},
    {"unknown_signal_type", BankFormat::kCsv, kHdr + "phash," + kH + ",80\n", 2,
     "signal_type must be one of pdq, md5, sha256, vpdq, tmk_pdqf, got 'phash'"},
    {"pdq_quality_30", BankFormat::kCsv, kHdr + kOk + kOk + "pdq," + TestHash(8) + ",30\n", 4,
     "quality 30 is below 50: PDQ hashes this weak are not matched"},
    {"quality_101", BankFormat::kCsv, kHdr + "pdq," + kH + ",101\n", 2,
     "quality must be an integer from 0 to 100, got '101'"},
    {"quality_not_integer", BankFormat::kCsv, kHdr + "pdq," + kH + ",8.5\n", 2,
     "quality must be an integer from 0 to 100, got '8.5'"},
    {"unknown_column", BankFormat::kCsv, "signal_type,signal,colour\n" + kOk, 1,
     "unknown column 'colour' in the header; known columns: signal_type, signal, labels, "
     "quality, source, added_at, opinion, disabled"},
    {"missing_column", BankFormat::kCsv, "signal_type,quality\npdq,80\n", 1,
     "the header has no 'signal' column; required columns: signal_type, signal"},
    {"duplicate_column", BankFormat::kCsv, "signal_type,signal,signal\n", 1,
     "column 'signal' appears twice in the header"},
    {"bad_opinion", BankFormat::kCsv, "signal_type,signal,opinion\npdq," + kH + ",maybe\n", 2,
     "opinion must be confirmed, disputed or empty, got 'maybe'"},
    {"bad_disabled", BankFormat::kCsv, "signal_type,signal,disabled\npdq," + kH + ",yes\n", 2,
     "disabled must be true, false, 1, 0 or empty, got 'yes'"},
    {"bad_added_at", BankFormat::kCsv, "signal_type,signal,added_at\npdq," + kH + ",May 1\n", 2,
     "added_at must be unix seconds or an ISO-8601 UTC time like 2024-05-01T12:00:00Z, "
     "got 'May 1'"},
    {"bad_label", BankFormat::kCsv, "signal_type,signal,labels\npdq," + kH + ",\"a;b\tc\"\n", 2,
     "labels: label 'b\tc' contains a control character"},
    {"line_after_quoted_newline", BankFormat::kCsv,
     "signal_type,signal,source\r\npdq," + kH + ",\"two\r\nlines\"\r\npdq,zz,x\r\n", 4,
     "signal: a pdq signal must be 64 hex digits, got 2 characters"},
    {"bad_json", BankFormat::kJsonLines, Json("") + "{\"signal_type\":\"pdq\",\n", 2,
     "invalid JSON at column 22: syntax error while parsing object key - unexpected end of "
     "input; expected string literal"},
    {"json_not_object", BankFormat::kJsonLines, "[1,2]\n", 1,
     "a line must be a JSON object, got array"},
    {"json_unknown_field", BankFormat::kJsonLines, Json(",\"colour\":\"red\""), 1,
     "unknown field 'colour'; known fields: signal_type, signal, labels, quality, source, "
     "added_at, opinion, disabled"},
    {"json_missing_signal", BankFormat::kJsonLines, "{\"signal_type\":\"pdq\"}\n", 1,
     "missing required field 'signal'"},
    {"json_labels_not_array", BankFormat::kJsonLines, Json(",\"labels\":\"a;b\""), 1,
     "labels must be an array of strings, got \"a;b\""},
    {"json_label_with_separator", BankFormat::kJsonLines, Json(",\"labels\":[\"a;b\"]"), 1,
     "labels: label 'a;b' contains ';'"},
    {"json_quality_string", BankFormat::kJsonLines, Json(",\"quality\":\"90\""), 1,
     "quality must be an integer from 0 to 100, got \"90\""},
    {"json_pdq_quality_30", BankFormat::kJsonLines, Json("") + Json(",\"quality\":30"), 2,
     "quality 30 is below 50: PDQ hashes this weak are not matched"},
    {"json_signal_number", BankFormat::kJsonLines,
     "{\"signal_type\":\"pdq\",\"signal\":12}\n", 1, "signal must be a string, got 12"},
};

class BadInputTest : public SqliteImportTest,
                     public testing::WithParamInterface<BadInput> {};

TEST_P(BadInputTest, FailsTheWholeImportWithItsError) {
  const BadInput& c = GetParam();
  ImportReport r = Import(c.input, c.format);
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(r.rows_invalid, 1u);
  EXPECT_EQ(r.rows_inserted, 0u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, c.line);
  EXPECT_EQ(r.errors[0].message, c.message);
  EXPECT_EQ(store_->GetBank("bank")->signal_count, 0);
}

INSTANTIATE_TEST_SUITE_P(Table, BadInputTest, testing::ValuesIn(kBadInputs),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace vigil
