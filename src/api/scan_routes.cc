// POST /v1/scan: the platform's upload path. One item in (its opaque content_id, a
// content_url for reviewers, and either the media or its precomputed hashes); its hashes
// and matches out, and a review case opened for it when it matches (idempotent per
// content_id: a re-sent item gets its first case back).
//
// Bodies: multipart/form-data with fields content_id, content_url and one file part; or
// JSON {"content_id", "content_url", "hashes": {"pdq": "<hex>", "md5": ..., "sha256": ...}}.
#include "api/review_api.h"
#include "api/uploads.h"

namespace vigil::api {
namespace {

const Access kSubmit = Access::Roles({Role::kSubmitter});

struct ScanInput {
  std::string content_id;
  std::string content_url;
  ContentHashes hashes;
};

// Precomputed hashes from JSON; each is validated like any imported signal.
Status HashesFromJson(const nlohmann::json& j, ContentHashes* out) {
  if (!j.is_object()) return InvalidArgument("hashes must be an object");
  for (const auto& [name, value] : j.items()) {
    auto type = ParseSignalTypeName(name);
    if (!type || !value.is_string()) return InvalidArgument("hashes." + name + ": unknown or not a string");
    VIGIL_ASSIGN_OR_RETURN(std::string v, CanonicalSignal(*type, value.get<std::string>()));
    if (*type == SignalType::kPdq) {
      VIGIL_ASSIGN_OR_RETURN(Hash256 h, Hash256::FromHex(v));
      out->pdq = PdqResult{h, 100};  // the sender vouches for quality by sending it
    } else {
      (*type == SignalType::kMd5 ? out->exact.md5 : out->exact.sha256) = v;
    }
  }
  return Status::Ok();
}

Result<ScanInput> ReadScan(Request& r) {
  ScanInput in;
  if (r.http.is_multipart_form_data()) {
    in.content_id = r.http.has_file("content_id") ? r.http.get_file_value("content_id").content : "";
    in.content_url = r.http.has_file("content_url") ? r.http.get_file_value("content_url").content : "";
    const httplib::MultipartFormData* media = nullptr;
    for (const auto& [field, part] : r.http.files) {
      if (!part.filename.empty()) media = &part;
    }
    if (media == nullptr) return InvalidArgument("the multipart body has no file part");
    VIGIL_ASSIGN_OR_RETURN(in.hashes, HashUpload(r.ctx, media->content, in.content_id));
  } else {
    nlohmann::json body = nlohmann::json::parse(r.http.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("hashes")) {
      return InvalidArgument("expected multipart media or a JSON object with \"hashes\"");
    }
    in.content_id = body.value("content_id", "");
    in.content_url = body.value("content_url", "");
    VIGIL_RETURN_IF_ERROR(HashesFromJson(body["hashes"], &in.hashes));
  }
  if (in.content_id.empty()) return InvalidArgument("content_id is required");
  return in;
}

Reply Scan(Request& r, ReviewApi& review) {
  auto in = ReadScan(r);
  if (!in.ok()) return ErrorReply(in.status());
  std::vector<MatchHit> hits = r.ctx.matches->Match(in->hashes);
  auto store = r.ctx.stores.Acquire();
  if (!store.ok()) return ErrorReply(store.status());
  auto reports = r.ctx.matches->Describe(**store, hits);
  if (!reports.ok()) return ErrorReply(reports.status());
  auto matches = MatchesJson(r.ctx, hits);
  if (!matches.ok()) return ErrorReply(matches.status());
  nlohmann::json out{{"content_id", in->content_id},
                     {"hashes", HashesJson(in->hashes)},
                     {"matches", *matches},
                     {"case", nullptr}};
  if (reports->empty()) return JsonReply(out);
  return review.WithService([&](ReviewService& s) {
    auto opened = s.OpenCaseForScan(in->content_id, in->content_url, *reports, r.actor);
    if (!opened.ok()) return ErrorReply(opened.status());
    out["case"] = {{"id", opened->c.id},
                   {"status", CaseStatusName(opened->c.status)},
                   {"created", opened->created},
                   {"automatic_decision", opened->automatic_decision
                                              ? nlohmann::json(DecisionKindName(opened->automatic_decision->kind))
                                              : nlohmann::json(nullptr)}};
    return JsonReply(out, opened->created ? 201 : 200);
  });
}

}  // namespace

void AddScanRoutes(Router& router, ReviewApi& review) {
  router.Add(Method::kPost, "/v1/scan", kSubmit, [&review](Request& r) { return Scan(r, review); });
}

}  // namespace vigil::api
