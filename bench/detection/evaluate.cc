#include "evaluate.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>

#include "content/content_hasher.h"
#include "media/image_decoder.h"
#include "util/file_io.h"

namespace vigil::detection {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One query thread's decoder and hashers: plain PDQ's and vigil's, each as a deployment
// would hold them (ContentHasher with its default options).
struct QueryWorker {
  ImageDecoder decoder;
  PdqHasher pdq;
  Image image;
  ContentHasher content{ContentHashOptions{}};
};

// Plain PDQ: the copy decoded, hashed once in reference mode, compared with every original.
void PlainQuery(const std::vector<Original>& originals, int own, std::span<const uint8_t> bytes,
                QueryWorker& w, CopyOutcome* out) {
  auto start = Clock::now();
  PdqResult q;
  if (w.decoder.Decode(bytes, "copy", &w.image).ok()) {
    ImageView view{w.image.pixels.data(), w.image.width, w.image.height, w.image.channels,
                   static_cast<size_t>(w.image.width) * w.image.channels};
    q = w.pdq.Hash(view, PdqMode::kReference);
  }
  std::vector<int> found = PlainPdqMatches(originals, q);
  out->plain_seconds = Since(start);
  out->plain_quality = q.quality;
  out->plain_distance = HammingDistance(q.hash, originals[own].pdq.hash);
  out->plain_hit = std::find(found.begin(), found.end(), own) != found.end();
  out->plain_wrong = static_cast<int>(found.size()) - out->plain_hit;
}

// vigil: the copy's bytes through ContentHasher and Matcher::Match, as an upload would go.
void VigilQuery(const VigilBank& bank, int own, std::span<const uint8_t> bytes, QueryWorker& w,
                CopyOutcome* out) {
  auto start = Clock::now();
  std::vector<MatchHit> hits;
  if (auto hashes = w.content.HashBytes(bytes, "copy"); hashes.ok()) {
    hits = bank.matcher->Match(*hashes);
  }
  std::map<int, MatchHit> found = bank.ClosestByOriginal(hits);
  out->vigil_seconds = Since(start);
  for (const auto& [original, hit] : found) {
    if (original == own) {
      out->vigil_hit = true;
      out->vigil_variant = hit.variant;
    } else {
      ++out->vigil_wrong;
      out->wrong_detail += std::to_string(original) + " (" + bank.Explain(hit) + ") ";
    }
  }
}

std::vector<CopyOutcome> QueryOriginal(const std::vector<Original>& originals, int own,
                                       const std::vector<Transform>& transforms,
                                       const VigilBank& bank, QueryWorker& w) {
  std::vector<CopyOutcome> outcomes(transforms.size());
  auto source = LoadSrgb(originals[own].bytes, originals[own].source);
  for (size_t t = 0; t < transforms.size(); ++t) {
    CopyOutcome& out = outcomes[t];
    if (!source.ok()) {
      out.error = source.status().ToString();
      continue;
    }
    auto copy = ApplyTransform(source->get(), transforms[t]);
    if (!copy.ok()) {
      out.error = copy.status().ToString();
      continue;
    }
    out.ok = true;
    PlainQuery(originals, own, *copy, w, &out);
    VigilQuery(bank, own, *copy, w, &out);
  }
  return outcomes;
}

}  // namespace

CopyOutcomes QueryCopies(const std::vector<Original>& originals,
                         const std::vector<Transform>& transforms, const VigilBank& bank,
                         int threads) {
  CopyOutcomes outcomes(originals.size());
  std::vector<QueryWorker> workers(threads);
  ParallelFor(originals.size(), threads, [&](int worker, size_t i) {
    outcomes[i] = QueryOriginal(originals, static_cast<int>(i), transforms, bank, workers[worker]);
  });
  return outcomes;
}

DistractorOutcome QueryDistractors(const std::vector<Original>& originals,
                                   const std::vector<Distractor>& distractors,
                                   const VigilBank& bank, int threads) {
  DistractorOutcome out;
  std::mutex mu;  // guards `out`
  std::vector<QueryWorker> workers(threads);
  ParallelFor(distractors.size(), threads, [&](int worker, size_t i) {
    // Plain PDQ: the hash the data rules already computed from the same file.
    std::vector<int> plain = PlainPdqMatches(originals, distractors[i].pdq);
    auto start = Clock::now();
    auto bytes = ReadFileWithLimit(distractors[i].path, 256ull << 20);
    Result<ContentHashes> hashes =
        bytes.ok() ? workers[worker].content.HashBytes(*bytes, distractors[i].path)
                   : Result<ContentHashes>(bytes.status());
    std::map<int, MatchHit> vigil;
    if (hashes.ok()) vigil = bank.ClosestByOriginal(bank.matcher->Match(*hashes));
    double seconds = Since(start);
    std::lock_guard lock(mu);
    out.vigil_seconds += seconds;
    out.errors += !hashes.ok() || !hashes->image_error.ok();
    for (int o : plain) out.plain.push_back({i, o, ""});
    for (const auto& [o, hit] : vigil) out.vigil.push_back({i, o, bank.Explain(hit)});
  });
  auto by_pair = [](const FalsePair& a, const FalsePair& b) {
    return std::tie(a.distractor, a.original) < std::tie(b.distractor, b.original);
  };
  std::sort(out.plain.begin(), out.plain.end(), by_pair);
  std::sort(out.vigil.begin(), out.vigil.end(), by_pair);
  return out;
}

}  // namespace vigil::detection
