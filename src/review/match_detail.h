// The detail a video match adds to a case (and to a scan's reply): vPDQ's percentages and
// matched time segments, TMK's scores. One JSON shape, written here for the case's
// evidence (CaseMatch::detail) and read back by the API and the statement of reasons:
//   vPDQ: {"query_percent": 92.5, "bank_percent": 88.1,
//          "segments": [{"query_start_s": 3, "query_end_s": 17, "bank_start_s": 0, "bank_end_s": 14}]}
//   TMK:  {"level1": 0.98, "level2": 0.91}
//   images and exact hashes: {}
// A PDQ or vPDQ match through a query variant (matcher.h MatchHit::variant) adds
// "variant": "rotate90", "trimmed", ... ("original" is left out).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "match/matcher.h"

namespace vigil {

nlohmann::json MatchDetailJson(const MatchHit& hit);

// "query 0:03-0:17 = bank 0:00-0:14" for each segment of a stored detail, joined by "; ";
// empty when the detail has no segments (or is not valid JSON: evidence is never rejected
// for display).
std::string DescribeSegments(const std::string& detail_json);

}  // namespace vigil
