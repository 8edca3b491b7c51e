#include "match/matcher.h"

#include <algorithm>
#include <unordered_set>

#include "hash/video_signal.h"
#include "match/video_segments.h"

namespace vigil {
namespace {

// The banks to load: the named banks (each must exist), or every enabled bank.
Result<std::vector<Bank>> ChooseBanks(BankStore& store, const std::vector<std::string>& names) {
  std::vector<Bank> chosen;
  if (names.empty()) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<Bank> banks, store.ListBanks());
    for (Bank& b : banks) {
      if (b.enabled) chosen.push_back(std::move(b));
    }
    return chosen;
  }
  for (const std::string& name : names) {
    VIGIL_ASSIGN_OR_RETURN(Bank bank, store.GetBank(name));
    // Naming a disabled bank would silently match nothing; say so instead.
    if (!bank.enabled) return FailedPrecondition("bank '" + name + "' is disabled for matching");
    chosen.push_back(std::move(bank));
  }
  return chosen;
}

// Hex text to raw bytes; the text is canonical (validated by the store or the caller).
std::string HexToBytes(std::string_view hex) {
  std::string out(hex.size() / 2, '\0');
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<char>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  return out;
}

}  // namespace

std::string_view MatchVariantName(int variant) {
  static constexpr std::string_view kNames[] = {
      "original",         "rotate90",         "rotate180",           "rotate270",
      "flipx",            "flipy",            "flip_plus1",          "flip_minus1",
      "trimmed",          "trimmed_rotate90", "trimmed_rotate180",   "trimmed_rotate270",
      "trimmed_flipx",    "trimmed_flipy",    "trimmed_flip_plus1",  "trimmed_flip_minus1"};
  if (variant < 0 || variant >= static_cast<int>(std::size(kNames))) return "unknown";
  return kNames[variant];
}

Result<std::unique_ptr<Matcher>> Matcher::Load(BankStore& store, const MatcherOptions& options) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<Bank> banks, ChooseBanks(store, options.banks));
  std::unique_ptr<Matcher> m(new Matcher(options));
  for (const Bank& b : banks) m->banks_[b.id] = BankInfo{b.name, b.labels};
  std::vector<Hash256> hashes;
  std::vector<int64_t> ids;
  Status bad;
  VIGIL_RETURN_IF_ERROR(store.ForEachMatchableSignal(SignalType::kPdq, [&](const Signal& s) {
    if (!m->banks_.contains(s.bank_id)) return;
    auto h = Hash256::FromHex(s.value);
    if (!h.ok()) {  // the store validated it on the way in; a bad row here is corruption
      bad = Corrupt("signal " + std::to_string(s.id) + ": " + h.status().message());
      return;
    }
    hashes.push_back(*h);
    ids.push_back(s.id);
  }));
  VIGIL_RETURN_IF_ERROR(bad);
  m->pdq_.Build(hashes, ids);
  VIGIL_RETURN_IF_ERROR(m->LoadExact(store, SignalType::kMd5));
  VIGIL_RETURN_IF_ERROR(m->LoadExact(store, SignalType::kSha256));
  VIGIL_RETURN_IF_ERROR(m->LoadVideo(store, SignalType::kVpdq));
  VIGIL_RETURN_IF_ERROR(m->LoadVideo(store, SignalType::kTmk));
  return m;
}

Status Matcher::LoadVideo(BankStore& store, SignalType type) {
  Status bad;
  VIGIL_RETURN_IF_ERROR(store.ForEachMatchableSignal(type, [&](const Signal& s) {
    if (bad.ok() && banks_.contains(s.bank_id)) bad = AddVideo(s);
  }));
  return bad;
}

// The store validated the text on the way in; one that does not parse now is corruption.
Status Matcher::AddVideo(const Signal& s) {
  const std::string where = "signal " + std::to_string(s.id);
  if (s.type == SignalType::kVpdq) {
    Result<VpdqHash> hash = ParseVpdqSignal(s.value);
    if (!hash.ok()) return Corrupt(where + ": " + hash.status().message());
    return vpdq_.Add(s.id, std::move(hash).value());
  }
  Result<TmkFeatures> features = ParseTmkSignal(s.value);
  if (!features.ok()) return Corrupt(where + ": " + features.status().message());
  return tmk_.Add(s.id, std::move(features).value());
}

Status Matcher::LoadExact(BankStore& store, SignalType type) {
  std::vector<std::string> keys;
  std::vector<int64_t> ids;
  VIGIL_RETURN_IF_ERROR(store.ForEachMatchableSignal(type, [&](const Signal& s) {
    if (!banks_.contains(s.bank_id)) return;
    keys.push_back(HexToBytes(s.value));
    ids.push_back(s.id);
  }));
  std::vector<std::string_view> views(keys.begin(), keys.end());
  ExactSetIndex& index = type == SignalType::kMd5 ? md5_ : sha256_;
  return index.Add(views, ids).WithContext(std::string(SignalTypeName(type)) + " index");
}

Status Matcher::AddSignal(const Signal& s) {
  if (s.disabled || !banks_.contains(s.bank_id)) return Status::Ok();
  if (IsVideoSignalType(s.type)) return AddVideo(s);
  if (s.type == SignalType::kPdq) {
    VIGIL_ASSIGN_OR_RETURN(Hash256 h, Hash256::FromHex(s.value));
    return pdq_.Add(s.id, h);
  }
  std::string key = HexToBytes(s.value);
  std::string_view view = key;
  ExactSetIndex& index = s.type == SignalType::kMd5 ? md5_ : sha256_;
  return index.Add(std::span(&view, 1), std::span(&s.id, 1));
}

void Matcher::AddBank(const Bank& bank) {
  if (options_.banks.empty() && bank.enabled) banks_[bank.id] = BankInfo{bank.name, bank.labels};
}

void Matcher::RemoveSignal(int64_t signal_id) {
  if (pdq_.Remove(signal_id) || vpdq_.Remove(signal_id) || tmk_.Remove(signal_id)) return;
  md5_.Remove(std::span(&signal_id, 1));
  sha256_.Remove(std::span(&signal_id, 1));
}

namespace {

// One set of PDQ query hashes (the plain one or its eight dihedral variants), numbered
// from `first_variant` as MatchHit::variant documents.
void AddPdqQueries(const std::optional<PdqResult>& pdq, const std::vector<PdqResult>& dihedral,
                   int first_variant, std::vector<Hash256>* queries, std::vector<int>* variants) {
  if (!pdq || pdq->quality < kPdqMinQuality) return;
  if (dihedral.empty()) {
    queries->push_back(pdq->hash);
    variants->push_back(first_variant);
    return;
  }
  for (size_t i = 0; i < dihedral.size(); ++i) {
    queries->push_back(dihedral[i].hash);
    variants->push_back(first_variant + static_cast<int>(i));
  }
}

// The better of two vPDQ hits of one bank video: more of the bank video matched, then
// more of the query, then a closer frame pair.
bool BetterVpdqHit(const MatchHit& a, const MatchHit& b) {
  if (a.vpdq.bank_percent != b.vpdq.bank_percent) return a.vpdq.bank_percent > b.vpdq.bank_percent;
  if (a.vpdq.query_percent != b.vpdq.query_percent) {
    return a.vpdq.query_percent > b.vpdq.query_percent;
  }
  return a.distance < b.distance;
}

}  // namespace

std::vector<MatchHit> Matcher::Match(const ContentHashes& hashes) const {
  std::vector<MatchHit> hits;
  MatchExact(SignalType::kMd5, hashes.exact.md5, &hits);
  MatchExact(SignalType::kSha256, hashes.exact.sha256, &hits);
  std::vector<Hash256> queries;
  std::vector<int> variants;
  AddPdqQueries(hashes.pdq, hashes.dihedral, 0, &queries, &variants);
  AddPdqQueries(hashes.trimmed, hashes.trimmed_dihedral, kTrimmedVariant, &queries, &variants);
  if (!queries.empty()) MatchPdq(queries, variants, &hits);
  if (hashes.vpdq) MatchVpdq(*hashes.vpdq, 0, &hits);
  if (hashes.vpdq_trimmed) {
    // One hit per bank video: the trimmed frames' hit replaces the plain one if better.
    std::vector<MatchHit> trimmed;
    MatchVpdq(*hashes.vpdq_trimmed, kTrimmedVariant, &trimmed);
    for (MatchHit& t : trimmed) {
      auto same = std::find_if(hits.begin(), hits.end(), [&](const MatchHit& h) {
        return h.type == SignalType::kVpdq && h.signal_id == t.signal_id;
      });
      if (same == hits.end()) {
        hits.push_back(std::move(t));
      } else if (BetterVpdqHit(t, *same)) {
        *same = std::move(t);
      }
    }
  }
  if (hashes.tmk) MatchTmk(*hashes.tmk, &hits);
  return hits;
}

std::vector<MatchHit> Matcher::MatchSignal(SignalType type, std::string_view value) const {
  std::vector<MatchHit> hits;
  if (type == SignalType::kPdq) {
    auto h = Hash256::FromHex(value);
    const int variant = 0;
    if (h.ok()) MatchPdq(std::span(&*h, 1), std::span(&variant, 1), &hits);
  } else if (type == SignalType::kVpdq) {
    if (auto hash = ParseVpdqSignal(value); hash.ok()) MatchVpdq(*hash, 0, &hits);
  } else if (type == SignalType::kTmk) {
    if (auto features = ParseTmkSignal(value); features.ok()) MatchTmk(*features, &hits);
  } else {
    MatchExact(type, value, &hits);
  }
  return hits;
}

void Matcher::MatchVpdq(const VpdqHash& query, int variant, std::vector<MatchHit>* hits) const {
  std::vector<VpdqIndexHit> found;
  vpdq_.Search(query, &found);
  for (const VpdqIndexHit& f : found) {
    MatchHit hit{f.id, SignalType::kVpdq, 0, variant};
    hit.vpdq.query_percent = f.result.query_percent;
    hit.vpdq.bank_percent = f.result.target_percent;
    // The closest frame pair; 0 for a match with no pair (possible only with both
    // thresholds at 0).
    auto closest = std::min_element(f.pairs.begin(), f.pairs.end(),
                                    [](const VpdqFramePair& a, const VpdqFramePair& b) {
                                      return a.distance < b.distance;
                                    });
    hit.distance = closest == f.pairs.end() ? 0 : closest->distance;
    hit.vpdq.segments = MergeVideoSegments(query, *vpdq_.Find(f.id), f.pairs);
    hits->push_back(std::move(hit));
  }
}

void Matcher::MatchTmk(const TmkFeatures& query, std::vector<MatchHit>* hits) const {
  std::vector<TmkIndexHit> found;
  tmk_.Search(query, &found);
  for (const TmkIndexHit& f : found) {
    MatchHit hit{f.id, SignalType::kTmk, 0, 0};
    hit.tmk.level1 = f.score.level1;
    hit.tmk.level2 = f.score.level2.value_or(0);
    hits->push_back(hit);
  }
}

void Matcher::MatchPdq(std::span<const Hash256> queries, std::span<const int> variants,
                       std::vector<MatchHit>* hits) const {
  RadiusSearchResults results;
  pdq_.RadiusSearch(queries, options_.pdq_distance, &results);
  // A signal hit by several variants is reported once, at its smallest distance; queries
  // come in variant order, so a tie keeps the lowest variant.
  std::unordered_map<int64_t, size_t> seen;
  for (size_t q = 0; q < queries.size(); ++q) {
    for (size_t i = results.offsets[q]; i < results.offsets[q + 1]; ++i) {
      MatchHit hit{results.ids[i], SignalType::kPdq, results.distances[i], variants[q]};
      auto [it, inserted] = seen.emplace(hit.signal_id, hits->size());
      if (inserted) {
        hits->push_back(hit);
      } else if (hit.distance < (*hits)[it->second].distance) {
        (*hits)[it->second] = hit;
      }
    }
  }
}

void Matcher::MatchExact(SignalType type, std::string_view hex,
                         std::vector<MatchHit>* hits) const {
  if (!IsExactSignalType(type)) return;
  const ExactSetIndex& index = type == SignalType::kMd5 ? md5_ : sha256_;
  std::string key = HexToBytes(hex);
  std::string_view view = key;
  ExactLookupResults found;
  index.Lookup(std::span(&view, 1), &found);
  for (int64_t id : found.ids) hits->push_back(MatchHit{id, type, 0, 0});
}

namespace {

// Signal labels first, then the bank's, each once.
MatchReport Report(const MatchHit& hit, const Signal& s, const std::string& bank,
                   const std::vector<std::string>& bank_labels) {
  MatchReport r{hit, bank, s.value, s.labels, s.opinion};
  for (const std::string& l : bank_labels) {
    if (std::find(r.labels.begin(), r.labels.end(), l) == r.labels.end()) r.labels.push_back(l);
  }
  return r;
}

}  // namespace

Result<std::vector<MatchReport>> Matcher::Describe(BankStore& store,
                                                   std::span<const MatchHit> hits) const {
  std::vector<MatchReport> out;
  for (const MatchHit& hit : hits) {
    Result<Signal> found = store.GetSignal(hit.signal_id);
    // Removed between the index lookup and now (a concurrent curator): not a match any more.
    if (!found.ok() && found.status().code() == ErrorCode::kNotFound) continue;
    VIGIL_ASSIGN_OR_RETURN(Signal s, std::move(found));
    auto it = banks_.find(s.bank_id);
    static const BankInfo kUnknown;
    const BankInfo& bank = it == banks_.end() ? kUnknown : it->second;
    out.push_back(Report(hit, s, bank.name, bank.labels));
  }
  return out;
}

Result<std::vector<MatchReport>> DescribeHits(BankStore& store, std::span<const MatchHit> hits) {
  std::vector<MatchReport> out;
  if (hits.empty()) return out;
  VIGIL_ASSIGN_OR_RETURN(std::vector<Bank> banks, store.ListBanks());
  std::unordered_map<int64_t, const Bank*> by_id;
  for (const Bank& b : banks) by_id[b.id] = &b;
  for (const MatchHit& hit : hits) {
    Result<Signal> found = store.GetSignal(hit.signal_id);
    // Removed between the index lookup and now (a concurrent curator): not a match any more.
    if (!found.ok() && found.status().code() == ErrorCode::kNotFound) continue;
    VIGIL_ASSIGN_OR_RETURN(Signal s, std::move(found));
    auto it = by_id.find(s.bank_id);
    static const std::vector<std::string> kNone;
    out.push_back(it == by_id.end() ? Report(hit, s, "", kNone)
                                    : Report(hit, s, it->second->name, it->second->labels));
  }
  return out;
}

}  // namespace vigil
