#include "banks.h"

#include <algorithm>
#include <filesystem>

#include "hash/crop_variants.h"

namespace vigil::detection {

std::vector<int> PlainPdqMatches(const std::vector<Original>& originals, const PdqResult& query) {
  std::vector<int> found;
  if (query.quality < kPdqMinQuality) return found;
  for (size_t i = 0; i < originals.size(); ++i) {
    if (HammingDistance(query.hash, originals[i].pdq.hash) <= kPdqMatchDistance) {
      found.push_back(static_cast<int>(i));
    }
  }
  return found;
}

std::vector<PdqResult> VigilBankEntries(const ImageView& original, PdqHasher& hasher) {
  std::vector<PdqResult> entries{hasher.Hash(original, PdqMode::kReference)};
  for (const CropSpec& spec : DefaultCropSet()) {
    PdqResult r = hasher.Hash(CropView(original, spec), PdqMode::kReference);
    if (r.quality >= kPdqMinQuality) entries.push_back(r);
  }
  return entries;
}

std::vector<int> VigilBank::Originals(const std::vector<MatchHit>& hits) const {
  std::vector<int> found;
  for (const MatchHit& hit : hits) {
    auto it = owners.find(hit.signal_id);
    if (it != owners.end()) found.insert(found.end(), it->second.begin(), it->second.end());
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

namespace {

// Adds one entry; a hash the bank already has (two originals with one crop hash) maps the
// existing signal to this original too.
Status AddEntry(VigilBank& bank, std::unordered_map<std::string, int64_t>& ids,
                const PdqResult& entry, int original) {
  Signal s;
  s.type = SignalType::kPdq;
  s.value = entry.hash.ToHex();
  s.quality = entry.quality;
  s.source = "original " + std::to_string(original);
  int64_t id = 0;
  if (auto it = ids.find(s.value); it != ids.end()) {
    id = it->second;
  } else {
    VIGIL_ASSIGN_OR_RETURN(Signal added, bank.store->AddSignal("originals", s));
    id = added.id;
    ids.emplace(s.value, id);
    ++bank.signals;
  }
  std::vector<int>& owners = bank.owners[id];
  if (std::find(owners.begin(), owners.end(), original) == owners.end()) owners.push_back(original);
  return Status::Ok();
}

}  // namespace

Result<VigilBank> BuildVigilBank(const std::vector<std::vector<PdqResult>>& entries,
                                 const std::string& db_path) {
  if (std::filesystem::exists(db_path)) return AlreadyExists(db_path + " already exists");
  VigilBank bank;
  bank.db_path = db_path;
  VIGIL_ASSIGN_OR_RETURN(bank.store, SqliteBankStore::Open(db_path));
  VIGIL_RETURN_IF_ERROR(bank.store->CreateBank({.name = "originals"}).status());
  std::unordered_map<std::string, int64_t> ids;
  for (size_t i = 0; i < entries.size(); ++i) {
    for (const PdqResult& e : entries[i]) {
      VIGIL_RETURN_IF_ERROR(AddEntry(bank, ids, e, static_cast<int>(i)));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(bank.matcher, Matcher::Load(*bank.store, MatcherOptions{}));
  return bank;
}

}  // namespace vigil::detection
