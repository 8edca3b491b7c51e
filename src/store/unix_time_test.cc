#include "store/unix_time.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(UnixTimeTest, ParsesUnixSecondsAndIsoUtc) {
  EXPECT_EQ(ParseUnixOrIsoTime("0"), 0);
  EXPECT_EQ(ParseUnixOrIsoTime("1714564800"), 1714564800);
  EXPECT_EQ(ParseUnixOrIsoTime("2024-05-01T12:00:00Z"), 1714564800);
  EXPECT_EQ(ParseUnixOrIsoTime("2024-05-01 12:00:00+00:00"), 1714564800);
  EXPECT_EQ(ParseUnixOrIsoTime("2024-05-01T12:00:00.250Z"), 1714564800);
  EXPECT_EQ(ParseUnixOrIsoTime("2024-05-01"), 1714521600);
  EXPECT_EQ(ParseUnixOrIsoTime("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseUnixOrIsoTime("2000-02-29"), 951782400);
}

TEST(UnixTimeTest, RejectsOtherText) {
  for (const char* bad : {"", "-5", "yesterday", "2024-05-01T12:00:00", "2024-05-01T12:00:00+02:00",
                          "2023-02-29", "2024-13-01", "2024-05-01T24:00:00Z", "2024-5-1",
                          "2024-05-01T12:00:00.Z", "12345678901234"}) {
    EXPECT_FALSE(ParseUnixOrIsoTime(bad).has_value()) << bad;
  }
}

TEST(UnixTimeTest, FormatsAndRoundTrips) {
  EXPECT_EQ(FormatIsoTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIsoTime(1714564800), "2024-05-01T12:00:00Z");
  for (int64_t t : {int64_t{1}, int64_t{951782400}, int64_t{4102444799}, int64_t{1234567890}}) {
    EXPECT_EQ(ParseUnixOrIsoTime(FormatIsoTime(t)), t);
  }
}

}  // namespace
}  // namespace vigil
