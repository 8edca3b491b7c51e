// Router: registers API routes on the HTTP server with what every route shares:
// bearer-token authentication, a role check (admin may do everything), the error shape,
// exceptions stopped at the handler top (STYLE.md 3), and request metrics.
#pragma once

#include <httplib.h>

#include <functional>
#include <initializer_list>
#include <string>

#include "api/api_context.h"
#include "api/reply.h"

namespace vigil::api {

enum class Method { kGet, kPost, kPut, kPatch, kDelete };

// Who may call a route. Admin tokens pass every check.
class Access {
 public:
  static Access Public() { return Access(true, 0); }
  static Access Roles(std::initializer_list<Role> roles);
  bool is_public() const { return public_; }
  bool Allows(Role role) const;

 private:
  Access(bool is_public, unsigned mask) : public_(is_public), mask_(mask) {}
  bool public_;
  unsigned mask_;
};

// How a route gets its request body. kBuffered: whole in http.body, read before the
// handler runs, under ApiOptions::max_body_bytes. kUpload (POST, a plain path): the same,
// but a multipart/form-data body is left whole in http.body too, for the handler to read
// in place (form_data.h), not parsed into http.files. kStreamed (POST only): the handler
// reads it in pieces through Request::body_reader and applies its own cap; it is never
// held whole. An error reply of a streamed route closes the connection, since the body
// may be unread.
enum class Body { kBuffered, kUpload, kStreamed };

struct Request {
  const httplib::Request& http;
  Actor actor;  // empty name on public routes
  ApiContext& ctx;
  const httplib::ContentReader* body_reader = nullptr;  // kStreamed routes only
  // The n-th capture of the route pattern (1-based), URL-decoded.
  std::string Param(size_t n) const;
};

using Handler = std::function<Reply(Request&)>;

// Registers routes; may be discarded after registration (handlers capture the context,
// not the Router).
class Router {
 public:
  Router(httplib::Server& server, ApiContext& ctx) : server_(server), ctx_(ctx) {}
  // `pattern` is an httplib path regex; `route` the label for metrics and docs.
  void Add(Method method, const std::string& pattern, Access access, Handler handler,
           Body body = Body::kBuffered);

 private:
  httplib::Server& server_;
  ApiContext& ctx_;
};

// The routes, one registration function per file.
void AddHealthRoutes(Router& router);
void AddHashRoutes(Router& router);
void AddBankRoutes(Router& router);
void AddHmaRoutes(Router& router);

}  // namespace vigil::api
