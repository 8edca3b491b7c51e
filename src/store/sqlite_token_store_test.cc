#include "store/sqlite_token_store.h"

#include <gtest/gtest.h>

#include "store/test_temp_dir.h"

namespace vigil {
namespace {

const Actor kCli{0, "cli", Role::kAdmin};

class TokenStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteTokenStore::Open(dir_.File("vigil.db"), clock_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  TempDir dir_;
  FakeClock clock_{1'700'000'000};
  std::unique_ptr<SqliteTokenStore> store_;
};

TEST_F(TokenStoreTest, CreateThenAuthenticate) {
  auto t = store_->CreateToken("alice", Role::kReviewer, kCli);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(t->secret.starts_with("vgl_"));
  EXPECT_EQ(t->secret.size(), 47u);
  EXPECT_EQ(t->secret.find_first_not_of(
                "vgl_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"),
            std::string::npos);
  auto actor = store_->Authenticate(t->secret);
  ASSERT_TRUE(actor.ok()) << actor.status().ToString();
  EXPECT_EQ(actor->name, "alice");
  EXPECT_EQ(actor->role, Role::kReviewer);
  EXPECT_EQ(actor->token_id, t->info.id);
}

TEST_F(TokenStoreTest, SecretsDifferAndAreNotStored) {
  auto a = store_->CreateToken("a", Role::kAdmin, kCli);
  auto b = store_->CreateToken("b", Role::kAdmin, kCli);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->secret, b->secret);
  auto db = SqliteDb::Open(dir_.File("vigil.db"));
  ASSERT_TRUE(db.ok());
  auto hits = (*db)->QueryInt("SELECT count(*) FROM api_tokens WHERE secret_sha256 = '" +
                              a->secret + "' OR CAST(secret_sha256 AS TEXT) LIKE '%vgl_%'");
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(*hits, 0);
}

TEST_F(TokenStoreTest, UnknownRevokedAndMalformedGiveTheSameError) {
  auto t = store_->CreateToken("bot", Role::kSubmitter, kCli);
  ASSERT_TRUE(t.ok());
  std::string unknown = t->secret;
  unknown.back() = unknown.back() == 'A' ? 'B' : 'A';
  ASSERT_TRUE(store_->RevokeToken("bot", kCli).ok());
  const Status revoked = store_->Authenticate(t->secret).status();
  const Status other = store_->Authenticate(unknown).status();
  const Status malformed = store_->Authenticate("Bearer nonsense").status();
  EXPECT_EQ(revoked.code(), ErrorCode::kNotFound);
  EXPECT_EQ(revoked.ToString(), other.ToString());
  EXPECT_EQ(revoked.ToString(), malformed.ToString());
}

TEST_F(TokenStoreTest, NamesAreUniqueAmongLiveTokensOnly) {
  ASSERT_TRUE(store_->CreateToken("carol", Role::kReviewer, kCli).ok());
  EXPECT_EQ(store_->CreateToken("carol", Role::kAdmin, kCli).status().code(),
            ErrorCode::kAlreadyExists);
  ASSERT_TRUE(store_->RevokeToken("carol", kCli).ok());
  EXPECT_EQ(store_->RevokeToken("carol", kCli).code(), ErrorCode::kNotFound);
  ASSERT_TRUE(store_->CreateToken("carol", Role::kAdmin, kCli).ok());
  auto list = store_->ListTokens();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_TRUE((*list)[0].revoked_at.has_value());
  EXPECT_FALSE((*list)[1].revoked_at.has_value());
  EXPECT_EQ((*list)[1].role, Role::kAdmin);
}

TEST_F(TokenStoreTest, BadNamesAreRefused) {
  const std::vector<std::string> bad = {"", "has space", std::string(65, 'x'), "semi;colon"};
  for (const std::string& name : bad) {
    EXPECT_EQ(store_->CreateToken(name, Role::kAdmin, kCli).status().code(),
              ErrorCode::kInvalidArgument)
        << name;
  }
}

TEST(RoleTest, NamesRoundTrip) {
  for (Role r : {Role::kAdmin, Role::kCurator, Role::kSubmitter, Role::kReviewer,
                 Role::kAuditor}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseRole("root").has_value());
}

}  // namespace
}  // namespace vigil
