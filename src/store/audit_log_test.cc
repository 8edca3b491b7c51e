#include "store/audit_log.h"

#include <gtest/gtest.h>

#include "store/sqlite_token_store.h"
#include "store/test_temp_dir.h"

namespace vigil {
namespace {

const Actor kCli{0, "cli", Role::kAdmin};

// Five audited changes (token creates), then the log and a raw connection for tampering.
class AuditLogTest : public testing::Test {
 protected:
  void SetUp() override {
    auto tokens = SqliteTokenStore::Open(dir_.File("vigil.db"), clock_);
    ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
    for (int i = 1; i <= 5; ++i) {
      clock_.Advance(60);
      ASSERT_TRUE((*tokens)->CreateToken("t" + std::to_string(i), Role::kReviewer, kCli).ok());
    }
    auto log = SqliteAuditLog::Open(dir_.File("vigil.db"));
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    log_ = std::move(log).value();
    auto db = SqliteDb::Open(dir_.File("vigil.db"));
    ASSERT_TRUE(db.ok());
    raw_ = std::move(db).value();
  }
  AuditVerifyReport Verify() {
    auto r = log_->Verify();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : AuditVerifyReport{};
  }
  void Tamper(const std::string& sql) { ASSERT_TRUE(raw_->Exec(sql).ok()) << sql; }

  TempDir dir_;
  FakeClock clock_{1'700'000'000};
  std::unique_ptr<SqliteAuditLog> log_;
  std::unique_ptr<SqliteDb> raw_;
};

TEST_F(AuditLogTest, ListsNewestFirstWithActorAndDetail) {
  auto events = log_->List(2, std::nullopt);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].id, 5);
  EXPECT_EQ((*events)[0].record.action, "token.create");
  EXPECT_EQ((*events)[0].record.detail, R"({"name":"t5","role":"reviewer"})");
  EXPECT_EQ((*events)[0].actor.name, "cli");
  EXPECT_EQ((*events)[0].at, 1'700'000'300);
  auto older = log_->List(10, 2);
  ASSERT_TRUE(older.ok());
  ASSERT_EQ(older->size(), 1u);
  EXPECT_EQ((*older)[0].id, 1);
}

TEST_F(AuditLogTest, IntactChainVerifies) {
  AuditVerifyReport r = Verify();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.events, 5);
  EXPECT_EQ(r.head_hash_hex.size(), 64u);
}

TEST_F(AuditLogTest, EmptyLogVerifies) {
  TempDir other;
  auto log = SqliteAuditLog::Open(other.File("empty.db"));
  ASSERT_TRUE(log.ok());
  auto r = (*log)->Verify();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok);
  EXPECT_EQ(r->events, 0);
}

// Each tampering (committed by another connection) and the event Verify must name first.
struct TamperCase {
  const char* what;
  const char* sql;
  int64_t first_bad_id;
};

const TamperCase kTamperCases[] = {
    {"edited_detail", "UPDATE audit_events SET detail = '{}' WHERE id = 3", 3},
    {"edited_actor", "UPDATE audit_events SET actor_name = 'someone' WHERE id = 2", 2},
    {"edited_time", "UPDATE audit_events SET at = at + 1 WHERE id = 4", 4},
    {"edited_last_row", "UPDATE audit_events SET object_id = '9' WHERE id = 5", 5},
    {"deleted_middle_row", "DELETE FROM audit_events WHERE id = 2", 2},
    {"deleted_first_row", "DELETE FROM audit_events WHERE id = 1", 1},
    {"deleted_last_row", "DELETE FROM audit_events WHERE id = 5", 5},
    {"inserted_row_at_the_end",
     "INSERT INTO audit_events SELECT 6, at, actor_token_id, actor_name, actor_role, action, "
     "object_type, object_id, detail, hash FROM audit_events WHERE id = 5",
     6},
    {"inserted_row_before_the_first",
     "INSERT INTO audit_events SELECT 0, at, actor_token_id, actor_name, actor_role, action, "
     "object_type, object_id, detail, hash FROM audit_events WHERE id = 1",
     0},
    {"hash_copied_from_another_row",
     "UPDATE audit_events SET hash = (SELECT hash FROM audit_events WHERE id = 1) WHERE id = 3",
     3},
};

class AuditTamperTest : public AuditLogTest,
                        public testing::WithParamInterface<TamperCase> {};

TEST_P(AuditTamperTest, FoundAtTheFirstBadEvent) {
  Tamper(GetParam().sql);
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_id, GetParam().first_bad_id) << r.problem;
  EXPECT_FALSE(r.problem.empty());
}

INSTANTIATE_TEST_SUITE_P(Tampering, AuditTamperTest, testing::ValuesIn(kTamperCases),
                         [](const testing::TestParamInfo<TamperCase>& info) {
                           return std::string(info.param.what);
                         });

TEST_F(AuditLogTest, AppendAfterTamperingStillChainsButVerifyFails) {
  Tamper("UPDATE audit_events SET detail = '{}' WHERE id = 2");
  auto tokens = SqliteTokenStore::Open(dir_.File("vigil.db"), clock_);
  ASSERT_TRUE(tokens.ok());
  ASSERT_TRUE((*tokens)->CreateToken("t6", Role::kAuditor, kCli).ok());
  AuditVerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_id, 2);
}

}  // namespace
}  // namespace vigil
