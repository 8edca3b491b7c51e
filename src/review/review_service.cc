#include "review/review_service.h"

#include <algorithm>
#include <map>

#include "review/match_detail.h"
#include "review/statement_of_reasons.h"

namespace vigil {
namespace {

constexpr size_t kMaxContentIdBytes = 256;
constexpr size_t kMaxUrlBytes = 2048;
constexpr size_t kMaxTextBytes = 4000;  // reasons and complaints
constexpr size_t kMaxGroundBytes = 500;

// Admin passes every role check, as on the HTTP routes.
Status RequireRole(const Actor& actor, Role role, std::string_view what) {
  if (actor.role == Role::kAdmin || actor.role == role) return Status::Ok();
  return FailedPrecondition("only a " + std::string(RoleName(role)) + " or an admin may " +
                            std::string(what) + " (token '" + actor.name + "' is " +
                            std::string(RoleName(actor.role)) + ")");
}

Status CheckText(std::string_view field, std::string_view text, size_t max, bool required) {
  if (required && text.empty()) return InvalidArgument(std::string(field) + " is required");
  if (text.size() > max) {
    return InvalidArgument(std::string(field) + " is " + std::to_string(text.size()) +
                           " bytes; the limit is " + std::to_string(max));
  }
  return Status::Ok();
}

// Whether two actors are one person: the same token, or the same staff name.
bool SamePerson(const Actor& a, const Actor& b) {
  return (a.token_id != 0 && a.token_id == b.token_id) || a.name == b.name;
}

std::string CaseIs(const Case& c) {
  return "case " + std::to_string(c.id) + " is " + std::string(CaseStatusName(c.status));
}

WebhookRequest RemovalWebhook(const Case& c) {
  return {WebhookKind::kRemove, [c](const Decision& d) {
            return BuildWebhookPayload({WebhookKind::kRemove, &c, &d, nullptr});
          }};
}

}  // namespace

int PriorityFromLabels(std::span<const MatchReport> matches) {
  static const std::map<std::string, int, std::less<>> kNamed = {
      {"low", 1}, {"medium", 2}, {"high", 3}, {"critical", 4}};
  int best = 0;
  for (const MatchReport& m : matches) {
    for (const std::string& label : m.labels) {
      if (!label.starts_with("priority:")) continue;
      std::string_view v = std::string_view(label).substr(9);
      if (v.size() == 1 && v[0] >= '0' && v[0] <= '9') best = std::max(best, v[0] - '0');
      if (auto it = kNamed.find(v); it != kNamed.end()) best = std::max(best, it->second);
    }
  }
  return best;
}

Result<ReviewStats> ReviewService::Stats(int days) {
  if (days < 1 || days > 366) {
    return InvalidArgument("days must be 1 to 366, got " + std::to_string(days));
  }
  const int64_t today = clock_.NowUnix() / 86400;
  const int64_t first = today - days + 1;
  VIGIL_ASSIGN_OR_RETURN(ReviewStats stats, store_.Stats(first * 86400));
  std::vector<DayCounts> dense(static_cast<size_t>(days));
  for (int i = 0; i < days; ++i) dense[i].day = first + i;
  for (const DayCounts& d : stats.days) {
    // A clock set back could leave rows past `today`; they are not shown.
    if (d.day >= first && d.day <= today) dense[static_cast<size_t>(d.day - first)] = d;
  }
  stats.days = std::move(dense);
  return stats;
}

Result<ScanCaseResult> ReviewService::OpenCaseForScan(std::string_view content_id,
                                                      std::string_view content_url,
                                                      std::span<const MatchReport> matches,
                                                      const Actor& actor) {
  VIGIL_RETURN_IF_ERROR(RequireRole(actor, Role::kSubmitter, "open cases"));
  VIGIL_RETURN_IF_ERROR(CheckText("content_id", content_id, kMaxContentIdBytes, true));
  VIGIL_RETURN_IF_ERROR(CheckText("content_url", content_url, kMaxUrlBytes, false));
  if (matches.empty()) {
    return InvalidArgument("content '" + std::string(content_id) + "' has no matches: no case");
  }
  NewCase nc{std::string(content_id), std::string(content_url), {}, PriorityFromLabels(matches)};
  for (const MatchReport& m : matches) {
    nc.matches.push_back({m.hit.signal_id, m.hit.type, m.value, m.bank, m.labels, m.hit.distance,
                          MatchDetailJson(m.hit).dump()});
  }
  VIGIL_ASSIGN_OR_RETURN(ReviewStore::Opened opened, store_.OpenCase(nc, actor));
  ScanCaseResult result{std::move(opened.c), opened.created, std::nullopt};
  if (!result.created) return result;
  // A crash between the two transactions leaves an open case for a human: safe side.
  VIGIL_ASSIGN_OR_RETURN(result.automatic_decision, MaybeActAutomatically(result.c, matches));
  if (result.automatic_decision) {
    VIGIL_ASSIGN_OR_RETURN(result.c, store_.GetCase(result.c.id));
  }
  return result;
}

// The first undisputed match in a verified bank with policy `auto` removes the content.
Result<std::optional<Decision>> ReviewService::MaybeActAutomatically(
    const Case& c, std::span<const MatchReport> matches) {
  std::map<std::string, bool, std::less<>> auto_bank;
  for (const MatchReport& m : matches) {
    if (m.opinion == Opinion::kDisputed) continue;
    auto it = auto_bank.find(m.bank);
    if (it == auto_bank.end()) {
      Result<BankPolicy> p = store_.GetBankPolicy(m.bank);
      if (!p.ok() && p.status().code() != ErrorCode::kNotFound) return p.status();
      bool is_auto = p.ok() && p->verified && p->policy == MatchPolicy::kAuto;
      it = auto_bank.emplace(m.bank, is_auto).first;
    }
    if (!it->second) continue;
    Decision d;
    d.case_id = c.id;
    d.kind = DecisionKind::kRemove;
    d.reason = "Automated match of " + std::string(SignalTypeName(m.hit.type)) + " signal " +
               std::to_string(m.hit.signal_id) + " in verified bank '" + m.bank +
               "' (distance " + std::to_string(m.hit.distance) +
               "); the bank's policy removes matches without review.";
    d.ground_type = GroundType::kTermsOfService;
    d.ground = "terrorist content in verified hash list '" + m.bank + "'";
    d.automation = Automation::kAutomated;
    d.actor = kSystemActor;
    VIGIL_ASSIGN_OR_RETURN(Decision done, store_.RecordDecision({d, CaseStatus::kOpen,
                                                                 CaseStatus::kDecided,
                                                                 RemovalWebhook(c)}));
    return std::optional<Decision>(std::move(done));
  }
  return std::optional<Decision>();
}

Result<std::vector<Case>> ReviewService::ListCases(const CaseFilter& filter) {
  if (filter.limit == 0 || filter.limit > 1000) {
    return InvalidArgument("limit must be 1 to 1000, got " + std::to_string(filter.limit));
  }
  return store_.ListCases(filter);
}

Result<CaseDetail> ReviewService::GetCase(int64_t case_id) {
  return store_.GetCaseDetail(case_id);
}

Result<Decision> ReviewService::Decide(int64_t case_id, const DecisionInput& in,
                                       const Actor& actor) {
  VIGIL_RETURN_IF_ERROR(RequireRole(actor, Role::kReviewer, "decide cases"));
  VIGIL_RETURN_IF_ERROR(CheckText("reason", in.reason, kMaxTextBytes, true));
  VIGIL_RETURN_IF_ERROR(
      CheckText("ground", in.ground, kMaxGroundBytes, in.kind == DecisionKind::kRemove));
  if (in.dispute == SignalDispute::kMarkDisputed && in.kind != DecisionKind::kKeep) {
    return InvalidArgument("only a keep decision can mark the signal disputed");
  }
  VIGIL_ASSIGN_OR_RETURN(Case c, store_.GetCase(case_id));
  if (c.status != CaseStatus::kOpen && c.status != CaseStatus::kEscalated) {
    return FailedPrecondition(CaseIs(c) + ": only open or escalated cases can be decided");
  }
  if (c.status == CaseStatus::kEscalated && in.kind == DecisionKind::kEscalate) {
    return FailedPrecondition(CaseIs(c) + " already");
  }
  DecisionWrite w;
  w.decision = Decision{0, case_id, in.kind, in.reason, in.ground_type, in.ground, in.dispute,
                        Automation::kHuman, actor, 0};
  w.expected = c.status;
  w.next = in.kind == DecisionKind::kEscalate ? CaseStatus::kEscalated : CaseStatus::kDecided;
  if (in.kind == DecisionKind::kRemove) w.webhook = RemovalWebhook(c);
  return store_.RecordDecision(w);
}

// The decision that closed review: the last remove or keep.
Result<Decision> ReviewService::LastDecision(int64_t case_id, const CaseDetail& detail) {
  for (auto it = detail.decisions.rbegin(); it != detail.decisions.rend(); ++it) {
    if (it->kind != DecisionKind::kEscalate) return *it;
  }
  return FailedPrecondition("case " + std::to_string(case_id) + " has no decision to appeal");
}

Result<Appeal> ReviewService::FileAppeal(int64_t case_id, std::string_view text,
                                         const Actor& actor) {
  VIGIL_RETURN_IF_ERROR(RequireRole(actor, Role::kSubmitter, "file appeals"));
  VIGIL_RETURN_IF_ERROR(CheckText("text", text, kMaxTextBytes, true));
  VIGIL_ASSIGN_OR_RETURN(CaseDetail detail, store_.GetCaseDetail(case_id));
  if (detail.c.status != CaseStatus::kDecided) {
    return FailedPrecondition(CaseIs(detail.c) + ": only decided cases can be appealed");
  }
  VIGIL_ASSIGN_OR_RETURN(Decision last, LastDecision(case_id, detail));
  if (last.kind != DecisionKind::kRemove) {
    return FailedPrecondition("case " + std::to_string(case_id) +
                              " was decided 'keep': only removals can be appealed");
  }
  return store_.RecordAppeal(case_id, text, actor);
}

Result<Appeal> ReviewService::DecideAppeal(int64_t case_id, const AppealDecisionInput& in,
                                           const Actor& actor) {
  VIGIL_RETURN_IF_ERROR(RequireRole(actor, Role::kReviewer, "decide appeals"));
  VIGIL_RETURN_IF_ERROR(CheckText("reason", in.reason, kMaxTextBytes, true));
  if (in.dispute == SignalDispute::kMarkDisputed && in.outcome != AppealOutcome::kUpheld) {
    return InvalidArgument("only an upheld appeal can mark the signal disputed");
  }
  VIGIL_ASSIGN_OR_RETURN(CaseDetail detail, store_.GetCaseDetail(case_id));
  if (detail.c.status != CaseStatus::kAppealed || detail.appeals.empty()) {
    return FailedPrecondition(CaseIs(detail.c) + ": it has no open appeal");
  }
  VIGIL_ASSIGN_OR_RETURN(Decision appealed, LastDecision(case_id, detail));
  if (appealed.automation == Automation::kHuman && SamePerson(appealed.actor, actor)) {
    return FailedPrecondition("the appeal on case " + std::to_string(case_id) +
                              " must be decided by a different reviewer than '" +
                              appealed.actor.name + "', who made the appealed decision");
  }
  AppealDecisionWrite w{detail.appeals.back().id, in.outcome, in.reason, in.dispute,
                        std::nullopt};
  if (in.outcome == AppealOutcome::kUpheld) {
    w.webhook = WebhookRequest{
        WebhookKind::kReinstate, [c = detail.c, appealed](const Decision& outcome) {
          return BuildWebhookPayload({WebhookKind::kReinstate, &c, &outcome, &appealed});
        }};
  }
  return store_.RecordAppealDecision(w, actor);
}

Status ReviewService::SetBankPolicy(std::string_view bank, MatchPolicy policy,
                                    const Actor& actor) {
  VIGIL_ASSIGN_OR_RETURN(BankPolicy current, store_.GetBankPolicy(bank));
  if (policy == MatchPolicy::kAuto) {
    if (actor.role != Role::kAdmin) {
      return FailedPrecondition("only an admin may set bank '" + std::string(bank) +
                                "' to act without review");
    }
    if (!current.verified) {
      return FailedPrecondition("bank '" + std::string(bank) +
                                "' is not verified: only verified banks may act without review");
    }
  }
  current.policy = policy;
  return store_.SetBankPolicy(current, actor);
}

Status ReviewService::SetBankVerification(std::string_view bank, BankVerification v,
                                          const Actor& actor) {
  if (actor.role != Role::kAdmin) {
    return FailedPrecondition("only an admin may mark bank '" + std::string(bank) + "' verified");
  }
  VIGIL_ASSIGN_OR_RETURN(BankPolicy current, store_.GetBankPolicy(bank));
  current.verified = v == BankVerification::kVerified;
  if (!current.verified) current.policy = MatchPolicy::kReview;
  return store_.SetBankPolicy(current, actor);
}

Status ReviewService::SetWebhookEndpoint(std::string_view url, std::string_view secret,
                                         const Actor& actor) {
  if (actor.role != Role::kAdmin) return FailedPrecondition("only an admin may set the webhook");
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    return InvalidArgument("webhook url '" + std::string(url) + "' must be http:// or https://");
  }
  VIGIL_RETURN_IF_ERROR(CheckText("webhook url", url, kMaxUrlBytes, true));
  if (secret.size() < 16) {
    return InvalidArgument("webhook secret must be at least 16 characters");
  }
  return store_.SetSettings({{std::string(kWebhookUrlSetting), std::string(url)},
                             {std::string(kWebhookSecretSetting), std::string(secret)}},
                            actor);
}

}  // namespace vigil
