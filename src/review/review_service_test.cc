#include "review/review_service.h"

#include <nlohmann/json.hpp>

#include "review/review_test_fixture.h"

namespace vigil {
namespace {

using ReviewServiceTest = ReviewFixture;

TEST_F(ReviewServiceTest, OpeningIsIdempotentPerContentId) {
  auto first = service_->OpenCaseForScan("c-1", "https://x/1", Reports(signal_a_), kPlatform);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->c.status, CaseStatus::kOpen);
  ASSERT_EQ(first->c.matches.size(), 1u);
  EXPECT_EQ(first->c.matches[0].bank, "gifct");
  EXPECT_EQ(first->c.matches[0].distance, 4);
  EXPECT_EQ(first->c.priority, 3);  // the bank's "priority:high"
  auto again = service_->OpenCaseForScan("c-1", "https://x/1", Reports(signal_b_), kPlatform);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->c.id, first->c.id);
  auto all = service_->ListCases({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(ReviewServiceTest, OpeningNeedsMatchesAndAContentId) {
  EXPECT_EQ(service_->OpenCaseForScan("c-1", "", {}, kPlatform).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->OpenCaseForScan("", "", Reports(signal_a_), kPlatform).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->OpenCaseForScan("c-1", "", Reports(signal_a_), kAlice).status().code(),
            ErrorCode::kFailedPrecondition);
}

TEST_F(ReviewServiceTest, RemoveDecidesAndEnqueuesAWebhookWithAStatementOfReasons) {
  Case c = Open("c-1", signal_a_);
  auto d = service_->Decide(c.id, Remove(), kAlice);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  auto detail = service_->GetCase(c.id);
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->c.status, CaseStatus::kDecided);
  ASSERT_EQ(detail->decisions.size(), 1u);
  EXPECT_EQ(detail->decisions[0].actor.name, "alice");
  ASSERT_EQ(detail->deliveries.size(), 1u);
  EXPECT_EQ(detail->deliveries[0].status, DeliveryStatus::kPending);
  auto body = nlohmann::json::parse(detail->deliveries[0].payload);
  EXPECT_EQ(body["type"], "content.remove");
  EXPECT_EQ(body["content_id"], "c-1");
  const auto& sor = body["statement_of_reasons"];
  EXPECT_EQ(sor["decision"]["restriction"], "removal");
  EXPECT_EQ(sor["automated_detection"], true);
  EXPECT_EQ(sor["automated_decision"], "not_automated");
  EXPECT_EQ(sor["ground"]["type"], "illegal_content");
  EXPECT_EQ(sor["ground"]["reference"], "Regulation (EU) 2021/784 Art. 2(7)");
  EXPECT_TRUE(sor["redress"].contains("internal_complaint"));
  EXPECT_EQ(body.dump().find("cdn.example"), std::string::npos) << "no URL in the payload";
  // Decided cases take no second decision.
  EXPECT_EQ(service_->Decide(c.id, Keep(), kBob).status().code(), ErrorCode::kFailedPrecondition);
}

// A video match keeps its matched seconds as evidence, and the statement of reasons the
// platform receives names them.
TEST_F(ReviewServiceTest, AVideoCaseKeepsItsMatchedSegments) {
  std::vector<MatchReport> reports = Reports(signal_a_);
  MatchHit& hit = reports[0].hit;
  hit.type = SignalType::kVpdq;
  hit.vpdq.query_percent = 92.456;
  hit.vpdq.bank_percent = 100;
  hit.vpdq.segments = {{3.0, 17.2, 0.0, 14.2}, {65.0, 70.0, 62.0, 67.0}};
  auto opened = service_->OpenCaseForScan("v-1", "https://cdn.example/v-1", reports, kPlatform);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto stored = service_->GetCase(opened->c.id);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->c.matches.size(), 1u);
  auto detail = nlohmann::json::parse(stored->c.matches[0].detail);
  EXPECT_EQ(detail["query_percent"], 92.5);
  EXPECT_EQ(detail["bank_percent"], 100.0);
  ASSERT_EQ(detail["segments"].size(), 2u);
  EXPECT_EQ(detail["segments"][1]["query_start_s"], 65.0);
  EXPECT_EQ(detail["segments"][1]["bank_end_s"], 67.0);
  ASSERT_TRUE(service_->Decide(opened->c.id, Remove(), kAlice).ok());
  auto decided = service_->GetCase(opened->c.id);
  ASSERT_TRUE(decided.ok());
  auto sor = nlohmann::json::parse(decided->deliveries.at(0).payload)["statement_of_reasons"];
  EXPECT_EQ(sor["matched_signals"][0]["video"]["segments"].size(), 2u);
  EXPECT_NE(sor["facts_and_circumstances"].get<std::string>().find(
                "matched video time ranges: query 0:03-0:17 = bank 0:00-0:14; query 1:05-1:10 = bank 1:02-1:07"),
            std::string::npos)
      << sor["facts_and_circumstances"];
  // An image case has an empty detail and no "video" in its statement.
  Case image = Open("i-1", signal_b_);
  EXPECT_EQ(image.matches.at(0).detail, "{}");
}

TEST_F(ReviewServiceTest, EscalateThenDecide) {
  Case c = Open("c-1", signal_a_);
  DecisionInput escalate{DecisionKind::kEscalate, "Unsure: needs a specialist.",
                         GroundType::kTermsOfService, "", SignalDispute::kNo};
  ASSERT_TRUE(service_->Decide(c.id, escalate, kAlice).ok());
  EXPECT_EQ(service_->GetCase(c.id)->c.status, CaseStatus::kEscalated);
  EXPECT_EQ(service_->Decide(c.id, escalate, kBob).status().code(),
            ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(service_->Decide(c.id, Keep(), kBob).ok());
  auto detail = service_->GetCase(c.id);
  EXPECT_EQ(detail->c.status, CaseStatus::kDecided);
  EXPECT_EQ(detail->decisions.size(), 2u);
  EXPECT_TRUE(detail->deliveries.empty()) << "keep sends nothing";
}

TEST_F(ReviewServiceTest, DecisionInputIsChecked) {
  Case c = Open("c-1", signal_a_);
  DecisionInput no_reason = Remove();
  no_reason.reason.clear();
  EXPECT_EQ(service_->Decide(c.id, no_reason, kAlice).status().code(),
            ErrorCode::kInvalidArgument);
  DecisionInput no_ground = Remove();
  no_ground.ground.clear();
  EXPECT_EQ(service_->Decide(c.id, no_ground, kAlice).status().code(),
            ErrorCode::kInvalidArgument);
  DecisionInput dispute_remove = Remove();
  dispute_remove.dispute = SignalDispute::kMarkDisputed;
  EXPECT_EQ(service_->Decide(c.id, dispute_remove, kAlice).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->Decide(c.id, Remove(), kPlatform).status().code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(service_->Decide(999, Remove(), kAlice).status().code(), ErrorCode::kNotFound);
}

TEST_F(ReviewServiceTest, AutoPolicyNeedsAnAdminAndAVerifiedBank) {
  EXPECT_EQ(service_->SetBankPolicy("gifct", MatchPolicy::kAuto, kAdmin).code(),
            ErrorCode::kFailedPrecondition);  // not verified
  EXPECT_EQ(service_->SetBankVerification("gifct", BankVerification::kVerified, kAlice).code(),
            ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(service_->SetBankVerification("gifct", BankVerification::kVerified, kAdmin).ok());
  EXPECT_EQ(service_->SetBankPolicy("gifct", MatchPolicy::kAuto, kAlice).code(),
            ErrorCode::kFailedPrecondition);  // not an admin
  ASSERT_TRUE(service_->SetBankPolicy("gifct", MatchPolicy::kAuto, kAdmin).ok());
  EXPECT_EQ(service_->GetBankPolicy("gifct")->policy, MatchPolicy::kAuto);
  ASSERT_TRUE(service_->SetBankVerification("gifct", BankVerification::kUnverified, kAdmin).ok());
  EXPECT_EQ(service_->GetBankPolicy("gifct")->policy, MatchPolicy::kReview);
  EXPECT_EQ(service_->SetBankPolicy("nope", MatchPolicy::kReview, kAdmin).code(),
            ErrorCode::kNotFound);
}

TEST_F(ReviewServiceTest, AutoPolicyRemovesWithoutReview) {
  ASSERT_TRUE(service_->SetBankVerification("gifct", BankVerification::kVerified, kAdmin).ok());
  ASSERT_TRUE(service_->SetBankPolicy("gifct", MatchPolicy::kAuto, kAdmin).ok());
  auto r = service_->OpenCaseForScan("c-1", "", Reports(signal_a_), kPlatform);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->automatic_decision.has_value());
  EXPECT_EQ(r->automatic_decision->actor.name, "system");
  EXPECT_EQ(r->c.status, CaseStatus::kDecided);
  auto detail = service_->GetCase(r->c.id);
  ASSERT_EQ(detail->deliveries.size(), 1u);
  auto sor = nlohmann::json::parse(detail->deliveries[0].payload)["statement_of_reasons"];
  EXPECT_EQ(sor["automated_decision"], "fully_automated");
}

TEST_F(ReviewServiceTest, DisputedSignalStopsAutoAction) {
  Case first = Open("c-1", signal_a_);
  ASSERT_TRUE(service_->Decide(first.id, Keep(SignalDispute::kMarkDisputed), kAlice).ok());
  EXPECT_EQ(banks_->GetSignal(signal_a_)->opinion, Opinion::kDisputed);
  ASSERT_TRUE(service_->SetBankVerification("gifct", BankVerification::kVerified, kAdmin).ok());
  ASSERT_TRUE(service_->SetBankPolicy("gifct", MatchPolicy::kAuto, kAdmin).ok());
  auto disputed = service_->OpenCaseForScan("c-2", "", Reports(signal_a_), kPlatform);
  ASSERT_TRUE(disputed.ok());
  EXPECT_FALSE(disputed->automatic_decision.has_value());
  EXPECT_EQ(disputed->c.status, CaseStatus::kOpen);
  auto other = service_->OpenCaseForScan("c-3", "", Reports(signal_b_), kPlatform);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->automatic_decision.has_value()) << "undisputed signals still act";
}

TEST_F(ReviewServiceTest, CaseDetailShowsEarlierDecisionsOnTheSameSignal) {
  Case first = Open("c-1", signal_a_);
  ASSERT_TRUE(service_->Decide(first.id, Remove(), kAlice).ok());
  Case unrelated = Open("c-2", signal_b_);
  ASSERT_TRUE(service_->Decide(unrelated.id, Keep(), kAlice).ok());
  clock_.Advance(3600);
  Case second = Open("c-3", signal_a_);
  auto detail = service_->GetCase(second.id);
  ASSERT_TRUE(detail.ok());
  ASSERT_EQ(detail->earlier_decisions_on_signals.size(), 1u);
  EXPECT_EQ(detail->earlier_decisions_on_signals[0].case_id, first.id);
  EXPECT_EQ(detail->earlier_decisions_on_signals[0].kind, DecisionKind::kRemove);
}

TEST_F(ReviewServiceTest, AppealBySameReviewerIsRefusedAndByAnotherAccepted) {
  Case c = Open("c-1", signal_a_);
  ASSERT_TRUE(service_->Decide(c.id, Remove(), kAlice).ok());
  EXPECT_EQ(service_->FileAppeal(c.id, "It is satire.", kAlice).status().code(),
            ErrorCode::kFailedPrecondition);  // reviewers do not file appeals
  auto appeal = service_->FileAppeal(c.id, "It is satire.", kPlatform);
  ASSERT_TRUE(appeal.ok()) << appeal.status().ToString();
  EXPECT_EQ(service_->GetCase(c.id)->c.status, CaseStatus::kAppealed);
  AppealDecisionInput uphold{AppealOutcome::kUpheld, "Satire, clearly labelled.",
                             SignalDispute::kNo};
  Result<Appeal> same = service_->DecideAppeal(c.id, uphold, kAlice);
  EXPECT_EQ(same.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(same.status().message().find("different reviewer"), std::string::npos);
  Actor alice_new_token{9, "alice", Role::kReviewer};
  EXPECT_FALSE(service_->DecideAppeal(c.id, uphold, alice_new_token).ok());
  auto decided = service_->DecideAppeal(c.id, uphold, kBob);
  ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  EXPECT_EQ(decided->outcome, AppealOutcome::kUpheld);
  auto detail = service_->GetCase(c.id);
  EXPECT_EQ(detail->c.status, CaseStatus::kClosed);
  ASSERT_EQ(detail->deliveries.size(), 2u);
  EXPECT_EQ(detail->deliveries[1].kind, WebhookKind::kReinstate);
  auto body = nlohmann::json::parse(detail->deliveries[1].payload);
  EXPECT_EQ(body["type"], "content.reinstate");
  EXPECT_EQ(body["statement_of_reasons"]["decision"]["restriction"], "reinstatement");
  EXPECT_EQ(service_->DecideAppeal(c.id, uphold, kBob).status().code(),
            ErrorCode::kFailedPrecondition);
}

TEST_F(ReviewServiceTest, OnlyRemovalsCanBeAppealedAndRejectionSendsNothing) {
  Case kept = Open("c-1", signal_a_);
  ASSERT_TRUE(service_->Decide(kept.id, Keep(), kAlice).ok());
  EXPECT_EQ(service_->FileAppeal(kept.id, "x", kPlatform).status().code(),
            ErrorCode::kFailedPrecondition);
  Case removed = Open("c-2", signal_b_);
  ASSERT_TRUE(service_->Decide(removed.id, Remove(), kAlice).ok());
  ASSERT_TRUE(service_->FileAppeal(removed.id, "Please check.", kPlatform).ok());
  AppealDecisionInput reject{AppealOutcome::kRejected, "It is the known video.",
                             SignalDispute::kNo};
  ASSERT_TRUE(service_->DecideAppeal(removed.id, reject, kBob).ok());
  EXPECT_EQ(service_->GetCase(removed.id)->deliveries.size(), 1u);
}

TEST_F(ReviewServiceTest, AutomatedDecisionsMayBeAppealedToAnyReviewer) {
  ASSERT_TRUE(service_->SetBankVerification("gifct", BankVerification::kVerified, kAdmin).ok());
  ASSERT_TRUE(service_->SetBankPolicy("gifct", MatchPolicy::kAuto, kAdmin).ok());
  auto r = service_->OpenCaseForScan("c-1", "", Reports(signal_a_), kPlatform);
  ASSERT_TRUE(r.ok() && r->automatic_decision);
  ASSERT_TRUE(service_->FileAppeal(r->c.id, "Not that video.", kPlatform).ok());
  AppealDecisionInput uphold{AppealOutcome::kUpheld, "A different video.",
                             SignalDispute::kMarkDisputed};
  ASSERT_TRUE(service_->DecideAppeal(r->c.id, uphold, kAlice).ok());
  EXPECT_EQ(banks_->GetSignal(signal_a_)->opinion, Opinion::kDisputed);
}

TEST_F(ReviewServiceTest, ListFiltersAndOrders) {
  Case low = Open("c-1", signal_a_);
  clock_.Advance(100);
  ASSERT_TRUE(banks_->CreateBank({"tat", "", true, {"priority:critical"}}).ok());
  Signal s;
  s.value = "b150231ffae4710ffcf4f18bb574b109a576f14bb8543189f8743289f174b109";
  auto crit = banks_->AddSignal("tat", s);
  ASSERT_TRUE(crit.ok());
  Case high = Open("c-2", crit->id);
  ASSERT_TRUE(service_->Decide(low.id, Keep(), kAlice).ok());
  auto by_priority = service_->ListCases({.order = CaseOrder::kPriorityFirst});
  ASSERT_TRUE(by_priority.ok());
  ASSERT_EQ(by_priority->size(), 2u);
  EXPECT_EQ((*by_priority)[0].id, high.id);
  auto oldest = service_->ListCases({});
  EXPECT_EQ((*oldest)[0].id, low.id);
  auto open = service_->ListCases({.status = CaseStatus::kOpen});
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].id, high.id);
  EXPECT_EQ(service_->ListCases({.bank = "tat"})->size(), 1u);
  EXPECT_EQ(service_->ListCases({.label = "priority:high"})->size(), 1u);
  EXPECT_EQ(service_->ListCases({.label = "priority"})->size(), 0u);
  EXPECT_EQ(service_->ListCases({.created_before = clock_.NowUnix()})->size(), 1u);
  EXPECT_EQ(service_->ListCases({.limit = 0}).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(ReviewServiceTest, EveryStepIsAuditedAndTheChainHolds) {
  ASSERT_TRUE(service_->SetWebhookEndpoint("http://127.0.0.1:9/hook", "0123456789abcdef0123",
                                           kAdmin)
                  .ok());
  Case c = Open("c-1", signal_a_);
  ASSERT_TRUE(service_->Decide(c.id, Remove(), kAlice).ok());
  ASSERT_TRUE(service_->FileAppeal(c.id, "My words, not for the log.", kPlatform).ok());
  ASSERT_TRUE(service_->DecideAppeal(c.id, {AppealOutcome::kRejected, "Stands.", {}}, kBob).ok());
  AuditVerifyReport report = VerifyAudit();
  EXPECT_TRUE(report.ok) << report.problem;
  auto log = SqliteAuditLog::Open(db_path());
  auto events = (*log)->List(100, std::nullopt);
  ASSERT_TRUE(events.ok());
  std::vector<std::string> actions;
  for (auto it = events->rbegin(); it != events->rend(); ++it) {
    actions.push_back(it->record.action);
    EXPECT_EQ(it->record.detail.find("My words"), std::string::npos);
    EXPECT_EQ(it->record.detail.find("0123456789abcdef0123"), std::string::npos);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"bank.create", "signal.add", "signal.add",
                                               "setting.set", "setting.set", "case.open",
                                               "case.decide", "webhook.enqueue", "appeal.file",
                                               "appeal.decide"}));
}

TEST(PriorityTest, FromLabels) {
  auto reports = [](std::vector<std::string> labels) {
    MatchReport r;
    r.labels = std::move(labels);
    return std::vector<MatchReport>{r};
  };
  EXPECT_EQ(PriorityFromLabels(reports({})), 0);
  EXPECT_EQ(PriorityFromLabels(reports({"priority:7"})), 7);
  EXPECT_EQ(PriorityFromLabels(reports({"priority:low", "priority:critical"})), 4);
  EXPECT_EQ(PriorityFromLabels(reports({"priority:urgent", "priority:12"})), 0);
}

}  // namespace
}  // namespace vigil
