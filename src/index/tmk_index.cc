#include "index/tmk_index.h"

#include <algorithm>
#include <cmath>

namespace vigil {
namespace {

// The pure average scaled to unit length (all zero when it is zero, or not the default
// dimension): the row of the prefilter matrix.
std::vector<float> UnitAverage(const TmkFeatures& f, bool* usable) {
  std::vector<float> unit(kTmkFeatureDimension, 0.0f);
  *usable = false;
  if (f.feature_dimension != kTmkFeatureDimension ||
      f.pure_average.size() != static_cast<size_t>(kTmkFeatureDimension)) {
    return unit;
  }
  double norm = 0;
  for (float v : f.pure_average) norm += static_cast<double>(v) * v;
  norm = std::sqrt(norm);
  if (!(norm > 0) || !std::isfinite(norm)) return unit;
  for (int k = 0; k < kTmkFeatureDimension; ++k) unit[k] = static_cast<float>(f.pure_average[k] / norm);
  *usable = true;
  return unit;
}

}  // namespace

Status TmkIndex::Add(int64_t id, TmkFeatures features) {
  if (position_.contains(id)) return AlreadyExists("tmk video " + std::to_string(id));
  bool usable = false;
  const std::vector<float> unit = UnitAverage(features, &usable);
  position_[id] = ids_.size();
  ids_.push_back(id);
  features_.push_back(std::make_unique<const TmkFeatures>(std::move(features)));
  unit_averages_.insert(unit_averages_.end(), unit.begin(), unit.end());
  prefilterable_.push_back(usable ? 1 : 0);
  return Status::Ok();
}

// Moves the last row into the removed one's place.
bool TmkIndex::Remove(int64_t id) {
  auto it = position_.find(id);
  if (it == position_.end()) return false;
  const size_t row = it->second, last = ids_.size() - 1;
  position_.erase(it);
  if (row != last) {
    ids_[row] = ids_[last];
    features_[row] = std::move(features_[last]);
    std::copy_n(unit_averages_.begin() + last * kTmkFeatureDimension, kTmkFeatureDimension,
                unit_averages_.begin() + row * kTmkFeatureDimension);
    prefilterable_[row] = prefilterable_[last];
    position_[ids_[row]] = row;
  }
  ids_.pop_back();
  features_.pop_back();
  unit_averages_.resize(last * kTmkFeatureDimension);
  prefilterable_.pop_back();
  return true;
}

bool TmkIndex::MayPassLevel1(size_t i, const std::vector<float>& unit_query) const {
  const float* row = unit_averages_.data() + i * kTmkFeatureDimension;
  double dot = 0;
  for (int k = 0; k < kTmkFeatureDimension; ++k) dot += static_cast<double>(row[k]) * unit_query[k];
  return dot >= thresholds_.level1 - kLevel1Margin;
}

void TmkIndex::Search(const TmkFeatures& query, std::vector<TmkIndexHit>* out) const {
  out->clear();
  bool query_usable = false;
  const std::vector<float> unit_query = UnitAverage(query, &query_usable);
  for (size_t i = 0; i < ids_.size(); ++i) {
    // Only rows both sides of which the prefilter understands may be skipped.
    if (query_usable && prefilterable_[i] && !MayPassLevel1(i, unit_query)) continue;
    Result<TmkPairScore> score = ScoreTmkPair(query, *features_[i], thresholds_);
    if (score.ok() && score->match) out->push_back(TmkIndexHit{ids_[i], *score});
  }
  std::sort(out->begin(), out->end(),
            [](const TmkIndexHit& a, const TmkIndexHit& b) { return a.id < b.id; });
}

}  // namespace vigil
