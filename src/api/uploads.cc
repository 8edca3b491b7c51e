#include "api/uploads.h"

#include <chrono>
#include <memory>

namespace vigil::api {

Result<std::string_view> UploadBytes(const httplib::Request& req) {
  if (req.is_multipart_form_data()) {
    if (req.files.empty()) return InvalidArgument("the multipart body has no file part");
    return std::string_view(req.files.begin()->second.content);
  }
  if (req.body.empty()) {
    return InvalidArgument("send the media as the request body or as a multipart file");
  }
  return std::string_view(req.body);
}

Result<ContentHashes> HashUpload(ApiContext& ctx, std::string_view bytes, std::string_view name) {
  // One hasher per HTTP thread: its pixel buffers are reused across requests.
  thread_local std::unique_ptr<ContentHasher> hasher;
  if (!hasher) hasher = std::make_unique<ContentHasher>(ContentHashOptions{ctx.options.decode});
  if (!ctx.decode_slots.AcquireFor(std::chrono::seconds(30))) {
    return Unavailable("server busy: no decode slot came free within 30 s; retry later");
  }
  auto span = std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  Result<ContentHashes> r = hasher->HashBytes(span, name);
  ctx.decode_slots.Release();
  return r;
}

nlohmann::json HashesJson(const ContentHashes& h) {
  nlohmann::json j{{"md5", h.exact.md5}, {"sha256", h.exact.sha256}, {"pdq", nullptr}};
  if (h.pdq) {
    j["pdq"] = {{"hash", h.pdq->hash.ToHex()}, {"quality", h.pdq->quality}};
    j["width"] = h.width;
    j["height"] = h.height;
  }
  if (!h.image_error.ok()) {
    j["image_error"] = {{"code", ErrorCodeName(h.image_error.code())},
                        {"message", h.image_error.message()}};
  }
  return j;
}

nlohmann::json ReportsJson(const std::vector<MatchReport>& reports) {
  nlohmann::json out = nlohmann::json::array();
  for (const MatchReport& m : reports) {
    out.push_back({{"bank", m.bank},
                   {"signal_id", m.hit.signal_id},
                   {"signal_type", SignalTypeName(m.hit.type)},
                   {"signal", m.value},
                   {"distance", m.hit.distance},
                   {"labels", m.labels},
                   {"opinion", OpinionName(m.opinion)}});
  }
  return out;
}

Result<std::vector<MatchReport>> DescribeHits(ApiContext& ctx, const std::vector<MatchHit>& hits) {
  if (hits.empty()) return std::vector<MatchReport>{};  // most uploads: no store read at all
  ctx.metrics.AddMatches(hits.size());
  VIGIL_ASSIGN_OR_RETURN(auto store, ctx.stores.Acquire());
  return ctx.matches->Describe(*store, hits);
}

Result<nlohmann::json> MatchesJson(ApiContext& ctx, const std::vector<MatchHit>& hits) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<MatchReport> reports, DescribeHits(ctx, hits));
  return ReportsJson(reports);
}

}  // namespace vigil::api
