#include "api/router.h"

#include <chrono>
#include <thread>

namespace vigil::api {

ApiContext::ApiContext(StorePool::Opener opener, std::unique_ptr<MatchService> m,
                       Authenticator auth, ApiOptions opts)
    : stores(std::move(opener)),
      matches(std::move(m)),
      tokens(std::move(auth), opts.token_cache_ttl),
      options(opts),
      image_workers(opts.max_concurrent_decodes > 0 ? opts.max_concurrent_decodes
                                                    : DefaultDecodeSlots(),
                    opts.hashing, "vigil-image"),
      video_workers(opts.max_concurrent_video_decodes > 0 ? opts.max_concurrent_video_decodes
                                                          : DefaultVideoDecodeSlots(),
                    opts.hashing, "vigil-video") {}

// One decode worker per core plus one: while a worker waits on memory or hands its result
// back, the spare keeps the cores busy. One A/B run of 100 kB JPEG scans on 2 cores at 8
// connections (bench/http), with the decode slots that preceded the workers: 175 images/s
// with 2, 186 with 3, 185 with 4; the machine's noise is of the same order, so this is a
// small gain at best. With the workers, 2 and 3 cost the same CPU per image within the
// noise (4 interleaved rounds at 8 and 64 connections).
int DefaultDecodeSlots() {
  return std::max<int>(1, static_cast<int>(std::thread::hardware_concurrency())) + 1;
}

int DefaultVideoDecodeSlots() {
  return std::max<int>(1, static_cast<int>(std::thread::hardware_concurrency()) / 2);
}

Access Access::Roles(std::initializer_list<Role> roles) {
  unsigned mask = 0;
  for (Role r : roles) mask |= 1u << static_cast<unsigned>(r);
  return Access(false, mask);
}

bool Access::Allows(Role role) const {
  return public_ || role == Role::kAdmin || (mask_ >> static_cast<unsigned>(role)) & 1;
}

std::string Request::Param(size_t n) const {
  if (n >= http.matches.size()) return "";
  return httplib::detail::decode_url(http.matches[n].str(), false);
}

namespace {

Reply Dispatch(ApiContext& ctx, const httplib::Request& req, const std::string& route,
               const Access& access, const Handler& handler,
               const httplib::ContentReader* body_reader) {
  Request request{req, Actor{0, "", Role::kAdmin}, ctx, body_reader};
  if (!access.is_public()) {
    std::string header = req.get_header_value("Authorization");
    if (!header.starts_with("Bearer ")) {
      return HttpError(401, "unauthenticated", "send an API token as 'Authorization: Bearer <token>'");
    }
    auto actor = ctx.tokens.Authenticate(std::string_view(header).substr(7));
    if (!actor.ok()) return HttpError(401, "unauthenticated", "the API token is unknown or revoked");
    if (!access.Allows(actor->role)) {
      return HttpError(403, "forbidden", "role '" + std::string(RoleName(actor->role)) +
                                             "' may not call " + route);
    }
    request.actor = std::move(actor).value();
  }
  try {
    return handler(request);
  } catch (const std::exception& e) {  // a bug; never let it take the server down
    return HttpError(500, "internal", std::string("internal error: ") + e.what());
  }
}

// Sends a streamed reply's pieces as httplib asks for them, after the handler returned.
void SetStreamedBody(Reply& reply, httplib::Response& res) {
  auto stream = std::move(reply.stream);
  res.set_chunked_content_provider(reply.content_type, [stream](size_t, httplib::DataSink& sink) {
    std::string piece;
    Result<bool> more = stream(&piece);
    if (!more.ok()) return false;  // httplib drops the connection mid-body
    if (!piece.empty() && !sink.write(piece.data(), piece.size())) return false;
    if (!*more) sink.done();
    return true;
  });
}

}  // namespace

void Router::Add(Method method, const std::string& pattern, Access access, Handler handler,
                 Body body) {
  static constexpr const char* kNames[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  std::string route = std::string(kNames[static_cast<int>(method)]) + " " + pattern;
  ctx_.routes.push_back(route);
  ApiContext* ctx = &ctx_;
  auto serve = [ctx, route, access, handler](const httplib::Request& req, httplib::Response& res,
                                             const httplib::ContentReader* body_reader) {
    auto start = std::chrono::steady_clock::now();
    Reply reply = Dispatch(*ctx, req, route, access, handler, body_reader);
    res.status = reply.status;
    if (reply.stream) {
      SetStreamedBody(reply, res);
    } else {
      res.set_content(std::move(reply.body), reply.content_type);
    }
    for (auto& [name, value] : reply.headers) res.set_header(name, value);
    // The body of a failed streamed request may be partly unread: no next request follows.
    if (body_reader && reply.status >= 400) res.set_header("Connection", "close");
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    ctx->metrics.ObserveRequest(route, reply.status, took.count());
  };
  if (body == Body::kUpload && method == Method::kPost) ctx_.upload_paths.insert(pattern);
  if (body == Body::kStreamed && method == Method::kPost) {
    ctx_.streamed_routes.push_back(pattern);
    server_.Post(pattern, [serve](const httplib::Request& req, httplib::Response& res,
                                  const httplib::ContentReader& reader) {
      serve(req, res, &reader);
    });
    return;
  }
  auto fn = [serve](const httplib::Request& req, httplib::Response& res) {
    serve(req, res, nullptr);
  };
  switch (method) {
    case Method::kGet: server_.Get(pattern, fn); break;
    case Method::kPost: server_.Post(pattern, fn); break;
    case Method::kPut: server_.Put(pattern, fn); break;
    case Method::kPatch: server_.Patch(pattern, fn); break;
    case Method::kDelete: server_.Delete(pattern, fn); break;
  }
}

}  // namespace vigil::api
