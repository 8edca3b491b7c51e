#include "store/sqlite_bank_store.h"

#include <gtest/gtest.h>

#include "store/sqlite_schema.h"
#include "store/test_temp_dir.h"

namespace vigil {
namespace {

const std::string kHashA(64, 'a');
const std::string kHashB = std::string(63, 'b') + "C";  // mixed case: stored canonical

std::unique_ptr<SqliteBankStore> OpenStore(const std::string& path) {
  auto store = SqliteBankStore::Open(path);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

Signal Pdq(const std::string& hex, std::optional<int> quality = 90) {
  Signal s;
  s.type = SignalType::kPdq;
  s.value = hex;
  s.quality = quality;
  s.labels = {"entity:test", "source:unit"};
  s.source = "unit";
  return s;
}

class SqliteBankStoreTest : public testing::Test {
 protected:
  void SetUp() override { store_ = OpenStore(dir_.File("vigil.db")); }
  TempDir dir_;
  std::unique_ptr<SqliteBankStore> store_;
};

TEST_F(SqliteBankStoreTest, BankCrud) {
  auto made = store_->CreateBank({"gifct.hashes", "shared list", true, {"gifct", "priority:1"}});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->name, "gifct.hashes");
  EXPECT_EQ(made->labels, (std::vector<std::string>{"gifct", "priority:1"}));
  EXPECT_GT(made->created_at, 0);
  ASSERT_TRUE(store_->CreateBank({"b2", "", false, {}}).ok());

  auto again = store_->CreateBank({"gifct.hashes", "", true, {}});
  EXPECT_EQ(again.status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "bank 'gifct.hashes' already exists");
  auto bad = store_->CreateBank({"no spaces", "", true, {}});
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateBank({std::string(65, 'x'), "", true, {}}).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store_->CreateBank({std::string(64, 'x'), "", true, {}}).ok());

  auto list = store_->ListBanks();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].name, "b2");
  EXPECT_FALSE((*list)[0].enabled);

  EXPECT_TRUE(store_->DeleteBank("b2").ok());
  Status gone = store_->DeleteBank("b2");
  EXPECT_EQ(gone.code(), ErrorCode::kNotFound);
  EXPECT_EQ(gone.message(), "bank 'b2' not found");
  EXPECT_EQ(store_->GetBank("b2").status().message(), "bank 'b2' not found");
}

TEST_F(SqliteBankStoreTest, SignalAddDisableOpinionRemove) {
  ASSERT_TRUE(store_->CreateBank({"bank", "", true, {}}).ok());
  auto added = store_->AddSignal("bank", Pdq(kHashB));
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->value, std::string(63, 'b') + "c");
  EXPECT_EQ(added->labels, (std::vector<std::string>{"entity:test", "source:unit"}));
  EXPECT_EQ(added->quality, 90);
  EXPECT_GT(added->added_at, 0);

  EXPECT_EQ(store_->AddSignal("bank", Pdq(kHashB)).status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(store_->AddSignal("nope", Pdq(kHashA)).status().message(), "bank 'nope' not found");
  EXPECT_EQ(store_->AddSignal("bank", Pdq(kHashA, 30)).status().message(),
            "quality 30 is below 50: PDQ hashes this weak are not matched");
  EXPECT_EQ(store_->AddSignal("bank", Pdq("abc")).status().message(),
            "signal: a pdq signal must be 64 hex digits, got 3 characters");

  int64_t id = added->id;
  ASSERT_TRUE(store_->SetSignalDisabled(id, true).ok());
  ASSERT_TRUE(store_->SetSignalOpinion(id, Opinion::kDisputed).ok());
  auto got = store_->GetSignal(id);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->disabled);
  EXPECT_EQ(got->opinion, Opinion::kDisputed);
  auto bank = store_->GetBank("bank");
  EXPECT_EQ(bank->signal_count, 1);
  EXPECT_EQ(bank->enabled_signal_count, 0);

  ASSERT_TRUE(store_->RemoveSignal(id).ok());
  EXPECT_EQ(store_->GetSignal(id).status().message(), "signal " + std::to_string(id) + " not found");
  EXPECT_EQ(store_->RemoveSignal(id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->SetSignalDisabled(id, false).code(), ErrorCode::kNotFound);
}

TEST_F(SqliteBankStoreTest, DeletingABankDeletesItsSignals) {
  ASSERT_TRUE(store_->CreateBank({"bank", "", true, {}}).ok());
  auto added = store_->AddSignal("bank", Pdq(kHashA));
  ASSERT_TRUE(added.ok());
  ASSERT_TRUE(store_->DeleteBank("bank").ok());
  EXPECT_EQ(store_->GetSignal(added->id).status().code(), ErrorCode::kNotFound);
}

TEST_F(SqliteBankStoreTest, ForEachMatchableSignalHonoursBankAndSignalFlags) {
  ASSERT_TRUE(store_->CreateBank({"on", "", true, {}}).ok());
  ASSERT_TRUE(store_->CreateBank({"off", "", false, {}}).ok());
  auto a = store_->AddSignal("on", Pdq(kHashA));
  auto b = store_->AddSignal("on", Pdq(kHashB));
  ASSERT_TRUE(store_->AddSignal("off", Pdq(kHashA)).ok());
  Signal md5;
  md5.type = SignalType::kMd5;
  md5.value = std::string(32, '0');
  ASSERT_TRUE(store_->AddSignal("on", md5).ok());
  ASSERT_TRUE(store_->SetSignalDisabled(b->id, true).ok());

  std::vector<int64_t> ids;
  ASSERT_TRUE(store_->ForEachMatchableSignal(SignalType::kPdq, [&](const Signal& s) {
    ids.push_back(s.id);
    EXPECT_EQ(s.value, kHashA);
  }).ok());
  EXPECT_EQ(ids, std::vector<int64_t>{a->id});

  int md5_count = 0;
  ASSERT_TRUE(store_->ForEachMatchableSignal(SignalType::kMd5, [&](const Signal&) {
    ++md5_count;
  }).ok());
  EXPECT_EQ(md5_count, 1);
}

TEST_F(SqliteBankStoreTest, ReopenKeepsDataAndMigrationsRunOnce) {
  ASSERT_TRUE(store_->CreateBank({"kept", "", true, {"x"}}).ok());
  ASSERT_TRUE(store_->AddSignal("kept", Pdq(kHashA)).ok());
  store_.reset();
  for (int i = 0; i < 2; ++i) {
    store_ = OpenStore(dir_.File("vigil.db"));
    ASSERT_NE(store_, nullptr);
    auto bank = store_->GetBank("kept");
    ASSERT_TRUE(bank.ok());
    EXPECT_EQ(bank->signal_count, 1);
    store_.reset();
  }
  auto db = SqliteDb::Open(dir_.File("vigil.db"));
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*(*db)->QueryText("SELECT count(*) FROM schema_migrations"),
            std::to_string(LatestSqliteSchemaVersion()));
  EXPECT_EQ(*(*db)->QueryText("PRAGMA user_version"), std::to_string(LatestSqliteSchemaVersion()));
  EXPECT_EQ(*(*db)->QueryText("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(*MigrateSqliteSchema(db->get()), LatestSqliteSchemaVersion());
  EXPECT_EQ(*(*db)->QueryText("SELECT count(*) FROM schema_migrations"),
            std::to_string(LatestSqliteSchemaVersion()));
}

TEST_F(SqliteBankStoreTest, RefusesADatabaseFromANewerVigil) {
  store_.reset();
  {
    auto db = SqliteDb::Open(dir_.File("vigil.db"));
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO schema_migrations VALUES(999, 'future', 0)").ok());
  }
  auto reopened = SqliteBankStore::Open(dir_.File("vigil.db"));
  EXPECT_EQ(reopened.status().code(), ErrorCode::kFailedPrecondition);
}

TEST(SqliteBankStoreOpenTest, MemoryDatabaseWorksForQuickTests) {
  auto store = SqliteBankStore::Open(":memory:");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_TRUE((*store)->CreateBank({"m", "", true, {}}).ok());
  EXPECT_EQ(*(*store)->IntegrityCheck(), "ok");
}

}  // namespace
}  // namespace vigil
