// Unix-seconds <-> ISO-8601 UTC text for the bank formats' added_at field. Pure functions,
// no time zone database and no locale, so they are thread-safe and give the same answer on
// every machine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

// Accepts unix seconds ("1714564800") or ISO-8601 UTC: "2024-05-01T12:00:00Z" (also with
// a space for 'T', fractional seconds, or "+00:00" for 'Z') and a bare date "2024-05-01".
// Returns nullopt for anything else, including non-UTC offsets and impossible dates.
std::optional<int64_t> ParseUnixOrIsoTime(std::string_view text);

// "2024-05-01T12:00:00Z".
std::string FormatIsoTime(int64_t unix_seconds);

}  // namespace vigil
