// The review routes end to end: a real httplib server on a loopback port with the review
// routes registered, real SQLite token, review and bank stores on one file.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <thread>

#include "api/review_api.h"
#include "store/sqlite_bank_store.h"
#include "store/sqlite_review_store.h"
#include "store/sqlite_token_store.h"
#include "store/test_temp_dir.h"

namespace vigil::api {
namespace {

constexpr char kHash[] = "d8f8f0cee0f4a84f06370222078f67f0b36e2ed596621e1d33e6b39c4e9c9b22";
const Actor kCli{0, "cli", Role::kAdmin};

class ReviewRoutesTest : public testing::Test {
 protected:
  void SetUp() override {
    const std::string db = dir_.File("vigil.db");
    auto banks = SqliteBankStore::Open(db);
    ASSERT_TRUE(banks.ok());
    banks_ = std::move(banks).value();
    ASSERT_TRUE(banks_->CreateBank({"gifct", "", true, {}}).ok());
    Signal s;
    s.value = kHash;
    auto added = banks_->AddSignal("gifct", s);
    ASSERT_TRUE(added.ok());
    signal_id_ = added->id;
    auto tokens = SqliteTokenStore::Open(db);
    ASSERT_TRUE(tokens.ok());
    tokens_ = std::move(tokens).value();
    for (auto [name, role] : {std::pair{"root", Role::kAdmin}, {"alice", Role::kReviewer},
                              {"bob", Role::kReviewer}, {"platform", Role::kSubmitter},
                              {"auditor", Role::kAuditor}}) {
      auto t = tokens_->CreateToken(name, role, kCli);
      ASSERT_TRUE(t.ok());
      secrets_[name] = t->secret;
    }
    auto opener = [db]() -> Result<std::unique_ptr<BankStore>> {
      VIGIL_ASSIGN_OR_RETURN(auto st, SqliteBankStore::Open(db));
      return std::unique_ptr<BankStore>(std::move(st));
    };
    auto auth = [this](std::string_view secret) {
      std::lock_guard<std::mutex> lock(auth_mu_);
      return tokens_->Authenticate(secret);
    };
    ctx_ = std::make_unique<ApiContext>(opener, nullptr, auth, ApiOptions{});
    review_ = ReviewApi::ForSqlite(db);
    Router router(http_, *ctx_);
    AddReviewRoutes(router, *review_);
    const int port = http_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { http_.listen_after_bind(); });
    while (!http_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port);
  }
  void TearDown() override {
    http_.stop();
    thread_.join();
  }

  int64_t OpenCase(const std::string& content_id) {
    auto store = SqliteReviewStore::Open(dir_.File("vigil.db"));
    EXPECT_TRUE(store.ok());
    ReviewService service(**store);
    MatchHit hit{signal_id_, SignalType::kPdq, 3, 0};
    auto reports = DescribeHits(*banks_, std::span<const MatchHit>(&hit, 1));
    auto opened = service.OpenCaseForScan(content_id, "https://cdn.example/1", *reports,
                                          Actor{0, "platform", Role::kSubmitter});
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? opened->c.id : 0;
  }
  httplib::Headers As(const std::string& who) {
    return {{"Authorization", "Bearer " + secrets_[who]}};
  }
  // {status, parsed body}
  std::pair<int, nlohmann::json> Call(const std::string& method, const std::string& path,
                                      const std::string& who, const nlohmann::json& body = {}) {
    httplib::Result r = method == "GET"    ? client_->Get(path, As(who))
                        : method == "PUT"  ? client_->Put(path, As(who), body.dump(), "application/json")
                        : method == "DELETE" ? client_->Delete(path, As(who))
                                             : client_->Post(path, As(who), body.dump(), "application/json");
    EXPECT_TRUE(r) << method << " " << path;
    if (!r) return {0, {}};
    return {r->status, nlohmann::json::parse(r->body, nullptr, false)};
  }

  TempDir dir_;
  std::unique_ptr<SqliteBankStore> banks_;
  std::unique_ptr<SqliteTokenStore> tokens_;
  std::mutex auth_mu_;
  std::map<std::string, std::string> secrets_;
  int64_t signal_id_ = 0;
  std::unique_ptr<ApiContext> ctx_;
  std::unique_ptr<ReviewApi> review_;
  httplib::Server http_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ReviewRoutesTest, DecideAppealAndAudit) {
  const int64_t id = OpenCase("upload-1");
  const std::string path = "/v1/cases/" + std::to_string(id);
  auto [list_status, list] = Call("GET", "/v1/cases?status=open&order=priority", "alice");
  ASSERT_EQ(list_status, 200) << list;
  ASSERT_EQ(list["cases"].size(), 1u);
  EXPECT_EQ(list["cases"][0]["matches"][0]["bank"], "gifct");
  EXPECT_EQ(Call("GET", "/v1/cases", "platform").first, 403);
  EXPECT_EQ(Call("GET", "/v1/cases?status=nope", "alice").first, 400);

  EXPECT_EQ(Call("POST", path + "/decision", "alice", {{"decision", "delete"}}).first, 400);
  auto [decided, d] = Call("POST", path + "/decision", "alice",
                           {{"decision", "remove"}, {"reason", "Known video."},
                            {"ground_type", "legal"}, {"ground", "TCO Art. 2(7)"}});
  ASSERT_EQ(decided, 201) << d;
  EXPECT_EQ(d["by"]["name"], "alice");
  EXPECT_EQ(Call("POST", path + "/decision", "alice",
                 {{"decision", "keep"}, {"reason", "again"}}).first, 409);

  EXPECT_EQ(Call("POST", path + "/appeal", "platform", {{"text", "Satire."}}).first, 201);
  auto [same, same_body] = Call("POST", path + "/appeal/decision", "alice",
                                {{"outcome", "upheld"}, {"reason", "Satire."}});
  EXPECT_EQ(same, 409);
  EXPECT_NE(same_body["error"]["message"].get<std::string>().find("different reviewer"),
            std::string::npos);
  EXPECT_EQ(Call("POST", path + "/appeal/decision", "bob",
                 {{"outcome", "upheld"}, {"reason", "Satire."}}).first, 200);

  auto [got, detail] = Call("GET", path, "auditor");
  ASSERT_EQ(got, 200);
  EXPECT_EQ(detail["status"], "closed");
  ASSERT_EQ(detail["deliveries"].size(), 2u);
  EXPECT_EQ(detail["deliveries"][1]["body"]["type"], "content.reinstate");
  EXPECT_EQ(detail["deliveries"][0]["status"], "pending");

  auto [verified, v] = Call("GET", "/v1/audit/verify", "auditor");
  ASSERT_EQ(verified, 200);
  EXPECT_EQ(v["ok"], true) << v;
  EXPECT_EQ(Call("GET", "/v1/audit", "alice").first, 403);
  auto [listed, events] = Call("GET", "/v1/audit?limit=2", "auditor");
  ASSERT_EQ(listed, 200);
  EXPECT_EQ(events["events"].size(), 2u);
}

TEST_F(ReviewRoutesTest, PoliciesSettingsAndTokensAreForAdmins) {
  EXPECT_EQ(Call("PUT", "/v1/banks/gifct/policy", "alice", {{"policy", "auto"}}).first, 403);
  EXPECT_EQ(Call("PUT", "/v1/banks/gifct/policy", "root", {{"policy", "auto"}}).first, 409);
  auto [set, policy] = Call("PUT", "/v1/banks/gifct/policy", "root",
                            {{"verified", true}, {"policy", "auto"}});
  ASSERT_EQ(set, 200) << policy;
  EXPECT_EQ(policy["policy"], "auto");
  EXPECT_EQ(Call("GET", "/v1/banks/gifct/policy", "alice").second["verified"], true);
  EXPECT_EQ(Call("GET", "/v1/banks/nope/policy", "alice").first, 404);

  EXPECT_EQ(Call("PUT", "/v1/settings/webhook", "alice", {{"url", "http://x"}}).first, 403);
  EXPECT_EQ(Call("PUT", "/v1/settings/webhook", "root",
                 {{"url", "ftp://x"}, {"secret", "0123456789abcdef"}}).first, 400);
  EXPECT_EQ(Call("PUT", "/v1/settings/webhook", "root",
                 {{"url", "https://platform.example/hook"}, {"secret", "0123456789abcdef"}})
                .first,
            200);

  EXPECT_EQ(Call("POST", "/v1/tokens", "alice", {{"name", "x"}, {"role", "admin"}}).first, 403);
  auto [created, token] = Call("POST", "/v1/tokens", "root", {{"name", "carol"}, {"role", "reviewer"}});
  ASSERT_EQ(created, 201);
  secrets_["carol"] = token["secret"];
  EXPECT_EQ(Call("GET", "/v1/cases", "carol").first, 200);  // now in the token cache
  EXPECT_EQ(Call("DELETE", "/v1/tokens/carol", "root").first, 200);  // which this clears
  auto [revoked, revoked_body] = Call("GET", "/v1/cases", "carol");
  secrets_["nobody"] = "vgl_" + std::string(43, 'A');
  auto [unknown, unknown_body] = Call("GET", "/v1/cases", "nobody");
  EXPECT_EQ(revoked, 401);
  EXPECT_EQ(unknown, 401);
  EXPECT_EQ(revoked_body, unknown_body) << "unknown and revoked look the same";
  auto [listed, tokens] = Call("GET", "/v1/tokens", "root");
  ASSERT_EQ(listed, 200);
  EXPECT_EQ(tokens.dump().find("vgl_"), std::string::npos) << "no secrets in listings";
}

}  // namespace
}  // namespace vigil::api
