// The UI's server side in one process: embedded files with their headers, /v1/me,
// /media and /v1/stats on a real Server over a real SQLite file.
#include "api/ui_routes.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "api/server.h"
#include "store/sqlite_bank_store.h"
#include "store/test_temp_dir.h"

namespace vigil::api {
namespace {

Result<Actor> TestAuth(std::string_view secret) {
  static const std::map<std::string, Role, std::less<>> kTokens = {
      {"admin", Role::kAdmin}, {"submitter", Role::kSubmitter}, {"reviewer", Role::kReviewer}};
  auto it = kTokens.find(secret);
  if (it == kTokens.end()) return NotFound("unknown token");
  return Actor{7, it->first, it->second};
}

class UiRoutesTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string db = dir_.File("vigil.db");
    std::filesystem::create_directory(dir_.File("media"));
    std::ofstream(dir_.File("media/photo.jpg")) << "not really a jpeg";
    auto opener = [db]() -> Result<std::unique_ptr<BankStore>> {
      VIGIL_ASSIGN_OR_RETURN(auto s, SqliteBankStore::Open(db));
      return std::unique_ptr<BankStore>(std::move(s));
    };
    auto first = opener();
    ASSERT_TRUE(first.ok());
    auto matches = MatchService::Load(**first, {});
    ASSERT_TRUE(matches.ok());
    ServerOptions options{"127.0.0.1", 0, 4};
    options.media_dir = dir_.File("media");
    server_ = std::make_unique<Server>(
        options, std::make_unique<ApiContext>(opener, std::move(matches).value(), TestAuth, ApiOptions{}),
        ReviewApi::ForSqlite(db));
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok());
    thread_ = std::thread([this] { (void)server_->Serve(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
  }
  void TearDown() override {
    server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  httplib::Result Get(const std::string& path, const std::string& token = "",
                      httplib::Headers headers = {}) {
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return client_->Get(path, headers);
  }

  TempDir dir_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST(ContentTypeTest, ByExtension) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("js/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("app.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("PHOTO.JPG"), "image/jpeg");
  EXPECT_EQ(ContentTypeFor("README"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("x.exe"), "application/octet-stream");
}

TEST(EmbeddedUiTest, HoldsTheIndexAndScriptsWithoutInlineCode) {
  bool index = false;
  for (const EmbeddedFile& f : EmbeddedUiFiles()) {
    EXPECT_FALSE(f.bytes.empty()) << f.path;
    EXPECT_EQ(f.etag.size(), 18u) << f.path;  // 16 hex digits, quoted
    if (f.path == "index.html") {
      index = true;
      // The CSP forbids inline code, so the page must not rely on any.
      EXPECT_EQ(f.bytes.find("<script>"), std::string_view::npos);
      EXPECT_EQ(f.bytes.find(" style="), std::string_view::npos);
      EXPECT_EQ(f.bytes.find(" onclick="), std::string_view::npos);
    }
  }
  EXPECT_TRUE(index);
}

TEST_F(UiRoutesTest, ServesTheUiWithoutATokenAndWithStrictHeaders) {
  auto res = Get("/ui/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  std::string csp = res->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-cache");
  std::string etag = res->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());

  auto again = Get("/ui/index.html", "", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());

  auto missing = Get("/ui/nothing-here.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);

  client_->set_follow_location(false);
  auto bare = Get("/ui");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->status, 301);
  EXPECT_EQ(bare->get_header_value("Location"), "/ui/");
}

TEST_F(UiRoutesTest, MeNamesTheTokensHolder) {
  auto me = Get("/v1/me", "reviewer");
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  auto j = nlohmann::json::parse(me->body);
  EXPECT_EQ(j["name"], "reviewer");
  EXPECT_EQ(j["role"], "reviewer");
  auto wrong = Get("/v1/me", "nobody");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
}

TEST_F(UiRoutesTest, MediaNeedsAReviewerAndStaysInItsFolder) {
  auto ok = Get("/media/photo.jpg", "reviewer");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "not really a jpeg");
  EXPECT_EQ(ok->get_header_value("Content-Type"), "image/jpeg");
  EXPECT_EQ(ok->get_header_value("Cache-Control"), "private, no-store");
  EXPECT_EQ(ok->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Get("/media/photo.jpg")->status, 401);
  EXPECT_EQ(Get("/media/photo.jpg", "submitter")->status, 403);
  EXPECT_EQ(Get("/media/missing.jpg", "reviewer")->status, 404);
  EXPECT_EQ(Get("/media/..%2Fvigil.db", "reviewer")->status, 404);  // no route matches
  EXPECT_EQ(Get("/media/.hidden", "reviewer")->status, 404);
}

TEST_F(UiRoutesTest, StatsForReviewers) {
  auto res = Get("/v1/stats?days=7", "reviewer");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto j = nlohmann::json::parse(res->body);
  ASSERT_EQ(j["days"].size(), 7u);
  EXPECT_EQ(j["days"][6]["day"].get<std::string>().size(), 10u);  // YYYY-MM-DD
  EXPECT_EQ(j["days"][6]["cases_opened"], 0);
  EXPECT_EQ(j["days"][6]["decisions"]["remove"], 0);
  EXPECT_TRUE(j["banks"].is_array());
  EXPECT_EQ(j["cases_by_status"]["open"], 0);
  EXPECT_EQ(Get("/v1/stats?days=0", "reviewer")->status, 400);
  EXPECT_EQ(Get("/v1/stats?days=x", "reviewer")->status, 400);
  EXPECT_EQ(Get("/v1/stats", "submitter")->status, 403);
}

}  // namespace
}  // namespace vigil::api
