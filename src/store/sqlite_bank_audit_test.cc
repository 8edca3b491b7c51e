// Every change through SqliteBankStore lands in the audit log in its own transaction,
// under the actor set on the store (Actor{0, "cli", admin} by default).
#include <gtest/gtest.h>

#include <sstream>

#include "store/audit_log.h"
#include "store/sqlite_bank_store.h"
#include "store/test_temp_dir.h"

namespace vigil {
namespace {

constexpr char kPdq[] = "d8f8f0cee0f4a84f06370222078f67f0b36e2ed596621e1d33e6b39c4e9c9b22";

class BankAuditTest : public testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteBankStore::Open(dir_.File("vigil.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  // The log's events, oldest first.
  std::vector<AuditEvent> Events() {
    auto log = SqliteAuditLog::Open(dir_.File("vigil.db"));
    EXPECT_TRUE(log.ok());
    auto events = (*log)->List(1000, std::nullopt);
    EXPECT_TRUE(events.ok());
    return events.ok() ? std::vector<AuditEvent>(events->rbegin(), events->rend())
                       : std::vector<AuditEvent>{};
  }
  std::vector<std::string> Actions() {
    std::vector<std::string> out;
    for (const AuditEvent& e : Events()) out.push_back(e.record.action);
    return out;
  }

  TempDir dir_;
  std::unique_ptr<SqliteBankStore> store_;
};

TEST_F(BankAuditTest, EveryChangeIsAudited) {
  ASSERT_TRUE(store_->CreateBank({"gifct", "", true, {"tvec"}}).ok());
  Signal s;
  s.value = kPdq;
  auto added = store_->AddSignal("gifct", s);
  ASSERT_TRUE(added.ok());
  ASSERT_TRUE(store_->SetSignalDisabled(added->id, true).ok());
  ASSERT_TRUE(store_->SetSignalDisabled(added->id, false).ok());
  ASSERT_TRUE(store_->SetSignalOpinion(added->id, Opinion::kConfirmed).ok());
  ASSERT_TRUE(store_->RemoveSignal(added->id).ok());
  std::istringstream csv(std::string("signal_type,signal\npdq,") + kPdq + "\n");
  auto report = store_->Import("gifct", csv, {});
  ASSERT_TRUE(report.ok() && report->committed);
  ASSERT_TRUE(store_->DeleteBank("gifct").ok());
  EXPECT_EQ(Actions(), (std::vector<std::string>{"bank.create", "signal.add", "signal.disable",
                                                 "signal.enable", "signal.opinion",
                                                 "signal.remove", "import", "bank.delete"}));
  std::vector<AuditEvent> events = Events();
  EXPECT_EQ(events[0].record.object_id, "gifct");
  EXPECT_EQ(events[1].record.object_id, std::to_string(added->id));
  EXPECT_NE(events[4].record.detail.find(R"("after":"confirmed")"), std::string::npos)
      << events[4].record.detail;
  EXPECT_NE(events[6].record.detail.find(R"("rows_inserted":1)"), std::string::npos)
      << events[6].record.detail;
  for (const AuditEvent& e : events) EXPECT_EQ(e.actor.name, "cli");
  auto log = SqliteAuditLog::Open(dir_.File("vigil.db"));
  auto verify = (*log)->Verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok) << verify->problem;
}

TEST_F(BankAuditTest, FailedChangesLeaveNoEvent) {
  ASSERT_TRUE(store_->CreateBank({"gifct", "", true, {}}).ok());
  EXPECT_FALSE(store_->CreateBank({"gifct", "", true, {}}).ok());
  EXPECT_FALSE(store_->DeleteBank("nosuch").ok());
  EXPECT_FALSE(store_->SetSignalDisabled(12345, true).ok());
  EXPECT_FALSE(store_->RemoveSignal(12345).ok());
  std::istringstream bad("signal_type,signal\npdq,nothex\n");
  auto report = store_->Import("gifct", bad, {});
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->committed);
  EXPECT_EQ(Actions(), std::vector<std::string>{"bank.create"});
}

TEST_F(BankAuditTest, TheActorSetOnTheStoreIsRecorded) {
  store_->SetActor(Actor{7, "curator-kim", Role::kCurator});
  ASSERT_TRUE(store_->CreateBank({"tat", "", true, {}}).ok());
  BankStore& as_interface = *store_;
  as_interface.SetActor(Actor{8, "curator-lee", Role::kCurator});
  ASSERT_TRUE(store_->DeleteBank("tat").ok());
  std::vector<AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].actor.name, "curator-kim");
  EXPECT_EQ(events[0].actor.token_id, 7);
  EXPECT_EQ(events[1].actor.name, "curator-lee");
  EXPECT_EQ(events[1].actor.role, Role::kCurator);
}

}  // namespace
}  // namespace vigil
