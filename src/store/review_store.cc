// Text names of the review enums: the spelling stored in the database, the audit log,
// the webhook payloads and the HTTP API.
#include "store/review_store.h"

#include <array>
#include <utility>

namespace vigil {
namespace {

template <typename E, size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& names,
                       std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return "unknown";
}

constexpr std::array<std::pair<CaseStatus, std::string_view>, 5> kCaseStatus{{
    {CaseStatus::kOpen, "open"},
    {CaseStatus::kEscalated, "escalated"},
    {CaseStatus::kDecided, "decided"},
    {CaseStatus::kAppealed, "appealed"},
    {CaseStatus::kClosed, "closed"},
}};
constexpr std::array<std::pair<DecisionKind, std::string_view>, 3> kDecision{{
    {DecisionKind::kRemove, "remove"},
    {DecisionKind::kKeep, "keep"},
    {DecisionKind::kEscalate, "escalate"},
}};
constexpr std::array<std::pair<GroundType, std::string_view>, 2> kGround{{
    {GroundType::kLegal, "legal"},
    {GroundType::kTermsOfService, "terms"},
}};
constexpr std::array<std::pair<MatchPolicy, std::string_view>, 2> kPolicy{{
    {MatchPolicy::kReview, "review"},
    {MatchPolicy::kAuto, "auto"},
}};
constexpr std::array<std::pair<AppealOutcome, std::string_view>, 2> kOutcome{{
    {AppealOutcome::kUpheld, "upheld"},
    {AppealOutcome::kRejected, "rejected"},
}};
constexpr std::array<std::pair<WebhookKind, std::string_view>, 2> kWebhook{{
    {WebhookKind::kRemove, "remove"},
    {WebhookKind::kReinstate, "reinstate"},
}};
constexpr std::array<std::pair<DeliveryStatus, std::string_view>, 3> kDelivery{{
    {DeliveryStatus::kPending, "pending"},
    {DeliveryStatus::kDelivered, "delivered"},
    {DeliveryStatus::kDead, "dead"},
}};

}  // namespace

std::string_view CaseStatusName(CaseStatus s) { return Name(kCaseStatus, s); }
std::optional<CaseStatus> ParseCaseStatus(std::string_view t) { return Parse(kCaseStatus, t); }
std::string_view DecisionKindName(DecisionKind d) { return Name(kDecision, d); }
std::optional<DecisionKind> ParseDecisionKind(std::string_view t) { return Parse(kDecision, t); }
std::string_view GroundTypeName(GroundType g) { return Name(kGround, g); }
std::optional<GroundType> ParseGroundType(std::string_view t) { return Parse(kGround, t); }
std::string_view MatchPolicyName(MatchPolicy p) { return Name(kPolicy, p); }
std::optional<MatchPolicy> ParseMatchPolicy(std::string_view t) { return Parse(kPolicy, t); }
std::string_view AppealOutcomeName(AppealOutcome o) { return Name(kOutcome, o); }
std::optional<AppealOutcome> ParseAppealOutcome(std::string_view t) { return Parse(kOutcome, t); }
std::string_view WebhookKindName(WebhookKind k) { return Name(kWebhook, k); }
std::string_view DeliveryStatusName(DeliveryStatus s) { return Name(kDelivery, s); }

}  // namespace vigil
