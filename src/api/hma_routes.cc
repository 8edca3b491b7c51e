// The subset of Meta's HMA 2.0 REST API that integrations call, with HMA's request and
// response shapes, so an HMA client can point at vigil unchanged (tests pin the shapes):
//   GET  /m/lookup?signal=&signal_type=   -> ["bank", ...]
//   POST /m/lookup (multipart "photo")    -> {"pdq": ["bank", ...], "md5": [...]}
//                  (multipart "video")    -> {"video_md5": [...], "vpdq": [...]}
//   GET  /m/raw_lookup?signal=&signal_type=[&include_distance=true]
//                                         -> {"matches": [id, ...]} or
//                                            {"matches": [{"content_id": id, "distance": "d"}]}
//   POST /h/hash (multipart, field "photo") -> {"pdq": "<hex>", "md5": "<hex>"}
//                (field "video")           -> {"video_md5": "<hex>", "vpdq": "<vpdq text>"}
//   GET  /c/banks, POST /c/banks {"name", "enabled"} -> {"name", "matching_enabled_ratio"}
//   POST /c/bank/<name>/signal {"pdq": "<hex>"} -> {"id": n, "signals": {"pdq": "<hex>"}}
//   GET  /status -> "I-AM-ALIVE"
// HMA's errors are {"message": "..."} with the HTTP status; these routes keep that shape.
// Unlike a default HMA, they need a bearer token (vigil has no unauthenticated mode).
#include <set>

#include "api/form_data.h"
#include "api/uploads.h"
#include "hash/video_signal.h"

namespace vigil::api {
namespace {

const Access kSubmit = Access::Roles({Role::kSubmitter});
const Access kCurate = Access::Roles({Role::kCurator});

Reply HmaError(const Status& s) {
  return JsonReply({{"message", s.message()}}, HttpStatusFor(s.code()));
}

// HMA's signal type names: "pdq", "md5" (its video MD5 is "video_md5": accepted as md5).
Result<std::pair<SignalType, std::string>> HmaSignal(const httplib::Request& req) {
  std::string type_name = req.get_param_value("signal_type");
  std::string value = req.get_param_value("signal");
  if (type_name.empty() || value.empty()) {
    return InvalidArgument("signal and signal_type are required");
  }
  auto type = ParseSignalTypeName(type_name == "video_md5" ? "md5" : type_name);
  if (!type) return InvalidArgument("No such SignalType '" + type_name + "'");
  VIGIL_ASSIGN_OR_RETURN(std::string canonical, CanonicalSignal(*type, value));
  return std::make_pair(*type, canonical);
}

// Distinct bank names of the hits, in first-seen order.
Result<nlohmann::json> BankNames(ApiContext& ctx, const std::vector<MatchHit>& hits) {
  VIGIL_ASSIGN_OR_RETURN(nlohmann::json matches, MatchesJson(ctx, hits));
  nlohmann::json names = nlohmann::json::array();
  std::set<std::string> seen;
  for (const auto& m : matches) {
    if (seen.insert(m["bank"]).second) names.push_back(m["bank"]);
  }
  return names;
}

Reply LookupGet(Request& r) {
  auto sig = HmaSignal(r.http);
  if (!sig.ok()) return HmaError(sig.status());
  auto names = BankNames(r.ctx, r.ctx.matches->MatchSignal(sig->first, sig->second));
  return names.ok() ? JsonReply(*names) : HmaError(names.status());
}

// HMA names the upload's field by its content type: "photo" or "video".
Result<ContentHashes> HashMultipart(Request& r, bool* video) {
  const std::string type = r.http.get_header_value("Content-Type");
  if (!IsFormData(type)) return InvalidArgument("Missing multipart/form-data file upload");
  VIGIL_ASSIGN_OR_RETURN(std::vector<FormPart> parts, ParseFormData(type, r.http.body));
  if (parts.empty()) return InvalidArgument("Missing multipart/form-data file upload");
  if (parts.size() > 1) return InvalidArgument("Only one file allowed per request");
  const FormPart& file = parts.front();
  if (file.name != "photo" && file.name != "video") {
    return InvalidArgument("no such content_type: '" + std::string(file.name) + "'");
  }
  *video = file.name == "video";
  return HashUpload(r.ctx, file.content, file.filename.empty() ? file.name : file.filename);
}

// The content type's signals as HMA names them: photo -> pdq, md5; video -> video_md5,
// vpdq. The one a decode failure left out is missing, as in HMA.
std::vector<std::pair<std::string, SignalType>> HmaSignalsOf(const ContentHashes& h, bool video) {
  if (video) {
    std::vector<std::pair<std::string, SignalType>> out{{"video_md5", SignalType::kMd5}};
    if (h.vpdq) out.emplace_back("vpdq", SignalType::kVpdq);
    return out;
  }
  std::vector<std::pair<std::string, SignalType>> out;
  if (h.pdq) out.emplace_back("pdq", SignalType::kPdq);
  out.emplace_back("md5", SignalType::kMd5);
  return out;
}

Reply LookupPost(Request& r) {
  bool video = false;
  auto hashes = HashMultipart(r, &video);
  if (!hashes.ok()) return HmaError(hashes.status());
  std::vector<MatchHit> hits = r.ctx.matches->Match(*hashes);
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, type] : HmaSignalsOf(*hashes, video)) {
    std::vector<MatchHit> of_type;
    for (const MatchHit& h : hits) {
      if (h.type == type) of_type.push_back(h);
    }
    auto names = BankNames(r.ctx, of_type);
    if (!names.ok()) return HmaError(names.status());
    out[key] = *names;
  }
  return JsonReply(out);
}

Reply RawLookup(Request& r) {
  auto sig = HmaSignal(r.http);
  if (!sig.ok()) return HmaError(sig.status());
  bool with_distance = r.http.get_param_value("include_distance") == "true";
  nlohmann::json matches = nlohmann::json::array();
  for (const MatchHit& h : r.ctx.matches->MatchSignal(sig->first, sig->second)) {
    if (with_distance) {
      matches.push_back({{"content_id", h.signal_id}, {"distance", std::to_string(h.distance)}});
    } else {
      matches.push_back(h.signal_id);
    }
  }
  return JsonReply({{"matches", matches}});
}

Reply HashPost(Request& r) {
  bool video = false;
  auto hashes = HashMultipart(r, &video);
  if (!hashes.ok()) return HmaError(hashes.status());
  if (video) {
    if (!hashes->vpdq) {
      return HmaError(!hashes->video_error.ok() ? hashes->video_error
                                                : InvalidArgument("the upload is not a video"));
    }
    return JsonReply({{"video_md5", hashes->exact.md5}, {"vpdq", FormatVpdqSignal(*hashes->vpdq)}});
  }
  if (!hashes->image_error.ok()) return HmaError(hashes->image_error);
  return JsonReply({{"pdq", hashes->pdq->hash.ToHex()}, {"md5", hashes->exact.md5}});
}

nlohmann::json HmaBank(const Bank& b) {
  return {{"name", b.name}, {"matching_enabled_ratio", b.enabled ? 1.0 : 0.0}};
}

Reply Banks(Request& r) {
  auto store = r.ctx.stores.Acquire();
  if (!store.ok()) return HmaError(store.status());
  auto banks = (*store)->ListBanks();
  if (!banks.ok()) return HmaError(banks.status());
  nlohmann::json out = nlohmann::json::array();
  for (const Bank& b : *banks) out.push_back(HmaBank(b));
  return JsonReply(out);
}

Reply CreateBank(Request& r) {
  nlohmann::json body = nlohmann::json::parse(r.http.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("name") || !body["name"].is_string()) {
    return HmaError(InvalidArgument("name is required"));
  }
  bool enabled = !body.contains("enabled") || body["enabled"] == true || body["enabled"] == "true";
  auto store = r.ctx.stores.Acquire();
  if (!store.ok()) return HmaError(store.status());
  (*store)->SetActor(r.actor);
  auto bank = (*store)->CreateBank(BankSpec{body["name"], "", enabled, {}});
  if (!bank.ok() && bank.status().code() == ErrorCode::kAlreadyExists) {
    return JsonReply({{"message", "Bank already exists"}}, 403);  // HMA's status for this
  }
  if (!bank.ok()) return HmaError(bank.status());
  r.ctx.matches->AddBank(*bank);
  return JsonReply(HmaBank(*bank), 201);
}

Reply AddSignal(Request& r) {
  nlohmann::json body = nlohmann::json::parse(r.http.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || body.empty()) {
    return HmaError(InvalidArgument("No signals given"));
  }
  auto store = r.ctx.stores.Acquire();
  if (!store.ok()) return HmaError(store.status());
  (*store)->SetActor(r.actor);
  nlohmann::json signals = nlohmann::json::object();
  int64_t last_id = 0;
  for (const auto& [type_name, value] : body.items()) {
    auto type = ParseSignalTypeName(type_name == "video_md5" ? "md5" : type_name);
    if (!type || !value.is_string()) return HmaError(InvalidArgument("No such signal type " + type_name));
    Signal s;
    s.type = *type;
    s.value = value.get<std::string>();
    s.source = "hma-api";
    auto added = (*store)->AddSignal(r.Param(1), s);
    if (!added.ok()) return HmaError(added.status().WithContext("Invalid " + type_name + " signal"));
    Status live = r.ctx.matches->AddSignal(*added);
    if (!live.ok()) return HmaError(live);
    signals[type_name] = added->value;
    last_id = added->id;
  }
  return JsonReply({{"id", last_id}, {"signals", signals}});
}

}  // namespace

void AddHmaRoutes(Router& router) {
  router.Add(Method::kGet, "/m/lookup", kSubmit, LookupGet);
  router.Add(Method::kPost, "/m/lookup", kSubmit, LookupPost, Body::kUpload);
  router.Add(Method::kGet, "/m/raw_lookup", kSubmit, RawLookup);
  router.Add(Method::kPost, "/h/hash", kSubmit, HashPost, Body::kUpload);
  router.Add(Method::kGet, "/c/banks", kCurate, Banks);
  router.Add(Method::kPost, "/c/banks", kCurate, CreateBank);
  router.Add(Method::kPost, "/c/bank/([A-Za-z0-9_.-]+)/signal", kCurate, AddSignal);
  router.Add(Method::kGet, "/status", Access::Public(),
             [](Request&) { return TextReply("I-AM-ALIVE", "text/plain"); });
}

}  // namespace vigil::api
