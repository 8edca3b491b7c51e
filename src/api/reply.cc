#include "api/reply.h"

namespace vigil::api {

Reply JsonReply(const nlohmann::json& body, int status) {
  return Reply{status, body.dump(), "application/json"};
}

Reply TextReply(std::string body, std::string content_type, int status) {
  return Reply{status, std::move(body), std::move(content_type)};
}

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return 200;
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kAlreadyExists: return 409;
    case ErrorCode::kFailedPrecondition: return 409;
    case ErrorCode::kLimitExceeded: return 413;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kUnsupported: return 415;
    case ErrorCode::kCorrupt: return 422;
    case ErrorCode::kIoError: return 500;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

Reply HttpError(int status, std::string_view code, std::string message) {
  return JsonReply({{"error", {{"code", code}, {"message", std::move(message)}}}}, status);
}

Reply ErrorReply(const Status& status) {
  return HttpError(HttpStatusFor(status.code()), ErrorCodeName(status.code()), status.message());
}

}  // namespace vigil::api
