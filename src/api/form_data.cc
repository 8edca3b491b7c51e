#include "api/form_data.h"

#include <string.h>  // memmem

#include <algorithm>
#include <cctype>

namespace vigil::api {
namespace {

constexpr std::string_view kCrlf = "\r\n";

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool StartsWithIgnoringCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoringCase(s.substr(0, prefix.size()), prefix);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

size_t Find(std::string_view haystack, std::string_view needle, size_t from) {
  if (from > haystack.size()) return std::string_view::npos;
  const void* at = memmem(haystack.data() + from, haystack.size() - from, needle.data(), needle.size());
  return at == nullptr ? std::string_view::npos
                       : static_cast<size_t>(static_cast<const char*>(at) - haystack.data());
}

// The `;`-separated parameters after a header value's first item: name=value or
// name="value"; a `;` inside quotes belongs to the value.
template <typename Fn>
void ForEachParameter(std::string_view value, Fn fn) {
  size_t i = value.find(';');
  while (i != std::string_view::npos && i < value.size()) {
    ++i;
    const size_t eq = value.find('=', i);
    if (eq == std::string_view::npos) return;
    const std::string_view name = Trim(value.substr(i, eq - i));
    size_t j = eq + 1;
    while (j < value.size() && (value[j] == ' ' || value[j] == '\t')) ++j;
    std::string_view v;
    if (j < value.size() && value[j] == '"') {
      const size_t close = value.find('"', j + 1);
      if (close == std::string_view::npos) return;
      v = value.substr(j + 1, close - j - 1);
      i = value.find(';', close);
    } else {
      const size_t end = value.find(';', j);
      v = Trim(value.substr(j, end == std::string_view::npos ? std::string_view::npos : end - j));
      i = end;
    }
    fn(name, v);
  }
}

Result<std::string_view> Boundary(std::string_view content_type) {
  std::string_view boundary;
  ForEachParameter(content_type, [&](std::string_view name, std::string_view value) {
    if (EqualsIgnoringCase(name, "boundary")) boundary = value;
  });
  // RFC 2046: 1 to 70 characters.
  if (boundary.empty() || boundary.size() > 70) {
    return InvalidArgument("the multipart Content-Type has no valid boundary");
  }
  return boundary;
}

// A part's header lines (without the blank line that ends them) into `part`.
Status ReadPartHeaders(std::string_view headers, FormPart* part) {
  bool disposition = false;
  while (!headers.empty()) {
    const size_t end = headers.find(kCrlf);
    const std::string_view line = headers.substr(0, end);
    headers = end == std::string_view::npos ? std::string_view() : headers.substr(end + 2);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return InvalidArgument("a multipart part header has no ':'");
    const std::string_view name = Trim(line.substr(0, colon)), value = Trim(line.substr(colon + 1));
    if (EqualsIgnoringCase(name, "Content-Type")) {
      part->content_type = value;
    } else if (EqualsIgnoringCase(name, "Content-Disposition")) {
      if (!StartsWithIgnoringCase(value, "form-data")) {
        return InvalidArgument("a multipart part is not form-data");
      }
      disposition = true;
      ForEachParameter(value, [&](std::string_view p, std::string_view v) {
        if (EqualsIgnoringCase(p, "name")) part->name = v;
        if (EqualsIgnoringCase(p, "filename")) part->filename = v;
      });
    }
  }
  if (!disposition || part->name.empty()) {
    return InvalidArgument("a multipart part has no Content-Disposition name");
  }
  return Status::Ok();
}

}  // namespace

bool IsFormData(std::string_view content_type) {
  return StartsWithIgnoringCase(content_type, "multipart/form-data") ||
         StartsWithIgnoringCase(content_type, kHiddenFormData);
}

Result<std::vector<FormPart>> ParseFormData(std::string_view content_type, std::string_view body) {
  VIGIL_ASSIGN_OR_RETURN(std::string_view boundary, Boundary(content_type));
  const std::string delimiter = "\r\n--" + std::string(boundary);
  const std::string_view dash_boundary = std::string_view(delimiter).substr(2);
  // The first delimiter may start the body; else it follows a preamble and a CRLF.
  size_t pos = dash_boundary.size();
  if (!body.starts_with(dash_boundary)) {
    pos = Find(body, delimiter, 0);
    if (pos == std::string_view::npos) return InvalidArgument("the multipart body has no boundary line");
    pos += delimiter.size();
  }
  std::vector<FormPart> parts;
  for (;;) {
    if (body.substr(pos, 2) == "--") return parts;  // the closing delimiter
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != kCrlf) return InvalidArgument("a multipart boundary line is malformed");
    pos += 2;
    if (parts.size() == kMaxFormParts) {
      return InvalidArgument("the multipart body has more than " + std::to_string(kMaxFormParts) + " parts");
    }
    // Headers end at a blank line; none at all is a blank line right away.
    const size_t blank = body.substr(pos, 2) == kCrlf ? pos : Find(body, "\r\n\r\n", pos);
    if (blank == std::string_view::npos || blank - pos > kMaxPartHeaderBytes) {
      return InvalidArgument("a multipart part's headers are unterminated or over " +
                             std::to_string(kMaxPartHeaderBytes) + " bytes");
    }
    FormPart part;
    VIGIL_RETURN_IF_ERROR(ReadPartHeaders(body.substr(pos, blank - pos), &part));
    const size_t start = blank == pos ? pos + 2 : blank + 4;
    const size_t end = Find(body, delimiter, start);
    if (end == std::string_view::npos) return InvalidArgument("the multipart body has no closing boundary");
    part.content = body.substr(start, end - start);
    parts.push_back(part);
    pos = end + delimiter.size();
  }
}

}  // namespace vigil::api
