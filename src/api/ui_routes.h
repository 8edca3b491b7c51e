// The reviewer web UI's server side (docs/ui.md): the static files of ui/, embedded into
// the binary at build time (embed_ui.cmake), served under /ui/ without a token; /v1/me, so
// the page can tell who a pasted token belongs to; /media/<name> for reviewers when a
// media folder is configured (the demo's stand-in for the platform's content URLs); and
// GET /v1/stats, the dashboard's aggregates.
//
// Every UI file goes out with a strict Content-Security-Policy (scripts and styles only
// from this origin, no inline code), nosniff, and an ETag with Cache-Control: no-cache, so
// browsers revalidate and a new binary's UI is seen at once.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "api/review_api.h"
#include "api/router.h"

namespace vigil::api {

// One file of ui/, as the generated ui_assets.cc holds it. `path` is relative to ui/
// ("index.html", "js/app.js"); `etag` is a quoted content hash.
struct EmbeddedFile {
  std::string_view path;
  std::string_view bytes;
  std::string_view etag;
};
std::span<const EmbeddedFile> EmbeddedUiFiles();  // defined in the generated file

struct UiOptions {
  std::string media_dir;  // empty: no /media route
  uint64_t max_media_bytes = 64ull << 20;
};

// The Content-Type for a file name, from its extension; application/octet-stream when
// unknown (with nosniff, browsers then neither run nor render it).
std::string_view ContentTypeFor(std::string_view name);

void AddUiRoutes(Router& router, const UiOptions& options);
// GET /v1/stats?days=N (reviewer, auditor): cases and decisions per day, per-bank counts.
void AddStatsRoutes(Router& router, ReviewApi& review);

}  // namespace vigil::api
