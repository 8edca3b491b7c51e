// Reading whole files under a byte limit. Every decoder path starts here, so an oversized
// input is refused before any of it is held in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "util/status.h"

namespace vigil {

// Reads `path` completely. Fails with kLimitExceeded (naming the file and the limit) when
// the file is larger than `max_bytes`, kNotFound when it does not exist, kIoError on read
// errors. Never reads more than max_bytes + 1 bytes, so a growing file cannot exhaust memory.
Result<std::vector<uint8_t>> ReadFileWithLimit(const std::string& path, uint64_t max_bytes);

}  // namespace vigil
