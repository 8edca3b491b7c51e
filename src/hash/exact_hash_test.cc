#include "hash/exact_hash.h"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(ExactHashTest, KnownVectors) {
  struct Case {
    std::string input, md5, sha256;
  };
  const Case cases[] = {
      {"", "d41d8cd98f00b204e9800998ecf8427e",
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "900150983cd24fb0d6963f7d28e17f72",
       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
  };
  for (const auto& c : cases) {
    auto r = ComputeExactHashes(
        std::span(reinterpret_cast<const uint8_t*>(c.input.data()), c.input.size()));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->md5, c.md5);
    EXPECT_EQ(r->sha256, c.sha256);
  }
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

TEST(ExactHashStreamTest, PiecesGiveTheWholeDigests) {
  std::vector<uint8_t> bytes(100'000);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 131 + 7);
  ExactHashStream stream;
  for (size_t at = 0; at < bytes.size(); at += 7919) {
    const size_t n = std::min<size_t>(7919, bytes.size() - at);
    ASSERT_TRUE(stream.Update(std::span(bytes.data() + at, n)).ok());
  }
  auto pieces = stream.Finish();
  auto whole = ComputeExactHashes(bytes);
  ASSERT_TRUE(pieces.ok() && whole.ok());
  EXPECT_EQ(pieces->md5, whole->md5);
  EXPECT_EQ(pieces->sha256, whole->sha256);
}

}  // namespace
}  // namespace vigil
