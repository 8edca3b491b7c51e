#include "store/paged_export.h"

namespace vigil {

PagedExport::PagedExport(std::string bank, BankFormat format)
    : bank_(std::move(bank)), writer_(BankRowWriter::Create(format, text_)) {}

Result<bool> PagedExport::NextPage(BankStore& store, std::string* out) {
  if (done_) return false;
  VIGIL_ASSIGN_OR_RETURN(std::vector<Signal> page,
                         store.ListSignalsPage(bank_, after_id_, kPageRows));
  for (const Signal& s : page) writer_->Write(s);
  if (!page.empty()) after_id_ = page.back().id;
  done_ = page.size() < kPageRows;
  std::string text = std::move(text_).str();  // leaves text_ empty for the next page
  text_.str({});
  if (text.empty()) return false;
  out->append(text);
  return true;
}

}  // namespace vigil
