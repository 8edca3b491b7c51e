// ApiContext: the services every HTTP handler reaches, owned by the Server.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "api/hash_workers.h"
#include "api/metrics.h"
#include "api/store_pool.h"
#include "api/token_cache.h"
#include "match/match_service.h"
#include "content/content_hasher.h"
#include "media/image_decoder.h"
#include "store/token_store.h"

namespace vigil::api {

struct ApiOptions {
  size_t max_body_bytes = 64ull << 20;  // request bodies held in memory; larger get 413
  // Bank imports stream (Body::kStreamed in router.h) and are capped by this instead:
  // their memory use does not grow with the body.
  size_t max_import_bytes = 4ull << 30;
  int max_concurrent_decodes = 0;       // image workers; 0 = DefaultDecodeSlots(); more wait in line
  // Videos (and GIFs, which may be animated) decode on workers of their own: a video may
  // take minutes (VideoLimits::max_wall_seconds), and on the image workers a few of them
  // would stall every image upload behind them. 0 = DefaultVideoDecodeSlots().
  int max_concurrent_video_decodes = 0;
  // How long an upload waits in line for a worker before the answer is 503 `unavailable`.
  std::chrono::milliseconds decode_wait{30000};
  // How long an authenticated token is trusted without reading the store (token_cache.h);
  // 0 reads it on every request.
  std::chrono::milliseconds token_cache_ttl{2000};
  // How uploads are hashed: image and video limits, vPDQ sampling, TMK on or off. The
  // defaults are the CLI's, so a bank made with `vigil hash` matches what the server computes.
  ContentHashOptions hashing;
};

// Bearer secret -> who; the token store's Authenticate, or a test's.
using Authenticator = std::function<Result<Actor>(std::string_view secret)>;

// Cores + 1 (router.cc says why).
int DefaultDecodeSlots();
// Half the cores, at least one: videos may use the rest while images still get theirs.
int DefaultVideoDecodeSlots();

struct ApiContext {
  ApiContext(StorePool::Opener opener, std::unique_ptr<MatchService> matches, Authenticator auth,
             ApiOptions options);

  StorePool stores;
  std::unique_ptr<MatchService> matches;
  TokenCache tokens;  // Authenticate() for every request; Clear() on revocation
  ApiOptions options;
  Metrics metrics;
  // "METHOD pattern" of every registered route, in registration order: the role-matrix
  // test checks it covers each one.
  std::vector<std::string> routes;
  // Path patterns of the POST routes that read their own body (Body::kStreamed); the
  // body-size guard (server.cc) leaves these to their own cap.
  std::vector<std::string> streamed_routes;
  // Paths of the POST routes that read a multipart body in place (Body::kUpload); the
  // server hides the multipart type from httplib for them (server.cc).
  std::set<std::string, std::less<>> upload_paths;
  // Decoding is the CPU- and memory-heavy part of a request: a fixed set of workers
  // (hash_workers.h) bounds concurrent decodes, so a burst of uploads cannot exhaust
  // memory whatever the HTTP thread count. First come, first served, so a queued upload
  // waits for the queue ahead of it only.
  HashWorkers image_workers;
  HashWorkers video_workers;  // the same, for videos and GIFs (ApiOptions says why)
};

}  // namespace vigil::api
