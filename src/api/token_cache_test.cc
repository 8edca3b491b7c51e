#include "api/token_cache.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

namespace vigil::api {
namespace {

using namespace std::chrono_literals;

// A token table the test edits, counting how often the cache reaches it.
struct FakeTable {
  std::atomic<int> reads{0};
  std::atomic<bool> alice_valid{true};
  Result<Actor> Lookup(std::string_view secret) {
    ++reads;
    if (secret == "alice" && alice_valid) return Actor{7, "alice", Role::kReviewer};
    return NotFound("unknown or revoked");
  }
};

TEST(TokenCacheTest, AHitWithinTheTtlDoesNotReadTheStore) {
  FakeTable table;
  TokenCache cache([&](std::string_view s) { return table.Lookup(s); }, 1h);
  ASSERT_TRUE(cache.Authenticate("alice").ok());
  auto again = cache.Authenticate("alice");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->token_id, 7);
  EXPECT_EQ(again->role, Role::kReviewer);
  EXPECT_EQ(table.reads, 1);
}

TEST(TokenCacheTest, FailuresAreNeverCached) {
  FakeTable table;
  table.alice_valid = false;
  TokenCache cache([&](std::string_view s) { return table.Lookup(s); }, 1h);
  EXPECT_FALSE(cache.Authenticate("alice").ok());
  table.alice_valid = true;  // e.g. the token was just created
  EXPECT_TRUE(cache.Authenticate("alice").ok());
  EXPECT_EQ(table.reads, 2);
}

TEST(TokenCacheTest, AnExpiredEntryIsReadAgain) {
  FakeTable table;
  TokenCache cache([&](std::string_view s) { return table.Lookup(s); }, 20ms);
  ASSERT_TRUE(cache.Authenticate("alice").ok());
  table.alice_valid = false;  // revoked by another process
  std::this_thread::sleep_for(40ms);
  EXPECT_FALSE(cache.Authenticate("alice").ok());
}

TEST(TokenCacheTest, ClearForgetsEveryToken) {
  FakeTable table;
  TokenCache cache([&](std::string_view s) { return table.Lookup(s); }, 1h);
  ASSERT_TRUE(cache.Authenticate("alice").ok());
  table.alice_valid = false;
  cache.Clear();
  EXPECT_FALSE(cache.Authenticate("alice").ok());
}

TEST(TokenCacheTest, ALookupThatRacedAClearIsNotKept) {
  FakeTable table;
  TokenCache* self = nullptr;
  // The store answers "valid", then the token is revoked and the cache cleared before
  // the answer is stored: that stale answer must not outlive the Clear.
  TokenCache cache(
      [&](std::string_view s) {
        auto r = table.Lookup(s);
        table.alice_valid = false;
        self->Clear();
        return r;
      },
      1h);
  self = &cache;
  EXPECT_TRUE(cache.Authenticate("alice").ok());  // this call's own answer stands
  EXPECT_FALSE(cache.Authenticate("alice").ok());
  EXPECT_EQ(table.reads, 2);
}

TEST(TokenCacheTest, ZeroTtlReadsEveryTime) {
  FakeTable table;
  TokenCache cache([&](std::string_view s) { return table.Lookup(s); }, 0ms);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(cache.Authenticate("alice").ok());
  EXPECT_EQ(table.reads, 3);
}

TEST(TokenCacheTest, TheBoundHoldsUnderManyTokens) {
  int reads = 0;
  TokenCache cache([&](std::string_view s) -> Result<Actor> { ++reads; return Actor{1, std::string(s), Role::kSubmitter}; },
                   1h, /*max_entries=*/4);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(cache.Authenticate("t" + std::to_string(i)).ok());
  EXPECT_EQ(reads, 10);
  EXPECT_TRUE(cache.Authenticate("t9").ok());  // the newest survive the drop
  EXPECT_EQ(reads, 10);
}

}  // namespace
}  // namespace vigil::api
