// /ui/... (the embedded reviewer UI), /v1/me and /media/<name>; see ui_routes.h.
#include "api/ui_routes.h"

#include <cctype>
#include <map>

#include "util/file_io.h"

namespace vigil::api {
namespace {

// No inline script or style anywhere in ui/, so none is allowed. Images and video may
// come from the platform's https content URLs (reviewers see the content there); API
// calls only go to this origin.
constexpr char kUiPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: https:; "
    "media-src 'self' blob: https:; connect-src 'self'; font-src 'self'; manifest-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// Media opened directly (not through the UI) render in a sandbox that runs nothing.
constexpr char kMediaPolicy[] = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox";

const Access kAnyToken =
    Access::Roles({Role::kCurator, Role::kSubmitter, Role::kReviewer, Role::kAuditor});
const Access kMediaRead = Access::Roles({Role::kReviewer, Role::kAuditor});

void AddSecurityHeaders(Reply& r, const char* policy) {
  r.headers.emplace_back("Content-Security-Policy", policy);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
}

const std::map<std::string_view, const EmbeddedFile*, std::less<>>& FilesByPath() {
  static const auto* files = [] {
    auto* m = new std::map<std::string_view, const EmbeddedFile*, std::less<>>();
    for (const EmbeddedFile& f : EmbeddedUiFiles()) (*m)[f.path] = &f;
    return m;
  }();
  return *files;
}

// The header holds one ETag, a list, or "*" (RFC 9110 13.1.2); a substring test covers
// all three for our quoted hex tags.
bool EtagMatches(const httplib::Request& req, std::string_view etag) {
  std::string header = req.get_header_value("If-None-Match");
  return header == "*" || header.find(etag) != std::string::npos;
}

Reply ServeUiFile(Request& r, std::string_view path) {
  if (path.empty()) path = "index.html";
  auto it = FilesByPath().find(path);
  if (it == FilesByPath().end()) {
    Reply missing = HttpError(404, "not_found", "no UI file '" + std::string(path) + "'");
    AddSecurityHeaders(missing, kUiPolicy);
    return missing;
  }
  const EmbeddedFile& f = *it->second;
  Reply reply = EtagMatches(r.http, f.etag)
                    ? Reply{304, "", std::string(ContentTypeFor(f.path))}
                    : Reply{200, std::string(f.bytes), std::string(ContentTypeFor(f.path))};
  AddSecurityHeaders(reply, kUiPolicy);
  reply.headers.emplace_back("ETag", std::string(f.etag));
  reply.headers.emplace_back("Cache-Control", "no-cache");
  return reply;
}

Reply RedirectToUi(Request&) {
  Reply r{301, "", "text/plain"};
  r.headers.emplace_back("Location", "/ui/");
  return r;
}

Reply WhoAmI(Request& r) {
  return JsonReply({{"token_id", r.actor.token_id},
                    {"name", r.actor.name},
                    {"role", RoleName(r.actor.role)}});
}

// The route's pattern admits only [A-Za-z0-9_-] then [A-Za-z0-9_.-]: no path separators
// and no leading dot, so the name cannot leave the folder.
Reply ServeMedia(Request& r, const UiOptions& options) {
  const std::string name = r.Param(1);
  auto bytes = ReadFileWithLimit(options.media_dir + "/" + name, options.max_media_bytes);
  if (!bytes.ok()) {
    if (bytes.status().code() == ErrorCode::kNotFound) {
      return HttpError(404, "not_found", "no media file '" + name + "'");
    }
    return ErrorReply(bytes.status());
  }
  Reply reply{200, std::string(bytes->begin(), bytes->end()), std::string(ContentTypeFor(name))};
  AddSecurityHeaders(reply, kMediaPolicy);
  // Content under review stays out of shared and disk caches.
  reply.headers.emplace_back("Cache-Control", "private, no-store");
  return reply;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view name) {
  static const std::map<std::string_view, std::string_view, std::less<>> kTypes = {
      {"html", "text/html; charset=utf-8"}, {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"}, {"json", "application/json"},
      {"svg", "image/svg+xml"},  {"png", "image/png"},   {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},    {"webp", "image/webp"}, {"gif", "image/gif"},
      {"mp4", "video/mp4"},      {"webm", "video/webm"}, {"ico", "image/x-icon"},
      {"txt", "text/plain; charset=utf-8"}};
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string ext(name.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

void AddUiRoutes(Router& router, const UiOptions& options) {
  router.Add(Method::kGet, "/ui", Access::Public(), RedirectToUi);
  router.Add(Method::kGet, "/ui/([A-Za-z0-9_./-]*)", Access::Public(),
             [](Request& r) { return ServeUiFile(r, r.Param(1)); });
  router.Add(Method::kGet, "/v1/me", kAnyToken, WhoAmI);
  if (!options.media_dir.empty()) {
    router.Add(Method::kGet, "/media/([A-Za-z0-9_-][A-Za-z0-9_.-]{0,200})", kMediaRead,
               [options](Request& r) { return ServeMedia(r, options); });
  }
}

}  // namespace vigil::api
