// Reply: what an API handler returns, and the one mapping from vigil's error codes to HTTP
// statuses. Every error body has the shape {"error":{"code":...,"message":...}} (the HMA
// compatibility routes use HMA's own shape instead, see hma_routes.cc).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/status.h"

namespace vigil::api {

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra response headers
  // When set, the body is sent in pieces (chunked transfer encoding) instead of `body`:
  // each call appends the next piece to *out and returns false once there is no more. An
  // error cuts the response short, so the client sees an incomplete chunked body.
  std::function<Result<bool>(std::string* out)> stream;
};

Reply JsonReply(const nlohmann::json& body, int status = 200);
Reply TextReply(std::string body, std::string content_type, int status = 200);
// The HTTP status for a library error: 400, 404, 409, 413, 415, 422, 500, ...
int HttpStatusFor(ErrorCode code);
Reply ErrorReply(const Status& status);
// For errors that are HTTP's own (401, 403, 405, 429, 503) rather than a library Status.
Reply HttpError(int status, std::string_view code, std::string message);

}  // namespace vigil::api
