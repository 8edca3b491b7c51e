#include "actions/webhook_dispatcher.h"

#include <httplib.h>

#include <algorithm>
#include <cmath>

#include "actions/webhook_signature.h"
#include "review/review_service.h"

namespace vigil {
namespace {

// "https://host:port/path?q" -> {"https://host:port", "/path?q"}.
std::pair<std::string, std::string> SplitUrl(const std::string& url) {
  size_t scheme_end = url.find("://");
  size_t path_start = scheme_end == std::string::npos ? std::string::npos
                                                      : url.find('/', scheme_end + 3);
  if (path_start == std::string::npos) return {url, "/"};
  return {url.substr(0, path_start), url.substr(path_start)};
}

uint64_t Seed(uint64_t configured) {
  if (configured != 0) return configured;
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) | rd();
}

}  // namespace

WebhookDispatcher::WebhookDispatcher(std::unique_ptr<ReviewStore> store, const Clock& clock,
                                     WebhookOptions options)
    : store_(std::move(store)), clock_(clock), options_(options), rng_(Seed(options.seed)) {}

WebhookDispatcher::~WebhookDispatcher() { Stop(); }

int64_t WebhookDispatcher::BaseBackoff(const WebhookOptions& options, int attempts) {
  int64_t wait = options.initial_backoff_s;
  for (int i = 1; i < attempts && wait < options.max_backoff_s; ++i) wait *= 2;
  return std::min(wait, options.max_backoff_s);
}

// Jitter spreads the retries of many rows that failed together (say the platform was
// down) so they do not all return at the same second.
int64_t WebhookDispatcher::NextAttemptAt(int64_t now, int attempts) {
  const double base = static_cast<double>(BaseBackoff(options_, attempts));
  std::uniform_real_distribution<double> factor(1.0 - options_.jitter, 1.0 + options_.jitter);
  const double wait = options_.jitter > 0 ? base * factor(rng_) : base;
  return now + std::max<int64_t>(1, static_cast<int64_t>(std::llround(wait)));
}

std::string WebhookDispatcher::Post(const Endpoint& endpoint, const WebhookDelivery& d,
                                    int64_t now) {
  // httplib reports failures as values; the catch is for allocation failures and bugs, so
  // a throw never kills the dispatcher thread.
  try {
    auto [base, path] = SplitUrl(endpoint.url);
    httplib::Client client(base);
    if (!client.is_valid()) return "invalid webhook url '" + endpoint.url + "'";
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(options_.timeout);
    const auto usecs = std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout - secs);
    client.set_connection_timeout(secs.count(), usecs.count());
    client.set_read_timeout(secs.count(), usecs.count());
    client.set_write_timeout(secs.count(), usecs.count());
    httplib::Headers headers = {
        {std::string(kSignatureHeader), SignWebhook(endpoint.secret, now, d.payload)},
        {"X-Vigil-Event", std::string(WebhookKindName(d.kind))},
        {"X-Vigil-Delivery", std::to_string(d.id)},
        {"User-Agent", "vigil/0.1"},
    };
    httplib::Result res = client.Post(path, headers, d.payload, "application/json");
    if (!res) return "request failed: " + httplib::to_string(res.error());
    if (res->status < 200 || res->status > 299) return "HTTP " + std::to_string(res->status);
    return "";
  } catch (const std::exception& e) {
    return std::string("request failed: ") + e.what();
  }
}

Result<DispatchStats> WebhookDispatcher::RunOnce(int64_t now) {
  std::lock_guard<std::mutex> lock(run_mu_);
  DispatchStats stats;
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> url, store_->GetSetting(kWebhookUrlSetting));
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> secret,
                         store_->GetSetting(kWebhookSecretSetting));
  if (!url || !secret || url->empty()) {
    stats.unconfigured = true;
    return stats;
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<WebhookDelivery> due, store_->DueWebhooks(now, options_.batch));
  for (const WebhookDelivery& d : due) {
    std::string error = Post({*url, *secret}, d, now);
    const int attempts = d.attempts + 1;
    DeliveryStatus status = DeliveryStatus::kDelivered;
    int64_t next = now;
    if (!error.empty()) {
      status = attempts >= options_.max_attempts ? DeliveryStatus::kDead : DeliveryStatus::kPending;
      next = status == DeliveryStatus::kDead ? now : NextAttemptAt(now, attempts);
    }
    VIGIL_RETURN_IF_ERROR(store_->RecordWebhookAttempt(d.id, status, next, error));
    ++(status == DeliveryStatus::kDelivered ? stats.delivered
       : status == DeliveryStatus::kDead    ? stats.dead
                                            : stats.retrying);
  }
  return stats;
}

void WebhookDispatcher::Start() {
  std::lock_guard<std::mutex> lock(loop_mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void WebhookDispatcher::Stop() {
  std::thread t;
  {
    std::lock_guard<std::mutex> lock(loop_mu_);
    stop_ = true;
    t = std::move(thread_);
  }
  wake_.notify_all();
  if (t.joinable()) t.join();
}

void WebhookDispatcher::Loop() {
  std::unique_lock<std::mutex> lock(loop_mu_);
  while (!stop_) {
    lock.unlock();
    // A store error (say the database is busy) is retried on the next tick.
    (void)RunOnce(clock_.NowUnix());
    lock.lock();
    wake_.wait_for(lock, options_.poll_interval, [this] { return stop_; });
  }
}

}  // namespace vigil
