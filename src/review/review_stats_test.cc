// ReviewService::Stats over the real SQLite store: the dashboard's per-day and per-bank
// figures.
#include "review/review_service.h"
#include "review/review_test_fixture.h"

namespace vigil {
namespace {

using ReviewStatsTest = ReviewFixture;

int64_t StatusCount(const ReviewStats& s, CaseStatus status) {
  for (const auto& [st, n] : s.cases_by_status) {
    if (st == status) return n;
  }
  return 0;
}

TEST_F(ReviewStatsTest, EmptyDatabaseGivesZeroFilledDays) {
  auto stats = service_->Stats(7);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  ASSERT_EQ(stats->days.size(), 7u);
  const int64_t today = clock_.NowUnix() / 86400;
  EXPECT_EQ(stats->days.front().day, today - 6);
  EXPECT_EQ(stats->days.back().day, today);
  for (const DayCounts& d : stats->days) EXPECT_EQ(d.cases_opened + d.removes + d.keeps, 0);
  EXPECT_TRUE(stats->banks.empty());
  EXPECT_TRUE(stats->cases_by_status.empty());
}

TEST_F(ReviewStatsTest, CountsCasesAndDecisionsPerDayAndDisputesPerBank) {
  // Two days ago: one case, removed the same day.
  clock_.Advance(-2 * 86400);
  Case old = Open("c-old", signal_a_);
  ASSERT_TRUE(service_->Decide(old.id, Remove(), kAlice).ok());
  clock_.Advance(2 * 86400);
  // Today: three cases; one kept and disputed, one escalated, one left open.
  Case kept = Open("c-kept", signal_b_);
  ASSERT_TRUE(service_->Decide(kept.id, Keep(SignalDispute::kMarkDisputed), kAlice).ok());
  Case escalated = Open("c-esc", signal_a_);
  DecisionInput esc{DecisionKind::kEscalate, "Needs a second look.", GroundType::kTermsOfService,
                    "", SignalDispute::kNo};
  ASSERT_TRUE(service_->Decide(escalated.id, esc, kAlice).ok());
  Open("c-open", signal_a_);

  auto stats = service_->Stats(3);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  ASSERT_EQ(stats->days.size(), 3u);
  EXPECT_EQ(stats->days[0].cases_opened, 1);
  EXPECT_EQ(stats->days[0].removes, 1);
  EXPECT_EQ(stats->days[1].cases_opened, 0);
  EXPECT_EQ(stats->days[2].cases_opened, 3);
  EXPECT_EQ(stats->days[2].keeps, 1);
  EXPECT_EQ(stats->days[2].escalations, 1);
  EXPECT_EQ(stats->days[2].removes, 0);

  ASSERT_EQ(stats->banks.size(), 1u);
  const BankCaseCounts& gifct = stats->banks[0];
  EXPECT_EQ(gifct.bank, "gifct");
  EXPECT_EQ(gifct.cases, 4);
  EXPECT_EQ(gifct.decided, 2);  // escalation is not a decision on the content
  EXPECT_EQ(gifct.removed, 1);
  EXPECT_EQ(gifct.kept, 1);
  EXPECT_EQ(gifct.disputed, 1);

  EXPECT_EQ(StatusCount(*stats, CaseStatus::kOpen), 1);
  EXPECT_EQ(StatusCount(*stats, CaseStatus::kEscalated), 1);
  EXPECT_EQ(StatusCount(*stats, CaseStatus::kDecided), 2);

  // A one-day window leaves out the old case, but not from the status counts.
  auto today = service_->Stats(1);
  ASSERT_TRUE(today.ok());
  ASSERT_EQ(today->banks.size(), 1u);
  EXPECT_EQ(today->banks[0].cases, 3);
  EXPECT_EQ(StatusCount(*today, CaseStatus::kDecided), 2);
}

TEST_F(ReviewStatsTest, WindowIsChecked) {
  EXPECT_EQ(service_->Stats(0).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->Stats(367).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(service_->Stats(366).ok());
}

}  // namespace
}  // namespace vigil
