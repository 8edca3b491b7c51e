// The two banks the detection bench compares, built from the same originals:
//  - plain PDQ: one reference-mode PDQ hash per original, searched by brute force;
//  - vigil: a real SqliteBankStore (a temporary file) holding each original's PDQ and its
//    crop variants (hash/crop_variants.h; FullCropSet() unless --crops says), loaded into
//    a Matcher. Every signal id maps back to the original(s) it came from, so a hit can be
//    scored as right or wrong.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "dataset.h"
#include "hash/crop_variants.h"
#include "match/matcher.h"
#include "store/sqlite_bank_store.h"

namespace vigil::detection {

// The originals (indexes into Dataset::originals) within PDQ distance 31 of `query`;
// none when the query's quality is under 50, as the matcher would refuse it.
std::vector<int> PlainPdqMatches(const std::vector<Original>& originals, const PdqResult& query);

// One PDQ hash a vigil bank holds for an original, named "original" or by its crop ("c90").
struct BankEntry {
  PdqResult pdq;
  std::string name;
};

// The entries a vigil bank holds for one original: its own hash first, then one per crop
// variant of `crops` (the bench's --crops, FullCropSet() unless told) whose quality is
// at least 50. `original` is the decoded original; `hasher` is the calling thread's own.
std::vector<BankEntry> VigilBankEntries(const ImageView& original, PdqHasher& hasher,
                                        const std::vector<CropSpec>& crops);

struct VigilBank {
  std::string db_path;
  std::unique_ptr<SqliteBankStore> store;
  std::unique_ptr<Matcher> matcher;
  std::unordered_map<int64_t, std::vector<int>> owners;  // signal id -> originals
  std::unordered_map<int64_t, std::string> entry_names;  // signal id -> BankEntry::name
  size_t signals = 0;

  // The originals a set of hits points at, each once, in ascending order.
  std::vector<int> Originals(const std::vector<MatchHit>& hits) const;
  // Each original the hits point at, with its closest hit.
  std::map<int, MatchHit> ClosestByOriginal(const std::vector<MatchHit>& hits) const;
  // "entry c90, query variant 8, distance 27": which bank entry and which query hash met.
  std::string Explain(const MatchHit& hit) const;
};

// Creates the store at `db_path` (which must not exist), adds every original's entries
// (`entries[i]` for originals[i]) to one bank, and loads the matcher with default options.
Result<VigilBank> BuildVigilBank(const std::vector<std::vector<BankEntry>>& entries,
                                 const std::string& db_path);

}  // namespace vigil::detection
