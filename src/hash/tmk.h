// TMK+PDQF: Meta's temporal-match-kernel video hash (facebook/ThreatExchange tmk/cpp),
// restated in specs/video.md. A video is resampled to 15 frames per second of 64x64 RGB;
// each frame's feature is PDQ's float DCT (256 floats, "PDQF"). The hash is the pure
// average of those features plus, for each of 4 periods and 32 Fourier coefficients, a
// cosine- and a sine-weighted sum of the L2-normalised features, each normalised and
// scaled by the square root of its coefficient. Two hashes are compared by the level-1
// score (cosine of the pure averages, cheap) and the level-2 score (the TMK kernel
// maximised over time offsets modulo each period, normalised so a video scores 1 with
// itself).
//
// This module knows nothing of decoders: content/tmk_video.h feeds TmkHasher the
// resampled frames. Arithmetic follows the reference operation by operation (float and
// double exactly where it uses them), so features from the same frames are bit-identical.
//
// Thread-safety: TmkHasher and TmkScorer keep scratch state; use one per thread.
// TmkFeatures is a plain value.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "hash/pdq.h"
#include "util/status.h"

namespace vigil {

inline constexpr int kTmkFramesPerSecond = 15;
inline constexpr int kTmkFrameSide = 64;
inline constexpr int kTmkFeatureDimension = 256;  // PDQ's 16x16 DCT
inline constexpr int kTmkNumPeriods = 4;
inline constexpr int kTmkNumCoefficients = 32;
// Periods in frames at 15 fps (Poullot et al., as tabulated by the reference).
inline constexpr std::array<int, kTmkNumPeriods> kTmkPeriods = {2731, 4391, 9767, 14653};
// The Fourier weights a_j (the reference's Poullot table: a_0 = (I_0(b) - e^-b) / 2 sinh b,
// a_j = I_j(b) / sinh b with the modified Bessel function I and b = 32), as float.
extern const std::array<float, kTmkNumCoefficients> kTmkFourierCoefficients;
// Size of a .tmk file with the default dimensions.
inline constexpr size_t kTmkDefaultFileBytes = 263344;

// One video's TMK+PDQF features, as the reference's .tmk file holds them. The dimensions
// come from the file (the reference's format allows others than 4 x 32 x 256);
// TmkHasher always produces the defaults.
struct TmkFeatures {
  int frames_per_second = kTmkFramesPerSecond;  // provenance: the resampling rate
  int frame_count = 0;                          // frames ingested (after resampling)
  int feature_dimension = kTmkFeatureDimension;  // d
  std::vector<int> periods;                     // P entries
  std::vector<float> fourier_coefficients;      // m entries
  std::vector<float> pure_average;              // d floats: mean of the raw features
  // P x m x d floats each, period-major then coefficient then dimension, as in the file.
  std::vector<float> cos_features;
  std::vector<float> sin_features;

  int num_periods() const { return static_cast<int>(periods.size()); }
  int num_coefficients() const { return static_cast<int>(fourier_coefficients.size()); }
  std::span<const float> Cos(int period, int coefficient) const;
  std::span<const float> Sin(int period, int coefficient) const;

  friend bool operator==(const TmkFeatures&, const TmkFeatures&) = default;
};

// Parses the reference's .tmk format (little-endian): a 32-byte header ("TMK1", "FVEC",
// algorithm "PDQF", then int32 frames per second, P, m, d, frame count), P int32 periods,
// m float32 coefficients, d float32 pure average, P*m*d float32 cosine features and as
// many sine features. Errors (kCorrupt / kUnsupported) name `source` and say what is
// wrong: short file, trailing bytes, bad magic, another frame algorithm, implausible
// dimensions.
Result<TmkFeatures> ParseTmk(std::span<const uint8_t> bytes, std::string_view source);
// The bytes ParseTmk reads back; ParseTmk then SerializeTmk reproduces the input exactly.
std::vector<uint8_t> SerializeTmk(const TmkFeatures& features);

// The PDQF feature of one 64x64 frame (the reference's PDQFloatFrameBufferHasher): the
// 16x16 float DCT of its luma, taken as PDQ's 64x64 matrix directly (no blur), not
// normalised. Allocation-free after construction.
class PdqfFrameHasher {
 public:
  // Fails (kInvalidArgument) unless `frame` is 64x64 RGB.
  Status Feature(const ImageView& frame, std::array<float, kTmkFeatureDimension>& out);

 private:
  PdqHasher pdq_;
};

// Streams 64x64 RGB frames (already resampled to 15 fps, in order) into TMK features.
// All accumulators are allocated once, at construction; AddFrame allocates nothing.
class TmkHasher {
 public:
  TmkHasher();

  // Adds the next frame: its PDQF feature, with frame number = frames added so far.
  Status AddFrame(const ImageView& frame);
  // Adds a precomputed frame feature (the reference's ingestFrameFeature).
  void AddFeature(std::span<const float, kTmkFeatureDimension> feature);
  int frame_count() const { return frame_count_; }

  // The features of the frames added since construction or the last Finish (all zero
  // with frame_count 0 when none were, as the reference writes them), then starts over.
  TmkFeatures Finish();

 private:
  void Reset();

  PdqfFrameHasher pdqf_;
  std::array<float, kTmkFeatureDimension> feature_{};
  std::array<float, kTmkFeatureDimension> normalized_{};
  std::array<double, kTmkNumCoefficients> cos_{}, sin_{};
  std::vector<float> pure_sum_, cos_sum_, sin_sum_;
  int frame_count_ = 0;
};

// Level-1: cosine similarity of the pure averages (-1..1; 0 when both are zero).
// Level-2: the TMK kernel of the two videos maximised over offsets 0..T-1 for each period
// T, the largest over periods, divided by a_0 + 2 sum_{j>0} a_j (so 1 for a video with
// itself). Both fail (kInvalidArgument) when the features are not comparable (different
// frames per second, periods, coefficients or dimension), as the reference refuses them.
Result<float> TmkLevel1Score(const TmkFeatures& a, const TmkFeatures& b);
Result<float> TmkLevel2Score(const TmkFeatures& a, const TmkFeatures& b);
// Whether two feature sets were made with the same parameters (the reference's
// areCompatible: coefficients equal within a relative 1e-6).
Status TmkCompatible(const TmkFeatures& a, const TmkFeatures& b);

struct TmkThresholds {
  float level1 = 0.7f;  // the reference's DEFAULT_LEVEL_1_THRESHOLD
  float level2 = 0.7f;  // DEFAULT_LEVEL_2_THRESHOLD; near-exact copies score >= 0.9
};

struct TmkPairScore {
  float level1 = 0;
  std::optional<float> level2;  // computed only when level1 >= thresholds.level1
  bool match = false;           // level1 >= level1 threshold and level2 >= level2 threshold
};

// The reference's two-level decision (tmk-two-level-score): level-2 only for pairs whose
// level-1 passes, both compared with >=.
Result<TmkPairScore> ScoreTmkPair(const TmkFeatures& a, const TmkFeatures& b,
                                  const TmkThresholds& thresholds = {});

}  // namespace vigil
