#include "dataset.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <fstream>
#include <random>
#include <thread>
#include <unordered_set>

#include "hash/exact_hash.h"
#include "media/image_decoder.h"
#include "transforms.h"
#include "util/file_io.h"

namespace vigil::detection {
namespace {

constexpr uint64_t kMaxFileBytes = 256ull << 20;

ImageView View(const Image& image) {
  return {image.pixels.data(), image.width, image.height, image.channels,
          static_cast<size_t>(image.width) * image.channels};
}

// What one listed file gave before the sequential rules run.
enum class Verdict { kOk, kUnreadable, kTooSmall };

struct Hashed {
  Verdict verdict = Verdict::kUnreadable;
  std::string sha256;
  PdqResult pdq;                // of the file as it is
  std::vector<Original> parts;  // originals only
};

// Per-thread decoder and hasher.
struct Worker {
  ImageDecoder decoder;
  PdqHasher pdq;
  Image image;
};

// Reads, digests and PDQ-hashes one distractor as vigil decodes it; kTooSmall when a side
// is under min_side.
Hashed HashFile(const std::string& path, int min_side, Worker& w) {
  Hashed h;
  auto bytes = ReadFileWithLimit(path, kMaxFileBytes);
  if (!bytes.ok()) return h;
  auto exact = ComputeExactHashes(*bytes);
  if (!exact.ok() || !w.decoder.Decode(*bytes, path, &w.image).ok()) return h;
  h.sha256 = exact->sha256;
  if (std::min(w.image.width, w.image.height) < min_side) {
    h.verdict = Verdict::kTooSmall;
    return h;
  }
  h.pdq = w.pdq.Hash(View(w.image), PdqMode::kReference);
  h.verdict = Verdict::kOk;
  return h;
}

// The [left, top, width, height] rectangles a source is cut into (README.md, "Originals"):
// a side at least tile_min_side long is split into its first and last 45% (10% apart), a
// shorter one is kept whole; so 1, 2 or 4 tiles.
std::vector<std::array<int, 4>> Tiles(int w, int h, int tile_min_side) {
  auto spans = [&](int side) -> std::vector<std::array<int, 2>> {
    if (tile_min_side <= 0 || side < tile_min_side) return {{0, side}};
    int part = side * 45 / 100;
    return {{0, part}, {side - part, part}};
  };
  std::vector<std::array<int, 4>> tiles;
  for (const auto& y : spans(h)) {
    for (const auto& x : spans(w)) tiles.push_back({x[0], y[0], x[1], y[1]});
  }
  return tiles;
}

// One part of a source as the JPEG a bank would have been given, and its plain PDQ.
Result<Original> MakeOriginal(VipsImage* source, const std::array<int, 4>& r, int max_side,
                              Worker& w) {
  VIGIL_ASSIGN_OR_RETURN(VipsImagePtr tile, Extract(source, r[0], r[1], r[2], r[3]));
  VIGIL_ASSIGN_OR_RETURN(VipsImagePtr fitted, FitWithin(tile.get(), max_side));
  Original o;
  VIGIL_ASSIGN_OR_RETURN(o.bytes, EncodeJpeg(fitted.get(), 95));
  VIGIL_RETURN_IF_ERROR(w.decoder.Decode(o.bytes, "original", &w.image));
  o.width = w.image.width;
  o.height = w.image.height;
  o.pdq = w.pdq.Hash(View(w.image), PdqMode::kReference);
  return o;
}

// A source is decoded once, by libvips as sRGB; its PDQ (for the distractor rule) is taken
// from those pixels.
Hashed HashSource(const std::string& path, const DatasetOptions& options, Worker& w) {
  Hashed h;
  auto bytes = ReadFileWithLimit(path, kMaxFileBytes);
  if (!bytes.ok()) return h;
  auto exact = ComputeExactHashes(*bytes);
  auto source = LoadSrgb(*bytes, path);
  if (!exact.ok() || !source.ok()) return h;
  h.sha256 = exact->sha256;
  VipsImage* image = source->get();
  if (std::min(image->Xsize, image->Ysize) < options.min_side) {
    h.verdict = Verdict::kTooSmall;
    return h;
  }
  h.pdq = w.pdq.Hash(PixelsOf(image), PdqMode::kReference);
  auto tiles = Tiles(image->Xsize, image->Ysize, options.tile_min_side);
  for (size_t t = 0; t < tiles.size(); ++t) {
    auto o = MakeOriginal(image, tiles[t], options.max_side, w);
    if (!o.ok()) {
      std::fprintf(stderr, "detection: %s: %s\n", path.c_str(), o.status().ToString().c_str());
      return h;
    }
    o->source = path;
    o->part = tiles.size() == 1 ? "whole" : "tile " + std::to_string(t + 1);
    h.parts.push_back(std::move(*o));
  }
  h.verdict = Verdict::kOk;
  return h;
}

template <typename F>
std::vector<Hashed> HashAll(const std::vector<std::string>& paths, int threads, F&& hash_one) {
  std::vector<Hashed> out(paths.size());
  std::vector<Worker> workers(threads);
  ParallelFor(paths.size(), threads,
              [&](int worker, size_t i) { out[i] = hash_one(paths[i], workers[worker]); });
  return out;
}

bool NearAny(const PdqResult& p, const std::vector<PdqResult>& set) {
  return std::any_of(set.begin(), set.end(), [&](const PdqResult& q) {
    return HammingDistance(p.hash, q.hash) <= kPdqMatchDistance;
  });
}

// Keeps a seeded sample of `max` items (in their original order) when there are more.
template <typename T>
void Sample(std::vector<T>* items, size_t max, uint32_t seed, HygieneCounts* counts) {
  if (max > 0 && items->size() > max) {
    std::vector<size_t> order(items->size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), std::mt19937(seed));
    order.resize(max);
    std::sort(order.begin(), order.end());
    std::vector<T> kept;
    for (size_t i : order) kept.push_back(std::move((*items)[i]));
    counts->sampled_out += items->size() - max;
    *items = std::move(kept);
  }
  counts->kept = items->size();
}

// Data rules 1-3 (README), counted in `c`: readable, not an exact duplicate of a file seen
// before (every readable file's SHA-256 goes into `seen`), not too small.
bool PassesFileRules(const Hashed& h, std::unordered_set<std::string>* seen, HygieneCounts* c) {
  if (h.verdict == Verdict::kUnreadable) {
    ++c->unreadable;
    return false;
  }
  if (!seen->insert(h.sha256).second) {
    ++c->exact_duplicate;
    return false;
  }
  if (h.verdict == Verdict::kTooSmall) {
    ++c->too_small;
    return false;
  }
  return true;
}

// The sequential rules for originals, in list order. Fills `source_pdqs` with every
// decodable source's hash and `seen` with every readable source's SHA-256.
void SelectOriginals(std::vector<Hashed>& hashed, Dataset* d, std::vector<PdqResult>* source_pdqs,
                     std::unordered_set<std::string>* seen) {
  HygieneCounts& c = d->original_counts;
  std::vector<PdqResult> kept_pdqs;
  for (Hashed& h : hashed) {
    if (!PassesFileRules(h, seen, &c)) continue;
    source_pdqs->push_back(h.pdq);
    bool any = false;
    for (Original& o : h.parts) {
      ++c.parts;
      if (o.pdq.quality < kPdqMinQuality) {
        ++c.low_quality;
        continue;
      }
      if (NearAny(o.pdq, kept_pdqs)) {
        ++c.near_duplicate;
        continue;
      }
      kept_pdqs.push_back(o.pdq);
      d->originals.push_back(std::move(o));
      any = true;
    }
    d->sources_kept += any;
  }
}

void SelectDistractors(const std::vector<std::string>& paths, std::vector<Hashed>& hashed,
                       const std::vector<PdqResult>& near_set,
                       std::unordered_set<std::string>* seen, Dataset* d) {
  HygieneCounts& c = d->distractor_counts;
  for (size_t i = 0; i < hashed.size(); ++i) {
    const Hashed& h = hashed[i];
    if (!PassesFileRules(h, seen, &c)) continue;
    if (h.pdq.quality < kPdqMinQuality) {
      ++c.low_quality;
      continue;
    }
    if (NearAny(h.pdq, near_set)) {
      ++c.near_duplicate;
      continue;
    }
    d->distractors.push_back({paths[i], h.pdq});
  }
}

// Distractors in a seeded order (list order when all are wanted), hashed a batch at a
// time until max_distractors have passed the rules, so a long list costs only what it
// takes to fill the sample.
void SelectAllDistractors(const std::vector<std::string>& listed, const DatasetOptions& options,
                          const std::vector<PdqResult>& near_set,
                          std::unordered_set<std::string>* seen, Dataset* d) {
  constexpr size_t kBatch = 1024;
  std::vector<std::string> paths = listed;
  const size_t max = options.max_distractors;
  if (max > 0) std::shuffle(paths.begin(), paths.end(), std::mt19937(options.seed + 1));
  size_t examined = 0;
  while (examined < paths.size() && (max == 0 || d->distractors.size() < max)) {
    size_t end = std::min(paths.size(), examined + kBatch);
    std::vector<std::string> batch(paths.begin() + examined, paths.begin() + end);
    auto hashed = HashAll(batch, options.threads, [&](const std::string& p, Worker& w) {
      return HashFile(p, options.min_side, w);
    });
    SelectDistractors(batch, hashed, near_set, seen, d);
    examined = end;
  }
  HygieneCounts& c = d->distractor_counts;
  c.not_examined = paths.size() - examined;
  if (max > 0 && d->distractors.size() > max) {
    c.sampled_out = d->distractors.size() - max;
    d->distractors.resize(max);
  }
  c.kept = d->distractors.size();
}

}  // namespace

void ParallelFor(size_t n, int threads, const std::function<void(int, size_t)>& fn) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < std::max(1, threads); ++t) {
    pool.emplace_back([&, t] {
      for (size_t i; (i = next.fetch_add(1)) < n;) fn(t, i);
    });
  }
  for (std::thread& th : pool) th.join();
}

Result<std::vector<std::string>> ReadPathList(const std::string& list_file) {
  std::ifstream in(list_file);
  if (!in) return IoError(list_file + ": cannot open the list");
  std::vector<std::string> paths;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) paths.push_back(line);
  }
  return paths;
}

Result<Dataset> BuildDataset(const std::vector<std::string>& original_paths,
                             const std::vector<std::string>& distractor_paths,
                             const DatasetOptions& options) {
  Dataset d;
  d.original_counts.listed = original_paths.size();
  d.distractor_counts.listed = distractor_paths.size();
  auto sources = HashAll(original_paths, options.threads, [&](const std::string& p, Worker& w) {
    return HashSource(p, options, w);
  });
  std::vector<PdqResult> near_set;
  std::unordered_set<std::string> seen;
  SelectOriginals(sources, &d, &near_set, &seen);
  sources.clear();
  Sample(&d.originals, options.max_originals, options.seed, &d.original_counts);
  for (const Original& o : d.originals) near_set.push_back(o.pdq);
  SelectAllDistractors(distractor_paths, options, near_set, &seen, &d);
  if (d.originals.empty()) return InvalidArgument("no original passed the data rules");
  return d;
}

}  // namespace vigil::detection
