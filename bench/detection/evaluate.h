// The detection bench's two query passes, each on every worker thread with its own
// decoder and hashers:
//  - copies: every original through every transform, encoded as JPEG and hashed from those
//    bytes, queried against both banks (plain PDQ: decode + reference PDQ + brute force;
//    vigil: ContentHasher with default options + Matcher::Match);
//  - distractors: every distractor file queried against both banks.
#pragma once

#include <string>
#include <vector>

#include "banks.h"
#include "dataset.h"
#include "transforms.h"

namespace vigil::detection {

// What one transformed copy gave.
struct CopyOutcome {
  bool ok = false;  // the transform and its encoding succeeded (else `error`)
  std::string error;
  int plain_quality = 0;     // the copy's PDQ quality
  int plain_distance = 0;    // its PDQ distance to its own original's
  bool plain_hit = false;    // within 31 of its own original (quality >= 50)
  int plain_wrong = 0;       // other originals within 31
  bool vigil_hit = false;    // a hit mapping to its own original
  int vigil_variant = -1;    // the MatchHit::variant of the closest such hit
  int vigil_wrong = 0;       // other originals hit
  std::string wrong_detail;  // each wrong original: "<index> (<VigilBank::Explain>)"
  double plain_seconds = 0, vigil_seconds = 0;  // hashing + matching, this thread
};

// outcomes[original][transform]
using CopyOutcomes = std::vector<std::vector<CopyOutcome>>;

CopyOutcomes QueryCopies(const std::vector<Original>& originals,
                         const std::vector<Transform>& transforms, const VigilBank& bank,
                         int threads);

// One distractor -> original pair within the match rule.
struct FalsePair {
  size_t distractor = 0;
  int original = 0;
  std::string how;  // vigil: VigilBank::Explain of the closest hit
};

struct DistractorOutcome {
  std::vector<FalsePair> plain, vigil;
  size_t errors = 0;         // distractors vigil could not hash (read or decode failures)
  double vigil_seconds = 0;  // hashing + matching, summed over threads
};

DistractorOutcome QueryDistractors(const std::vector<Original>& originals,
                                   const std::vector<Distractor>& distractors,
                                   const VigilBank& bank, int threads);

}  // namespace vigil::detection
