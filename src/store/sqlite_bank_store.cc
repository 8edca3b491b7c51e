#include "store/sqlite_bank_store.h"

#include <ctime>

#include <nlohmann/json.hpp>

#include "store/bank_format.h"
#include "store/crypto.h"
#include "store/sqlite_audit.h"
#include "store/sqlite_review_schema.h"

namespace vigil {
namespace {

constexpr std::string_view kSignalColumns =
    "s.id, s.bank_id, s.signal_type, s.value, s.labels, s.source, s.added_at, s.disabled, "
    "s.opinion, s.quality, s.body";

// Rows per INSERT statement during an import: one statement per row spends more time in
// statement start/finish than in the B-tree; 64 rows cut an import's CPU time by ~25%.
constexpr int kRowsPerInsert = 64;
constexpr int kInsertColumns = 11;

// ON CONFLICT names the de-duplication key only, so a NOT NULL or CHECK failure still
// fails loudly (INSERT OR IGNORE would swallow those too). OR FAIL makes such a failure
// stop the statement without undoing its earlier rows, which is all we need: every caller
// rolls the whole transaction back on any error. In exchange SQLite keeps no statement
// journal: under the default ABORT every multi-row INSERT copied each page it touched
// (16 KiB) into a journal spilled to a temp file, ~25% of an import's CPU time.
std::string InsertSignalsSql(int rows) {
  std::string sql =
      "INSERT OR FAIL INTO signals(bank_id, signal_type, value, labels, source, added_at, disabled, "
      "opinion, quality, id, body) VALUES ";
  for (int i = 0; i < rows; ++i) sql += i ? ",(?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?)";
  return sql + " ON CONFLICT(bank_id, signal_type, value) DO NOTHING";
}

// Signal ids are never reused (an index built earlier may still report an old id), yet
// AUTOINCREMENT costs a sqlite_sequence read and write per INSERT, which halved import
// speed. So ids come from id_sequences, read once and written once per batch, inside the
// caller's transaction. The max(id) term covers rows written by anything else.
constexpr std::string_view kNextSignalId =
    "SELECT max(q.next_id, coalesce((SELECT max(id) + 1 FROM signals), 1)) "
    "FROM id_sequences q WHERE q.name = 'signals'";
constexpr std::string_view kSaveNextSignalId =
    "UPDATE id_sequences SET next_id = ? WHERE name = 'signals'";

// Page cache for an import: 256 MiB keeps the unique index of a ~10 M-row bank in memory,
// so each insert's index probe does not read the disk. Negative = KiB (SQLite's rule).
constexpr int kImportCacheKiB = 256 * 1024;
// SQLite's default: checkpoint when a commit leaves the WAL above 1000 pages.
constexpr int kWalAutoCheckpoint = 1000;

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

Status BankNotFound(std::string_view name) {
  return NotFound("bank '" + std::string(name) + "' not found");
}

// Reads kSignalColumns at the statement's current row.
void ReadSignal(const SqliteStatement& st, Signal* s) {
  s->id = st.Int(0);
  s->bank_id = st.Int(1);
  s->type = ParseSignalTypeName(st.Text(2)).value_or(SignalType::kPdq);
  if (IsVideoSignalType(s->type)) {
    s->value = st.Blob(10);  // the canonical text; `value` is only its digest
  } else {
    std::string_view blob = st.Blob(3);
    s->value = EncodeSignalHex(reinterpret_cast<const uint8_t*>(blob.data()), blob.size());
  }
  s->labels = SplitLabels(st.Text(4));
  s->source = st.Text(5);
  s->added_at = st.Int(6);
  s->disabled = st.Int(7) != 0;
  s->opinion = ParseOpinion(st.Text(8)).value_or(Opinion::kNone);
  s->quality = st.IsNull(9) ? std::nullopt : std::optional<int>(static_cast<int>(st.Int(9)));
}

// Restores the connection's page cache size when an import ends, however it ends.
class ScopedCacheSize {
 public:
  ScopedCacheSize(SqliteDb* db, int kib) : db_(db) {
    Result<std::string> old = db_->QueryText("PRAGMA cache_size");
    if (old.ok()) old_ = *old;
    (void)db_->Exec("PRAGMA cache_size = -" + std::to_string(kib));
  }
  ~ScopedCacheSize() {
    if (!old_.empty()) (void)db_->Exec("PRAGMA cache_size = " + old_);
  }

 private:
  SqliteDb* db_;
  std::string old_;
};

// The connection settings of an import's transaction, restored afterwards. They are
// pragmas rather than statements within the transaction because SQLite ignores
// foreign_keys inside one.
// * Foreign-key checks off: the per-row parent lookup cost ~13% of an import's CPU time
//   and proves nothing we do not know: the import looks its bank up inside its own write
//   transaction, so the bank cannot vanish before the commit.
// * CHECK constraints ignored (in statements prepared meanwhile): every value was already
//   checked by the bank_row.h rules (quality 0..100; opinion and disabled come from enums),
//   and SQLite evaluates `opinion IN (...)` by building a temporary B-tree per row: ~10%
//   of an import's CPU time. NOT NULL and UNIQUE stay enforced; other writes keep CHECKs.
// * No automatic checkpoint at the commit: WalCheckpointer runs it in the background.
class ScopedImportPragmas {
 public:
  explicit ScopedImportPragmas(SqliteDb* db) : db_(db) {
    (void)db_->Exec("PRAGMA foreign_keys = OFF");
    (void)db_->Exec("PRAGMA ignore_check_constraints = ON");
    (void)db_->QueryText("PRAGMA wal_autocheckpoint = 0");
  }
  ~ScopedImportPragmas() {
    (void)db_->QueryText("PRAGMA wal_autocheckpoint = " + std::to_string(kWalAutoCheckpoint));
    (void)db_->Exec("PRAGMA ignore_check_constraints = OFF");
    (void)db_->Exec("PRAGMA foreign_keys = ON");
  }

 private:
  SqliteDb* db_;
};

}  // namespace

Result<std::unique_ptr<SqliteBankStore>> SqliteBankStore::Open(const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, OpenVigilDatabase(path));
  return std::unique_ptr<SqliteBankStore>(new SqliteBankStore(std::move(db)));
}

Result<int64_t> SqliteBankStore::BankId(std::string_view name) {
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st, db_->Prepare("SELECT id FROM banks WHERE name = ?"));
  st.BindText(1, name);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return BankNotFound(name);
  return st.Int(0);
}

Result<Bank> SqliteBankStore::CreateBank(const BankSpec& spec) {
  VIGIL_RETURN_IF_ERROR(ValidateBankName(spec.name));
  VIGIL_ASSIGN_OR_RETURN(std::string labels, JoinLabels(spec.labels));
  VIGIL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  if (BankId(spec.name).ok()) {
    return AlreadyExists("bank '" + spec.name + "' already exists");
  }
  VIGIL_ASSIGN_OR_RETURN(
      SqliteStatement st,
      db_->Prepare("INSERT INTO banks(name, description, enabled, labels, created_at) "
                   "VALUES(?, ?, ?, ?, ?)"));
  st.BindText(1, spec.name);
  st.BindText(2, spec.description);
  st.BindInt(3, spec.enabled ? 1 : 0);
  st.BindText(4, labels);
  st.BindInt(5, Now());
  VIGIL_RETURN_IF_ERROR(st.Run());
  nlohmann::json detail = {{"id", db_->LastInsertRowid()},
                           {"enabled", spec.enabled},
                           {"labels", spec.labels}};
  VIGIL_RETURN_IF_ERROR(Audit("bank.create", "bank", spec.name, detail.dump()));
  VIGIL_RETURN_IF_ERROR(txn->Commit());
  return GetBank(spec.name);
}

Result<std::vector<Bank>> SqliteBankStore::QueryBanks(std::string_view where,
                                                      std::string_view name) {
  std::string sql =
      "SELECT b.id, b.name, b.description, b.enabled, b.labels, b.created_at, "
      "(SELECT count(*) FROM signals s WHERE s.bank_id = b.id), "
      "(SELECT count(*) FROM signals s WHERE s.bank_id = b.id AND s.disabled = 0) "
      "FROM banks b " + std::string(where) + " ORDER BY b.name";
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st, db_->Prepare(sql));
  if (!where.empty()) st.BindText(1, name);
  std::vector<Bank> banks;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    Bank& b = banks.emplace_back();
    b.id = st.Int(0);
    b.name = st.Text(1);
    b.description = st.Text(2);
    b.enabled = st.Int(3) != 0;
    b.labels = SplitLabels(st.Text(4));
    b.created_at = st.Int(5);
    b.signal_count = st.Int(6);
    b.enabled_signal_count = st.Int(7);
  }
  return banks;
}

Result<std::vector<Bank>> SqliteBankStore::ListBanks() { return QueryBanks("", ""); }

Result<Bank> SqliteBankStore::GetBank(std::string_view name) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<Bank> banks, QueryBanks("WHERE b.name = ?", name));
  if (banks.empty()) return BankNotFound(name);
  return std::move(banks.front());
}

Status SqliteBankStore::DeleteBank(std::string_view name) {
  VIGIL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  VIGIL_ASSIGN_OR_RETURN(int64_t id, BankId(name));
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st, db_->Prepare("DELETE FROM banks WHERE id = ?"));
  st.BindInt(1, id);
  VIGIL_RETURN_IF_ERROR(st.Run());
  VIGIL_RETURN_IF_ERROR(Audit("bank.delete", "bank", std::string(name),
                              nlohmann::json{{"id", id}}.dump()));
  return txn->Commit();
}

void SqliteBankStore::BindRow(SqliteStatement& st, int base, int64_t bank_id,
                              const ImportBatch& batch, const ImportBatch::Row& row, int64_t id,
                              const ImportDefaults& defaults) {
  st.BindInt(base + 1, bank_id);
  st.BindText(base + 2, SignalTypeName(ImportBatch::Type(row)));
  st.BindBlob(base + 3, row.value.data(), row.value_size);
  st.BindText(base + 4, batch.Labels(row));
  st.BindText(base + 5, batch.Source(row).value_or(defaults.source));
  st.BindInt(base + 6, ImportBatch::AddedAt(row).value_or(defaults.added_at));
  st.BindInt(base + 7, row.disabled ? 1 : 0);
  st.BindText(base + 8, OpinionName(ImportBatch::OpinionOf(row)));
  if (std::optional<int> quality = ImportBatch::Quality(row)) {
    st.BindInt(base + 9, *quality);
  } else {
    st.BindNull(base + 9);
  }
  st.BindInt(base + 10, id);
  if (std::string_view body = batch.Body(row); !body.empty()) {
    st.BindBlob(base + 11, body.data(), body.size());
  } else {
    st.BindNull(base + 11);
  }
}

// Inserts in statements of kRowsPerInsert rows, then one row at a time for the rest. Every
// row gets its own id; a duplicate's id is simply never used (ids are unique, not dense).
Status SqliteBankStore::InsertBatch(int64_t bank_id, ImportBatch& batch,
                                    const ImportDefaults& defaults, ImportReport* report) {
  batch.Sort();
  VIGIL_ASSIGN_OR_RETURN(int64_t next_id, db_->QueryInt(kNextSignalId));
  const std::vector<ImportBatch::Row>& rows = batch.rows();
  size_t i = 0;
  if (rows.size() >= kRowsPerInsert) {
    VIGIL_ASSIGN_OR_RETURN(SqliteStatement many, db_->Prepare(InsertSignalsSql(kRowsPerInsert)));
    for (; i + kRowsPerInsert <= rows.size(); i += kRowsPerInsert) {
      many.Reset();
      for (int k = 0; k < kRowsPerInsert; ++k) {
        BindRow(many, k * kInsertColumns, bank_id, batch, rows[i + k], next_id++, defaults);
      }
      VIGIL_RETURN_IF_ERROR(many.Run());
      report->rows_inserted += db_->Changes();
      report->rows_duplicate += kRowsPerInsert - db_->Changes();
    }
  }
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement one, db_->Prepare(InsertSignalsSql(1)));
  for (; i < rows.size(); ++i) {
    one.Reset();
    BindRow(one, 0, bank_id, batch, rows[i], next_id++, defaults);
    VIGIL_RETURN_IF_ERROR(one.Run());
    ++(db_->Changes() > 0 ? report->rows_inserted : report->rows_duplicate);
  }
  batch.Clear();
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement save, db_->Prepare(kSaveNextSignalId));
  save.BindInt(1, next_id);
  return save.Run();
}

Result<Signal> SqliteBankStore::AddSignal(std::string_view bank, const Signal& signal) {
  VIGIL_ASSIGN_OR_RETURN(int64_t bank_id, BankId(bank));
  BankRow row;
  VIGIL_RETURN_IF_ERROR(ApplySignalType(SignalTypeName(signal.type), &row));
  VIGIL_RETURN_IF_ERROR(ApplySignal(signal.value, &row));
  if (signal.quality) {
    VIGIL_RETURN_IF_ERROR(
        ApplyQuality(*signal.quality, std::to_string(*signal.quality), &row));
  }
  VIGIL_ASSIGN_OR_RETURN(row.labels, JoinLabels(signal.labels));
  if (!signal.source.empty()) row.source = signal.source;
  if (signal.added_at != 0) row.added_at = signal.added_at;
  row.disabled = signal.disabled;
  row.opinion = signal.opinion;
  ImportBatch one;
  one.Add(row);
  ImportReport counts;
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<SqliteTransaction> txn,
                         SqliteTransaction::Begin(db_.get()));
  VIGIL_RETURN_IF_ERROR(InsertBatch(bank_id, one, {Now(), ""}, &counts));
  if (counts.rows_inserted == 0) {
    // A video signal's text is ~0.3 MB: name it by the start of its text instead.
    const std::string shown = row.body.empty()
                                  ? EncodeSignalHex(row.value.data(), row.value_size)
                                  : QuoteValue(row.body);
    return AlreadyExists("bank '" + std::string(bank) + "' already has " +
                         std::string(SignalTypeName(row.type)) + " signal " + shown);
  }
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement find,
                         db_->Prepare("SELECT id FROM signals WHERE bank_id = ? AND "
                                      "signal_type = ? AND value = ?"));
  find.BindInt(1, bank_id);
  find.BindText(2, SignalTypeName(row.type));
  find.BindBlob(3, row.value.data(), row.value_size);
  VIGIL_ASSIGN_OR_RETURN(bool found, find.Step());
  if (!found) return Internal("signal vanished after insert into bank '" + std::string(bank) + "'");
  const int64_t id = find.Int(0);
  nlohmann::json detail = {{"bank", bank}, {"signal_type", SignalTypeName(row.type)}};
  VIGIL_RETURN_IF_ERROR(Audit("signal.add", "signal", std::to_string(id), detail.dump()));
  VIGIL_RETURN_IF_ERROR(txn->Commit());
  return GetSignal(id);
}

Result<Signal> SqliteBankStore::GetSignal(int64_t id) {
  VIGIL_ASSIGN_OR_RETURN(
      SqliteStatement st,
      db_->Prepare("SELECT " + std::string(kSignalColumns) + " FROM signals s WHERE s.id = ?"));
  st.BindInt(1, id);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("signal " + std::to_string(id) + " not found");
  Signal s;
  ReadSignal(st, &s);
  return s;
}

Status SqliteBankStore::RunOnSignal(SqliteStatement& stmt, int param, int64_t id) {
  stmt.BindInt(param, id);
  VIGIL_RETURN_IF_ERROR(stmt.Run());
  if (db_->Changes() == 0) return NotFound("signal " + std::to_string(id) + " not found");
  return Status::Ok();
}

Status SqliteBankStore::Audit(std::string action, std::string object_type,
                              std::string object_id, std::string detail) {
  return AppendAuditEvent(db_.get(), Now(), actor_,
                          {std::move(action), std::move(object_type), std::move(object_id),
                           std::move(detail)});
}

Status SqliteBankStore::SetSignalDisabled(int64_t id, bool disabled) {
  VIGIL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("UPDATE signals SET disabled = ? WHERE id = ?"));
  st.BindInt(1, disabled ? 1 : 0);
  VIGIL_RETURN_IF_ERROR(RunOnSignal(st, 2, id));
  VIGIL_RETURN_IF_ERROR(Audit(disabled ? "signal.disable" : "signal.enable", "signal",
                              std::to_string(id), "{}"));
  return txn->Commit();
}

Status SqliteBankStore::SetSignalOpinion(int64_t id, Opinion opinion) {
  VIGIL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  VIGIL_ASSIGN_OR_RETURN(Signal before, GetSignal(id));
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("UPDATE signals SET opinion = ? WHERE id = ?"));
  st.BindText(1, OpinionName(opinion));
  VIGIL_RETURN_IF_ERROR(RunOnSignal(st, 2, id));
  nlohmann::json detail = {{"before", OpinionName(before.opinion)},
                           {"after", OpinionName(opinion)}};
  VIGIL_RETURN_IF_ERROR(Audit("signal.opinion", "signal", std::to_string(id), detail.dump()));
  return txn->Commit();
}

Status SqliteBankStore::RemoveSignal(int64_t id) {
  VIGIL_ASSIGN_OR_RETURN(auto txn, SqliteTransaction::Begin(db_.get()));
  VIGIL_ASSIGN_OR_RETURN(Signal before, GetSignal(id));
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st, db_->Prepare("DELETE FROM signals WHERE id = ?"));
  VIGIL_RETURN_IF_ERROR(RunOnSignal(st, 1, id));
  nlohmann::json detail = {{"bank_id", before.bank_id},
                           {"signal_type", SignalTypeName(before.type)}};
  // A video signal's text is up to ~0.9 MB; the audit log keeps its digest (the key).
  if (IsVideoSignalType(before.type)) {
    detail["signal_sha256"] = LowerHex(Sha256(before.value));
  } else {
    detail["signal"] = before.value;
  }
  VIGIL_RETURN_IF_ERROR(Audit("signal.remove", "signal", std::to_string(id), detail.dump()));
  return txn->Commit();
}

// Begins the import's write transaction if it has not begun, and looks the bank up again
// under the write lock: no one can delete the bank until we commit. Begun only when the
// first full batch (import_batch.h) or the end of the input is reached, so an import fed
// from a network stream (streamed_import.h) does not hold the database's write lock while
// its first ~1M rows are still arriving.
Status SqliteBankStore::BeginImportWrite(ImportWrite* w) {
  if (w->txn) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(w->txn, SqliteTransaction::Begin(db_.get()));
  VIGIL_ASSIGN_OR_RETURN(w->bank_id, BankId(w->bank));
  return Status::Ok();
}

// Reads every row, staging valid ones in a bounded sorted batch (import_batch.h); after
// the first bad row it only validates, so every error is still found and reported. The
// caller commits or rolls back.
Status SqliteBankStore::ImportRows(ImportWrite* w, std::istream& in,
                                   const ImportOptions& options, ImportReport* report) {
  std::unique_ptr<BankRowReader> reader = BankRowReader::Create(options.format, in);
  const ImportDefaults defaults{Now(), options.source};
  BankRow row;
  RowError error;
  ImportBatch batch;
  for (;;) {
    BankRowReader::Outcome o = reader->Next(&row, &error);
    if (o == BankRowReader::Outcome::kEnd) break;
    if (o == BankRowReader::Outcome::kRow) {
      ++report->rows_read;
      if (report->rows_invalid > 0) continue;
      batch.Add(row);
      if (batch.full()) {
        VIGIL_RETURN_IF_ERROR(BeginImportWrite(w));
        VIGIL_RETURN_IF_ERROR(InsertBatch(w->bank_id, batch, defaults, report));
      }
      continue;
    }
    if (o == BankRowReader::Outcome::kBadRow) ++report->rows_read;
    ++report->rows_invalid;
    if (report->errors.size() < options.max_reported_errors) report->errors.push_back(error);
    if (o == BankRowReader::Outcome::kBadHeader) break;
  }
  if (in.bad()) {
    return IoError("reading the import input failed after " +
                   std::to_string(report->rows_read) + " rows");
  }
  if (report->rows_invalid > 0) return Status::Ok();
  VIGIL_RETURN_IF_ERROR(BeginImportWrite(w));
  return InsertBatch(w->bank_id, batch, defaults, report);
}

Result<ImportReport> SqliteBankStore::Import(std::string_view bank, std::istream& in,
                                             const ImportOptions& options) {
  VIGIL_RETURN_IF_ERROR(BankId(bank).status());  // fail fast, before the guards
  ScopedCacheSize cache(db_.get(), kImportCacheKiB);
  ScopedImportPragmas import_pragmas(db_.get());
  ImportWrite write{bank, nullptr, 0};
  ImportReport report;
  VIGIL_RETURN_IF_ERROR(ImportRows(&write, in, options, &report));
  if (report.rows_invalid > 0) {
    // Rolled back by the transaction's destructor, if it began; rows after the first bad
    // one were never inserted, so neither count would mean anything.
    report.rows_inserted = 0;
    report.rows_duplicate = 0;
    return report;
  }
  nlohmann::json detail = {{"bank_id", write.bank_id},
                           {"rows_read", report.rows_read},
                           {"rows_inserted", report.rows_inserted},
                           {"rows_duplicate", report.rows_duplicate},
                           {"source", options.source}};
  VIGIL_RETURN_IF_ERROR(Audit("import", "bank", std::string(bank), detail.dump()));
  VIGIL_RETURN_IF_ERROR(write.txn->Commit());
  report.committed = true;
  // The commit is durable in the WAL; copying it into the database need not delay us.
  checkpointer_.Start();
  return report;
}

Status SqliteBankStore::Export(std::string_view bank, std::ostream& out, BankFormat format) {
  VIGIL_ASSIGN_OR_RETURN(int64_t bank_id, BankId(bank));
  VIGIL_ASSIGN_OR_RETURN(SqliteStatement st,
                         db_->Prepare("SELECT " + std::string(kSignalColumns) +
                                      " FROM signals s WHERE s.bank_id = ? ORDER BY s.id"));
  st.BindInt(1, bank_id);
  std::unique_ptr<BankRowWriter> writer = BankRowWriter::Create(format, out);
  Signal s;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ReadSignal(st, &s);
    writer->Write(s);
  }
  out.flush();
  if (!out) return IoError("writing the export of bank '" + std::string(bank) + "' failed");
  return Status::Ok();
}

Result<std::vector<Signal>> SqliteBankStore::ListSignalsPage(std::string_view bank,
                                                             int64_t after_id,
                                                             size_t max_rows) {
  VIGIL_ASSIGN_OR_RETURN(int64_t bank_id, BankId(bank));
  VIGIL_ASSIGN_OR_RETURN(
      SqliteStatement st,
      db_->Prepare("SELECT " + std::string(kSignalColumns) +
                   " FROM signals s WHERE s.bank_id = ? AND s.id > ? ORDER BY s.id LIMIT ?"));
  st.BindInt(1, bank_id);
  st.BindInt(2, after_id);
  st.BindInt(3, static_cast<int64_t>(max_rows));
  std::vector<Signal> page;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return page;
    ReadSignal(st, &page.emplace_back());
  }
}

Status SqliteBankStore::ForEachMatchableSignal(SignalType type,
                                               const std::function<void(const Signal&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(
      SqliteStatement st,
      db_->Prepare("SELECT " + std::string(kSignalColumns) +
                   " FROM signals s JOIN banks b ON b.id = s.bank_id "
                   "WHERE b.enabled = 1 AND s.signal_type = ? AND s.disabled = 0"));
  st.BindText(1, SignalTypeName(type));
  Signal s;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Ok();
    ReadSignal(st, &s);
    fn(s);
  }
}

Result<std::string> SqliteBankStore::IntegrityCheck() {
  return db_->QueryText("PRAGMA integrity_check");
}

}  // namespace vigil
