#include "store/sqlite_review_schema.h"

#include <gtest/gtest.h>

#include "store/sqlite_bank_store.h"
#include "store/sqlite_schema.h"
#include "store/test_temp_dir.h"

namespace vigil {
namespace {

TEST(ReviewSchemaTest, MigratesOnceAndBesideTheBankSchema) {
  TempDir dir;
  auto db = OpenVigilDatabase(dir.File("vigil.db"));
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto again = OpenVigilDatabase(dir.File("vigil.db"));
  ASSERT_TRUE(again.ok());
  auto review = (*db)->QueryInt("SELECT count(*) FROM schema_migrations_review");
  ASSERT_TRUE(review.ok());
  EXPECT_EQ(*review, LatestReviewSchemaVersion());
  auto banks = (*db)->QueryInt("SELECT max(version) FROM schema_migrations");
  ASSERT_TRUE(banks.ok());
  EXPECT_EQ(*banks, LatestSqliteSchemaVersion());
  // The bank store opens the same file without complaint, and the other way round.
  EXPECT_TRUE(SqliteBankStore::Open(dir.File("vigil.db")).ok());
  TempDir other;
  ASSERT_TRUE(SqliteBankStore::Open(other.File("banks-first.db")).ok());
  EXPECT_TRUE(OpenVigilDatabase(other.File("banks-first.db")).ok());
}

TEST(ReviewSchemaTest, NewerDatabaseIsRefused) {
  TempDir dir;
  {
    auto db = OpenVigilDatabase(dir.File("vigil.db"));
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO schema_migrations_review VALUES(99, 'future', 0)").ok());
  }
  auto db = OpenVigilDatabase(dir.File("vigil.db"));
  EXPECT_EQ(db.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(db.status().message().find("review schema version 99"), std::string::npos);
}

}  // namespace
}  // namespace vigil
