// Reading whole files under a byte limit. Every decoder path starts here, so an oversized
// input is refused before any of it is held in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "util/status.h"

namespace vigil {

// Reads `path` completely. Fails with kLimitExceeded (naming the file and the limit) when
// the file is larger than `max_bytes`, kNotFound when it does not exist, kIoError on read
// errors. Never reads more than max_bytes + 1 bytes, so a growing file cannot exhaust memory.
Result<std::vector<uint8_t>> ReadFileWithLimit(const std::string& path, uint64_t max_bytes);

// Streams `path` through `on_chunk` in pieces of at most 1 MiB, so a multi-GB video can be
// digested without holding it. `on_chunk` returns false to stop early (then the rest is not
// read). The same errors as ReadFileWithLimit, with the same messages; a file that grows
// past `max_bytes` while it is read fails when it gets there.
Status ReadFileChunks(const std::string& path, uint64_t max_bytes,
                      const std::function<bool(std::span<const uint8_t>)>& on_chunk);

}  // namespace vigil
