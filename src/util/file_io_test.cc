#include "util/file_io.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace vigil {
namespace {

std::string TempFile(const std::string& content) {
  auto p = std::filesystem::temp_directory_path() /
           ("vigil_file_io_test_" + std::to_string(::getpid()));
  std::ofstream(p, std::ios::binary) << content;
  return p.string();
}

TEST(FileIoTest, ReadsWithinLimit) {
  std::string p = TempFile("hello");
  auto r = ReadFileWithLimit(p, 5);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(std::string(r->begin(), r->end()), "hello");
  std::remove(p.c_str());
}

TEST(FileIoTest, RefusesOverLimitAndMissing) {
  std::string p = TempFile("hello!");
  auto r = ReadFileWithLimit(p, 5);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(r.status().message().find(p), std::string::npos);
  std::remove(p.c_str());
  EXPECT_EQ(ReadFileWithLimit(p, 5).status().code(), ErrorCode::kNotFound);
}

TEST(FileIoTest, EmptyFileIsEmpty) {
  std::string p = TempFile("");
  auto r = ReadFileWithLimit(p, 5);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  std::remove(p.c_str());
}

}  // namespace
}  // namespace vigil
