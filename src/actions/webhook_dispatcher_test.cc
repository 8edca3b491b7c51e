#include "actions/webhook_dispatcher.h"

#include <httplib.h>

#include <atomic>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "actions/webhook_signature.h"
#include "review/review_test_fixture.h"

namespace vigil {
namespace {

constexpr const char* kSecret = "test-secret-0123456789";

// A real HTTP receiver on 127.0.0.1 (any free port) that checks every signature against
// the fake clock and fails the first `fail_first` requests with 503.
class Receiver {
 public:
  Receiver(const Clock& clock, int fail_first) : clock_(clock), fail_first_(fail_first) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      const bool signed_ok = VerifyWebhookSignature(
          kSecret, req.get_header_value(std::string(kSignatureHeader)), req.body,
          clock_.NowUnix(), 300);
      {
        std::lock_guard<std::mutex> lock(mu_);
        bodies_.push_back(req.body);
        if (!signed_ok) ++bad_signatures_;
      }
      const int n = ++requests_;
      res.status = !signed_ok ? 401 : n <= fail_first_ ? 503 : 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  int requests() const { return requests_; }
  int bad_signatures() {
    std::lock_guard<std::mutex> lock(mu_);
    return bad_signatures_;
  }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_;
  }

 private:
  const Clock& clock_;
  const int fail_first_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> requests_{0};
  std::mutex mu_;
  std::vector<std::string> bodies_;  // guarded by mu_
  int bad_signatures_ = 0;           // guarded by mu_
};

class WebhookDispatcherTest : public ReviewFixture {
 protected:
  // A removal decided, so one webhook waits in the outbox.
  int64_t DecideRemoval(const std::string& content_id) {
    Case c = Open(content_id, signal_a_);
    EXPECT_TRUE(service_->Decide(c.id, Remove(), kAlice).ok());
    return c.id;
  }
  std::unique_ptr<WebhookDispatcher> Dispatcher(WebhookOptions options) {
    auto store = SqliteReviewStore::Open(db_path(), clock_);
    EXPECT_TRUE(store.ok());
    return std::make_unique<WebhookDispatcher>(std::move(store).value(), clock_, options);
  }
  void Configure(const std::string& url, const std::string& secret = kSecret) {
    ASSERT_TRUE(service_->SetWebhookEndpoint(url, secret, kAdmin).ok());
  }
  WebhookDelivery Delivery(int64_t case_id) {
    auto detail = service_->GetCase(case_id);
    EXPECT_TRUE(detail.ok() && detail->deliveries.size() == 1);
    return detail.ok() && !detail->deliveries.empty() ? detail->deliveries[0] : WebhookDelivery{};
  }
  DispatchStats Run(WebhookDispatcher& d) {
    auto stats = d.RunOnce(clock_.NowUnix());
    EXPECT_TRUE(stats.ok()) << stats.status().ToString();
    return stats.ok() ? *stats : DispatchStats{};
  }
  static WebhookOptions NoJitter(int max_attempts) {
    WebhookOptions o;
    o.max_attempts = max_attempts;
    o.initial_backoff_s = 10;
    o.jitter = 0;
    o.timeout = std::chrono::seconds(2);
    return o;
  }
};

TEST_F(WebhookDispatcherTest, RetriesWithBackoffThenDelivers) {
  Receiver receiver(clock_, /*fail_first=*/2);
  Configure(receiver.url());
  const int64_t case_id = DecideRemoval("c-1");
  auto dispatcher = Dispatcher(NoJitter(5));
  const int64_t t0 = clock_.NowUnix();

  EXPECT_EQ(Run(*dispatcher).retrying, 1);
  EXPECT_EQ(Delivery(case_id).next_attempt_at, t0 + 10);
  EXPECT_EQ(Delivery(case_id).last_error, "HTTP 503");
  EXPECT_EQ(Run(*dispatcher).retrying, 0) << "not due yet";
  EXPECT_EQ(receiver.requests(), 1);

  clock_.Advance(10);
  EXPECT_EQ(Run(*dispatcher).retrying, 1);
  EXPECT_EQ(Delivery(case_id).next_attempt_at, t0 + 10 + 20) << "the wait doubles";

  clock_.Advance(20);
  EXPECT_EQ(Run(*dispatcher).delivered, 1);
  WebhookDelivery d = Delivery(case_id);
  EXPECT_EQ(d.status, DeliveryStatus::kDelivered);
  EXPECT_EQ(d.attempts, 3);
  EXPECT_EQ(d.delivered_at, t0 + 30);
  EXPECT_EQ(receiver.requests(), 3);
  EXPECT_EQ(receiver.bad_signatures(), 0);
  for (const std::string& body : receiver.bodies()) EXPECT_EQ(body, d.payload);
  EXPECT_EQ(nlohmann::json::parse(d.payload)["type"], "content.remove");
  EXPECT_EQ(Run(*dispatcher).delivered, 0) << "delivered rows are not sent again";
  EXPECT_TRUE(VerifyAudit().ok);
}

TEST_F(WebhookDispatcherTest, DeadLettersAfterMaxAttempts) {
  Receiver receiver(clock_, /*fail_first=*/1000);
  Configure(receiver.url());
  const int64_t case_id = DecideRemoval("c-1");
  auto dispatcher = Dispatcher(NoJitter(3));
  EXPECT_EQ(Run(*dispatcher).retrying, 1);
  clock_.Advance(10);
  EXPECT_EQ(Run(*dispatcher).retrying, 1);
  clock_.Advance(20);
  EXPECT_EQ(Run(*dispatcher).dead, 1);
  clock_.Advance(100000);
  EXPECT_EQ(Run(*dispatcher).dead, 0);
  WebhookDelivery d = Delivery(case_id);
  EXPECT_EQ(d.status, DeliveryStatus::kDead);
  EXPECT_EQ(d.attempts, 3);
  EXPECT_EQ(receiver.requests(), 3);
  auto log = SqliteAuditLog::Open(db_path());
  auto events = (*log)->List(1, std::nullopt);
  ASSERT_TRUE(events.ok() && !events->empty());
  EXPECT_EQ((*events)[0].record.action, "webhook.dead");
  EXPECT_EQ((*events)[0].actor.name, "system");
}

TEST_F(WebhookDispatcherTest, WrongSecretIsRefusedByTheReceiver) {
  Receiver receiver(clock_, 0);
  Configure(receiver.url(), "not-the-receivers-secret");
  const int64_t case_id = DecideRemoval("c-1");
  auto dispatcher = Dispatcher(NoJitter(5));
  EXPECT_EQ(Run(*dispatcher).retrying, 1);
  EXPECT_EQ(receiver.bad_signatures(), 1);
  EXPECT_EQ(Delivery(case_id).last_error, "HTTP 401");
}

TEST_F(WebhookDispatcherTest, UnreachableReceiverIsRetried) {
  int port = 0;
  {
    Receiver gone(clock_, 0);  // a port that was free a moment ago and is closed now
    port = std::stoi(gone.url().substr(17));
  }
  Configure("http://127.0.0.1:" + std::to_string(port) + "/hook");
  const int64_t case_id = DecideRemoval("c-1");
  auto dispatcher = Dispatcher(NoJitter(5));
  EXPECT_EQ(Run(*dispatcher).retrying, 1);
  EXPECT_TRUE(Delivery(case_id).last_error.starts_with("request failed"))
      << Delivery(case_id).last_error;
}

TEST_F(WebhookDispatcherTest, NothingIsAttemptedUntilConfigured) {
  const int64_t case_id = DecideRemoval("c-1");
  auto dispatcher = Dispatcher(NoJitter(5));
  DispatchStats s = Run(*dispatcher);
  EXPECT_TRUE(s.unconfigured);
  EXPECT_EQ(Delivery(case_id).attempts, 0);
}

TEST_F(WebhookDispatcherTest, BackgroundThreadDelivers) {
  Receiver receiver(clock_, 0);
  Configure(receiver.url());
  const int64_t case_id = DecideRemoval("c-1");
  WebhookOptions o = NoJitter(5);
  o.poll_interval = std::chrono::milliseconds(5);
  auto dispatcher = Dispatcher(o);
  dispatcher->Start();
  for (int i = 0; i < 400 && receiver.requests() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  dispatcher->Stop();
  EXPECT_EQ(receiver.requests(), 1);
  EXPECT_EQ(Delivery(case_id).status, DeliveryStatus::kDelivered);
}

TEST(WebhookBackoffTest, DoublesUpToTheCap) {
  WebhookOptions o;
  o.initial_backoff_s = 30;
  o.max_backoff_s = 200;
  EXPECT_EQ(WebhookDispatcher::BaseBackoff(o, 1), 30);
  EXPECT_EQ(WebhookDispatcher::BaseBackoff(o, 2), 60);
  EXPECT_EQ(WebhookDispatcher::BaseBackoff(o, 3), 120);
  EXPECT_EQ(WebhookDispatcher::BaseBackoff(o, 4), 200);
  EXPECT_EQ(WebhookDispatcher::BaseBackoff(o, 60), 200);
}

TEST_F(WebhookDispatcherTest, JitterStaysWithinItsBand) {
  Configure("http://127.0.0.1:1/hook");  // port 1: refused at once
  std::vector<int64_t> cases;
  for (int i = 0; i < 20; ++i) cases.push_back(DecideRemoval("c-" + std::to_string(i)));
  WebhookOptions o = NoJitter(5);
  o.initial_backoff_s = 100;
  o.jitter = 0.2;
  o.seed = 42;
  auto dispatcher = Dispatcher(o);
  const int64_t t0 = clock_.NowUnix();
  EXPECT_EQ(Run(*dispatcher).retrying, 20);
  std::set<int64_t> waits;
  for (int64_t id : cases) {
    const int64_t wait = service_->GetCase(id)->deliveries[0].next_attempt_at - t0;
    EXPECT_GE(wait, 80);
    EXPECT_LE(wait, 120);
    waits.insert(wait);
  }
  EXPECT_GT(waits.size(), 5u) << "retries are spread out";
}

TEST(WebhookSignatureTest, VerifiesOnlyTheSignedBodySecretAndFreshTime) {
  const std::string header = SignWebhook("s3cret", 1000, R"({"a":1})");
  EXPECT_TRUE(header.starts_with("t=1000,v1="));
  EXPECT_EQ(header.size(), std::string("t=1000,v1=").size() + 64);
  EXPECT_TRUE(VerifyWebhookSignature("s3cret", header, R"({"a":1})", 1000, 300));
  EXPECT_TRUE(VerifyWebhookSignature("s3cret", header, R"({"a":1})", 1299, 300));
  EXPECT_FALSE(VerifyWebhookSignature("s3cret", header, R"({"a":2})", 1000, 300));
  EXPECT_FALSE(VerifyWebhookSignature("other", header, R"({"a":1})", 1000, 300));
  EXPECT_FALSE(VerifyWebhookSignature("s3cret", header, R"({"a":1})", 1301, 300));
  EXPECT_FALSE(VerifyWebhookSignature("s3cret", "t=1000", R"({"a":1})", 1000, 300));
  EXPECT_FALSE(VerifyWebhookSignature("s3cret", "garbage", R"({"a":1})", 1000, 300));
}

}  // namespace
}  // namespace vigil
