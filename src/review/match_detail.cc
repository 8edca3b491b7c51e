#include "review/match_detail.h"

#include <cmath>

namespace vigil {
namespace {

// Percentages and scores are evidence for a person, not for arithmetic: rounded so a
// case page reads "92.5", not "92.49999999".
double Round(double v, double places) {
  const double scale = std::pow(10.0, places);
  return std::round(v * scale) / scale;
}

// m:ss (or h:mm:ss), whole seconds rounded down: what a video player shows.
std::string Clock(double seconds) {
  long s = seconds > 0 ? static_cast<long>(seconds) : 0;
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

}  // namespace

nlohmann::json MatchDetailJson(const MatchHit& hit) {
  nlohmann::json j = nlohmann::json::object();
  if (hit.type == SignalType::kVpdq) {
    nlohmann::json segments = nlohmann::json::array();
    for (const VideoSegment& s : hit.vpdq.segments) {
      segments.push_back({{"query_start_s", Round(s.query_start_s, 3)},
                          {"query_end_s", Round(s.query_end_s, 3)},
                          {"bank_start_s", Round(s.bank_start_s, 3)},
                          {"bank_end_s", Round(s.bank_end_s, 3)}});
    }
    j = {{"query_percent", Round(hit.vpdq.query_percent, 1)},
         {"bank_percent", Round(hit.vpdq.bank_percent, 1)},
         {"segments", std::move(segments)}};
  } else if (hit.type == SignalType::kTmk) {
    j = {{"level1", Round(hit.tmk.level1, 4)}, {"level2", Round(hit.tmk.level2, 4)}};
  }
  // A match through a query variant is evidence of an edit: the reviewer should know the
  // upload was rotated, mirrored or framed.
  if ((hit.type == SignalType::kPdq || hit.type == SignalType::kVpdq) && hit.variant != 0) {
    j["variant"] = MatchVariantName(hit.variant);
  }
  return j;
}

std::string DescribeSegments(const std::string& detail_json) {
  nlohmann::json j = nlohmann::json::parse(detail_json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("segments") || !j["segments"].is_array()) {
    return "";
  }
  std::string out;
  for (const auto& s : j["segments"]) {
    if (!s.is_object()) continue;
    if (!out.empty()) out += "; ";
    out += "query " + Clock(s.value("query_start_s", 0.0)) + "-" + Clock(s.value("query_end_s", 0.0)) +
           " = bank " + Clock(s.value("bank_start_s", 0.0)) + "-" + Clock(s.value("bank_end_s", 0.0));
  }
  return out;
}

}  // namespace vigil
