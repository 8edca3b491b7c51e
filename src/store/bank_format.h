// The bank import/export formats (docs/formats.md): CSV with a header row, and JSON Lines.
// Readers stream a row at a time from a std::istream and validate it with the rules in
// bank_row.h; writers stream Signals out in the same formats, so an export re-imports to
// the same bank. Independent of any database, so every BankStore reuses it.
//
// Thread-safety: a reader or writer is used by one thread at a time.
#pragma once

#include <istream>
#include <memory>
#include <ostream>

#include "store/bank_row.h"
#include "store/bank_store.h"

namespace vigil {

class BankRowReader {
 public:
  enum class Outcome {
    kRow,        // *row holds a valid row
    kBadRow,     // *error holds the line and what was wrong; reading may go on
    kBadHeader,  // *error explains; the input cannot be read at all, stop
    kEnd,        // no more rows (if the stream's bad() is set, it failed)
  };

  static std::unique_ptr<BankRowReader> Create(BankFormat format, std::istream& in);
  virtual ~BankRowReader() = default;

  // The row's views (BankRow::source) stay valid until the next call. error->line is set
  // to the row's first line for every outcome but kEnd, so callers can track good rows too.
  virtual Outcome Next(BankRow* row, RowError* error) = 0;
};

class BankRowWriter {
 public:
  // Writes the CSV header at once, so an empty bank exports as a header-only file.
  static std::unique_ptr<BankRowWriter> Create(BankFormat format, std::ostream& out);
  virtual ~BankRowWriter() = default;

  virtual void Write(const Signal& signal) = 0;
};

// Factories of the two formats, defined in bank_format_csv.cc and bank_format_jsonl.cc.
std::unique_ptr<BankRowReader> NewCsvBankRowReader(std::istream& in);
std::unique_ptr<BankRowReader> NewJsonLinesBankRowReader(std::istream& in);
std::unique_ptr<BankRowWriter> NewCsvBankRowWriter(std::ostream& out);
std::unique_ptr<BankRowWriter> NewJsonLinesBankRowWriter(std::ostream& out);

}  // namespace vigil
