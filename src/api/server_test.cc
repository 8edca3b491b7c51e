// The HTTP API end to end in one process: a real Server on a loopback port over a real
// SQLite file, driven by httplib's client. Tokens here come from a fixed test table; the
// SQLite token store has its own tests.
#include "api/server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "store/sqlite_bank_store.h"
#include "store/test_temp_dir.h"

namespace vigil::api {
namespace {

constexpr char kHash[] = "d8f8f0cee0f4a84f06370222078f67f0b36e2ed596621e1d33e6b39c4e9c9b22";

std::string TestImage(const std::string& rel) {
  const char* env = std::getenv("VIGIL_TEST_DATA");
  std::ifstream in(std::string(env ? env : VIGIL_TEST_DATA) + "/pdq/" + rel, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Result<Actor> TestAuth(std::string_view secret) {
  static const std::map<std::string, Role, std::less<>> kTokens = {
      {"admin", Role::kAdmin},       {"curator", Role::kCurator}, {"submitter", Role::kSubmitter},
      {"reviewer", Role::kReviewer}, {"auditor", Role::kAuditor}};
  auto it = kTokens.find(secret);
  if (it == kTokens.end()) return NotFound("unknown token");
  return Actor{1, it->first, it->second};
}

class ServerTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string db = dir_.File("vigil.db");
    auto opener = [db]() -> Result<std::unique_ptr<BankStore>> {
      VIGIL_ASSIGN_OR_RETURN(auto s, SqliteBankStore::Open(db));
      return std::unique_ptr<BankStore>(std::move(s));
    };
    auto first = opener();
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE((*first)->CreateBank({"demo", "", true, {"tat"}}).ok());
    std::istringstream csv(std::string("signal_type,signal,labels\npdq,") + kHash + ",bridge\n");
    ASSERT_TRUE((*first)->Import("demo", csv, {})->committed);
    auto matches = MatchService::Load(**first, {});
    ASSERT_TRUE(matches.ok());
    ApiOptions options;
    options.max_body_bytes = 4 << 20;
    ServerOptions serve{"127.0.0.1", 0, 4};
    serve.media_dir = dir_.File("media");
    std::filesystem::create_directory(serve.media_dir);
    std::ofstream(serve.media_dir + "/bridge.jpg", std::ios::binary) << TestImage("bridge-mods/aaa-orig.jpg");
    server_ = std::make_unique<Server>(
        std::move(serve),
        std::make_unique<ApiContext>(opener, std::move(matches).value(), TestAuth, options),
        ReviewApi::ForSqlite(db));
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok());
    thread_ = std::thread([this] { (void)server_->Serve(); });
    port_ = *port;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    client_->set_read_timeout(30, 0);
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
  }

  httplib::Headers As(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
  nlohmann::json Json(const httplib::Result& r) {
    EXPECT_TRUE(r) << "no response";
    return r ? nlohmann::json::parse(r->body, nullptr, false) : nlohmann::json();
  }

  TempDir dir_;
  std::unique_ptr<Server> server_;
  int port_ = 0;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

// httplib's default socket options include SO_REUSEPORT, under which a second server
// on the same port binds silently and takes a share of the connections.
TEST_F(ServerTest, SecondServerOnTheSamePortIsRefused) {
  ApiOptions options;
  auto matches = MatchService::Load(**SqliteBankStore::Open(dir_.File("vigil.db")), {});
  ASSERT_TRUE(matches.ok());
  auto opener = []() -> Result<std::unique_ptr<BankStore>> { return NotFound("unused"); };
  Server second(ServerOptions{"127.0.0.1", port_, 1},
                std::make_unique<ApiContext>(opener, std::move(matches).value(), TestAuth, options));
  auto bound = second.Bind();
  ASSERT_FALSE(bound.ok());
  EXPECT_NE(bound.status().message().find("in use"), std::string::npos) << bound.status().message();
}

TEST_F(ServerTest, HealthAndMetricsArePublic) {
  EXPECT_EQ(Json(client_->Get("/healthz"))["status"], "ok");
  auto ready = Json(client_->Get("/readyz"));
  EXPECT_EQ(ready["pdq_signals"], 1);
  client_->Get("/healthz");
  auto metrics = client_->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("vigil_http_requests_total{route=\"GET /healthz\",status=\"200\"} 2"),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("vigil_index_pdq_signals 1"), std::string::npos);
  EXPECT_EQ(client_->Get("/status")->body, "I-AM-ALIVE");
}

TEST_F(ServerTest, UploadHashesAndMatches) {
  std::string jpeg = TestImage("bridge-mods/aaa-orig.jpg");
  auto r = client_->Post("/v1/hash-and-match", As("submitter"), jpeg, "image/jpeg");
  auto j = Json(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(j["hashes"]["pdq"]["hash"],
            "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22");
  ASSERT_EQ(j["matches"].size(), 1u);
  EXPECT_EQ(j["matches"][0]["bank"], "demo");
  EXPECT_EQ(j["matches"][0]["distance"], 2);
  httplib::MultipartFormDataItems form{{"photo", jpeg, "bridge.jpg", "image/jpeg"}};
  auto hma = Json(client_->Post("/h/hash", As("submitter"), form));
  EXPECT_EQ(hma["pdq"], "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22");
  auto banks = Json(client_->Post("/m/lookup", As("submitter"), form));
  EXPECT_EQ(banks["pdq"], nlohmann::json::array({"demo"}));
}

// Edited copies plain PDQ misses: a 6% border and a quarter turn. /v1/hash shows the
// trimmed picture's hash; /v1/scan matches both and says through which query variant,
// and the case keeps it as evidence.
TEST_F(ServerTest, BorderedAndRotatedCopiesMatchThroughQueryVariants) {
  const std::string bordered = TestImage("../variants/bridge-border6.jpg");
  const std::string rotated = TestImage("../variants/bridge-rot90.jpg");
  ASSERT_GT(bordered.size(), 1000u);
  ASSERT_GT(rotated.size(), 1000u);
  auto h = Json(client_->Post("/v1/hash", As("submitter"), bordered, "image/jpeg"));
  ASSERT_TRUE(h.contains("trimmed")) << h.dump();
  EXPECT_EQ(h["trimmed"]["box"], nlohmann::json::parse(R"({"x":48,"y":30,"width":800,"height":502})"))
      << h["trimmed"].dump();
  EXPECT_FALSE(Json(client_->Post("/v1/hash", As("submitter"), rotated, "image/jpeg")).contains("trimmed"));

  const std::pair<const std::string*, const char*> copies[] = {{&bordered, "trimmed"},
                                                               {&rotated, "rotate90"}};
  for (const auto& [bytes, variant] : copies) {
    const std::string id = std::string("edited-") + variant;
    auto r = client_->Post("/v1/scan?content_id=" + id, As("submitter"), *bytes, "image/jpeg");
    ASSERT_EQ(r->status, 201) << r->body;
    auto scan = Json(r);
    ASSERT_EQ(scan["matches"].size(), 1u) << scan.dump();
    EXPECT_EQ(scan["matches"][0]["variant"], variant);
    EXPECT_EQ(scan["matches"][0]["detail"]["variant"], variant);
    auto c = Json(client_->Get("/v1/cases/" + std::to_string(scan["case"]["id"].get<int64_t>()),
                               As("reviewer")));
    ASSERT_EQ(c["matches"].size(), 1u) << c.dump();
    EXPECT_EQ(c["matches"][0]["detail"]["variant"], variant) << c.dump();
  }
}

TEST_F(ServerTest, BadUploadsGetClearErrors) {
  auto r = client_->Post("/v1/hash", As("submitter"), "not an image at all", "image/jpeg");
  auto j = Json(r);
  ASSERT_EQ(r->status, 200);  // exact hashes still; the image error is reported
  EXPECT_EQ(j["image_error"]["message"], "upload: not an image: the bytes are text");
  r = client_->Post("/v1/hash", As("submitter"), "", "image/jpeg");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Json(r)["error"]["code"], "invalid_argument");
  r = client_->Post("/v1/hash", As("submitter"), std::string(5 << 20, 'x'), "image/jpeg");
  EXPECT_EQ(r->status, 413);
  r = client_->Post("/v1/match", As("submitter"), "{\"signals\": [{\"signal\": \"abc\"}]}",
                    "application/json");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Json(r)["error"]["message"],
            "signals[0]: a pdq signal must be 64 hex digits, got 3 characters");
  r = client_->Post("/v1/match", As("submitter"), R"({"signals": [{"signal_type": 5, "signal": "ab"}]})",
                    "application/json");
  EXPECT_EQ(Json(r)["error"]["message"], "signals[0]: signal_type must be a string");
  r = client_->Post("/v1/match", As("submitter"), "{not json", "application/json");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(client_->Get("/v1/nowhere", As("admin"))->status, 404);
}

// httplib reads a chunked body with no cap, so routes that buffer refuse one unread.
TEST_F(ServerTest, ChunkedBodiesAreRefusedWhereTheBodyIsBuffered) {
  httplib::Client chunked("127.0.0.1", port_);
  auto r = chunked.Post(
      "/v1/hash", As("submitter"),
      [](size_t, httplib::DataSink& sink) {
        sink.write("0123456789", 10);
        sink.done();
        return true;
      },
      "image/jpeg");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 411);
  EXPECT_EQ(Json(r)["error"]["code"], "length_required");
  EXPECT_EQ(client_->Get("/healthz")->status, 200);  // the server is unharmed
}

TEST_F(ServerTest, HmaLookupShapes) {
  auto lookup = Json(client_->Get(std::string("/m/lookup?signal_type=pdq&signal=") + kHash,
                                  As("submitter")));
  EXPECT_EQ(lookup, nlohmann::json::array({"demo"}));
  auto raw = Json(client_->Get(
      std::string("/m/raw_lookup?signal_type=pdq&include_distance=true&signal=") + kHash,
      As("submitter")));
  ASSERT_EQ(raw["matches"].size(), 1u);
  EXPECT_EQ(raw["matches"][0]["distance"], "0");
  EXPECT_TRUE(raw["matches"][0]["content_id"].is_number());
  auto bad = client_->Get("/m/lookup?signal_type=phash&signal=00", As("submitter"));
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Json(bad)["message"], "No such SignalType 'phash'");
  auto banks = Json(client_->Get("/c/banks", As("curator")));
  EXPECT_EQ(banks, nlohmann::json::parse(R"([{"name":"demo","matching_enabled_ratio":1.0}])"));
  auto created = client_->Post("/c/banks", As("curator"), R"({"name":"NEW_BANK"})", "application/json");
  EXPECT_EQ(created->status, 201);
  EXPECT_EQ(client_->Post("/c/banks", As("curator"), R"({"name":"NEW_BANK"})", "application/json")->status,
            403);
  // A bank created through the API is matched at once.
  std::string h(64, 'b');
  ASSERT_EQ(client_->Post("/c/bank/NEW_BANK/signal", As("curator"), "{\"pdq\":\"" + h + "\"}",
                          "application/json")->status, 200);
  EXPECT_EQ(Json(client_->Get("/m/lookup?signal_type=pdq&signal=" + h, As("submitter"))),
            nlohmann::json::array({"NEW_BANK"}));
}

TEST_F(ServerTest, SignalChangesReachTheNextLookup) {
  std::string other(64, 'a');
  auto lookup = [&] {
    return Json(client_->Get("/m/raw_lookup?signal_type=pdq&signal=" + other, As("submitter")))["matches"];
  };
  EXPECT_TRUE(lookup().empty());
  auto added = client_->Post("/c/bank/demo/signal", As("curator"), "{\"pdq\":\"" + other + "\"}",
                             "application/json");
  ASSERT_EQ(added->status, 200) << added->body;
  int64_t id = Json(added)["id"];
  EXPECT_EQ(lookup(), nlohmann::json::array({id}));
  auto path = "/v1/signals/" + std::to_string(id);
  EXPECT_EQ(client_->Patch(path, As("curator"), R"({"disabled":true})", "application/json")->status, 200);
  EXPECT_TRUE(lookup().empty());
  client_->Patch(path, As("curator"), R"({"disabled":false})", "application/json");
  EXPECT_EQ(lookup().size(), 1u);
  EXPECT_EQ(client_->Delete(path, As("curator"))->status, 200);
  EXPECT_TRUE(lookup().empty());
  auto imported = client_->Post("/v1/banks/demo/import", As("curator"),
                                "signal_type,signal\npdq," + other + "\n", "text/csv");
  ASSERT_EQ(imported->status, 200) << imported->body;
  EXPECT_EQ(lookup().size(), 1u);
  auto bad = client_->Post("/v1/banks/demo/import", As("curator"), "signal_type,signal\npdq,zz\n",
                           "text/csv");
  EXPECT_EQ(bad->status, 422);
  EXPECT_EQ(Json(bad)["errors"][0]["line"], 2);
}

TEST_F(ServerTest, ScanOpensOneCasePerContentId) {
  std::string body = std::string(R"({"content_id": "post-1", "content_url": "https://example.test/p/1",)") +
                     R"("hashes": {"pdq": ")" + kHash + R"("}})";
  auto first = client_->Post("/v1/scan", As("submitter"), body, "application/json");
  ASSERT_EQ(first->status, 201) << first->body;
  auto j = Json(first);
  EXPECT_EQ(j["case"]["status"], "open");
  EXPECT_EQ(j["case"]["created"], true);
  EXPECT_EQ(j["matches"][0]["bank"], "demo");
  auto again = client_->Post("/v1/scan", As("submitter"), body, "application/json");
  ASSERT_EQ(again->status, 200);
  EXPECT_EQ(Json(again)["case"]["id"], j["case"]["id"]);
  EXPECT_EQ(Json(again)["case"]["created"], false);
  // The case is in the reviewers' queue.
  auto cases = Json(client_->Get("/v1/cases", As("reviewer")));
  ASSERT_EQ(cases["cases"].size(), 1u) << cases.dump();
  // Media upload, no match: hashes and no case.
  httplib::MultipartFormDataItems form{{"content_id", "post-2", "", ""},
                                       {"media", TestImage("reg-test-input/labelme-subset/q0003.jpg"),
                                        "q0003.jpg", "image/jpeg"}};
  auto none = Json(client_->Post("/v1/scan", As("submitter"), form));
  EXPECT_TRUE(none["case"].is_null()) << none.dump();
  EXPECT_TRUE(none["hashes"]["pdq"].is_object());
  auto missing = client_->Post("/v1/scan", As("submitter"), R"({"hashes": {}})", "application/json");
  EXPECT_EQ(Json(missing)["error"]["message"], "content_id is required");
}

TEST_F(ServerTest, ScanTakesRawMediaWithIdsInTheQuery) {
  std::string jpeg = TestImage("reg-test-input/labelme-subset/q0003.jpg");
  auto raw = client_->Post("/v1/scan?content_id=post%2F3&content_url=https%3A%2F%2Fexample.test%2Fp%2F3",
                           As("submitter"), jpeg, "image/jpeg");
  ASSERT_EQ(raw->status, 200) << raw->body;
  auto j = Json(raw);
  EXPECT_EQ(j["content_id"], "post/3");
  EXPECT_TRUE(j["case"].is_null());
  // The same hashes as the multipart path gives.
  httplib::MultipartFormDataItems form{{"content_id", "post-4", "", ""},
                                       {"media", jpeg, "q0003.jpg", "image/jpeg"}};
  EXPECT_EQ(j["hashes"], Json(client_->Post("/v1/scan", As("submitter"), form))["hashes"]);
  auto no_id = client_->Post("/v1/scan", As("submitter"), jpeg, "application/octet-stream");
  EXPECT_EQ(no_id->status, 400);
  EXPECT_EQ(Json(no_id)["error"]["message"], "content_id is required");
  auto empty = client_->Post("/v1/scan?content_id=x", As("submitter"), "", "application/octet-stream");
  EXPECT_EQ(empty->status, 400);
  auto not_image = client_->Post("/v1/scan?content_id=y", As("submitter"), "plain words", "text/plain");
  ASSERT_EQ(not_image->status, 200) << not_image->body;  // hashed as bytes; the image error is reported
  EXPECT_TRUE(Json(not_image)["hashes"]["image_error"].is_object());
}

// The upload routes read multipart bodies in place (form_data.h): the file part is found
// whatever the fields' order or names, a raw body and a multipart one hash alike, and bad
// framing is a 400 that says what is wrong, on vigil's routes and HMA's alike.
TEST_F(ServerTest, MultipartUploadsAreReadInPlace) {
  const std::string jpeg = TestImage("reg-test-input/labelme-subset/q0003.jpg");
  const auto raw = Json(client_->Post("/v1/hash", As("submitter"), jpeg, "image/jpeg"));
  httplib::MultipartFormDataItems fields_first{{"a_note", "not the file", "", ""},
                                               {"z_file", jpeg, "q.jpg", "image/jpeg"}};
  EXPECT_EQ(Json(client_->Post("/v1/hash", As("submitter"), fields_first)), raw);
  httplib::MultipartFormDataItems no_filename{{"file", jpeg, "", ""}};  // curl -F 'file=<q.jpg'
  EXPECT_EQ(Json(client_->Post("/v1/hash", As("submitter"), no_filename)), raw);
  httplib::MultipartFormDataItems two_files{{"content_id", "post-9", "", ""},
                                            {"a", jpeg, "a.jpg", "image/jpeg"},
                                            {"b", jpeg, "b.jpg", "image/jpeg"}};
  auto two = client_->Post("/v1/scan", As("submitter"), two_files);
  EXPECT_EQ(two->status, 400);
  EXPECT_EQ(Json(two)["error"]["message"], "send one media file per scan");

  const std::string unclosed = "--b0undary\r\nContent-Disposition: form-data; name=\"m\"; "
                               "filename=\"q.jpg\"\r\n\r\n" + jpeg;
  const char* type = "multipart/form-data; boundary=b0undary";
  for (const char* path : {"/v1/hash", "/v1/hash-and-match", "/v1/scan"}) {
    SCOPED_TRACE(path);
    auto bad = client_->Post(path, As("submitter"), unclosed, type);
    EXPECT_EQ(bad->status, 400);
    EXPECT_EQ(Json(bad)["error"]["code"], "invalid_argument");
    EXPECT_EQ(Json(bad)["error"]["message"], "the multipart body has no closing boundary");
  }
  auto hma = client_->Post("/h/hash", As("submitter"), unclosed, type);
  EXPECT_EQ(hma->status, 400);
  EXPECT_NE(hma->body.find("no closing boundary"), std::string::npos) << hma->body;
  // The connection is still good for the next request.
  EXPECT_EQ(Json(client_->Post("/v1/hash", As("submitter"), jpeg, "image/jpeg")), raw);
}

// A video through the service: hashed (vPDQ, TMK, MD5) on upload, its vPDQ added to a
// bank, then scanned: a case whose match names the matched seconds. And HMA's video shapes.
TEST_F(ServerTest, VideoHashScanAndHmaShapes) {
  std::string mp4 = TestImage("../video/test-padded-dimensions.mp4");  // 5 s, 30 fps
  ASSERT_GT(mp4.size(), 1000u);
  auto hashed = client_->Post("/v1/hash", As("submitter"), mp4, "video/mp4");
  ASSERT_EQ(hashed->status, 200) << hashed->body.substr(0, 500);
  auto h = Json(hashed);
  ASSERT_TRUE(h["vpdq"].is_string()) << h.dump().substr(0, 500);
  EXPECT_TRUE(h["tmk_pdqf"].is_string());
  EXPECT_EQ(h["video"]["partial"], false);
  EXPECT_FALSE(h.contains("image_error")) << "a video is not reported as a bad image";
  EXPECT_EQ(nlohmann::json::parse(h["vpdq"].get<std::string>()).size(), 5u) << "one frame a second";

  nlohmann::json signal = {{"signal_type", "vpdq"}, {"signal", h["vpdq"]}, {"labels", {"video"}}};
  auto added = client_->Post("/v1/banks/demo/signals", As("curator"), signal.dump(), "application/json");
  ASSERT_EQ(added->status, 201) << added->body.substr(0, 300);

  httplib::MultipartFormDataItems form{{"content_id", "video-1", "", ""},
                                       {"content_url", "https://cdn.example/v/1.mp4", "", ""},
                                       {"media", mp4, "clip.mp4", "video/mp4"}};
  auto scanned = client_->Post("/v1/scan", As("submitter"), form);
  ASSERT_EQ(scanned->status, 201) << scanned->body.substr(0, 500);
  auto scan = Json(scanned);
  const nlohmann::json* vpdq_match = nullptr;
  for (const auto& m : scan["matches"]) {
    if (m["signal_type"] == "vpdq") vpdq_match = &m;
  }
  ASSERT_NE(vpdq_match, nullptr) << scan["matches"].dump().substr(0, 500);
  EXPECT_EQ((*vpdq_match)["detail"]["query_percent"], 100.0);
  EXPECT_EQ((*vpdq_match)["detail"]["bank_percent"], 100.0);
  ASSERT_EQ((*vpdq_match)["detail"]["segments"].size(), 1u);
  EXPECT_EQ((*vpdq_match)["detail"]["segments"][0]["query_start_s"], 0.0);
  EXPECT_EQ((*vpdq_match)["detail"]["segments"][0]["query_end_s"], 4.0);
  // The case keeps the detail; the queue lists the long vPDQ text cut short.
  auto c = Json(client_->Get("/v1/cases/" + std::to_string(scan["case"]["id"].get<int64_t>()), As("reviewer")));
  bool found = false;
  for (const auto& m : c["matches"]) {
    if (m["signal_type"] != "vpdq") continue;
    found = true;
    EXPECT_EQ(m["detail"]["segments"][0]["bank_end_s"], 4.0);
    EXPECT_EQ(m["signal"], h["vpdq"]);
  }
  EXPECT_TRUE(found) << c.dump().substr(0, 500);
  auto queue = Json(client_->Get("/v1/cases", As("reviewer")));
  for (const auto& m : queue["cases"][0]["matches"]) {
    if (m["signal_type"] == "vpdq") {
      EXPECT_LE(m["signal"].get<std::string>().size(), 83u);
    }
  }
  // Precomputed video hashes scan too.
  nlohmann::json pre = {{"content_id", "video-2"}, {"hashes", {{"vpdq", h["vpdq"]}}}};
  auto by_hash = Json(client_->Post("/v1/scan", As("submitter"), pre.dump(), "application/json"));
  ASSERT_EQ(by_hash["matches"].size(), 1u) << by_hash.dump().substr(0, 300);
  EXPECT_EQ(by_hash["matches"][0]["signal_type"], "vpdq");
  nlohmann::json bad = {{"content_id", "video-3"}, {"hashes", {{"vpdq", "[\"zz\"]"}}}};
  EXPECT_EQ(client_->Post("/v1/scan", As("submitter"), bad.dump(), "application/json")->status, 400);

  // HMA: POST /h/hash and /m/lookup with a "video" field.
  httplib::MultipartFormDataItems video{{"video", mp4, "clip.mp4", "video/mp4"}};
  auto hma = Json(client_->Post("/h/hash", As("submitter"), video));
  EXPECT_EQ(hma["video_md5"], h["md5"]);
  EXPECT_EQ(hma["vpdq"], h["vpdq"]);
  EXPECT_EQ(hma.size(), 2u) << hma.dump().substr(0, 300);
  auto lookup = Json(client_->Post("/m/lookup", As("submitter"), video));
  EXPECT_EQ(lookup, nlohmann::json::parse(R"({"video_md5": [], "vpdq": ["demo"]})"));
  httplib::MultipartFormDataItems not_video{{"video", "plain words", "x.mp4", "video/mp4"}};
  auto refused = client_->Post("/h/hash", As("submitter"), not_video);
  EXPECT_EQ(refused->status, 400) << refused->body;
  EXPECT_TRUE(Json(refused).contains("message"));
}

// A burst of image uploads does not hold up videos, and long videos do not hold up images:
// each kind waits only for its own workers (ApiContext::video_workers).
TEST_F(ServerTest, VideosAndImagesDecodeOnWorkersOfTheirOwn) {
  ApiContext& ctx = server_->context();
  ctx.options.decode_wait = std::chrono::milliseconds(300);  // no request is in flight
  const std::string mp4 = TestImage("../video/test-padded-dimensions.mp4");
  const std::string jpeg = TestImage("bridge-mods/aaa-orig.jpg");
  auto post = [&](const std::string& body, const char* type) {
    auto r = client_->Post("/v1/hash", As("submitter"), body, type);
    return r ? r->status : -1;
  };
  // Keeps every worker of `workers` busy until the returned guard ends.
  auto occupy = [](HashWorkers& workers) {
    struct Occupied {
      HashWorkers& workers;
      std::promise<void> release;
      std::vector<std::thread> holders;
      ~Occupied() {
        release.set_value();
        for (std::thread& t : holders) t.join();
      }
    };
    std::unique_ptr<Occupied> o(new Occupied{workers, {}, {}});
    std::shared_future<void> released = o->release.get_future().share();
    for (int i = 0; i < workers.count(); ++i) {
      o->holders.emplace_back([&workers, released] {
        workers.Run([&](ContentHasher&) { released.wait(); }, std::chrono::seconds(10));
      });
    }
    while (workers.running() < workers.count()) std::this_thread::yield();
    return o;
  };

  {
    auto busy_images = occupy(ctx.image_workers);
    EXPECT_EQ(post(mp4, "video/mp4"), 200);
    auto busy = client_->Post("/v1/hash", As("submitter"), jpeg, "image/jpeg");
    ASSERT_TRUE(busy);
    EXPECT_EQ(busy->status, 503);
    EXPECT_EQ(Json(busy)["error"]["code"], "unavailable") << busy->body;
  }
  {
    auto busy_videos = occupy(ctx.video_workers);
    EXPECT_EQ(post(jpeg, "image/jpeg"), 200);
    EXPECT_EQ(post(mp4, "video/mp4"), 503);
  }
  EXPECT_EQ(post(mp4, "video/mp4"), 200);
  EXPECT_EQ(ctx.image_workers.count(), DefaultDecodeSlots());
  EXPECT_EQ(ctx.video_workers.count(), DefaultVideoDecodeSlots());
}

// Every route against every role: the table says who may call what.
// Every registered route against every role: the expectations are written here by hand
// (not derived from the routes' Access), and the table must name each registered route,
// so a new route without a row fails this test.
TEST_F(ServerTest, RoleMatrix) {
  struct Case {
    std::string method, pattern;  // as registered
    std::string path;             // a concrete request for it
    std::set<std::string> allowed;  // besides admin; "*" = public (no token needed)
  };
  const std::string q = std::string("?signal_type=pdq&signal=") + kHash;
  const std::string bank = "/v1/banks/([A-Za-z0-9_.-]+)";
  const std::string signal = R"(/v1/signals/(\d{1,18}))";
  const std::string one_case = R"(/v1/cases/(\d{1,18}))";
  const std::set<std::string> any_reader = {"curator", "reviewer", "auditor"};
  const std::set<std::string> hashers = {"submitter", "reviewer", "curator"};
  const std::vector<Case> cases = {
      {"GET", "/healthz", "/healthz", {"*"}},
      {"GET", "/readyz", "/readyz", {"*"}},
      {"GET", "/metrics", "/metrics", {"*"}},
      {"GET", "/status", "/status", {"*"}},
      {"POST", "/v1/hash", "/v1/hash", hashers},
      {"POST", "/v1/match", "/v1/match", hashers},
      {"GET", "/v1/match", "/v1/match" + q, hashers},
      {"POST", "/v1/hash-and-match", "/v1/hash-and-match", hashers},
      {"POST", "/v1/scan", "/v1/scan", {"submitter"}},
      {"GET", "/v1/banks", "/v1/banks", any_reader},
      {"POST", "/v1/banks", "/v1/banks", {"curator"}},
      {"GET", bank, "/v1/banks/demo", any_reader},
      {"POST", bank + "/signals", "/v1/banks/demo/signals", {"curator"}},
      {"POST", bank + "/import", "/v1/banks/demo/import", {"curator"}},
      {"GET", bank + "/export", "/v1/banks/demo/export", any_reader},
      {"GET", bank + "/policy", "/v1/banks/demo/policy", any_reader},
      {"PUT", bank + "/policy", "/v1/banks/demo/policy", {}},
      {"GET", signal, "/v1/signals/1", any_reader},
      {"PATCH", signal, "/v1/signals/1", {"curator"}},
      {"DELETE", signal, "/v1/signals/1", {"curator"}},
      {"DELETE", bank, "/v1/banks/demo", {"curator"}},
      {"GET", "/m/lookup", "/m/lookup" + q, {"submitter"}},
      {"POST", "/m/lookup", "/m/lookup", {"submitter"}},
      {"GET", "/m/raw_lookup", "/m/raw_lookup" + q, {"submitter"}},
      {"POST", "/h/hash", "/h/hash", {"submitter"}},
      {"GET", "/c/banks", "/c/banks", {"curator"}},
      {"POST", "/c/banks", "/c/banks", {"curator"}},
      {"POST", "/c/bank/([A-Za-z0-9_.-]+)/signal", "/c/bank/demo/signal", {"curator"}},
      {"GET", "/v1/cases", "/v1/cases", {"reviewer", "auditor"}},
      {"GET", one_case, "/v1/cases/1", {"reviewer", "auditor"}},
      {"POST", one_case + "/decision", "/v1/cases/1/decision", {"reviewer"}},
      {"POST", one_case + "/appeal", "/v1/cases/1/appeal", {"submitter"}},
      {"POST", one_case + "/appeal/decision", "/v1/cases/1/appeal/decision", {"reviewer"}},
      {"PUT", "/v1/settings/webhook", "/v1/settings/webhook", {}},
      {"GET", "/v1/audit", "/v1/audit", {"auditor"}},
      {"GET", "/v1/audit/verify", "/v1/audit/verify", {"auditor"}},
      {"GET", "/v1/tokens", "/v1/tokens", {}},
      {"POST", "/v1/tokens", "/v1/tokens", {}},
      {"DELETE", "/v1/tokens/([A-Za-z0-9_.@-]+)", "/v1/tokens/someone", {}},
      {"GET", "/v1/stats", "/v1/stats", {"reviewer", "auditor"}},
      {"GET", "/v1/me", "/v1/me", {"curator", "submitter", "reviewer", "auditor"}},
      {"GET", "/media/([A-Za-z0-9_-][A-Za-z0-9_.-]{0,200})", "/media/bridge.jpg", {"reviewer", "auditor"}},
      {"GET", "/ui", "/ui", {"*"}},
      {"GET", "/ui/([A-Za-z0-9_./-]*)", "/ui/index.html", {"*"}},
  };
  std::set<std::string> table, registered(server_->context().routes.begin(),
                                          server_->context().routes.end());
  for (const Case& c : cases) table.insert(c.method + " " + c.pattern);
  for (const std::string& r : registered) EXPECT_TRUE(table.contains(r)) << "no matrix row for " << r;
  for (const std::string& r : table) EXPECT_TRUE(registered.contains(r)) << "not registered: " << r;

  for (const Case& c : cases) {
    for (std::string role : {"admin", "curator", "submitter", "reviewer", "auditor", "nobody", ""}) {
      httplib::Request req;
      req.method = c.method;
      req.path = c.path;
      req.headers = role.empty() ? httplib::Headers{} : As(role);
      if (c.method != "GET" && c.method != "DELETE") req.set_header("Content-Type", "text/plain");
      httplib::Response res;
      httplib::Error err = httplib::Error::Success;
      ASSERT_TRUE(client_->send(req, res, err)) << c.method << " " << c.path;
      const bool is_public = c.allowed.contains("*");
      int want = is_public ? 0
                 : (role.empty() || role == "nobody") ? 401
                 : (role == "admin" || c.allowed.contains(role)) ? 0 : 403;
      std::string what = c.method + " " + c.path + " as '" + role + "'";
      if (want == 0) {
        EXPECT_NE(res.status, 401) << what;
        EXPECT_NE(res.status, 403) << what;
        EXPECT_EQ(res.body.find("no such route"), std::string::npos) << what;
      } else {
        EXPECT_EQ(res.status, want) << what;
      }
    }
  }
}

}  // namespace
}  // namespace vigil::api
