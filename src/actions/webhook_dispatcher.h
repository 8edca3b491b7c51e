// WebhookDispatcher: delivers the webhook outbox (ReviewStore::DueWebhooks) to the
// platform's configured URL (settings webhook.url / webhook.secret): one HTTP POST of the
// stored JSON body per due row, signed (webhook_signature.h). A 2xx answer marks the row
// delivered; anything else (status, refused connection, timeout) schedules a retry after
// an exponential backoff with jitter, and after max_attempts the row is dead-lettered.
// Each outcome is visible on the case (CaseDetail::deliveries); delivered and dead are
// audited. Delivery is at least once: a receiver de-duplicates on the body's event_id.
//
// Time comes from the Clock, so tests move the clock instead of sleeping.
//
// Thread-safety: RunOnce may be called from any thread; calls are serialised. Start()
// runs RunOnce on a background thread every poll_interval until Stop() (or destruction).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "store/review_store.h"
#include "util/clock.h"

namespace vigil {

struct WebhookOptions {
  int max_attempts = 12;               // then dead-lettered (about 17 h of retries)
  int64_t initial_backoff_s = 30;      // before the second attempt
  int64_t max_backoff_s = 6 * 3600;    // cap on one wait
  double jitter = 0.2;                 // each wait is scaled by a factor in [1-j, 1+j)
  std::chrono::milliseconds timeout{10'000};  // connect, and then read
  size_t batch = 50;                   // rows per RunOnce
  std::chrono::milliseconds poll_interval{1'000};
  uint64_t seed = 0;                   // jitter's random seed; 0 = from the OS
};

struct DispatchStats {
  int delivered = 0;
  int retrying = 0;
  int dead = 0;
  bool unconfigured = false;  // no URL or secret yet: nothing attempted, nothing counted
};

class WebhookDispatcher {
 public:
  // `store` is the dispatcher's own connection; `clock` must outlive the dispatcher.
  WebhookDispatcher(std::unique_ptr<ReviewStore> store, const Clock& clock,
                    WebhookOptions options = {});
  ~WebhookDispatcher();
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  // Attempts every row due at `now` (up to options.batch). Errors only for the store.
  Result<DispatchStats> RunOnce(int64_t now);
  void Start();
  void Stop();

  // The wait after the `attempts`-th failed attempt, before jitter: initial * 2^(n-1),
  // capped.
  static int64_t BaseBackoff(const WebhookOptions& options, int attempts);

 private:
  struct Endpoint {
    std::string url;
    std::string secret;
  };
  // Empty error = delivered.
  std::string Post(const Endpoint& endpoint, const WebhookDelivery& d, int64_t now);
  int64_t NextAttemptAt(int64_t now, int attempts);
  void Loop();

  std::unique_ptr<ReviewStore> store_;  // guarded by run_mu_
  const Clock& clock_;
  WebhookOptions options_;
  std::mutex run_mu_;  // serialises RunOnce
  std::mt19937_64 rng_;  // guarded by run_mu_

  std::mutex loop_mu_;  // guards stop_ and thread_
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace vigil
