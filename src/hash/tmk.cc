// TMK+PDQF, written from the reference's description (tmk/cpp/algo/tmkfv.h) and checked
// against its sample hashes. Every float/double operation happens in the reference's
// order and precision, so the same frames give bit-identical features:
//   - a frame's feature is added raw to the pure-average sum (float);
//   - its L2-normalised copy (norm = sqrt of a float running sum of squares) is added to
//     the j = 0 cosine sum (float), and for j >= 1 multiplied by cos/sin(2 pi j t / T)
//     computed in double, the product and sum in double, stored back as float;
//   - at the end the pure-average sum is divided by the frame count, and each cosine and
//     sine vector is L2-normalised and multiplied by sqrt(a_j) (float).
// This file is compiled without FMA contraction (src/hash/CMakeLists.txt) for that reason.
#include "hash/tmk.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <string>

namespace vigil {
namespace {

// The reference's constant, used in double for the frame weights and the offsets.
constexpr double kPi = 3.14159265358979323846;
constexpr size_t kHeaderBytes = 32;
// Bounds a parsed file must respect, far above the defaults (4 x 32 x 256); they keep a
// garbled header from asking for gigabytes or overflowing the scorer's scratch arrays.
constexpr int kMaxPeriods = 16;
constexpr int kMaxCoefficients = 64;
constexpr int kMaxDimension = 4096;
constexpr int kMaxPeriod = 1 << 24;

uint32_t LoadU32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
int32_t LoadI32(const uint8_t* p) { return static_cast<int32_t>(LoadU32(p)); }
float LoadF32(const uint8_t* p) { return std::bit_cast<float>(LoadU32(p)); }

void StoreU32(uint32_t v, std::vector<uint8_t>& out) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void StoreI32(int32_t v, std::vector<uint8_t>& out) { StoreU32(static_cast<uint32_t>(v), out); }
void StoreF32(float v, std::vector<uint8_t>& out) { StoreU32(std::bit_cast<uint32_t>(v), out); }

// The reference's computeNorm: a float running sum of squares, in index order.
float Norm(std::span<const float> v) {
  float sum = 0.0f;
  for (float e : v) sum += e * e;
  return std::sqrt(sum);
}

float Dot(std::span<const float> u, std::span<const float> v) {
  float sum = 0.0f;
  for (size_t i = 0; i < u.size(); ++i) sum += u[i] * v[i];
  return sum;
}

// The reference's L2NormalizeVector: divide (not multiply by a reciprocal) by the norm.
void L2Normalize(std::span<float> v) {
  const float norm = Norm(v);
  if (norm > 0.0f) {
    for (float& e : v) e /= norm;
  }
}

Status CheckDimensions(int fps, int periods, int coefficients, int dimension, int count,
                       std::string_view source) {
  auto bad = [&](const std::string& what) {
    return Corrupt(std::string(source) + ": .tmk header: " + what);
  };
  if (fps <= 0 || fps > 1000) return bad("frames per second " + std::to_string(fps));
  if (periods < 0 || periods > kMaxPeriods) {
    return bad("period count " + std::to_string(periods) + " (at most " +
               std::to_string(kMaxPeriods) + ")");
  }
  if (coefficients < 0 || coefficients > kMaxCoefficients) {
    return bad("Fourier coefficient count " + std::to_string(coefficients) + " (at most " +
               std::to_string(kMaxCoefficients) + ")");
  }
  if (dimension <= 0 || dimension > kMaxDimension) {
    return bad("frame feature dimension " + std::to_string(dimension));
  }
  if (count < 0) return bad("frame count " + std::to_string(count));
  return Status::Ok();
}

}  // namespace

const std::array<float, kTmkNumCoefficients> kTmkFourierCoefficients = {
    0.0708041893112f,   0.13937789309f,     0.132897260304f,    0.122765735552f,
    0.109878684888f,    0.09529606433f,     0.0800986647852f,   0.0652590650356f,
    0.0515478238322f,   0.0394851531195f,   0.0293374252025f,   0.0211492623679f,
    0.0147973073245f,   0.0100512818746f,   0.0066306408014f,   0.00424947117334f,
    0.0026467615764f,   0.00160270959695f,  0.000943882629639f, 0.000540841638603f,
    0.000301633183798f, 0.000163800158855f, 8.66454753015e-05f, 4.46626303151e-05f,
    2.24429442235e-05f, 1.09982139799e-05f, 5.25823487999e-06f, 2.45358229988e-06f,
    1.11781474895e-06f, 4.97406489221e-07f, 2.16265487234e-07f, 9.19087006565e-08f};

std::span<const float> TmkFeatures::Cos(int period, int coefficient) const {
  const size_t at = (static_cast<size_t>(period) * fourier_coefficients.size() + coefficient) *
                    feature_dimension;
  return {cos_features.data() + at, static_cast<size_t>(feature_dimension)};
}

std::span<const float> TmkFeatures::Sin(int period, int coefficient) const {
  const size_t at = (static_cast<size_t>(period) * fourier_coefficients.size() + coefficient) *
                    feature_dimension;
  return {sin_features.data() + at, static_cast<size_t>(feature_dimension)};
}

Result<TmkFeatures> ParseTmk(std::span<const uint8_t> bytes, std::string_view source) {
  const std::string name(source);
  if (bytes.size() < kHeaderBytes) {
    return Corrupt(name + ": .tmk file is " + std::to_string(bytes.size()) +
                   " bytes, shorter than its 32-byte header");
  }
  const uint8_t* p = bytes.data();
  if (std::memcmp(p, "TMK1", 4) != 0 || std::memcmp(p + 4, "FVEC", 4) != 0) {
    return Corrupt(name + ": not a TMK feature-vector file (magic is not TMK1 FVEC)");
  }
  if (std::memcmp(p + 8, "PDQF", 4) != 0) {
    return Unsupported(name + ": .tmk frame-feature algorithm is not PDQF");
  }
  TmkFeatures f;
  f.frames_per_second = LoadI32(p + 12);
  const int num_periods = LoadI32(p + 16), num_coefficients = LoadI32(p + 20);
  f.feature_dimension = LoadI32(p + 24);
  f.frame_count = LoadI32(p + 28);
  VIGIL_RETURN_IF_ERROR(CheckDimensions(f.frames_per_second, num_periods, num_coefficients,
                                        f.feature_dimension, f.frame_count, source));
  const size_t d = f.feature_dimension;
  const size_t block = static_cast<size_t>(num_periods) * num_coefficients * d;
  const size_t want = kHeaderBytes + 4 * (num_periods + num_coefficients + d + 2 * block);
  if (bytes.size() != want) {
    return Corrupt(name + ": .tmk file is " + std::to_string(bytes.size()) +
                   " bytes; its header (" + std::to_string(num_periods) + " periods, " +
                   std::to_string(num_coefficients) + " coefficients, dimension " +
                   std::to_string(d) + ") needs " + std::to_string(want) +
                   (bytes.size() < want ? " (truncated)" : " (trailing bytes)"));
  }
  p += kHeaderBytes;
  f.periods.resize(num_periods);
  for (int& period : f.periods) {
    period = LoadI32(p);
    p += 4;
    if (period <= 0 || period > kMaxPeriod) {
      return Corrupt(name + ": .tmk period " + std::to_string(period) + " out of range");
    }
  }
  auto read_floats = [&p](std::vector<float>& v, size_t n) {
    v.resize(n);
    for (float& x : v) {
      x = LoadF32(p);
      p += 4;
    }
  };
  read_floats(f.fourier_coefficients, num_coefficients);
  read_floats(f.pure_average, d);
  read_floats(f.cos_features, block);
  read_floats(f.sin_features, block);
  return f;
}

std::vector<uint8_t> SerializeTmk(const TmkFeatures& f) {
  std::vector<uint8_t> out;
  out.reserve(kHeaderBytes + 4 * (f.periods.size() + f.fourier_coefficients.size() +
                                  f.pure_average.size() + f.cos_features.size() +
                                  f.sin_features.size()));
  for (const char* magic : {"TMK1", "FVEC", "PDQF"}) out.insert(out.end(), magic, magic + 4);
  StoreI32(f.frames_per_second, out);
  StoreI32(f.num_periods(), out);
  StoreI32(f.num_coefficients(), out);
  StoreI32(f.feature_dimension, out);
  StoreI32(f.frame_count, out);
  for (int period : f.periods) StoreI32(period, out);
  for (const auto* v : {&f.fourier_coefficients, &f.pure_average, &f.cos_features,
                        &f.sin_features}) {
    for (float x : *v) StoreF32(x, out);
  }
  return out;
}

Status PdqfFrameHasher::Feature(const ImageView& frame,
                                std::array<float, kTmkFeatureDimension>& out) {
  if (frame.width != kTmkFrameSide || frame.height != kTmkFrameSide || frame.channels != 3) {
    return InvalidArgument("TMK frame must be 64x64 RGB, got " + std::to_string(frame.width) +
                           "x" + std::to_string(frame.height) + " with " +
                           std::to_string(frame.channels) + " channels");
  }
  if (!pdq_.Dct64x64(frame, out)) return InvalidArgument("TMK frame view is invalid");
  return Status::Ok();
}

TmkHasher::TmkHasher()
    : pure_sum_(kTmkFeatureDimension),
      cos_sum_(kTmkNumPeriods * kTmkNumCoefficients * kTmkFeatureDimension),
      sin_sum_(cos_sum_.size()) {}

void TmkHasher::Reset() {
  std::fill(pure_sum_.begin(), pure_sum_.end(), 0.0f);
  std::fill(cos_sum_.begin(), cos_sum_.end(), 0.0f);
  std::fill(sin_sum_.begin(), sin_sum_.end(), 0.0f);
  frame_count_ = 0;
}

Status TmkHasher::AddFrame(const ImageView& frame) {
  VIGIL_RETURN_IF_ERROR(pdqf_.Feature(frame, feature_));
  AddFeature(feature_);
  return Status::Ok();
}

// The reference's ingestFrameFeature with t = the number of frames added before.
void TmkHasher::AddFeature(std::span<const float, kTmkFeatureDimension> feature) {
  constexpr int d = kTmkFeatureDimension;
  for (int k = 0; k < d; ++k) pure_sum_[k] += feature[k];
  std::copy(feature.begin(), feature.end(), normalized_.begin());
  L2Normalize(normalized_);
  const double t = frame_count_;
  for (int i = 0; i < kTmkNumPeriods; ++i) {
    const double period = kTmkPeriods[i];
    for (int j = 1; j < kTmkNumCoefficients; ++j) {
      const double arg = 2.0 * kPi * static_cast<double>(j) * t / period;
      cos_[j] = std::cos(arg);
      sin_[j] = std::sin(arg);
    }
    float* cos_row = &cos_sum_[static_cast<size_t>(i) * kTmkNumCoefficients * d];
    float* sin_row = &sin_sum_[static_cast<size_t>(i) * kTmkNumCoefficients * d];
    for (int k = 0; k < d; ++k) cos_row[k] += normalized_[k];
    for (int j = 1; j < kTmkNumCoefficients; ++j) {
      float* c = cos_row + j * d;
      float* s = sin_row + j * d;
      const double wc = cos_[j], ws = sin_[j];
      for (int k = 0; k < d; ++k) {
        const double x = normalized_[k];
        c[k] = static_cast<float>(static_cast<double>(c[k]) + x * wc);
        s[k] = static_cast<float>(static_cast<double>(s[k]) + x * ws);
      }
    }
  }
  ++frame_count_;
}

TmkFeatures TmkHasher::Finish() {
  TmkFeatures f;
  f.frame_count = frame_count_;
  f.periods.assign(kTmkPeriods.begin(), kTmkPeriods.end());
  f.fourier_coefficients.assign(kTmkFourierCoefficients.begin(), kTmkFourierCoefficients.end());
  f.pure_average = pure_sum_;
  f.cos_features = cos_sum_;
  f.sin_features = sin_sum_;
  if (frame_count_ > 0) {
    const float count = static_cast<float>(frame_count_);
    for (float& x : f.pure_average) x /= count;
    constexpr size_t d = kTmkFeatureDimension;
    for (int i = 0; i < kTmkNumPeriods; ++i) {
      for (int j = 0; j < kTmkNumCoefficients; ++j) {
        const size_t at = (static_cast<size_t>(i) * kTmkNumCoefficients + j) * d;
        const float scale = std::sqrt(kTmkFourierCoefficients[j]);
        for (auto* v : {&f.cos_features, &f.sin_features}) {
          std::span<float> row(v->data() + at, d);
          L2Normalize(row);
          for (float& x : row) x *= scale;
        }
      }
    }
  }
  Reset();
  return f;
}

Status TmkCompatible(const TmkFeatures& a, const TmkFeatures& b) {
  auto refuse = [](const std::string& what) {
    return InvalidArgument("TMK features are not comparable: " + what);
  };
  if (a.frames_per_second != b.frames_per_second) {
    return refuse("frames per second " + std::to_string(a.frames_per_second) +
                  " != " + std::to_string(b.frames_per_second));
  }
  if (a.periods != b.periods) return refuse("different periods");
  if (a.fourier_coefficients.size() != b.fourier_coefficients.size()) {
    return refuse("different Fourier coefficient counts");
  }
  for (size_t i = 0; i < a.fourier_coefficients.size(); ++i) {
    const float ca = a.fourier_coefficients[i], cb = b.fourier_coefficients[i];
    const float m = std::fmax(std::fabs(ca), std::fabs(cb));
    if (m > 0 && std::fabs((ca - cb) / m) > 1e-6f) {
      return refuse("Fourier coefficient " + std::to_string(i) + " differs");
    }
  }
  if (a.feature_dimension != b.feature_dimension) return refuse("different dimensions");
  const size_t block = a.periods.size() * a.fourier_coefficients.size() * a.feature_dimension;
  for (const TmkFeatures* f : {&a, &b}) {
    if (f->pure_average.size() != static_cast<size_t>(f->feature_dimension) ||
        f->cos_features.size() != block || f->sin_features.size() != block) {
      return refuse("feature vectors do not have the sizes their header gives");
    }
  }
  return Status::Ok();
}

Result<float> TmkLevel1Score(const TmkFeatures& a, const TmkFeatures& b) {
  VIGIL_RETURN_IF_ERROR(TmkCompatible(a, b));
  const float nu = Norm(a.pure_average), nv = Norm(b.pure_average);
  if (nu == 0.0f && nv == 0.0f) return 0.0f;
  return Dot(a.pure_average, b.pure_average) / (nu * nv);
}

// For each period, K(delta) = cc_0 + sum_{j>0} cos(j delta) (cc_j + ss_j)
//                                     + sin(j delta) (sc_j - cs_j),
// with delta = 2 pi offset / T for every offset 0..T-1, where cc_j = u_cos_j . v_cos_j and
// so on. cos(j delta), sin(j delta) come from the reference's incremental rotation in
// float (alpha = 2 sin^2(delta/2), beta = sin delta), not from sin/cos per j, so the
// maxima match its values to the last bits.
Result<float> TmkLevel2Score(const TmkFeatures& a, const TmkFeatures& b) {
  VIGIL_RETURN_IF_ERROR(TmkCompatible(a, b));
  const int num_periods = a.num_periods(), m = a.num_coefficients();
  if (num_periods == 0 || m == 0) return 0.0f;
  float normalizer = a.fourier_coefficients[0];
  for (int j = 1; j < m; ++j) {
    normalizer = static_cast<float>(normalizer + 2.0 * a.fourier_coefficients[j]);
  }
  float best = 0.0f;
  for (int i = 0; i < num_periods; ++i) {
    std::array<float, kMaxCoefficients> even{}, odd{};  // cc + ss, sc - cs
    const float cc0 = Dot(a.Cos(i, 0), b.Cos(i, 0));
    for (int j = 1; j < m; ++j) {
      even[j] = Dot(a.Cos(i, j), b.Cos(i, j)) + Dot(a.Sin(i, j), b.Sin(i, j));
      odd[j] = Dot(a.Sin(i, j), b.Cos(i, j)) - Dot(a.Cos(i, j), b.Sin(i, j));
    }
    const int period = a.periods[i];
    float period_best = 0.0f;
    for (int offset = 0; offset < period; ++offset) {
      const float delta = static_cast<float>(2.0 * kPi * static_cast<float>(offset) /
                                             static_cast<float>(period));
      const float beta = static_cast<float>(std::sin(static_cast<double>(delta)));
      float alpha = static_cast<float>(std::sin(static_cast<double>(delta / 2)));
      alpha = 2 * alpha * alpha;
      float cos_jd = 1.0f, sin_jd = 0.0f, k = cc0;
      for (int j = 1; j < m; ++j) {
        const float next_cos = alpha * cos_jd + beta * sin_jd;
        const float next_sin = alpha * sin_jd - beta * cos_jd;
        cos_jd -= next_cos;
        sin_jd -= next_sin;
        k += cos_jd * even[j];
        k += sin_jd * odd[j];
      }
      if (offset == 0 || k > period_best) period_best = k;
    }
    if (i == 0 || period_best > best) best = period_best;
  }
  return best / normalizer;
}

Result<TmkPairScore> ScoreTmkPair(const TmkFeatures& a, const TmkFeatures& b,
                                  const TmkThresholds& thresholds) {
  TmkPairScore score;
  VIGIL_ASSIGN_OR_RETURN(score.level1, TmkLevel1Score(a, b));
  if (score.level1 >= thresholds.level1) {
    VIGIL_ASSIGN_OR_RETURN(const float level2, TmkLevel2Score(a, b));
    score.level2 = level2;
    score.match = level2 >= thresholds.level2;
  }
  return score;
}

}  // namespace vigil
