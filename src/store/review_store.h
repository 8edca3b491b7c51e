// ReviewStore: storage for the review side of vigil: cases (a matching piece of content),
// reviewers' decisions, appeals, per-bank match policies, settings and the webhook outbox.
// The rules (who may do what, which state follows which, what a webhook says) live in
// src/review and src/actions; this interface only reads and writes, and each write is one
// transaction together with its audit event (audit_log.h) and, where a decision calls for
// it, its outbox row, so a decision, its record and its webhook commit or vanish together.
//
// State changes are checked against the state the caller saw (`expected`): if someone
// else changed the case in between, the write is refused with kFailedPrecondition and
// nothing is written.
//
// Thread-safety: one object per thread, like BankStore.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hash/signal_type.h"
#include "store/audit_log.h"
#include "store/bank_store.h"
#include "store/token_store.h"
#include "util/status.h"

namespace vigil {

enum class CaseStatus { kOpen, kEscalated, kDecided, kAppealed, kClosed };
enum class DecisionKind { kRemove, kKeep, kEscalate };
enum class GroundType { kLegal, kTermsOfService };
enum class MatchPolicy { kReview, kAuto };
enum class AppealOutcome { kUpheld, kRejected };  // upheld: the complaint wins, decision reversed
enum class WebhookKind { kRemove, kReinstate };
enum class DeliveryStatus { kPending, kDelivered, kDead };
enum class Automation { kHuman, kAutomated };
// Whether a decision marks the matched signals disputed (false-positive feedback).
enum class SignalDispute { kNo, kMarkDisputed };

std::string_view CaseStatusName(CaseStatus s);  // "open", "escalated", ...
std::optional<CaseStatus> ParseCaseStatus(std::string_view text);
std::string_view DecisionKindName(DecisionKind d);  // "remove", "keep", "escalate"
std::optional<DecisionKind> ParseDecisionKind(std::string_view text);
std::string_view GroundTypeName(GroundType g);  // "legal", "terms"
std::optional<GroundType> ParseGroundType(std::string_view text);
std::string_view MatchPolicyName(MatchPolicy p);  // "review", "auto"
std::optional<MatchPolicy> ParseMatchPolicy(std::string_view text);
std::string_view AppealOutcomeName(AppealOutcome o);  // "upheld", "rejected"
std::optional<AppealOutcome> ParseAppealOutcome(std::string_view text);
std::string_view WebhookKindName(WebhookKind k);  // "remove", "reinstate"
std::string_view DeliveryStatusName(DeliveryStatus s);  // "pending", "delivered", "dead"

// One matched signal, as it was when the case opened (kept if the signal goes away).
struct CaseMatch {
  int64_t signal_id = 0;
  SignalType type = SignalType::kPdq;
  std::string value;
  std::string bank;
  std::vector<std::string> labels;
  int distance = 0;
  // A JSON object with what a video match adds (the review layer writes it: vPDQ
  // percentages and the matched time segments, TMK scores); "{}" for images and exact
  // hashes. Kept as text: the store holds the evidence, it does not interpret it.
  std::string detail = "{}";
};

struct Case {
  int64_t id = 0;
  std::string content_id;   // the platform's opaque id; unique
  std::string content_url;  // where a reviewer can see it
  CaseStatus status = CaseStatus::kOpen;
  int priority = 0;  // higher first; from the banks' and signals' labels
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::vector<CaseMatch> matches;
};

struct Decision {
  int64_t id = 0;
  int64_t case_id = 0;
  DecisionKind kind = DecisionKind::kKeep;
  std::string reason;  // facts and circumstances, in the reviewer's words
  GroundType ground_type = GroundType::kTermsOfService;
  std::string ground;  // the law or terms clause relied on
  SignalDispute dispute = SignalDispute::kNo;
  Automation automation = Automation::kHuman;
  Actor actor;
  int64_t decided_at = 0;
};

struct Appeal {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string text;  // the complaint as the platform forwarded it
  Actor filed_by;
  int64_t filed_at = 0;
  std::optional<AppealOutcome> outcome;
  std::string outcome_reason;
  std::optional<Actor> decided_by;
  int64_t decided_at = 0;
};

struct WebhookDelivery {
  int64_t id = 0;
  int64_t case_id = 0;
  WebhookKind kind = WebhookKind::kRemove;
  std::string payload;  // the JSON body, fixed when the decision was made
  DeliveryStatus status = DeliveryStatus::kPending;
  int attempts = 0;
  int64_t next_attempt_at = 0;
  std::string last_error;
  int64_t created_at = 0;
  std::optional<int64_t> delivered_at;
};

struct CaseDetail {
  Case c;
  std::vector<Decision> decisions;  // oldest first
  std::vector<Appeal> appeals;
  std::vector<WebhookDelivery> deliveries;
  // Decisions on OTHER cases that matched any of this case's signals, newest first.
  std::vector<Decision> earlier_decisions_on_signals;
};

enum class CaseOrder { kOldestFirst, kPriorityFirst };

struct CaseFilter {
  std::optional<CaseStatus> status;
  std::optional<std::string> bank;   // cases with a match in this bank
  std::optional<std::string> label;  // cases with a match carrying this label
  std::optional<int64_t> created_before;  // unix seconds; "older than" a given age
  std::optional<int64_t> created_after;
  CaseOrder order = CaseOrder::kOldestFirst;
  size_t limit = 100;
  size_t offset = 0;
};

struct NewCase {
  std::string content_id;
  std::string content_url;
  std::vector<CaseMatch> matches;
  int priority = 0;
};

// Aggregates for the reviewers' dashboard. Days are UTC days since the unix epoch.
struct DayCounts {
  int64_t day = 0;
  int64_t cases_opened = 0;  // matched items that opened a case that day
  int64_t removes = 0;       // decisions made that day, by kind (automated ones included)
  int64_t keeps = 0;
  int64_t escalations = 0;
};

// Cases with at least one match in the bank; a case matching two banks counts in both.
struct BankCaseCounts {
  std::string bank;
  int64_t cases = 0;
  int64_t decided = 0;   // with a remove or keep decision
  int64_t removed = 0;   // with a remove decision
  int64_t kept = 0;      // with a keep decision
  int64_t disputed = 0;  // a decision marked the matched signals disputed (false positive)
};

struct ReviewStats {
  std::vector<DayCounts> days;  // ascending; only days that had something
  std::vector<BankCaseCounts> banks;  // by bank name
  std::vector<std::pair<CaseStatus, int64_t>> cases_by_status;  // every case, any age
};

struct BankPolicy {
  std::string bank;
  MatchPolicy policy = MatchPolicy::kReview;
  bool verified = false;
};

// Builds the webhook body for a decision once its id is known (inside the transaction).
using WebhookPayloadFn = std::function<std::string(const Decision&)>;
struct WebhookRequest {
  WebhookKind kind = WebhookKind::kRemove;
  WebhookPayloadFn payload;
};

struct DecisionWrite {
  Decision decision;  // id and decided_at are filled in by the store
  CaseStatus expected;
  CaseStatus next;
  std::optional<WebhookRequest> webhook;
};

struct AppealDecisionWrite {
  int64_t appeal_id = 0;
  AppealOutcome outcome = AppealOutcome::kRejected;
  std::string reason;
  SignalDispute dispute = SignalDispute::kNo;
  std::optional<WebhookRequest> webhook;  // given the appeal's decision record
};

class ReviewStore {
 public:
  virtual ~ReviewStore() = default;

  // Opens a case, or returns the one already open for content_id (created = false, and
  // nothing written). Audited as "case.open".
  struct Opened {
    Case c;
    bool created = false;
  };
  virtual Result<Opened> OpenCase(const NewCase& c, const Actor& actor) = 0;
  virtual Result<Case> GetCase(int64_t id) = 0;
  virtual Result<CaseDetail> GetCaseDetail(int64_t id) = 0;
  virtual Result<std::vector<Case>> ListCases(const CaseFilter& filter) = 0;

  // Records a decision and moves the case from `expected` to `next`; with kMarkDisputed
  // sets every matched signal's opinion to disputed; enqueues the webhook if asked.
  virtual Result<Decision> RecordDecision(const DecisionWrite& write) = 0;
  // Files an appeal on a case in status `decided`; the case becomes `appealed`.
  virtual Result<Appeal> RecordAppeal(int64_t case_id, std::string_view text,
                                      const Actor& actor) = 0;
  // Decides an open appeal; the case becomes `closed`. The webhook's payload function is
  // given a Decision describing the appeal's outcome (kind remove or keep, reason, actor).
  virtual Result<Appeal> RecordAppealDecision(const AppealDecisionWrite& write,
                                              const Actor& actor) = 0;

  virtual Result<BankPolicy> GetBankPolicy(std::string_view bank) = 0;
  virtual Status SetBankPolicy(const BankPolicy& policy, const Actor& actor) = 0;

  // Settings (webhook URL and secret, ...). Values of keys ending in ".secret" are never
  // written to the audit log, only the fact that they changed.
  virtual Result<std::optional<std::string>> GetSetting(std::string_view key) = 0;
  // Sets every pair in one transaction (one audit event each): all or none.
  using Setting = std::pair<std::string, std::string>;
  virtual Status SetSettings(const std::vector<Setting>& settings, const Actor& actor) = 0;

  // Counts for cases opened and decisions made at or after `since` (unix seconds); the
  // status counts cover every case.
  virtual Result<ReviewStats> Stats(int64_t since) = 0;

  // The outbox, for the webhook dispatcher.
  virtual Result<std::vector<WebhookDelivery>> DueWebhooks(int64_t now, size_t limit) = 0;
  // Records one delivery attempt's result: delivered, retry at next_attempt_at, or dead.
  virtual Status RecordWebhookAttempt(int64_t delivery_id, DeliveryStatus status,
                                      int64_t next_attempt_at, std::string_view error) = 0;
};

}  // namespace vigil
