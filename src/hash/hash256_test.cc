#include "hash/hash256.h"

#include <gtest/gtest.h>

#include "hash/signal_type.h"

namespace vigil {
namespace {

constexpr char kHex[] = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";

TEST(Hash256Test, HexRoundTripAndBitOrder) {
  auto h = Hash256::FromHex(kHex);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->ToHex(), kHex);
  // The last hex digit '2' = 0b0010 holds bits 0..3: only bit 1 set.
  EXPECT_FALSE(h->GetBit(0));
  EXPECT_TRUE(h->GetBit(1));
  // The first digit 'd' = 0b1101 holds bits 252..255.
  EXPECT_TRUE(h->GetBit(255));
  EXPECT_TRUE(h->GetBit(254));
  EXPECT_FALSE(h->GetBit(253));
  EXPECT_TRUE(h->GetBit(252));
  EXPECT_EQ(Hash256::FromHex(std::string(kHex).substr(0, 64))->ToHex(), kHex);
}

TEST(Hash256Test, UppercaseAcceptedAndCanonicalised) {
  std::string upper = "D8F8F0CEE0F4A84F0637022A078F67F0B36E2ED596621E1D33E6339C4E9C9B22";
  EXPECT_EQ(Hash256::FromHex(upper)->ToHex(), kHex);
}

struct BadHex {
  std::string text;
  std::string error;
};

TEST(Hash256Test, BadInputsSayWhatIsWrong) {
  const BadHex cases[] = {
      {std::string(kHex) + "0", "a PDQ hash must be 64 hex digits, got 65 characters"},
      {"", "a PDQ hash must be 64 hex digits, got 0 characters"},
      {"g" + std::string(kHex).substr(1), "a PDQ hash must be hex digits only; character 1 is not"},
  };
  for (const auto& c : cases) {
    auto r = Hash256::FromHex(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().message(), c.error);
  }
}

TEST(Hash256Test, Distance) {
  Hash256 a, b;
  EXPECT_EQ(HammingDistance(a, b), 0);
  b.SetBit(0);
  b.SetBit(100);
  b.SetBit(255);
  EXPECT_EQ(HammingDistance(a, b), 3);
}

TEST(SignalTypeTest, Canonical) {
  EXPECT_EQ(*CanonicalSignal(SignalType::kMd5, "D41D8CD98F00B204E9800998ECF8427E"),
            "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_FALSE(CanonicalSignal(SignalType::kSha256, "abc").ok());
  EXPECT_EQ(ParseSignalTypeName("SHA256"), SignalType::kSha256);
  EXPECT_EQ(ParseSignalTypeName("tmk"), SignalType::kTmk);  // an alias of tmk_pdqf
  EXPECT_FALSE(ParseSignalTypeName("photodna").has_value());
}

}  // namespace
}  // namespace vigil
