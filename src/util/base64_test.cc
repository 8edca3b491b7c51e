#include "util/base64.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

std::vector<uint8_t> Bytes(std::string_view s) { return {s.begin(), s.end()}; }

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : cases) {
    EXPECT_EQ(Base64Encode(Bytes(plain)), encoded);
    Result<std::vector<uint8_t>> back = Base64Decode(encoded);
    ASSERT_TRUE(back.ok()) << encoded << ": " << back.status().message();
    EXPECT_EQ(*back, Bytes(plain));
  }
}

TEST(Base64, RoundTripsEveryByte) {
  std::vector<uint8_t> all(256 * 3 + 1);
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint8_t>(i * 7);
  for (size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, all.size()}) {
    std::vector<uint8_t> part(all.begin(), all.begin() + static_cast<long>(n));
    EXPECT_EQ(*Base64Decode(Base64Encode(part)), part);
  }
}

TEST(Base64, RefusesNonCanonicalText) {
  const std::pair<const char*, const char*> cases[] = {
      {"Zg=", "multiple of 4"},
      {"Zm9v\n", "multiple of 4"},
      {"Zm-v", "character 3"},
      {"Zh==", "padding bits"},
      {"Zm9=Zm9v", "character 4"},
      {"Z===", "character 2"},
      {"====", "character 1"},
  };
  for (auto [text, want] : cases) {
    Result<std::vector<uint8_t>> r = Base64Decode(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.status().message().find(want), std::string::npos)
        << text << ": " << r.status().message();
  }
}

}  // namespace
}  // namespace vigil
