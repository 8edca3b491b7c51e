// ReviewService: the rules of human review over a ReviewStore. The HTTP handlers and the
// CLI call it; it decides what state follows which, who may do what beyond the route's
// role check, when a match is actioned without review, and which webhook a decision
// sends. Storage, audit events and outbox rows are the store's (one transaction each).
//
// Case life:  open --remove/keep--> decided --appeal--> appealed --appeal decided--> closed
//             open --escalate--> escalated --remove/keep--> decided
// A `remove` (and an upheld appeal against one: reinstatement) enqueues a webhook carrying
// a statement of reasons (statement_of_reasons.h). A match in a bank whose policy is
// `auto` (set by an admin, only on a verified bank) is removed at once by the system
// actor, unless the signal is disputed; then it waits for a human like any other.
//
// Errors: kInvalidArgument (bad input, names the field), kNotFound (no such case/bank),
// kFailedPrecondition (not allowed in this state or by this actor: the message says why).
//
// Thread-safety: as the ReviewStore it wraps: one object per thread.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "match/matcher.h"
#include "store/review_store.h"
#include "util/clock.h"

namespace vigil {

// The actor automatic actions are recorded under.
inline const Actor kSystemActor{0, "system", Role::kAdmin};

struct DecisionInput {
  DecisionKind kind = DecisionKind::kKeep;
  std::string reason;  // required: the facts and circumstances relied on
  GroundType ground_type = GroundType::kTermsOfService;
  std::string ground;  // required for remove: the law or terms clause
  SignalDispute dispute = SignalDispute::kNo;  // only with keep
};

struct AppealDecisionInput {
  AppealOutcome outcome = AppealOutcome::kRejected;
  std::string reason;  // required
  SignalDispute dispute = SignalDispute::kNo;  // only with upheld
};

struct ScanCaseResult {
  Case c;
  bool created = false;                      // false: the content id already had a case
  std::optional<Decision> automatic_decision;  // set when an auto policy acted
};

enum class BankVerification { kUnverified, kVerified };

// Settings keys for the platform's webhook endpoint.
inline constexpr std::string_view kWebhookUrlSetting = "webhook.url";
inline constexpr std::string_view kWebhookSecretSetting = "webhook.secret";

class ReviewService {
 public:
  explicit ReviewService(ReviewStore& store, const Clock& clock = SystemClock::Get())
      : store_(store), clock_(clock) {}

  // Opens the case for one scanned item with matches (idempotent per content_id: a second
  // scan returns the first case). Needs at least one match. May act automatically.
  Result<ScanCaseResult> OpenCaseForScan(std::string_view content_id,
                                         std::string_view content_url,
                                         std::span<const MatchReport> matches,
                                         const Actor& actor);
  Result<std::vector<Case>> ListCases(const CaseFilter& filter);
  Result<CaseDetail> GetCase(int64_t case_id);

  Result<Decision> Decide(int64_t case_id, const DecisionInput& input, const Actor& actor);
  // The platform forwards an uploader's complaint about a removal. `text` must not carry
  // personal data (the platform strips it); it is kept for the reviewer, never audited.
  Result<Appeal> FileAppeal(int64_t case_id, std::string_view text, const Actor& actor);
  // Re-review by someone other than whoever made the appealed decision.
  Result<Appeal> DecideAppeal(int64_t case_id, const AppealDecisionInput& input,
                              const Actor& actor);

  // The dashboard's figures for the last `days` UTC days, today included (1 to 366): one
  // DayCounts per day, zero-filled, oldest first; per-bank counts over the same window.
  Result<ReviewStats> Stats(int days);

  // `auto` needs an admin and a verified bank; un-verifying a bank resets it to review.
  Status SetBankPolicy(std::string_view bank, MatchPolicy policy, const Actor& actor);
  Status SetBankVerification(std::string_view bank, BankVerification v, const Actor& actor);
  Result<BankPolicy> GetBankPolicy(std::string_view bank) { return store_.GetBankPolicy(bank); }
  // The platform's webhook URL (http or https) and HMAC secret; admin only.
  Status SetWebhookEndpoint(std::string_view url, std::string_view secret, const Actor& actor);

 private:
  Result<std::optional<Decision>> MaybeActAutomatically(const Case& c,
                                                        std::span<const MatchReport> matches);
  Result<Decision> LastDecision(int64_t case_id, const CaseDetail& detail);

  ReviewStore& store_;
  const Clock& clock_;
};

// A case's priority from its matches' labels: "priority:<0-9>" or
// "priority:low|medium|high|critical" (1-4); the highest wins, 0 when none says.
int PriorityFromLabels(std::span<const MatchReport> matches);

}  // namespace vigil
