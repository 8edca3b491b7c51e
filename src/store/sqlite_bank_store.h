// SqliteBankStore: the BankStore on one SQLite file, for single-binary deployments and
// tests. WAL mode (readers never block the writer), foreign keys on, a busy timeout, and
// the schema brought up to date on Open (sqlite_schema.h, docs/schema.md).
//
// Signal values are stored as raw bytes (BLOB) and given back as canonical lowercase hex.
// Import runs in one transaction with a large page cache; see bank_store.h for its
// all-or-nothing contract and docs/formats.md for the formats.
//
// Every change appends its audit event (audit_log.h) as the last step of its own
// transaction, under the actor given to SetActor: Actor{0, "cli", admin} until then, the
// command line, whose user can already write the file. Open therefore also migrates the
// review schema (sqlite_review_schema.h), where the audit tables live.
//
// Thread-safety: one object per thread (it owns one connection). Several objects, in one
// process or several, may open the same file; SQLite serialises their writes.
#pragma once

#include <memory>
#include <string>

#include "store/bank_row.h"
#include "store/bank_store.h"
#include "store/import_batch.h"
#include "store/sqlite_db.h"
#include "store/token_store.h"
#include "store/wal_checkpointer.h"

namespace vigil {

class SqliteBankStore : public BankStore {
 public:
  // Opens or creates the database at `path` (":memory:" gives a private in-memory one,
  // for tests) and migrates its schema.
  static Result<std::unique_ptr<SqliteBankStore>> Open(const std::string& path);

  Result<Bank> CreateBank(const BankSpec& spec) override;
  Result<std::vector<Bank>> ListBanks() override;
  Result<Bank> GetBank(std::string_view name) override;
  Status DeleteBank(std::string_view name) override;

  // A signal with added_at == 0 is stamped with the current time.
  Result<Signal> AddSignal(std::string_view bank, const Signal& signal) override;
  Result<Signal> GetSignal(int64_t id) override;
  Status SetSignalDisabled(int64_t id, bool disabled) override;
  Status SetSignalOpinion(int64_t id, Opinion opinion) override;
  Status RemoveSignal(int64_t id) override;

  Result<ImportReport> Import(std::string_view bank, std::istream& in,
                              const ImportOptions& options) override;
  Status Export(std::string_view bank, std::ostream& out, BankFormat format) override;
  Result<std::vector<Signal>> ListSignalsPage(std::string_view bank, int64_t after_id,
                                              size_t max_rows) override;

  Status ForEachMatchableSignal(SignalType type,
                                const std::function<void(const Signal&)>& fn) override;

  // For tests and operators: the answer of PRAGMA integrity_check ("ok" when healthy).
  Result<std::string> IntegrityCheck();

  void SetActor(const Actor& actor) override { actor_ = actor; }

 private:
  explicit SqliteBankStore(std::unique_ptr<SqliteDb> db)
      : db_(std::move(db)), checkpointer_(db_->path()) {}

  Result<int64_t> BankId(std::string_view name);
  Result<std::vector<Bank>> QueryBanks(std::string_view where, std::string_view name);
  struct ImportDefaults {
    int64_t added_at;         // for rows without added_at
    std::string_view source;  // for rows without source
  };
  // Sorts `batch` and inserts each row the bank does not have yet; counts both kinds.
  Status InsertBatch(int64_t bank_id, ImportBatch& batch, const ImportDefaults& defaults,
                     ImportReport* report);
  static void BindRow(SqliteStatement& st, int base, int64_t bank_id, const ImportBatch& batch,
                      const ImportBatch::Row& row, int64_t id, const ImportDefaults& defaults);
  // An import's write transaction, begun lazily (BeginImportWrite), and the bank's id.
  struct ImportWrite {
    std::string_view bank;
    std::unique_ptr<SqliteTransaction> txn;
    int64_t bank_id = 0;
  };
  Status BeginImportWrite(ImportWrite* w);
  Status ImportRows(ImportWrite* w, std::istream& in, const ImportOptions& options,
                    ImportReport* report);
  // Runs an UPDATE/DELETE whose last parameter is the signal id; kNotFound if none changed.
  Status RunOnSignal(SqliteStatement& stmt, int param, int64_t id);
  // Appends the audit event of a change; inside the change's transaction.
  Status Audit(std::string action, std::string object_type, std::string object_id,
               std::string detail);

  std::unique_ptr<SqliteDb> db_;
  Actor actor_{0, "cli", Role::kAdmin};  // who the audit log records
  WalCheckpointer checkpointer_;  // after a committed import; joined on destruction
};

}  // namespace vigil
