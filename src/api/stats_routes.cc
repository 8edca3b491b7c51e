// GET /v1/stats: the reviewers' dashboard figures over ReviewService::Stats.
#include <charconv>

#include "api/ui_routes.h"
#include "store/unix_time.h"

namespace vigil::api {
namespace {

using nlohmann::json;

const Access kStatsRead = Access::Roles({Role::kReviewer, Role::kAuditor});

// "2025-06-15" for a UTC day number.
std::string DayText(int64_t day) { return FormatIsoTime(day * 86400).substr(0, 10); }

json StatsJson(const ReviewStats& s) {
  json days = json::array();
  for (const DayCounts& d : s.days) {
    days.push_back({{"day", DayText(d.day)},
                    {"cases_opened", d.cases_opened},
                    {"decisions", {{"remove", d.removes}, {"keep", d.keeps},
                                   {"escalate", d.escalations}}}});
  }
  json banks = json::array();
  for (const BankCaseCounts& b : s.banks) {
    double rate = b.decided > 0 ? static_cast<double>(b.disputed) / b.decided : 0.0;
    banks.push_back({{"bank", b.bank},       {"cases", b.cases},   {"decided", b.decided},
                     {"removed", b.removed}, {"kept", b.kept},     {"disputed", b.disputed},
                     {"dispute_rate", rate}});
  }
  json status = json::object();
  for (CaseStatus st : {CaseStatus::kOpen, CaseStatus::kEscalated, CaseStatus::kDecided,
                        CaseStatus::kAppealed, CaseStatus::kClosed}) {
    status[std::string(CaseStatusName(st))] = 0;
  }
  for (const auto& [st, n] : s.cases_by_status) status[std::string(CaseStatusName(st))] = n;
  return {{"days", days}, {"banks", banks}, {"cases_by_status", status}};
}

Reply Stats(Request& r, ReviewApi& api) {
  int days = 30;
  if (r.http.has_param("days")) {
    const std::string text = r.http.get_param_value("days");
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), days);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      return ErrorReply(InvalidArgument("days '" + text + "' must be a whole number from 1 to 366"));
    }
  }
  return api.WithService([&](ReviewService& s) {
    auto stats = s.Stats(days);
    return stats.ok() ? JsonReply(StatsJson(*stats)) : ErrorReply(stats.status());
  });
}

}  // namespace

void AddStatsRoutes(Router& router, ReviewApi& review) {
  router.Add(Method::kGet, "/v1/stats", kStatsRead,
             [&review](Request& r) { return Stats(r, review); });
}

}  // namespace vigil::api
