// Streamed bank import and export over HTTP, end to end in one process: a real Server
// with a tiny request-body cap (max_body_bytes), proving imports bypass it and stay under
// their own cap (max_import_bytes), that a bad row or a body cut short commits nothing,
// and that a chunked export re-imports to the same bank.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <thread>

#include "api/server.h"
#include "store/sqlite_bank_store.h"
#include "store/test_temp_dir.h"

namespace vigil::api {
namespace {

constexpr size_t kBodyCap = 64 << 10;
constexpr size_t kImportCap = 16 << 20;

// The varying part first: ExactSetIndex hashes a key by its first 8 bytes (real digests
// are uniform), so test keys alike there would all share a bucket.
std::string Md5Of(uint64_t i) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(i), 0xfeedull);
  return buf;
}

std::string Csv(uint64_t rows) {
  std::string out = "signal_type,signal,labels,source\n";
  for (uint64_t i = 0; i < rows; ++i) out += "md5," + Md5Of(i) + ",propaganda,stream-test\n";
  return out;
}

Result<Actor> TestAuth(std::string_view secret) {
  if (secret == "curator") return Actor{1, "curator", Role::kCurator};
  if (secret == "submitter") return Actor{2, "submitter", Role::kSubmitter};
  return NotFound("unknown token");
}

class BankStreamTest : public testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("vigil.db");
    std::string db = db_;
    auto opener = [db]() -> Result<std::unique_ptr<BankStore>> {
      VIGIL_ASSIGN_OR_RETURN(auto s, SqliteBankStore::Open(db));
      return std::unique_ptr<BankStore>(std::move(s));
    };
    auto first = opener();
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE((*first)->CreateBank({"stream", "", true, {}}).ok());
    auto matches = MatchService::Load(**first, {});
    ASSERT_TRUE(matches.ok());
    ApiOptions options;
    options.max_body_bytes = kBodyCap;
    options.max_import_bytes = kImportCap;
    server_ = std::make_unique<Server>(
        ServerOptions{"127.0.0.1", 0, 4},
        std::make_unique<ApiContext>(opener, std::move(matches).value(), TestAuth, options));
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->Serve(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(60, 0);
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
  }

  httplib::Headers As(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

  int64_t Count(const std::string& bank = "stream") {
    auto r = client_->Get("/v1/banks/" + bank, As("curator"));
    if (!r || r->status != 200) return -1;
    return nlohmann::json::parse(r->body)["signal_count"].get<int64_t>();
  }

  httplib::Result Import(const std::string& body, const std::string& bank = "stream") {
    return client_->Post("/v1/banks/" + bank + "/import", As("curator"), body, "text/csv");
  }

  TempDir dir_;
  std::string db_;
  std::unique_ptr<Server> server_;
  int port_ = 0;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(BankStreamTest, AnImportFarOverTheBodyCapStreamsAndIsMatchedAtOnce) {
  const std::string csv = Csv(150000);  // ~9 MB: 100x max_body_bytes
  ASSERT_GT(csv.size(), 100 * kBodyCap);
  auto r = Import(csv);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto report = nlohmann::json::parse(r->body);
  EXPECT_TRUE(report["committed"].get<bool>());
  EXPECT_EQ(report["rows_inserted"], 150000);
  EXPECT_EQ(Count(), 150000);
  auto hit = client_->Get("/v1/match?signal_type=md5&signal=" + Md5Of(149999), As("submitter"));
  ASSERT_TRUE(hit);
  EXPECT_NE(hit->body.find("\"stream\""), std::string::npos) << hit->body;
}

TEST_F(BankStreamTest, OtherRoutesKeepTheBodyCap) {
  std::string big(kBodyCap + 1, ' ');
  auto r = client_->Post("/v1/banks", As("curator"), "{\"name\":\"x\"}" + big, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_NE(r->body.find("limit_exceeded"), std::string::npos) << r->body;
}

TEST_F(BankStreamTest, AnImportOverItsOwnCapIsRefusedWholeOrChunked) {
  const std::string csv = Csv(kImportCap / 50);  // ~60 bytes a row: over the cap
  ASSERT_GT(csv.size(), kImportCap);
  // The server answers before reading the body and closes the connection, so a client
  // still sending may see the close before the answer; either way nothing is imported.
  auto r = Import(csv);
  if (r) {
    EXPECT_EQ(r->status, 413) << r->body;
  }
  // Chunked transfer encoding: no length up front; the cap applies as bytes arrive.
  httplib::Client chunked("127.0.0.1", port_);
  auto c = chunked.Post("/v1/banks/stream/import", As("curator"),
                        [&](size_t offset, httplib::DataSink& sink) {
                          size_t n = std::min<size_t>(1 << 16, csv.size() - offset);
                          sink.write(csv.data() + offset, n);
                          if (offset + n == csv.size()) sink.done();
                          return true;
                        },
                        "text/csv");
  if (c) {
    EXPECT_EQ(c->status, 413) << c->body;
  }
  EXPECT_EQ(Count(), 0);
}

TEST_F(BankStreamTest, ABadRowMidStreamCommitsNothingAndNamesItsLine) {
  std::string csv = Csv(100000);
  const size_t cut = csv.find('\n', csv.size() / 2) + 1;
  const int64_t line = std::count(csv.begin(), csv.begin() + cut, '\n') + 1;
  csv.insert(cut, "md5,xyz\n");
  auto r = Import(csv);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 422) << r->body;
  auto report = nlohmann::json::parse(r->body);
  EXPECT_FALSE(report["committed"].get<bool>());
  ASSERT_EQ(report["errors"].size(), 1u);
  EXPECT_EQ(report["errors"][0]["line"], line);
  EXPECT_EQ(Count(), 0);
}

TEST_F(BankStreamTest, ABodyCutShortCommitsNothing) {
  const std::string csv = Csv(100000);
  const size_t half = csv.find('\n', csv.size() / 2) + 1;  // whole rows only
  httplib::Client cut("127.0.0.1", port_);
  auto r = cut.Post("/v1/banks/stream/import", As("curator"), csv.size(),
                    [&](size_t offset, size_t, httplib::DataSink& sink) {
                      if (offset >= half) return false;  // the client goes away
                      sink.write(csv.data() + offset, std::min<size_t>(1 << 16, half - offset));
                      return true;
                    },
                    "text/csv");
  EXPECT_FALSE(r);
  // The server has read the cut body when a later import of the same bank commits.
  auto whole = Import(Csv(10));
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->status, 200) << whole->body;
  EXPECT_EQ(Count(), 10);
}

TEST_F(BankStreamTest, AChunkedExportReimportsToTheSameBank) {
  ASSERT_EQ(Import(Csv(20000))->status, 200);
  for (const char* format : {"csv", "jsonl"}) {
    auto out = client_->Get(std::string("/v1/banks/stream/export?format=") + format, As("curator"));
    ASSERT_TRUE(out);
    ASSERT_EQ(out->status, 200);
    EXPECT_EQ(out->get_header_value("Transfer-Encoding"), "chunked");
    const std::string copy = std::string("copy-") + format;
    ASSERT_EQ(client_->Post("/v1/banks", As("curator"), "{\"name\":\"" + copy + "\"}",
                            "application/json")->status, 201);
    auto in = client_->Post("/v1/banks/" + copy + "/import?format=" + format, As("curator"),
                            out->body, "text/csv");
    ASSERT_EQ(in->status, 200) << in->body;
    EXPECT_EQ(Count(copy), 20000);
    auto again = client_->Get("/v1/banks/" + copy + "/export?format=" + format, As("curator"));
    EXPECT_EQ(again->body, out->body);  // same rows, same order, same provenance
  }
  auto missing = client_->Get("/v1/banks/nosuch/export", As("curator"));
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("not_found"), std::string::npos) << missing->body;
}

}  // namespace
}  // namespace vigil::api
