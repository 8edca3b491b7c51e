#include "store/wal_checkpointer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/sqlite_db.h"
#include "store/test_temp_dir.h"

namespace vigil {
namespace {

TEST(WalCheckpointerTest, CopiesCommittedFramesIntoTheDatabase) {
  TempDir dir;
  auto db = SqliteDb::Open(dir.File("x.db"));
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->QueryText("PRAGMA journal_mode = WAL").ok());
  ASSERT_TRUE((*db)->Exec("PRAGMA wal_autocheckpoint = 0").ok());
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);").ok());

  // Committed but not checkpointed: the new table's pages are only in the WAL.
  auto before = std::filesystem::file_size(dir.File("x.db"));

  WalCheckpointer checkpointer(dir.File("x.db"));
  checkpointer.Start();
  checkpointer.Wait();
  EXPECT_GT(std::filesystem::file_size(dir.File("x.db")), before);
  auto rows = (*db)->QueryInt("SELECT count(*) FROM t");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, 2);
}

TEST(WalCheckpointerTest, InMemoryDatabaseIsANoOp) {
  WalCheckpointer checkpointer(":memory:");
  checkpointer.Start();
  checkpointer.Wait();
}

}  // namespace
}  // namespace vigil
