// A real SQLite file with one bank of two PDQ signals, a review store and service on it,
// a fake clock, and the actors the review tests use.
#pragma once

#include <gtest/gtest.h>

#include "match/matcher.h"
#include "review/review_service.h"
#include "store/audit_log.h"
#include "store/sqlite_bank_store.h"
#include "store/sqlite_review_store.h"
#include "store/test_temp_dir.h"

namespace vigil {

inline const Actor kAlice{1, "alice", Role::kReviewer};
inline const Actor kBob{2, "bob", Role::kReviewer};
inline const Actor kPlatform{3, "platform", Role::kSubmitter};
inline const Actor kAdmin{4, "root", Role::kAdmin};

class ReviewFixture : public testing::Test {
 protected:
  static constexpr const char* kPdqA =
      "d8f8f0cee0f4a84f06370222078f67f0b36e2ed596621e1d33e6b39c4e9c9b22";
  static constexpr const char* kPdqB =
      "489db672e9190276d452aeab41eba20f02375fe4092d88defdf491a5c55c5f70";

  void SetUp() override {
    auto banks = SqliteBankStore::Open(db_path());
    ASSERT_TRUE(banks.ok()) << banks.status().ToString();
    banks_ = std::move(banks).value();
    ASSERT_TRUE(banks_->CreateBank({"gifct", "", true, {"priority:high"}}).ok());
    signal_a_ = AddSignal(kPdqA);
    signal_b_ = AddSignal(kPdqB);
    auto store = SqliteReviewStore::Open(db_path(), clock_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    service_ = std::make_unique<ReviewService>(*store_, clock_);
  }

  std::string db_path() const { return dir_.File("vigil.db"); }

  int64_t AddSignal(const char* hex) {
    Signal s;
    s.type = SignalType::kPdq;
    s.value = hex;
    auto added = banks_->AddSignal("gifct", s);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? added->id : 0;
  }

  // What a scan would report for a match of `signal_id`, read from the store as the
  // server does (so opinions are current).
  std::vector<MatchReport> Reports(int64_t signal_id, int distance = 4) {
    MatchHit hit{signal_id, SignalType::kPdq, distance, 0};
    auto reports = DescribeHits(*banks_, std::span<const MatchHit>(&hit, 1));
    EXPECT_TRUE(reports.ok()) << reports.status().ToString();
    return reports.ok() ? *reports : std::vector<MatchReport>{};
  }

  Case Open(const std::string& content_id, int64_t signal_id) {
    auto r = service_->OpenCaseForScan(content_id, "https://cdn.example/" + content_id,
                                       Reports(signal_id), kPlatform);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->c : Case{};
  }

  static DecisionInput Remove() {
    return {DecisionKind::kRemove, "Matches a known propaganda video.", GroundType::kLegal,
            "Regulation (EU) 2021/784 Art. 2(7)", SignalDispute::kNo};
  }
  static DecisionInput Keep(SignalDispute dispute = SignalDispute::kNo) {
    return {DecisionKind::kKeep, "News report quoting a still; not propaganda.",
            GroundType::kTermsOfService, "", dispute};
  }

  AuditVerifyReport VerifyAudit() {
    auto log = SqliteAuditLog::Open(db_path());
    EXPECT_TRUE(log.ok());
    auto r = (*log)->Verify();
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : AuditVerifyReport{};
  }

  TempDir dir_;
  FakeClock clock_{1'750'000'000};
  std::unique_ptr<SqliteBankStore> banks_;
  std::unique_ptr<SqliteReviewStore> store_;
  std::unique_ptr<ReviewService> service_;
  int64_t signal_a_ = 0;
  int64_t signal_b_ = 0;
};

}  // namespace vigil
