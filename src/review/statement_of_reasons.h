// The webhook body vigil sends the platform when content is to be removed or reinstated,
// carrying a statement of reasons with the fields of EU DSA Art. 17(3): the restriction
// and its scope, the facts and circumstances, whether detection and decision were
// automated, the legal or terms-of-service ground, and the redress open to the uploader.
// docs/webhooks.md documents every field. No uploader personal data: content is named by
// the platform's own opaque id.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "store/review_store.h"

namespace vigil {

struct StatementInput {
  WebhookKind kind = WebhookKind::kRemove;
  const Case* c = nullptr;
  // The decision acted on: for a removal, the removal; for a reinstatement, the appeal's
  // outcome (reason, who) while `ground` comes from the removal it reverses.
  const Decision* decision = nullptr;
  const Decision* reversed = nullptr;  // reinstatement only
};

// The JSON body (a compact, stable key order).
std::string BuildWebhookPayload(const StatementInput& in);

}  // namespace vigil
