#include "banks.h"

#include <algorithm>
#include <filesystem>


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

std::vector<BankEntry> VigilBankEntries(const ImageView& original, PdqHasher& hasher,
                                        const std::vector<CropSpec>& crops) {
  std::vector<BankEntry> entries{{hasher.Hash(original, PdqMode::kReference), "original"}};
  for (const CropSpec& spec : crops) {
    PdqResult r = hasher.Hash(CropView(original, spec), PdqMode::kReference);
    if (r.quality >= kPdqMinQuality) entries.push_back({r, CropName(spec)});
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

std::map<int, MatchHit> VigilBank::ClosestByOriginal(const std::vector<MatchHit>& hits) const {
  std::map<int, MatchHit> closest;
  for (const MatchHit& hit : hits) {
    auto it = owners.find(hit.signal_id);
    if (it == owners.end()) continue;
    for (int o : it->second) {
      auto [at, inserted] = closest.emplace(o, hit);
      if (!inserted && hit.distance < at->second.distance) at->second = hit;
    }
  }
  return closest;
}

std::string VigilBank::Explain(const MatchHit& hit) const {
  auto name = entry_names.find(hit.signal_id);
  return "entry " + (name == entry_names.end() ? std::string("?") : name->second) +
         ", query variant " + std::to_string(hit.variant) + ", distance " +
         std::to_string(hit.distance);
}

namespace {

// Adds one entry; a hash the bank already has (two originals with one crop hash) maps the
// existing signal to this original too.
Status AddEntry(VigilBank& bank, std::unordered_map<std::string, int64_t>& ids,
                const BankEntry& entry, int original) {
  Signal s;
  s.type = SignalType::kPdq;
  s.value = entry.pdq.hash.ToHex();
  s.quality = entry.pdq.quality;
  s.source = "original " + std::to_string(original);
  int64_t id = 0;
  if (auto it = ids.find(s.value); it != ids.end()) {
    id = it->second;
  } else {
    VIGIL_ASSIGN_OR_RETURN(Signal added, bank.store->AddSignal("originals", s));
    id = added.id;
    ids.emplace(s.value, id);
    bank.entry_names.emplace(id, entry.name);
    ++bank.signals;
  }
  std::vector<int>& owners = bank.owners[id];
  if (std::find(owners.begin(), owners.end(), original) == owners.end()) owners.push_back(original);
  return Status::Ok();
}

}  // namespace

Result<VigilBank> BuildVigilBank(const std::vector<std::vector<BankEntry>>& entries,
                                 const std::string& db_path) {
  if (std::filesystem::exists(db_path)) return AlreadyExists(db_path + " already exists");
  VigilBank bank;
  bank.db_path = db_path;
  VIGIL_ASSIGN_OR_RETURN(bank.store, SqliteBankStore::Open(db_path));
  VIGIL_RETURN_IF_ERROR(bank.store->CreateBank({.name = "originals"}).status());
  std::unordered_map<std::string, int64_t> ids;
  for (size_t i = 0; i < entries.size(); ++i) {
    for (const BankEntry& e : entries[i]) {
      VIGIL_RETURN_IF_ERROR(AddEntry(bank, ids, e, static_cast<int>(i)));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(bank.matcher, Matcher::Load(*bank.store, MatcherOptions{}));
  return bank;
}

}  // namespace vigil::detection
