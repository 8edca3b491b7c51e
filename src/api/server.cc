#include "api/server.h"

#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <thread>

#include "api/form_data.h"
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

namespace {

// Where GuardBodySize sends a request whose body is over max_body_bytes.
constexpr char kOverBodyCapPath[] = "/.vigil/over-body-cap";
// Where it sends a chunked request to a route that buffers its body.
constexpr char kNoLengthPath[] = "/.vigil/no-length";

// For an upload route (Body::kUpload), a multipart body's type is renamed to
// kHiddenFormData, its parameters kept, so that httplib buffers the body whole instead of
// parsing it into Request::files; the route reads the parts in place (form_data.h says
// why). Like GuardBodySize's re-routing below, it changes httplib's own Request before routing.
void HideFormData(const ApiContext& ctx, const httplib::Request& req) {
  if (req.method != "POST" || !ctx.upload_paths.contains(req.path)) return;
  auto type = const_cast<httplib::Request&>(req).headers.find("Content-Type");
  const std::string_view multipart = "multipart/form-data";
  if (type == req.headers.end() || !type->second.starts_with(multipart)) return;
  type->second = std::string(kHiddenFormData) + type->second.substr(multipart.size());
}

// httplib has one body cap for every route, checked against Content-Length before the
// body is read. It is set to the larger import cap; this guard, run before routing, holds
// every route that buffers its body to max_body_bytes. Streamed routes (router.h) apply
// their own cap while they read.
//
// An over-cap request is re-routed to kOverBodyCapPath, which reads and drops the body
// before answering 413, as httplib's own cap does: answering at once, with the body
// unread, made clients that send without "Expect: 100-continue" fail on a broken pipe
// instead of reading the 413. The Request is httplib's own non-const local, handed to
// this hook as const; changing its path before routing is the only way to re-route.
//
// A chunked body announces no length, and httplib 0.11 reads it into memory with no cap
// at all; routes that buffer their body refuse it (411, kNoLengthPath).
httplib::Server::HandlerResponse GuardBodySize(const ApiContext& ctx,
                                               const httplib::Request& req) {
  const uint64_t length =
      std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10);
  const bool chunked = req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
  if (!chunked && length <= ctx.options.max_body_bytes) {
    HideFormData(ctx, req);
    return httplib::Server::HandlerResponse::Unhandled;
  }
  if (req.method == "POST") {
    for (const std::string& pattern : ctx.streamed_routes) {
      if (std::regex_match(req.path, std::regex(pattern))) {
        return httplib::Server::HandlerResponse::Unhandled;
      }
    }
  }
  const_cast<httplib::Request&>(req).path = chunked ? kNoLengthPath : kOverBodyCapPath;
  return httplib::Server::HandlerResponse::Unhandled;
}

// Answers a request GuardBodySize re-routed. Its body is read and dropped first, up to
// `drain` bytes, so a client still sending reads the answer rather than a reset (clients
// that send without "Expect: 100-continue" got a broken pipe; a chunked upload got a reset
// under load). Past `drain`, reading stops and the connection is closed.
void RefuseBody(const httplib::ContentReader& reader, uint64_t drain, const Reply& reply,
                httplib::Response& res) {
  uint64_t seen = 0;
  bool whole = reader([&](const char*, size_t n) { return (seen += n) <= drain; });
  res.status = reply.status;
  res.set_content(reply.body, reply.content_type);
  if (!whole) res.set_header("Connection", "close");
}

}  // namespace

void Server::Configure() {
  // httplib holds a worker for each kept-alive connection, so the pool bounds concurrent
  // clients, not CPU use (decodes are bounded separately, by the decode workers). With 16
  // workers, 64 keep-alive clients saw multi-second waits and timeouts.
  int threads = options_.threads > 0
                    ? options_.threads
                    : std::max(128, 8 * static_cast<int>(std::thread::hardware_concurrency()));
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_payload_max_length(
      std::max(context_->options.max_body_bytes, context_->options.max_import_bytes));
  http_->set_pre_routing_handler(
      [ctx = context_.get()](const httplib::Request& req, httplib::Response&) {
        return GuardBodySize(*ctx, req);
      });
  AddRefusals();
  http_->set_read_timeout(options_.read_timeout);
  http_->set_write_timeout(options_.write_timeout);
  http_->set_keep_alive_timeout(options_.keep_alive_timeout.count());
  http_->set_keep_alive_max_count(1000);
  // Headers and body go out in separate writes; with Nagle on, each small reply waits for
  // the client's delayed ACK (~40 ms on Linux): measured 44 ms p50 per lookup before this.
  http_->set_tcp_nodelay(true);
  // Replaces httplib's default options, which add SO_REUSEPORT: with it a second server
  // on the same port would bind silently and take half the connections. The socket is
  // kept so Bind can widen its backlog.
  http_->set_socket_options([this](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_socket_ = sock;
  });
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

// The two answers GuardBodySize re-routes to. An over-cap body is drained whole (httplib
// already holds its Content-Length to the import cap); a chunked one, which has no
// length, only up to max_body_bytes.
void Server::AddRefusals() {
  const ApiOptions& o = context_->options;
  auto add = [this](const char* path, uint64_t drain, Reply reply) {
    auto handler = [drain, reply](const httplib::Request&, httplib::Response& res,
                                  const httplib::ContentReader& reader) {
      RefuseBody(reader, drain, reply, res);
    };
    http_->Post(path, handler);
    http_->Put(path, handler);
    http_->Patch(path, handler);
  };
  add(kOverBodyCapPath, std::max(o.max_body_bytes, o.max_import_bytes),
      HttpError(413, "limit_exceeded",
                "the request body is over the size limit of " +
                    std::to_string(o.max_body_bytes) + " bytes"));
  add(kNoLengthPath, o.max_body_bytes,
      HttpError(411, "length_required",
                "send this body with a Content-Length (chunked bodies are accepted only by "
                "the streamed import route)"));
}

Result<int> Server::Bind() {
  int port = options_.port;
  if (port == 0) {
    port = http_->bind_to_any_port(options_.host);
    if (port <= 0) return IoError("cannot bind " + options_.host + " on any port");
  } else if (!http_->bind_to_port(options_.host, port)) {
    return IoError("cannot listen on " + options_.host + ":" + std::to_string(port) +
                   " (in use, or not allowed)");
  }
  // Debian's httplib (0.11) listens with a backlog of 5: when 64 clients connect at
  // once, the kernel drops the SYNs past it and they retry after 1 s (measured: p99
  // 1.08 s and timeouts at 64 connections). listen() again on a listening socket only
  // resizes its queue.
  if (listen_socket_ < 0 || ::listen(listen_socket_, SOMAXCONN) != 0) {
    return IoError("cannot set the listen backlog on " + options_.host + ":" + std::to_string(port));
  }
  bound_ = true;
  return port;
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
