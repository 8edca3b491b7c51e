#include "api/hasher_pool.h"

#include <gtest/gtest.h>

namespace vigil::api {
namespace {

TEST(HasherPoolTest, LeasesHeldAtOnceGetDistinctHashers) {
  HasherPool pool(ContentHashOptions{});
  HasherPool::Lease a = pool.Borrow();
  HasherPool::Lease b = pool.Borrow();
  EXPECT_NE(&*a, &*b);
  EXPECT_EQ(pool.idle(), 0u);
}

TEST(HasherPoolTest, AReturnedHasherIsLentAgainLastInFirstOut) {
  HasherPool pool(ContentHashOptions{});
  ContentHasher* first = nullptr;
  ContentHasher* second = nullptr;
  {
    HasherPool::Lease a = pool.Borrow();
    HasherPool::Lease b = pool.Borrow();
    first = &*a;
    second = &*b;
  }  // b goes back first, then a: a is the warmest
  EXPECT_EQ(pool.idle(), 2u);
  HasherPool::Lease again = pool.Borrow();
  EXPECT_EQ(&*again, first);
  EXPECT_NE(&*again, second);
  EXPECT_EQ(pool.idle(), 1u);
}

TEST(HasherPoolTest, ABorrowedHasherHashesWithThePoolsOptions) {
  ContentHashOptions options;
  options.dihedral = DihedralHashes::kOff;
  HasherPool pool(options);
  const std::vector<uint8_t> grey(64 * 64, 128);
  ContentHashes out;
  pool.Borrow()->HashPixels({grey.data(), 64, 64, 1, 64}, &out);
  EXPECT_TRUE(out.pdq.has_value());
  EXPECT_TRUE(out.dihedral.empty());
  EXPECT_EQ(pool.idle(), 1u);
}

}  // namespace
}  // namespace vigil::api
