// TmkIndex: which bank videos a query matches by TMK+PDQF (hash/tmk.h ScoreTmkPair: level-1
// and level-2 both over their thresholds), without the level-2 kernel for every bank video.
// Results equal brute force, ScoreTmkPair against every bank video (property-tested).
//
// How: the bank's pure averages, L2-normalised, sit in one contiguous float matrix (n x 256).
// A query's level-1 cosine against all of them is one pass of dot products (double
// accumulators), which differs from the reference's float arithmetic by ~1e-6; rows within
// kLevel1Margin below the level-1 threshold or above go on to the exact ScoreTmkPair, which
// decides (level-1 again in the reference's arithmetic, then level-2). Rows whose features
// are not comparable with the 256-float default, or whose pure average is all zero, are
// always scored exactly (there are none from vigil's own hasher).
//
// Memory: each video's features (~257 KiB; level-2 needs them all) plus 1 KiB a row.
//
// Thread safety: Search may run concurrently with itself; Add and Remove need exclusive
// access.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "hash/tmk.h"
#include "util/status.h"

namespace vigil {

struct TmkIndexHit {
  int64_t id = 0;
  TmkPairScore score;  // score.match is true; score.level2 is set
};

class TmkIndex {
 public:
  // How far below the level-1 threshold the prefilter still sends a row to exact scoring:
  // 1000x the float error of the cosine, so no pair brute force accepts is dropped.
  static constexpr double kLevel1Margin = 1e-3;

  explicit TmkIndex(TmkThresholds thresholds = {}) : thresholds_(thresholds) {}

  // kAlreadyExists if `id` is present.
  Status Add(int64_t id, TmkFeatures features);
  bool Remove(int64_t id);
  bool Contains(int64_t id) const { return position_.contains(id); }
  size_t size() const { return ids_.size(); }
  const TmkThresholds& thresholds() const { return thresholds_; }

  // The bank videos `query` matches, in id order. Replaces `out`'s contents.
  void Search(const TmkFeatures& query, std::vector<TmkIndexHit>* out) const;

 private:
  // Whether row `i` might pass level-1 (the prefilter), given the query's unit average.
  bool MayPassLevel1(size_t i, const std::vector<float>& unit_query) const;

  TmkThresholds thresholds_;
  std::vector<int64_t> ids_;                         // row -> id
  std::vector<std::unique_ptr<const TmkFeatures>> features_;  // row -> features
  std::vector<float> unit_averages_;                 // row-major n x kTmkFeatureDimension
  std::vector<uint8_t> prefilterable_;               // row: default dimension, non-zero
  std::unordered_map<int64_t, size_t> position_;     // id -> row
};

}  // namespace vigil
