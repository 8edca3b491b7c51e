#include "api/uploads.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

#include "api/form_data.h"
#include "content/media_sniff.h"
#include "hash/video_signal.h"
#include "review/match_detail.h"

namespace vigil::api {

Result<std::string_view> UploadBytes(const httplib::Request& req) {
  const std::string type = req.get_header_value("Content-Type");
  if (IsFormData(type)) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<FormPart> parts, ParseFormData(type, req.body));
    auto file = std::find_if(parts.begin(), parts.end(),
                             [](const FormPart& p) { return !p.filename.empty(); });
    if (file != parts.end()) return file->content;
    if (parts.empty()) return InvalidArgument("the multipart body has no file part");
    return parts.front().content;  // a field sent without a filename (curl -F 'f=<file')
  }
  if (req.body.empty()) {
    return InvalidArgument("send the media as the request body or as a multipart file");
  }
  return std::string_view(req.body);
}

Result<ContentHashes> HashUpload(ApiContext& ctx, std::string_view bytes, std::string_view name) {
  auto span = std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  const SniffedMedia kind = SniffMedia(span);
  const bool video = kind == SniffedMedia::kVideo || kind == SniffedMedia::kGif;
  HashWorkers& workers = video ? ctx.video_workers : ctx.image_workers;
  std::optional<Result<ContentHashes>> hashed;
  auto job = [&](ContentHasher& hasher) { hashed = hasher.HashBytes(span, name); };
  if (!workers.Run(job, ctx.options.decode_wait)) {
    return Unavailable(std::string("server busy: no ") + (video ? "video" : "image") +
                       " decode worker came free within " +
                       std::to_string(ctx.options.decode_wait.count()) + " ms; retry later");
  }
  return *std::move(hashed);
}

nlohmann::json StatusJson(const Status& s) {
  return {{"code", ErrorCodeName(s.code())}, {"message", s.message()}};
}

void AddVideoJson(const ContentHashes& h, nlohmann::json* j) {
  if (h.vpdq) (*j)["vpdq"] = FormatVpdqSignal(*h.vpdq);
  if (h.tmk) (*j)["tmk_pdqf"] = FormatTmkSignal(*h.tmk);
  if (h.video) {
    (*j)["video"] = {{"duration_seconds", h.video->duration_seconds},
                     {"frames_decoded", h.video->frames_decoded},
                     {"width", h.video->width},
                     {"height", h.video->height},
                     {"partial", h.video->partial},
                     {"damage", h.video->damage}};
  }
  // An animated GIF is an image first: its video error does not make the upload a failure.
  if (h.is_video && !h.video_error.ok()) (*j)["video_error"] = StatusJson(h.video_error);
}

nlohmann::json HexList(const std::vector<PdqResult>& hashes) {
  nlohmann::json all = nlohmann::json::array();
  for (const PdqResult& r : hashes) all.push_back(r.hash.ToHex());
  return all;
}

void AddTrimmedJson(const ContentHashes& h, nlohmann::json* j) {
  if (h.trimmed && h.trimmed_box) {
    const PixelRect& box = *h.trimmed_box;
    nlohmann::json t{{"pdq", h.trimmed->hash.ToHex()},
                     {"quality", h.trimmed->quality},
                     {"box", {{"x", box.x}, {"y", box.y}, {"width", box.width}, {"height", box.height}}}};
    if (!h.trimmed_dihedral.empty()) t["dihedral"] = HexList(h.trimmed_dihedral);
    (*j)["trimmed"] = std::move(t);
  }
  if (h.vpdq_trimmed) (*j)["vpdq_trimmed"] = FormatVpdqSignal(*h.vpdq_trimmed);
}

nlohmann::json HashesJson(const ContentHashes& h) {
  nlohmann::json j{{"md5", h.exact.md5}, {"sha256", h.exact.sha256}, {"pdq", nullptr}};
  if (h.pdq) {
    j["pdq"] = {{"hash", h.pdq->hash.ToHex()}, {"quality", h.pdq->quality}};
    j["width"] = h.width;
    j["height"] = h.height;
  }
  // A video is not an image: its image decode error would only be noise.
  if (!h.image_error.ok() && !h.is_video) j["image_error"] = StatusJson(h.image_error);
  AddTrimmedJson(h, &j);
  AddVideoJson(h, &j);
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
                   {"opinion", OpinionName(m.opinion)},
                   {"detail", MatchDetailJson(m.hit)}});
    // Which query hash matched (matcher.h): a rotation, the picture inside a border.
    if (m.hit.type == SignalType::kPdq || m.hit.type == SignalType::kVpdq) {
      out.back()["variant"] = MatchVariantName(m.hit.variant);
    }
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
