#include "bench_util.h"

#include <time.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace vigil::bench {

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

size_t ResidentBytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
  }
  return 0;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

Flags::Flags(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) continue;
    const size_t eq = arg.find('=');
    if (eq == std::string::npos) {
      values_.insert_or_assign(arg.substr(2), std::string(1, '1'));
    } else {
      values_[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
    }
  }
}

std::string Flags::Get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

long Flags::GetInt(const std::string& name, long fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : std::stol(it->second);
}

std::vector<long> Flags::GetInts(const std::string& name, const std::string& fallback) const {
  std::vector<long> out;
  std::stringstream in(Get(name, fallback));
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stol(item));
  return out;
}

Agreement Compare(const RadiusSearchResults& got, const RadiusSearchResults& truth) {
  Agreement a;
  a.exact = true;
  size_t found = 0, total = 0;
  for (size_t q = 0; q < truth.num_queries(); ++q) {
    std::set<int64_t> mine(got.ids.begin() + static_cast<ptrdiff_t>(got.offsets[q]),
                           got.ids.begin() + static_cast<ptrdiff_t>(got.offsets[q + 1]));
    for (size_t i = truth.offsets[q]; i < truth.offsets[q + 1]; ++i) {
      found += mine.count(truth.ids[i]);
    }
    total += truth.num_hits(q);
    if (got.num_hits(q) != truth.num_hits(q)) {
      a.exact = false;
      continue;
    }
    for (size_t i = 0; i < truth.num_hits(q); ++i) {
      if (got.ids[got.offsets[q] + i] != truth.ids[truth.offsets[q] + i] ||
          got.distances[got.offsets[q] + i] != truth.distances[truth.offsets[q] + i]) {
        a.exact = false;
      }
    }
  }
  a.recall = total == 0 ? 1.0 : static_cast<double>(found) / static_cast<double>(total);
  return a;
}

}  // namespace vigil::bench
