#include "store/bank_format.h"

namespace vigil {

std::unique_ptr<BankRowReader> BankRowReader::Create(BankFormat format, std::istream& in) {
  if (format == BankFormat::kJsonLines) return NewJsonLinesBankRowReader(in);
  return NewCsvBankRowReader(in);
}

std::unique_ptr<BankRowWriter> BankRowWriter::Create(BankFormat format, std::ostream& out) {
  if (format == BankFormat::kJsonLines) return NewJsonLinesBankRowWriter(out);
  return NewCsvBankRowWriter(out);
}

}  // namespace vigil
