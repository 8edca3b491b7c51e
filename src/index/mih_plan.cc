#include "index/mih_plan.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace vigil::index_internal {

int ChooseSubstringCount(size_t n) {
  const double log2n = std::log2(static_cast<double>(std::max<size_t>(n, 2)));
  const int m = static_cast<int>(std::lround(256.0 / log2n));
  return std::clamp(m, kMinSubstrings, 32);
}

std::vector<Substring> SplitIntoSubstrings(int count) {
  std::vector<Substring> out;
  int first = 0;
  for (int j = 0; j < count; ++j) {
    const int bits = 256 / count + (j < 256 % count ? 1 : 0);
    out.push_back({first, bits});
    first += bits;
  }
  return out;
}

int SubstringRadius(int radius, int count, int j) {
  const int s = radius / count;
  const int a = radius % count;
  return j <= a ? s : s - 1;
}

std::vector<uint32_t> FlipMasks(int bits, int radius) {
  std::vector<uint32_t> masks;
  const uint64_t limit = uint64_t{1} << bits;
  for (int k = 0; k <= std::min(radius, bits); ++k) {
    if (k == 0) {
      masks.push_back(0);
      continue;
    }
    // Gosper's hack: the next larger integer with the same number of ones.
    uint64_t v = (uint64_t{1} << k) - 1;
    while (v < limit) {
      masks.push_back(static_cast<uint32_t>(v));
      const uint64_t c = v & -v;
      const uint64_t r = v + c;
      v = (((r ^ v) >> 2) / c) | r;
    }
  }
  return masks;
}

double BallSize(int bits, int radius) {
  double total = 0, choose = 1;  // C(bits, 0)
  for (int k = 0; k <= std::min(radius, bits); ++k) {
    total += choose;
    choose = choose * (bits - k) / (k + 1);
  }
  return total;
}

}  // namespace vigil::index_internal
