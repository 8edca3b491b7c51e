#include "api/metrics.h"

#include <fmt/format.h>

namespace vigil::api {
namespace {

// Prometheus label values escape backslash, quote and newline.
std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::ObserveRequest(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  requests_[{route, status}]++;
  Latency& l = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) l.buckets[i]++;
  }
  l.count++;
  l.sum += seconds;
}

void Metrics::AddMatches(size_t n) {
  std::lock_guard lock(mu_);
  matches_ += n;
}

std::string Metrics::Render(const std::vector<Gauge>& gauges) const {
  std::lock_guard lock(mu_);
  std::string out;
  out += "# HELP vigil_http_requests_total HTTP requests by route pattern and status.\n";
  out += "# TYPE vigil_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out += fmt::format("vigil_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", Escape(key.first),
                       key.second, n);
  }
  out += "# HELP vigil_http_request_seconds HTTP request latency by route pattern.\n";
  out += "# TYPE vigil_http_request_seconds histogram\n";
  for (const auto& [raw_route, l] : latency_) {
    std::string route = Escape(raw_route);
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("vigil_http_request_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
                         kBuckets[i], l.buckets[i]);
    }
    out += fmt::format("vigil_http_request_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route,
                       l.count);
    out += fmt::format("vigil_http_request_seconds_sum{{route=\"{}\"}} {}\n", route, l.sum);
    out += fmt::format("vigil_http_request_seconds_count{{route=\"{}\"}} {}\n", route, l.count);
  }
  out += "# HELP vigil_matches_total Bank signals matched by lookups and scans.\n";
  out += "# TYPE vigil_matches_total counter\n";
  out += fmt::format("vigil_matches_total {}\n", matches_);
  for (const Gauge& g : gauges) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", g.name, g.help, g.name, g.name,
                       g.value);
  }
  return out;
}

}  // namespace vigil::api
