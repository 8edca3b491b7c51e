#include "store/bank_store.h"

namespace vigil {

std::string_view OpinionName(Opinion o) {
  switch (o) {
    case Opinion::kNone: return "";
    case Opinion::kConfirmed: return "confirmed";
    case Opinion::kDisputed: return "disputed";
  }
  return "";
}

std::optional<Opinion> ParseOpinion(std::string_view text) {
  if (text.empty()) return Opinion::kNone;
  if (text == "confirmed") return Opinion::kConfirmed;
  if (text == "disputed") return Opinion::kDisputed;
  return std::nullopt;
}

Status ValidateBankName(std::string_view name) {
  auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-';
  };
  bool ok = !name.empty() && name.size() <= 64;
  for (char c : name) ok = ok && allowed(c);
  if (ok) return Status::Ok();
  return InvalidArgument("bank name '" + std::string(name) +
                         "' is invalid: use 1 to 64 characters from A-Z a-z 0-9 _ . -");
}

}  // namespace vigil
