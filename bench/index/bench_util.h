// Small helpers for bench_index: timing, resident memory, flags, and comparing result
// sets against the brute-force truth.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "index/radius_search_results.h"

namespace vigil::bench {

inline double Seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// CPU seconds used by this process. The benchmark machine is shared, so queries/s are
// timed in CPU time: time spent descheduled by other jobs does not count against
// either side (memory-bandwidth contention still does).
double CpuSeconds();

// Resident set size of this process, bytes (from /proc/self/status).
size_t ResidentBytes();

double Median(std::vector<double> v);

// --name=value flags; Get* return the default when a flag is absent.
class Flags {
 public:
  Flags(int argc, char** argv);
  std::string Get(const std::string& name, const std::string& fallback) const;
  long GetInt(const std::string& name, long fallback) const;
  std::vector<long> GetInts(const std::string& name, const std::string& fallback) const;

 private:
  std::map<std::string, std::string> values_;
};

struct Agreement {
  double recall = 0;   // truth hits found / truth hits (1.0 when the truth is empty)
  bool exact = false;  // same ids and distances in the same order, query by query
};

// Compares the first truth.num_queries() queries of `got` with `truth`.
Agreement Compare(const RadiusSearchResults& got, const RadiusSearchResults& truth);

}  // namespace vigil::bench
