// multipart/form-data bodies (RFC 7578) read in place, for the upload routes.
//
// Why not httplib's parser: it copies every part into a string as it scans the body byte
// by byte, 0.22 ms of CPU per 100 kB upload here (perf, POST /v1/scan at 8 connections),
// about 2% of a scan. The upload routes (Body::kUpload, router.h) get the body buffered
// whole instead, with the multipart type hidden from httplib (server.cc), and read the
// parts here as views into it: the boundary is found with memmem, nothing is copied.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace vigil::api {

// The Content-Type the server gives a multipart upload before httplib reads it
// (server.cc), with the original parameters (the boundary) kept after it.
inline constexpr std::string_view kHiddenFormData = "application/x-vigil-form-data";

// One part; every view points into the parsed body.
struct FormPart {
  std::string_view name;      // Content-Disposition's name
  std::string_view filename;  // its filename, empty when absent (a plain field)
  std::string_view content_type;
  std::string_view content;
};

// At most this many parts in one body: an upload has a file and a few fields.
inline constexpr size_t kMaxFormParts = 64;
// At most this many bytes of headers in one part.
inline constexpr size_t kMaxPartHeaderBytes = 8192;

// Whether `content_type` is multipart/form-data, or kHiddenFormData.
bool IsFormData(std::string_view content_type);

// The parts of `body`, in order. kInvalidArgument, naming what is wrong, for a missing or
// bad boundary, a part without a Content-Disposition name, a missing closing boundary,
// and bodies over the limits above. Names and filenames are unquoted; a quoted-pair
// (\") keeps its backslash, as browsers send none.
Result<std::vector<FormPart>> ParseFormData(std::string_view content_type, std::string_view body);

}  // namespace vigil::api
