// The detection bench's images: originals (the content a bank knows) and distractors
// (unrelated uploads that must not match), read from lists of files and cleaned by fixed
// rules decided before any query is run (README.md, "Data hygiene"):
//  - exact duplicates (same SHA-256) are dropped, within and across the two lists;
//  - an image with a side under min_side pixels, or whose plain PDQ has quality under 50,
//    is dropped;
//  - an original within PDQ distance 31 of an earlier kept original is dropped (the same
//    wallpaper in two sizes), as is a distractor within 31 of any original or any
//    original's source file.
// Each original is materialised as the JPEG (quality 95) a bank would have been given:
// the source, or one tile of it, scaled so its longer side is at most max_side.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hash/pdq.h"
#include "util/status.h"

namespace vigil::detection {

struct DatasetOptions {
  int threads = 2;
  int min_side = 128;
  int max_side = 1280;
  // A source side at least this long is split into its first and last 45% (10% apart), so
  // a source gives 1, 2 or 4 non-overlapping originals; 0 turns tiling off.
  int tile_min_side = 2000;
  size_t max_originals = 0;  // 0: all that pass; else a seeded sample of this many
  // Distractors are read in a seeded order until this many pass the rules; 0: all.
  size_t max_distractors = 0;
  uint32_t seed = 1;
};

struct Original {
  std::string source;          // the file it came from
  std::string part;            // "whole", "tile 1" .. "tile 4" (row by row)
  std::vector<uint8_t> bytes;  // the JPEG the bank was made from
  int width = 0, height = 0;
  PdqResult pdq;  // reference-mode PDQ of `bytes`: the plain bank entry
};

struct Distractor {
  std::string path;
  PdqResult pdq;  // reference-mode PDQ of the file
};

// Counts of what each rule dropped, for the report.
struct HygieneCounts {
  size_t listed = 0;
  size_t unreadable = 0;  // could not be read or decoded
  size_t exact_duplicate = 0;
  size_t too_small = 0;
  size_t parts = 0;  // originals only: candidates after tiling (the rules below count these)
  size_t low_quality = 0;
  size_t near_duplicate = 0;
  size_t sampled_out = 0;   // beyond max_originals / max_distractors
  size_t not_examined = 0;  // distractors: the sample was full before they were read
  size_t kept = 0;
};

struct Dataset {
  std::vector<Original> originals;
  std::vector<Distractor> distractors;
  HygieneCounts original_counts, distractor_counts;
  size_t sources_kept = 0;  // distinct source files the originals come from
};

// Reads a list of paths, one a line (blank lines ignored).
Result<std::vector<std::string>> ReadPathList(const std::string& list_file);

// Builds the data set from the two path lists by the rules above.
Result<Dataset> BuildDataset(const std::vector<std::string>& original_paths,
                             const std::vector<std::string>& distractor_paths,
                             const DatasetOptions& options);

// Runs fn(worker, i) for i in [0, n) on `threads` threads, each index once; `worker` is
// 0..threads-1, so callers can keep one set of hashers per worker.
void ParallelFor(size_t n, int threads, const std::function<void(int, size_t)>& fn);

}  // namespace vigil::detection
