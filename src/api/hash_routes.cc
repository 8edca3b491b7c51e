// /v1 hashing and matching: POST /v1/hash (upload -> hashes), POST|GET /v1/match (hashes ->
// matches, batched), POST /v1/hash-and-match (upload -> hashes + matches in one call).
#include "api/uploads.h"

namespace vigil::api {
namespace {

constexpr size_t kMaxBatch = 1000;

const Access kSubmit = Access::Roles({Role::kSubmitter, Role::kReviewer, Role::kCurator});

Reply Hash(Request& r) {
  auto bytes = UploadBytes(r.http);
  if (!bytes.ok()) return ErrorReply(bytes.status());
  auto hashes = HashUpload(r.ctx, *bytes, "upload");
  if (!hashes.ok()) return ErrorReply(hashes.status());
  return JsonReply(HashesJson(*hashes));
}

// One {"signal_type","signal"} item -> its matches; errors name the item.
Result<nlohmann::json> MatchOne(Request& r, const nlohmann::json& item, size_t index) {
  std::string where = "signals[" + std::to_string(index) + "]";
  if (!item.is_object() || !item.contains("signal") || !item["signal"].is_string()) {
    return InvalidArgument(where + ": expected {\"signal_type\": ..., \"signal\": \"<hex>\"}");
  }
  if (item.contains("signal_type") && !item["signal_type"].is_string()) {
    return InvalidArgument(where + ": signal_type must be a string");
  }
  std::string type_name = item.value("signal_type", "pdq");
  auto type = ParseSignalTypeName(type_name);
  if (!type) return InvalidArgument(where + ": unknown signal_type '" + type_name + "'");
  auto value = CanonicalSignal(*type, item["signal"].get<std::string>());
  if (!value.ok()) return value.status().WithContext(where);
  VIGIL_ASSIGN_OR_RETURN(nlohmann::json matches,
                         MatchesJson(r.ctx, r.ctx.matches->MatchSignal(*type, *value)));
  return nlohmann::json{{"signal_type", SignalTypeName(*type)}, {"signal", *value}, {"matches", matches}};
}

Reply MatchBatch(Request& r) {
  nlohmann::json body = nlohmann::json::parse(r.http.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("signals") ||
      !body["signals"].is_array()) {
    return ErrorReply(InvalidArgument("expected a JSON object {\"signals\": [...]}"));
  }
  if (body["signals"].size() > kMaxBatch) {
    return ErrorReply(LimitExceeded("at most " + std::to_string(kMaxBatch) + " signals per request"));
  }
  nlohmann::json results = nlohmann::json::array();
  for (size_t i = 0; i < body["signals"].size(); ++i) {
    auto one = MatchOne(r, body["signals"][i], i);
    if (!one.ok()) return ErrorReply(one.status());
    results.push_back(std::move(one).value());
  }
  return JsonReply({{"results", results}});
}

Reply MatchGet(Request& r) {
  nlohmann::json item{{"signal_type", r.http.get_param_value("signal_type")},
                      {"signal", r.http.get_param_value("signal")}};
  if (item["signal_type"] == "") item["signal_type"] = "pdq";
  auto one = MatchOne(r, item, 0);
  return one.ok() ? JsonReply(*one) : ErrorReply(one.status());
}

Reply HashAndMatch(Request& r) {
  auto bytes = UploadBytes(r.http);
  if (!bytes.ok()) return ErrorReply(bytes.status());
  auto hashes = HashUpload(r.ctx, *bytes, "upload");
  if (!hashes.ok()) return ErrorReply(hashes.status());
  auto matches = MatchesJson(r.ctx, r.ctx.matches->Match(*hashes));
  if (!matches.ok()) return ErrorReply(matches.status());
  return JsonReply({{"hashes", HashesJson(*hashes)}, {"matches", *matches}});
}

}  // namespace

void AddHashRoutes(Router& router) {
  router.Add(Method::kPost, "/v1/hash", kSubmit, Hash, Body::kUpload);
  router.Add(Method::kPost, "/v1/match", kSubmit, MatchBatch);
  router.Add(Method::kGet, "/v1/match", kSubmit, MatchGet);
  router.Add(Method::kPost, "/v1/hash-and-match", kSubmit, HashAndMatch, Body::kUpload);
}

}  // namespace vigil::api
