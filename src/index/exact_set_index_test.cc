#include "index/exact_set_index.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <set>
#include <string>

namespace vigil {
namespace {

std::string Key(size_t bytes, char fill) { return std::string(bytes, fill); }

TEST(ExactSetIndexTest, AddLookupRemove) {
  ExactSetIndex index(16);
  const std::string a = Key(16, 'a'), b = Key(16, 'b'), c = Key(16, 'c');
  std::vector<std::string_view> keys = {a, b, a};
  ASSERT_TRUE(index.Add(keys, std::vector<int64_t>{30, 2, 10}).ok());
  EXPECT_EQ(index.size(), 3u);
  ExactLookupResults out;
  std::vector<std::string_view> probe = {a, c, b, std::string_view("short")};
  index.Lookup(probe, &out);
  EXPECT_EQ(out.offsets, (std::vector<size_t>{0, 2, 2, 3, 3}));
  EXPECT_EQ(out.ids, (std::vector<int64_t>{10, 30, 2}));
  EXPECT_EQ(index.Remove(std::vector<int64_t>{30, 99}), 1u);
  index.Lookup(probe, &out);
  EXPECT_EQ(out.ids, (std::vector<int64_t>{10, 2}));
  EXPECT_FALSE(index.Contains(30));
  EXPECT_GT(index.MemoryBytes(), 0u);
}

TEST(ExactSetIndexTest, KeysDifferingOnlyAfterTheHashedPrefixAreDistinct) {
  ExactSetIndex index(32);
  std::string a = Key(32, 'x'), b = Key(32, 'x');
  b[31] = 'y';
  std::vector<std::string_view> keys = {a, b};
  ASSERT_TRUE(index.Add(keys, std::vector<int64_t>{1, 2}).ok());
  ExactLookupResults out;
  index.Lookup(std::vector<std::string_view>{b}, &out);
  EXPECT_EQ(out.ids, std::vector<int64_t>{2});
}

struct BadAdd {
  std::vector<std::string> keys;
  std::vector<int64_t> ids;
  ErrorCode code;
};

TEST(ExactSetIndexTest, BadAddsChangeNothing) {
  const std::vector<BadAdd> cases = {
      {{Key(16, 'a')}, {1, 2}, ErrorCode::kInvalidArgument},             // length mismatch
      {{Key(16, 'a'), Key(15, 'b')}, {1, 2}, ErrorCode::kInvalidArgument},  // short key
      {{Key(16, 'a'), Key(16, 'b')}, {3, 3}, ErrorCode::kAlreadyExists},    // repeated id
      {{Key(16, 'a')}, {7}, ErrorCode::kAlreadyExists},                    // present id
  };
  for (const BadAdd& c : cases) {
    ExactSetIndex index(16);
    const std::string seed = Key(16, 's');
    ASSERT_TRUE(index.Add(std::vector<std::string_view>{seed}, std::vector<int64_t>{7}).ok());
    std::vector<std::string_view> keys(c.keys.begin(), c.keys.end());
    EXPECT_EQ(index.Add(keys, c.ids).code(), c.code);
    EXPECT_EQ(index.size(), 1u);
  }
}

// Keys that differ only past their first 8 (or 16) bytes must not share a hash: a bank of
// such digests once made every key collide and a reload quadratic.
TEST(ExactSetIndexTest, EveryKeyByteReachesTheHash) {
  for (size_t varying_from : {8u, 16u, 24u}) {
    std::set<uint64_t> hashes;
    for (uint32_t i = 0; i < 4096; ++i) {
      std::array<uint8_t, 32> key{};
      key.fill(0xab);
      std::memcpy(key.data() + varying_from, &i, sizeof(i));
      hashes.insert(index_internal::DigestKeyHash(key, 42));
    }
    EXPECT_EQ(hashes.size(), 4096u) << "bytes from " << varying_from;
  }
  std::array<uint8_t, 32> key{};
  EXPECT_NE(index_internal::DigestKeyHash(key, 1), index_internal::DigestKeyHash(key, 2));
}

TEST(ExactSetIndexTest, KeysSharingAPrefixAllMatch) {
  ExactSetIndex index(32);
  std::vector<std::string> keys;
  std::vector<int64_t> ids;
  for (int64_t i = 0; i < 20000; ++i) {
    std::string k(24, 'p');
    k.append(reinterpret_cast<const char*>(&i), sizeof(i));
    keys.push_back(k);
    ids.push_back(i);
  }
  std::vector<std::string_view> views(keys.begin(), keys.end());
  ASSERT_TRUE(index.Add(views, ids).ok());
  ExactLookupResults out;
  index.Lookup(views, &out);
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(out.offsets[i + 1] - out.offsets[i], 1u);
    EXPECT_EQ(out.ids[out.offsets[i]], static_cast<int64_t>(i));
  }
}

}  // namespace
}  // namespace vigil
