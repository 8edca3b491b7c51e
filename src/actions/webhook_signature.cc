#include "actions/webhook_signature.h"

#include <charconv>
#include <cstdlib>

#include "store/crypto.h"

namespace vigil {
namespace {

std::string Mac(std::string_view secret, std::string_view t, std::string_view body) {
  std::string message;
  message.reserve(t.size() + 1 + body.size());
  message.append(t).append(".").append(body);
  return LowerHex(HmacSha256(secret, message));
}

}  // namespace

std::string SignWebhook(std::string_view secret, int64_t timestamp, std::string_view body) {
  const std::string t = std::to_string(timestamp);
  return "t=" + t + ",v1=" + Mac(secret, t, body);
}

bool VerifyWebhookSignature(std::string_view secret, std::string_view header,
                            std::string_view body, int64_t now, int64_t tolerance_s) {
  std::string_view t, v1;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view part = header.substr(0, comma);
    header = comma == std::string_view::npos ? "" : header.substr(comma + 1);
    if (part.starts_with("t=")) t = part.substr(2);
    if (part.starts_with("v1=")) v1 = part.substr(3);
  }
  int64_t ts = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), ts);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size()) return false;
  if (std::llabs(now - ts) > tolerance_s) return false;
  return ConstantTimeEqual(v1, Mac(secret, t, body));
}

}  // namespace vigil
