#include "store/unix_time.h"

#include <charconv>
#include <cstdio>

namespace vigil {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days ("chrono-Compatible Low-Level Date
// Algorithms"): proleptic Gregorian calendar, day 0 = 1970-01-01.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at text[*pos]; advances *pos.
bool Digits(std::string_view text, size_t* pos, size_t n, unsigned* out) {
  if (*pos + n > text.size()) return false;
  unsigned v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

std::optional<int64_t> ParseIso(std::string_view t) {
  size_t p = 0;
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!Digits(t, &p, 4, &y) || !Expect(t, &p, '-') || !Digits(t, &p, 2, &mo) ||
      !Expect(t, &p, '-') || !Digits(t, &p, 2, &d)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo)) return std::nullopt;
  if (p < t.size()) {  // a time part must follow, ending in a UTC designator
    if (t[p] != 'T' && t[p] != ' ') return std::nullopt;
    ++p;
    if (!Digits(t, &p, 2, &h) || !Expect(t, &p, ':') || !Digits(t, &p, 2, &mi) ||
        !Expect(t, &p, ':') || !Digits(t, &p, 2, &s)) {
      return std::nullopt;
    }
    if (h > 23 || mi > 59 || s > 60) return std::nullopt;  // 60: a leap second, kept as :59+1
    if (p < t.size() && t[p] == '.') {
      size_t start = ++p;
      while (p < t.size() && t[p] >= '0' && t[p] <= '9') ++p;
      if (p == start) return std::nullopt;
    }
    std::string_view zone = t.substr(p);
    if (zone != "Z" && zone != "+00:00") return std::nullopt;
  }
  return DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

}  // namespace

std::optional<int64_t> ParseUnixOrIsoTime(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.size() <= 12 && text.find_first_not_of("0123456789") == std::string_view::npos) {
    int64_t v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return v;
  }
  return ParseIso(text);
}

std::string FormatIsoTime(int64_t unix_seconds) {
  int64_t days = unix_seconds / 86400, secs = unix_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buf;
}

}  // namespace vigil
