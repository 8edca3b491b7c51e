// Scanner: hashes and matches many files on every core. Workers each own a ContentHasher
// and share one const Matcher; results come back to the calling thread, one per file and
// in input order, so the caller can print, store or describe them without locks and the
// output is the same whatever the thread count.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "content/content_hasher.h"
#include "match/matcher.h"

namespace vigil {

struct ScanOptions {
  int jobs = 0;  // worker threads; 0 = one per core
  ContentHashOptions hashing;
};

struct ScanItem {
  size_t index = 0;  // position in the input list
  std::string path;
  Status error;  // read error, or the image or video decoder's (exact hashes still matched)
  std::optional<ContentHashes> hashes;
  std::vector<MatchHit> hits;
};

struct ScanSummary {
  size_t files = 0;
  size_t matched_files = 0;
  size_t hits = 0;
  size_t errors = 0;
  std::chrono::duration<double> elapsed{};
};

class Scanner {
 public:
  // Without a matcher the scanner only hashes (vigil hash).
  Scanner(const Matcher* matcher, ScanOptions options) : matcher_(matcher), options_(options) {}

  // Scans `paths` (files). `on_item` runs on the calling thread for each file, in input
  // order; a file finished early waits in a small reorder buffer.
  ScanSummary Run(const std::vector<std::string>& paths,
                  const std::function<void(const ScanItem&)>& on_item);

 private:
  void Work(const std::vector<std::string>& paths, ScanItem* item, ContentHasher* hasher) const;

  const Matcher* matcher_;
  ScanOptions options_;
};

// Expands files and folders (recursively, sorted, regular files only; symlinked folders
// are not followed, so a link loop cannot trap the walk). Missing paths are errors.
Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& inputs);

}  // namespace vigil
