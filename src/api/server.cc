#include "api/server.h"

#include <thread>

#include "api/review_api.h"
#include "api/router.h"
#include "api/ui_routes.h"

namespace vigil::api {

Server::Server(ServerOptions options, std::unique_ptr<ApiContext> context,
               std::unique_ptr<ReviewApi> review)
    : options_(std::move(options)),
      context_(std::move(context)),
      review_(std::move(review)),
      http_(std::make_unique<httplib::Server>()) {
  Configure();
}

Server::~Server() { Stop(); }

void Server::Configure() {
  // httplib holds a worker for each kept-alive connection, so the pool bounds concurrent
  // clients, not CPU use (decodes are bounded separately by decode slots). With 16
  // workers, 64 keep-alive clients saw multi-second waits and timeouts.
  int threads = options_.threads > 0
                    ? options_.threads
                    : std::max(128, 8 * static_cast<int>(std::thread::hardware_concurrency()));
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_payload_max_length(context_->options.max_body_bytes);
  http_->set_read_timeout(options_.read_timeout);
  http_->set_write_timeout(options_.write_timeout);
  http_->set_keep_alive_timeout(options_.keep_alive_timeout.count());
  http_->set_keep_alive_max_count(1000);
  // Headers and body go out in separate writes; with Nagle on, each small reply waits for
  // the client's delayed ACK (~40 ms on Linux): measured 44 ms p50 per lookup before this.
  http_->set_tcp_nodelay(true);
  // httplib answers 404/405/413 itself; give those bodies vigil's error shape.
  http_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const char* code = res.status == 404   ? "not_found"
                       : res.status == 413 ? "limit_exceeded"
                       : res.status == 400 ? "invalid_argument"
                                           : "http_error";
    Reply r = HttpError(res.status, code,
                        res.status == 404   ? "no such route"
                        : res.status == 413 ? "the request body is over the size limit"
                                            : "the request was not understood");
    res.set_content(r.body, r.content_type);
  });
  Router router(*http_, *context_);
  AddHealthRoutes(router);
  AddHashRoutes(router);
  AddBankRoutes(router);
  AddHmaRoutes(router);
  AddUiRoutes(router, UiOptions{options_.media_dir, context_->options.max_body_bytes});
  if (review_) {
    AddReviewRoutes(router, *review_);
    AddScanRoutes(router, *review_);
    AddStatsRoutes(router, *review_);
  }
}

Result<int> Server::Bind() {
  if (options_.port == 0) {
    int port = http_->bind_to_any_port(options_.host);
    if (port <= 0) return IoError("cannot bind " + options_.host + " on any port");
    bound_ = true;
    return port;
  }
  if (!http_->bind_to_port(options_.host, options_.port)) {
    return IoError("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                   " (in use, or not allowed)");
  }
  bound_ = true;
  return options_.port;
}

Status Server::Serve() {
  if (!bound_) return FailedPrecondition("Serve before Bind");
  if (!http_->listen_after_bind()) return IoError("the HTTP server stopped with an error");
  return Status::Ok();
}

void Server::Stop() {
  if (http_) http_->stop();
}

}  // namespace vigil::api
