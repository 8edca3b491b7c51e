#include "store/wal_checkpointer.h"

#include "store/sqlite_db.h"

namespace vigil {

void WalCheckpointer::Start() {
  Wait();
  if (path_.empty() || path_ == ":memory:") return;
  worker_ = std::thread([path = path_] {
    // Best effort: a failure leaves the frames in the WAL, where the next automatic
    // checkpoint finds them, so there is nothing to report.
    Result<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path);
    if (!db.ok()) return;
    (void)(*db)->Exec("PRAGMA busy_timeout = 5000");
    (void)(*db)->QueryText("PRAGMA wal_checkpoint(PASSIVE)");
  });
}

void WalCheckpointer::Wait() {
  if (worker_.joinable()) worker_.join();
}

}  // namespace vigil
