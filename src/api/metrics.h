// Metrics: request counts and latencies per route, match counts, and gauges supplied at
// scrape time, rendered in the Prometheus text format (GET /metrics). Labels are route
// patterns, never paths or ids, so the series count stays bounded.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace vigil::api {

class Metrics {
 public:
  void ObserveRequest(const std::string& route, int status, double seconds);
  void AddMatches(size_t n);

  // `gauges`: name, help, value triples sampled by the caller at scrape time.
  struct Gauge {
    std::string name, help;
    double value;
  };
  std::string Render(const std::vector<Gauge>& gauges) const;

 private:
  static constexpr std::array<double, 10> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                      0.025,  0.05,  0.1,    0.5,   2.5};
  struct Latency {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mu_;  // guards everything below
  std::map<std::pair<std::string, int>, uint64_t> requests_;  // (route, status) -> count
  std::map<std::string, Latency> latency_;                     // route -> histogram
  uint64_t matches_ = 0;
};

}  // namespace vigil::api
