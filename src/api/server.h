// Server: vigil's HTTP service (cpp-httplib) over the library: the /v1 API, the HMA
// compatibility routes, health and metrics. Limits keep it serving when clients
// misbehave: a body-size cap (413), read and write timeouts per connection (slow clients
// are dropped, not waited for), a bounded worker pool, bounded concurrent decodes, and
// keep-alive caps.
//
// Thread-safety: Bind, then Serve on one thread; Stop from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "api/api_context.h"
#include "api/review_api.h"

namespace httplib {
class Server;
}

namespace vigil::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;   // 0 = any free port (tests)
  int threads = 0;   // HTTP workers = concurrent connections; 0 = max(128, 8 per core)
  std::chrono::seconds read_timeout{15};
  std::chrono::seconds write_timeout{15};
  std::chrono::seconds keep_alive_timeout{5};
  // Files served to reviewers at /media/<name> (demo: the platform's uploads); empty: none.
  std::string media_dir;
};

class Server {
 public:
  // Without `review` the server has no review, scan, audit or token routes (tests of
  // the lookup routes alone).
  Server(ServerOptions options, std::unique_ptr<ApiContext> context,
         std::unique_ptr<ReviewApi> review = nullptr);
  ~Server();

  // Binds the listening socket; returns the port (useful with port 0).
  Result<int> Bind();
  // Serves until Stop(). Returns an error if the socket was not bound.
  Status Serve();
  void Stop();

  ApiContext& context() { return *context_; }

 private:
  void Configure();
  void AddRefusals();

  ServerOptions options_;
  std::unique_ptr<ApiContext> context_;
  std::unique_ptr<ReviewApi> review_;
  std::unique_ptr<httplib::Server> http_;
  bool bound_ = false;
  int listen_socket_ = -1;  // set by httplib's socket-options callback during Bind
};

}  // namespace vigil::api
