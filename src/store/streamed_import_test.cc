// StreamedImport and PagedExport on a real SQLite file: an import fed in pieces of any
// size gives what BankStore::Import gives on the whole input; bad rows and inputs cut
// short commit nothing; pages of an export join into the file BankStore::Export writes.
#include "store/streamed_import.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include <gtest/gtest.h>

#include "store/paged_export.h"
#include "store/sqlite_bank_store.h"
#include "store/test_temp_dir.h"

namespace vigil {
namespace {

std::string Md5Of(uint64_t i) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(i), 0x5eedull);
  return buf;
}

// A CSV of `rows` MD5 signals, with labels so rows are not all the same length.
std::string Csv(uint64_t rows, uint64_t first = 0) {
  std::string out = "signal_type,signal,labels\n";
  for (uint64_t i = first; i < first + rows; ++i) {
    out += "md5," + Md5Of(i) + (i % 3 ? ",propaganda\n" : ",\"a;b\"\n");
  }
  return out;
}

class StreamedImportTest : public testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteBankStore::Open(dir_.File("vigil.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->CreateBank({"bank", "", true, {}}).ok());
  }

  // Feeds `text` in pieces of `piece` bytes and finishes.
  Result<ImportReport> FeedAll(std::string_view text, size_t piece,
                               const std::string& bank = "bank") {
    StreamedImport import(*store_, bank, ImportOptions{});
    for (size_t at = 0; at < text.size(); at += piece) import.Feed(text.substr(at, piece));
    return import.Finish();
  }

  int64_t Count(const std::string& bank = "bank") { return store_->GetBank(bank)->signal_count; }

  std::string Export(BankFormat format) {
    std::ostringstream out;
    EXPECT_TRUE(store_->Export("bank", out, format).ok());
    return out.str();
  }

  TempDir dir_;
  std::unique_ptr<SqliteBankStore> store_;
};

TEST_F(StreamedImportTest, AnyPieceSizeImportsWhatTheWholeInputDoes) {
  // Over BytePipe::kMaxBufferedBytes, so the feeder waits for the importer.
  const std::string csv = Csv(200000);
  ASSERT_GT(csv.size(), BytePipe::kMaxBufferedBytes);
  for (size_t piece : {size_t{1} << 20, size_t{4096}, size_t{7}}) {
    ASSERT_TRUE(store_->DeleteBank("bank").ok());
    ASSERT_TRUE(store_->CreateBank({"bank", "", true, {}}).ok());
    const std::string text = piece == 7 ? Csv(3000) : csv;  // 1-7 byte pieces are slow
    auto report = FeedAll(text, piece);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_TRUE(report->committed) << "piece " << piece;
    EXPECT_EQ(report->rows_inserted, piece == 7 ? 3000u : 200000u);
    EXPECT_EQ(Count(), static_cast<int64_t>(report->rows_inserted));
  }
}

TEST_F(StreamedImportTest, BadRowsMidStreamCommitNothingAndKeepTheirLineNumbers) {
  ASSERT_TRUE(FeedAll(Csv(10), 4096)->committed);
  std::string text = Csv(50000, 100);
  const size_t cut = text.find('\n', text.size() / 2) + 1;
  const uint64_t bad_line = std::count(text.begin(), text.begin() + cut, '\n') + 1;
  ASSERT_GT(bad_line, 20000u);
  text.insert(cut, "md5,not-hex\n");
  auto report = FeedAll(text, 4096);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_FALSE(report->committed);
  EXPECT_EQ(report->rows_invalid, 1u);
  ASSERT_EQ(report->errors.size(), 1u);
  EXPECT_EQ(report->errors[0].line, bad_line);
  EXPECT_EQ(Count(), 10);  // the earlier import only
}

TEST_F(StreamedImportTest, AnInputCutShortCommitsNothingEvenAtARowBoundary) {
  const std::string csv = Csv(300000);
  const size_t cut = csv.find('\n', csv.size() / 2) + 1;  // whole rows only
  StreamedImport import(*store_, "bank", ImportOptions{});
  import.Feed(std::string_view(csv).substr(0, cut));
  Status s = import.Abort(InvalidArgument("the client went away"));
  EXPECT_EQ(s.message(), "the client went away");
  EXPECT_EQ(Count(), 0);
  // The store is usable again, and a whole import still commits.
  ASSERT_TRUE(FeedAll(Csv(5), 4096)->committed);
  EXPECT_EQ(Count(), 5);
}

TEST_F(StreamedImportTest, AnAbandonedImportCommitsNothing) {
  {
    StreamedImport import(*store_, "bank", ImportOptions{});
    import.Feed(Csv(1000));
  }  // neither Finish nor Abort
  EXPECT_EQ(Count(), 0);
}

TEST_F(StreamedImportTest, AnEarlyAnswerDropsTheRestWithoutBlocking) {
  // No such bank: the importer stops before reading; feeding far more than the pipe holds
  // must not wait for it.
  const std::string csv = Csv(300000);
  auto report = FeedAll(csv, 65536, "nosuch");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), ErrorCode::kNotFound);
  // A bad header: the report says so.
  auto bad = FeedAll("signal_type,wat\n" + csv, 65536);
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(bad->committed);
  ASSERT_FALSE(bad->errors.empty());
  EXPECT_EQ(bad->errors[0].line, 1u);
}

// The pages joined are byte for byte what Export writes, across several pages.
TEST_F(StreamedImportTest, PagedExportJoinsIntoTheExportFile) {
  const uint64_t rows = 3 * PagedExport::kPageRows + 17;
  ASSERT_TRUE(FeedAll(Csv(rows), 1 << 16)->committed);
  for (BankFormat format : {BankFormat::kCsv, BankFormat::kJsonLines}) {
    PagedExport pages("bank", format);
    std::string joined;
    int calls = 0;
    for (;;) {
      Result<bool> more = pages.NextPage(*store_, &joined);
      ASSERT_TRUE(more.ok()) << more.status().ToString();
      if (!*more) break;
      ++calls;
    }
    EXPECT_EQ(calls, 4);
    EXPECT_EQ(joined, Export(format));
  }
}

TEST_F(StreamedImportTest, PagedExportOfAnEmptyBankAndOfNoBank) {
  PagedExport csv("bank", BankFormat::kCsv);
  std::string out;
  EXPECT_TRUE(*csv.NextPage(*store_, &out));
  EXPECT_EQ(out, Export(BankFormat::kCsv));  // the header alone
  EXPECT_FALSE(*csv.NextPage(*store_, &out));
  PagedExport missing("nosuch", BankFormat::kCsv);
  EXPECT_EQ(missing.NextPage(*store_, &out).status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vigil
