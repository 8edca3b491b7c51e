#include "match/matcher.h"

#include <gtest/gtest.h>

#include <sstream>

#include "store/sqlite_bank_store.h"
#include "store/test_temp_dir.h"

namespace vigil {
namespace {

constexpr char kHash[] = "d8f8f0cee0f4a84f06370222078f67f0b36e2ed596621e1d33e6b39c4e9c9b22";
constexpr char kMd5[] = "57def5ae3cf62ff351c33ec5236bff35";

// kHash with the lowest `bits` bits flipped.
Hash256 Flipped(int bits) {
  Hash256 h = *Hash256::FromHex(kHash);
  for (int i = 0; i < bits; ++i) h.words[i / 64] ^= uint64_t{1} << (i % 64);
  return h;
}

ContentHashes PdqOnly(const Hash256& h, int quality) {
  ContentHashes c;
  c.exact = {"00000000000000000000000000000000", std::string(64, '0')};
  c.pdq = PdqResult{h, quality};
  return c;
}

class MatcherTest : public testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(SqliteBankStore::Open(dir_.File("vigil.db"))).value();
    ASSERT_TRUE(store_->CreateBank({"terror", "", true, {"tat"}}).ok());
    ASSERT_TRUE(store_->CreateBank({"off", "", false, {}}).ok());
    std::istringstream csv(std::string("signal_type,signal,labels\npdq,") + kHash +
                           ",isis;tat\nmd5," + kMd5 + ",exact\n");
    ASSERT_TRUE(store_->Import("terror", csv, {})->committed);
    Signal s;
    s.type = SignalType::kPdq;
    s.value = Flipped(3).ToHex();
    ASSERT_TRUE(store_->AddSignal("off", s).ok());
  }

  std::unique_ptr<Matcher> Load(MatcherOptions options = {}) {
    auto m = Matcher::Load(*store_, options);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? std::move(m).value() : nullptr;
  }

  TempDir dir_;
  std::unique_ptr<SqliteBankStore> store_;
};

TEST_F(MatcherTest, PdqWithinDistanceOnlyAndOnlyEnabledBanks) {
  auto m = Load();
  ASSERT_EQ(m->pdq_count(), 1u);  // the disabled bank's signal is not loaded
  auto hits = m->Match(PdqOnly(Flipped(31), 100));
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].distance, 31);
  EXPECT_TRUE(m->Match(PdqOnly(Flipped(32), 100)).empty());
}

TEST_F(MatcherTest, LowQualityQueriesAreNotMatched) {
  auto m = Load();
  EXPECT_TRUE(m->Match(PdqOnly(Flipped(0), kPdqMinQuality - 1)).empty());
  EXPECT_EQ(m->Match(PdqOnly(Flipped(0), kPdqMinQuality)).size(), 1u);
}

TEST_F(MatcherTest, ExactHashes) {
  auto m = Load();
  ContentHashes c = PdqOnly(Flipped(100), 100);
  c.exact.md5 = kMd5;
  auto hits = m->Match(c);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].type, SignalType::kMd5);
  EXPECT_EQ(m->MatchSignal(SignalType::kMd5, kMd5).size(), 1u);
}

TEST_F(MatcherTest, NamedBanksOnly) {
  ASSERT_TRUE(store_->CreateBank({"other", "", true, {}}).ok());
  Signal s;
  s.type = SignalType::kPdq;
  s.value = Flipped(3).ToHex();
  ASSERT_TRUE(store_->AddSignal("other", s).ok());
  EXPECT_EQ(Load()->Match(PdqOnly(Flipped(0), 100)).size(), 2u);
  auto other = Load({{"other"}, kPdqMatchDistance});
  auto hits = other->Match(PdqOnly(Flipped(0), 100));
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].distance, 3);
  auto off = Matcher::Load(*store_, {{"off"}, kPdqMatchDistance});
  ASSERT_FALSE(off.ok());
  EXPECT_EQ(off.status().message(), "bank 'off' is disabled for matching");
  auto r = Matcher::Load(*store_, {{"nosuch"}, kPdqMatchDistance});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
}

TEST_F(MatcherTest, DihedralVariantsReportTheClosestOnce) {
  auto m = Load();
  ContentHashes c = PdqOnly(Flipped(20), 100);
  for (int bits : {20, 60, 5, 90, 100, 100, 100, 100}) c.dihedral.push_back({Flipped(bits), 100});
  auto hits = m->Match(c);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].distance, 5);
  EXPECT_EQ(hits[0].variant, 2);
}

TEST_F(MatcherTest, DescribeNamesBankAndMergesLabels) {
  auto m = Load();
  auto hits = m->Match(PdqOnly(Flipped(1), 100));
  auto reports = DescribeHits(*store_, hits);
  ASSERT_TRUE(reports.ok());
  ASSERT_EQ(reports->size(), 1u);
  EXPECT_EQ((*reports)[0].bank, "terror");
  EXPECT_EQ((*reports)[0].value, kHash);
  EXPECT_EQ((*reports)[0].labels, (std::vector<std::string>{"isis", "tat"}));
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

TEST_F(MatcherTest, HotAddAndRemoveAreVisibleToTheNextMatch) {
  auto m = Load();
  auto bank = store_->GetBank("terror");
  Signal s;
  s.id = 9999;
  s.bank_id = bank->id;
  s.type = SignalType::kPdq;
  s.value = Flipped(200).ToHex();
  ASSERT_TRUE(m->AddSignal(s).ok());
  auto hits = m->Match(PdqOnly(Flipped(200), 100));
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].signal_id, 9999);
  m->RemoveSignal(9999);
  EXPECT_TRUE(m->Match(PdqOnly(Flipped(200), 100)).empty());
  s.id = 10000;
  s.type = SignalType::kSha256;
  s.value = std::string(64, 'a');
  ASSERT_TRUE(m->AddSignal(s).ok());
  EXPECT_EQ(m->MatchSignal(SignalType::kSha256, s.value).size(), 1u);
  m->RemoveSignal(10000);
  EXPECT_TRUE(m->MatchSignal(SignalType::kSha256, s.value).empty());
}

}  // namespace
}  // namespace vigil
