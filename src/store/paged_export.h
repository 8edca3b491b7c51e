// PagedExport: a bank export produced a page at a time, for a reply streamed to a client
// (api/bank_routes.cc) so that a 10M-signal bank never sits in memory. Each page is read
// by BankStore::ListSignalsPage in its own short read and written in the same formats as
// BankStore::Export (bank_format.h), so the pages joined are a file that imports back.
//
// Not a snapshot: pages are read at different moments. A signal removed meanwhile may
// be missing and one added meanwhile may appear; none appears twice (pages follow the
// signal id), and an import committed meanwhile appears whole or not at all (its ids
// are all above every id already read).
//
// Thread-safety: one thread at a time; the store may differ from page to page (the
// server takes a pooled connection per page).
#pragma once

#include <memory>
#include <sstream>
#include <string>

#include "store/bank_format.h"
#include "store/bank_store.h"

namespace vigil {

class PagedExport {
 public:
  static constexpr size_t kPageRows = 4096;

  PagedExport(std::string bank, BankFormat format);

  // Appends the next page (the CSV header comes with the first) to *out. Returns false
  // when there was nothing left to append: the export is complete.
  Result<bool> NextPage(BankStore& store, std::string* out);

 private:
  std::string bank_;
  std::ostringstream text_;
  std::unique_ptr<BankRowWriter> writer_;
  int64_t after_id_ = 0;  // the last id written
  bool done_ = false;
};

}  // namespace vigil
