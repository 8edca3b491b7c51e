// The webhook signature (docs/webhooks.md): header
//   X-Vigil-Signature: t=<unix seconds>,v1=<lowercase hex HMAC-SHA256(secret, "<t>.<body>")>
// Signing the timestamp with the body lets a receiver refuse replays older than its
// tolerance. VerifyWebhookSignature is what a receiver does (used by vigil's tests).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil {

inline constexpr std::string_view kSignatureHeader = "X-Vigil-Signature";

std::string SignWebhook(std::string_view secret, int64_t timestamp, std::string_view body);

// True if `header` carries a v1 signature of `body` under `secret` whose timestamp is
// within `tolerance_s` of `now`. Compares in constant time.
bool VerifyWebhookSignature(std::string_view secret, std::string_view header,
                            std::string_view body, int64_t now, int64_t tolerance_s);

}  // namespace vigil
