// Video signals (vpdq, tmk_pdqf) through SqliteBankStore: their long canonical texts travel
// through CSV and JSON Lines imports and exports, the database keys them by digest, and
// bad texts fail the row with the field's error.
#include <cstdlib>
#include <sstream>

#include <gtest/gtest.h>

#include "hash/video_signal.h"
#include "store/sqlite_bank_store.h"
#include "store/test_temp_dir.h"
#include "util/file_io.h"

namespace vigil {
namespace {

std::string VideoData() {
  const char* env = std::getenv("VIGIL_TEST_DATA");
  return std::string(env != nullptr ? env : VIGIL_TEST_DATA) + "/video";
}

// A reference sample's signals in canonical text.
std::string VpdqText(const std::string& name) {
  auto bytes = ReadFileWithLimit(VideoData() + "/vpdq-expected/" + name + ".txt", 4 << 20);
  EXPECT_TRUE(bytes.ok());
  auto hash = ParseVpdq(std::string(bytes->begin(), bytes->end()), name);
  EXPECT_TRUE(hash.ok());
  return FormatVpdqSignal(*hash);
}

std::string TmkText(const std::string& name) {
  auto bytes = ReadFileWithLimit(VideoData() + "/tmk-expected/" + name + ".tmk", 1 << 20);
  EXPECT_TRUE(bytes.ok());
  auto features = ParseTmk(*bytes, name);
  EXPECT_TRUE(features.ok());
  return FormatTmkSignal(*features);
}

// Doubles the quotes, as RFC 4180 asks of a quoted field.
std::string CsvQuoted(const std::string& field) {
  std::string out = "\"";
  for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

class VideoSignalStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteBankStore::Open(dir_.File("vigil.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    for (const char* name : {"a", "b", "c"}) ASSERT_TRUE(store_->CreateBank({name, "", true, {}}).ok());
  }

  ImportReport Import(const std::string& bank, const std::string& text, BankFormat format) {
    std::istringstream in(text);
    ImportOptions options;
    options.format = format;
    auto report = store_->Import(bank, in, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : ImportReport{};
  }

  std::string Export(const std::string& bank, BankFormat format) {
    std::ostringstream out;
    EXPECT_TRUE(store_->Export(bank, out, format).ok());
    return out.str();
  }

  std::vector<Signal> Matchable(SignalType type) {
    std::vector<Signal> out;
    EXPECT_TRUE(store_->ForEachMatchableSignal(type, [&](const Signal& s) { out.push_back(s); }).ok());
    return out;
  }

  TempDir dir_;
  std::unique_ptr<SqliteBankStore> store_;
};

TEST_F(VideoSignalStoreTest, CsvAndJsonLinesRoundTrip) {
  const std::string vpdq = VpdqText("chair-20-sd-bar");
  const std::string tmk = TmkText("chair-20-sd-bar");
  const std::string csv = "signal_type,signal,labels\nvpdq," + CsvQuoted(vpdq) +
                          ",chair\ntmk," + tmk + ",chair\n";
  ImportReport first = Import("a", csv, BankFormat::kCsv);
  ASSERT_TRUE(first.committed) << (first.errors.empty() ? "" : first.errors[0].message);
  EXPECT_EQ(first.rows_inserted, 2u);

  // The text comes back exactly, under the python-threatexchange names.
  ASSERT_EQ(Matchable(SignalType::kVpdq).size(), 1u);
  EXPECT_EQ(Matchable(SignalType::kVpdq)[0].value, vpdq);
  ASSERT_EQ(Matchable(SignalType::kTmk).size(), 1u);
  EXPECT_EQ(Matchable(SignalType::kTmk)[0].value, tmk);
  const std::string exported = Export("a", BankFormat::kCsv);
  EXPECT_NE(exported.find("\ntmk_pdqf," + tmk + ","), std::string::npos);

  // CSV -> bank b -> JSON Lines -> bank c: the same signals.
  ImportReport second = Import("b", exported, BankFormat::kCsv);
  EXPECT_TRUE(second.committed);
  EXPECT_EQ(second.rows_inserted, 2u);
  ImportReport third = Import("c", Export("b", BankFormat::kJsonLines), BankFormat::kJsonLines);
  EXPECT_TRUE(third.committed);
  EXPECT_EQ(third.rows_inserted, 2u);
  EXPECT_EQ(Export("c", BankFormat::kCsv), Export("a", BankFormat::kCsv));

  // Re-importing is a duplicate (the key is the text's digest), as is AddSignal.
  ImportReport again = Import("a", exported, BankFormat::kCsv);
  EXPECT_EQ(again.rows_duplicate, 2u);
  Signal s;
  s.type = SignalType::kVpdq;
  s.value = vpdq;
  auto dup = store_->AddSignal("a", s);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), ErrorCode::kAlreadyExists);
  EXPECT_LT(dup.status().message().size(), 300u);
}

TEST_F(VideoSignalStoreTest, AddSignalCanonicalisesPythonSpelling) {
  const std::string hex(64, 'A');
  Signal s;
  s.type = SignalType::kVpdq;
  s.value = "[\"" + hex + ",100,0.0\", \"" + hex + ",90,1.0\"]";
  auto added = store_->AddSignal("a", s);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  const std::string lower(64, 'a');
  EXPECT_EQ(added->value, "[\"" + lower + ",100,0.000\",\"" + lower + ",90,1.000\"]");
  ASSERT_TRUE(store_->RemoveSignal(added->id).ok());
}

TEST_F(VideoSignalStoreTest, BadVideoRowsFailTheImportWithTheirLine) {
  const std::string hex(64, 'a');
  const std::string csv = "signal_type,signal\nvpdq," + CsvQuoted("[\"" + hex + ",100,0\"]") +
                          "\nvpdq,[]\ntmk_pdqf,Zm9vYmFy\n";
  ImportReport report = Import("a", csv, BankFormat::kCsv);
  EXPECT_FALSE(report.committed);
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_EQ(report.errors[0].line, 3u);
  EXPECT_EQ(report.errors[0].message,
            "signal: a vpdq signal has no frames (an empty hash matches nothing)");
  EXPECT_EQ(report.errors[1].line, 4u);
  EXPECT_NE(report.errors[1].message.find("signal: tmk_pdqf signal"), std::string::npos)
      << report.errors[1].message;
}

}  // namespace
}  // namespace vigil
