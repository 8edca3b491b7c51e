// Shared by the hashing routes (vigil's /v1 and HMA's /h, /m): reading an upload from a
// request, hashing it under the decode-slot limit, and matches as JSON.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/router.h"
#include "content/content_hasher.h"
#include "match/matcher.h"

namespace vigil::api {

// The uploaded bytes: the first file part of a multipart/form-data body (a part with a
// filename; else its first part), or the raw body; a view into the request's body.
// kInvalidArgument when there is nothing to hash or the multipart framing is bad.
Result<std::string_view> UploadBytes(const httplib::Request& req);

// Hashes `bytes` on a decode worker (ApiContext, hash_workers.h): a video or GIF (by its
// first bytes) on a video worker, anything else on an image worker. kUnavailable "server
// busy" if none takes it within ApiOptions::decode_wait.
// Decode errors are in image_error or video_error, not failures.
Result<ContentHashes> HashUpload(ApiContext& ctx, std::string_view bytes, std::string_view name);

nlohmann::json HashesJson(const ContentHashes& h);
// {"code", "message"} of an error inside a reply (not the reply's own error shape).
nlohmann::json StatusJson(const Status& s);
// Adds a video's signals in their bank text (hash/video_signal.h: what a platform can add
// to a bank as is), what was decoded, and why a video gave no signals. Shared with
// `vigil hash --json`, so the two faces describe a video alike.
void AddVideoJson(const ContentHashes& h, nlohmann::json* j);
// The query variants found beside the plain hashes, shared with `vigil hash --json` too:
// "trimmed" (the picture inside a detected border or letterbox: {"pdq", "quality", "box":
// {x, y, width, height}, and "dihedral" when computed}) and "vpdq_trimmed" (a letterboxed
// video's frames cut to their content, in the vpdq text). Absent when none was found.
void AddTrimmedJson(const ContentHashes& h, nlohmann::json* j);
// Hashes as a JSON array of hex strings.
nlohmann::json HexList(const std::vector<PdqResult>& hashes);
// Hits -> bank, signal, distance, labels, opinion, through a pooled store (none is taken
// when there are no hits); counts them in the metrics.
Result<std::vector<MatchReport>> DescribeHits(ApiContext& ctx, const std::vector<MatchHit>& hits);
nlohmann::json ReportsJson(const std::vector<MatchReport>& reports);
// DescribeHits, as JSON.
Result<nlohmann::json> MatchesJson(ApiContext& ctx, const std::vector<MatchHit>& hits);

}  // namespace vigil::api
