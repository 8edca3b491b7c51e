// POST /v1/scan: the platform's upload path. One item in (its opaque content_id, a
// content_url for reviewers, and either the media or its precomputed hashes); its hashes
// and matches out, and a review case opened for it when it matches (idempotent per
// content_id: a re-sent item gets its first case back).
//
// Bodies: multipart/form-data with fields content_id, content_url and one file part; the
// raw media with ?content_id=&content_url= (any Content-Type but JSON or multipart); or
// JSON {"content_id", "content_url", "hashes": {"pdq": "<hex>", "md5": ..., "sha256": ...,
// "vpdq": ..., "tmk_pdqf": ...}} (video signals in their bank text, docs/formats.md).
#include "api/form_data.h"
#include "api/review_api.h"
#include "api/uploads.h"
#include "hash/video_signal.h"

namespace vigil::api {
namespace {

const Access kSubmit = Access::Roles({Role::kSubmitter});

struct ScanInput {
  std::string content_id;
  std::string content_url;
  ContentHashes hashes;
};

// Precomputed hashes from JSON; each is validated like any imported signal.
Status HashFromJson(SignalType type, const std::string& text, ContentHashes* out) {
  VIGIL_ASSIGN_OR_RETURN(std::string v, CanonicalSignal(type, text));
  switch (type) {
    case SignalType::kPdq: {
      VIGIL_ASSIGN_OR_RETURN(Hash256 h, Hash256::FromHex(v));
      out->pdq = PdqResult{h, 100};  // the sender vouches for quality by sending it
      return Status::Ok();
    }
    case SignalType::kMd5: out->exact.md5 = v; return Status::Ok();
    case SignalType::kSha256: out->exact.sha256 = v; return Status::Ok();
    case SignalType::kVpdq: {
      VIGIL_ASSIGN_OR_RETURN(out->vpdq, ParseVpdqSignal(v));
      out->is_video = true;
      return Status::Ok();
    }
    case SignalType::kTmk: {
      VIGIL_ASSIGN_OR_RETURN(out->tmk, ParseTmkSignal(v));
      out->is_video = true;
      return Status::Ok();
    }
  }
  return InvalidArgument("unknown signal type");
}

Status HashesFromJson(const nlohmann::json& j, ContentHashes* out) {
  if (!j.is_object()) return InvalidArgument("hashes must be an object");
  for (const auto& [name, value] : j.items()) {
    auto type = ParseSignalTypeName(name);
    if (!type || !value.is_string()) return InvalidArgument("hashes." + name + ": unknown or not a string");
    VIGIL_RETURN_IF_ERROR(HashFromJson(*type, value.get<std::string>(), out).WithContext("hashes." + name));
  }
  return Status::Ok();
}

Result<ScanInput> ReadMultipartScan(Request& r) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<FormPart> parts,
                         ParseFormData(r.http.get_header_value("Content-Type"), r.http.body));
  ScanInput in;
  const FormPart* media = nullptr;
  for (const FormPart& part : parts) {
    if (part.name == "content_id" && part.filename.empty()) in.content_id = part.content;
    if (part.name == "content_url" && part.filename.empty()) in.content_url = part.content;
    if (!part.filename.empty()) {
      if (media != nullptr) return InvalidArgument("send one media file per scan");
      media = &part;
    }
  }
  if (media == nullptr) return InvalidArgument("the multipart body has no file part");
  VIGIL_ASSIGN_OR_RETURN(in.hashes, HashUpload(r.ctx, media->content, in.content_id));
  return in;
}

Result<ScanInput> ReadJsonScan(Request& r) {
  ScanInput in;
  nlohmann::json body = nlohmann::json::parse(r.http.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("hashes")) {
    return InvalidArgument("expected a JSON object with \"hashes\"");
  }
  in.content_id = body.value("content_id", "");
  in.content_url = body.value("content_url", "");
  VIGIL_RETURN_IF_ERROR(HashesFromJson(body["hashes"], &in.hashes));
  return in;
}

// The media as the whole body, the ids in the query string: no multipart framing to
// build or parse, for platforms that post straight from their upload store.
Result<ScanInput> ReadRawScan(Request& r) {
  ScanInput in;
  in.content_id = r.http.get_param_value("content_id");
  in.content_url = r.http.get_param_value("content_url");
  if (r.http.body.empty()) {
    return InvalidArgument("expected multipart media, raw media with ?content_id=, or JSON hashes");
  }
  if (in.content_id.empty()) return InvalidArgument("content_id is required");
  VIGIL_ASSIGN_OR_RETURN(in.hashes, HashUpload(r.ctx, r.http.body, in.content_id));
  return in;
}

Result<ScanInput> ReadScan(Request& r) {
  Result<ScanInput> in = IsFormData(r.http.get_header_value("Content-Type")) ? ReadMultipartScan(r)
                         : r.http.get_header_value("Content-Type").starts_with("application/json")
                             ? ReadJsonScan(r)
                             : ReadRawScan(r);
  if (in.ok() && in->content_id.empty()) return InvalidArgument("content_id is required");
  return in;
}

Reply Scan(Request& r, ReviewApi& review) {
  auto in = ReadScan(r);
  if (!in.ok()) return ErrorReply(in.status());
  std::vector<MatchHit> hits = r.ctx.matches->Match(in->hashes);
  auto reports = DescribeHits(r.ctx, hits);
  if (!reports.ok()) return ErrorReply(reports.status());
  nlohmann::json matches = ReportsJson(*reports);
  nlohmann::json out{{"content_id", in->content_id},
                     {"hashes", HashesJson(in->hashes)},
                     {"matches", std::move(matches)},
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
  router.Add(Method::kPost, "/v1/scan", kSubmit, [&review](Request& r) { return Scan(r, review); },
             Body::kUpload);
}

}  // namespace vigil::api
