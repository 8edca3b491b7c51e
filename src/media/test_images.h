// Test helpers: paths under tests/data and decoding a test image, for the test binaries of
// every folder above media/. Header-only; the including target defines VIGIL_TEST_DATA
// (the environment variable of the same name overrides it).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "media/image_decoder.h"
#include "util/file_io.h"

namespace vigil::testing_data {

inline std::string Data(const std::string& rel) {
  const char* env = std::getenv("VIGIL_TEST_DATA");
  return std::string(env != nullptr ? env : VIGIL_TEST_DATA) + "/" + rel;
}

inline Image DecodeFile(const std::string& path) {
  Image image;
  auto bytes = ReadFileWithLimit(path, 64 << 20);
  EXPECT_TRUE(bytes.ok()) << path;
  if (bytes.ok()) {
    EXPECT_TRUE(ImageDecoder().Decode(*bytes, path, &image).ok());
  }
  return image;
}

}  // namespace vigil::testing_data
