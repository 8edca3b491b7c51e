// Matcher: the in-memory indexes over every matchable signal of a set of banks, built
// from a BankStore, answering "which bank signals does this content match?".
//
// PDQ queries go to a MultiIndexHammingIndex (exact radius search), MD5/SHA-256 to an
// ExactSetIndex, vPDQ to a VpdqIndex (its frames in one more multi-index) and TMK+PDQF to a
// TmkIndex; both video indexes give exactly the brute-force matches. Video indexes hold
// the bank's hashes in memory (vPDQ ~100 bytes a frame, TMK ~257 KiB a video). Hits carry only signal ids and distances; Describe() turns them into
// bank names and labels through the store, since matches are rare and labels for 10 M
// signals are not worth holding in memory.
//
// Thread-safety: the const methods may run concurrently (scan workers share one Matcher).
// AddSignal/RemoveSignal/AddBank/InstallIndexMerge need exclusive access.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "content/content_hasher.h"
#include "index/exact_set_index.h"
#include "index/multi_index_hamming_index.h"
#include "index/tmk_index.h"
#include "index/vpdq_index.h"
#include "store/bank_store.h"

namespace vigil {

struct MatcherOptions {
  std::vector<std::string> banks;  // names; empty = every enabled bank
  int pdq_distance = kPdqMatchDistance;
  // kInline: a hot update that crosses the PDQ index's merge limit rebuilds it before
  // returning (CLI, scans). kExternal: the owner merges with the *IndexMerge methods, off
  // its lock (MatchService).
  MultiIndexOptions::Merge pdq_merge = MultiIndexOptions::Merge::kInline;
  // vPDQ's criterion (frame distance 31, quality 50, bank % >= 80) and TMK's thresholds.
  VpdqMatchOptions vpdq;
  TmkThresholds tmk;
};

// A stretch of a vPDQ match in which the query and the bank video show the same content
// in step: query seconds [query_start_s, query_end_s] play bank seconds
// [bank_start_s, bank_end_s]. Times are the frames' vPDQ timestamps (seconds from the
// video's start), so a segment of one sampled frame has start == end on both sides.
struct VideoSegment {
  double query_start_s = 0;
  double query_end_s = 0;
  double bank_start_s = 0;
  double bank_end_s = 0;
  friend bool operator==(const VideoSegment&, const VideoSegment&) = default;
};

// What a vPDQ hit adds (hash/vpdq.h VpdqMatch's criterion).
struct VpdqHitDetail {
  // Share (0..100) of the query's frames that have a frame of the bank video within the
  // frame distance, and the converse: VpdqMatchResult's query_percent and target_percent
  // (after the quality filter and exact-hash dedupe that criterion applies).
  double query_percent = 0;
  double bank_percent = 0;
  // The matched time ranges, ordered by query_start_s. Built from the frame pairs within
  // the frame distance (quality >= 50 on both sides): runs of pairs in which both videos
  // advance together are merged into one segment (the rule: match/video_segments.h,
  // with the vPDQ matcher).
  std::vector<VideoSegment> segments;
};

// What a TMK+PDQF hit adds (hash/tmk.h ScoreTmkPair): both scores passed their thresholds.
struct TmkHitDetail {
  float level1 = 0;  // cosine of the pure averages, -1..1
  float level2 = 0;  // the TMK kernel score, 0..1 (>= 0.9: near-exact copy)
};

// One bank signal the content matched. Cheap to copy for image and exact hits: the video
// details are empty (an empty vector allocates nothing) unless `type` is a video type.
// MatchHit::variant of the trimmed picture's hashes (see there).
inline constexpr int kTrimmedVariant = 8;

struct MatchHit {
  int64_t signal_id = 0;
  SignalType type = SignalType::kPdq;
  // PDQ: the Hamming distance. vPDQ: the smallest distance of any matched frame pair.
  // 0 for exact hashes and TMK.
  int distance = 0;
  // Which query hash hit (PDQ and vPDQ; 0 for the others). PDQ: 0 = as uploaded,
  // 1..7 = its dihedral variants in PdqDihedral's order (rotate90, rotate180, rotate270,
  // flipx, flipy, flip_plus1, flip_minus1), 8 = the picture with its border trimmed
  // (ContentHashes::trimmed), 9..15 = the trimmed picture's dihedral variants (8 + the
  // PdqDihedral number). vPDQ: 0 = as uploaded, 8 = the trimmed frames.
  int variant = 0;
  VpdqHitDetail vpdq;  // set for vPDQ hits (signal type "vpdq")
  TmkHitDetail tmk;    // set for TMK+PDQF hits (signal type "tmk_pdqf")
};

// MatchHit::variant as a word: "original", "rotate90", ..., "flip_minus1" (the reference's
// dihedral names), "trimmed", "trimmed_rotate90", ..., "trimmed_flip_minus1"; "unknown"
// outside 0..15.
std::string_view MatchVariantName(int variant);

// A hit with what a reviewer or the platform needs to act on it.
struct MatchReport {
  MatchHit hit;
  std::string bank;
  std::string value;
  std::vector<std::string> labels;  // the signal's labels, then the bank's
  Opinion opinion = Opinion::kNone;
};

class Matcher {
 public:
  // Loads every matchable signal of the chosen banks. Unknown bank names are kNotFound,
  // disabled ones kFailedPrecondition.
  static Result<std::unique_ptr<Matcher>> Load(BankStore& store, const MatcherOptions& options);

  // All hits of one file's hashes: PDQ within the distance, MD5, SHA-256, and for a video
  // vPDQ and TMK+PDQF. Every PDQ query hash present (the plain one or its eight dihedral
  // variants, the trimmed one or its eight) goes to the index in one batched call; the
  // plain and the trimmed sets are each skipped when their quality is under the floor. A
  // signal hit by several query hashes is reported once, at its smallest distance (the
  // lowest variant on a tie); a vPDQ signal hit by both video hashes once, by the better
  // match (bank %, then query %, then distance).
  std::vector<MatchHit> Match(const ContentHashes& hashes) const;
  // Hits of one signal given as canonical text (vigil match). Quality unknown: always
  // matched. A video signal that does not parse matches nothing.
  std::vector<MatchHit> MatchSignal(SignalType type, std::string_view canonical_value) const;

  // Hot updates, visible to the next Match (callers hold exclusive access). A signal of
  // a bank this matcher did not load, or a disabled one, is ignored by AddSignal.
  Status AddSignal(const Signal& signal);
  void RemoveSignal(int64_t signal_id);
  // A bank created after Load: matched from now on if this matcher loads every enabled
  // bank (no explicit bank list) and the bank is enabled.
  void AddBank(const Bank& bank);
  bool LoadsBank(int64_t bank_id) const { return banks_.contains(bank_id); }

  // Merging the PDQ index in the background (pdq_merge = kExternal), in the steps and
  // under the locks MultiIndexHammingIndex documents: Wants/Prepare with shared access,
  // PreparedMerge::Build with none, Install with exclusive access.
  bool WantsIndexMerge() const { return pdq_.WantsMerge(); }
  MultiIndexHammingIndex::PreparedMerge PrepareIndexMerge() const { return pdq_.PrepareMerge(); }
  bool InstallIndexMerge(MultiIndexHammingIndex::PreparedMerge* merge) {
    return pdq_.InstallMerge(merge);
  }

  // Resolves hits to bank names, values and labels: one signal read per hit, bank names
  // from the matcher's own table (no bank listing per request). Hits whose signal was
  // removed since the lookup are dropped.
  Result<std::vector<MatchReport>> Describe(BankStore& store, std::span<const MatchHit> hits) const;

  size_t pdq_count() const { return pdq_.size(); }
  size_t exact_count() const { return md5_.size() + sha256_.size(); }
  size_t video_count() const { return vpdq_.size() + tmk_.size(); }
  int pdq_distance() const { return options_.pdq_distance; }

 private:
  explicit Matcher(MatcherOptions options)
      : options_(std::move(options)),
        pdq_(MultiIndexOptions{.merge = options_.pdq_merge}),
        md5_(16),
        sha256_(32),
        vpdq_(options_.vpdq),
        tmk_(options_.tmk) {}
  Status LoadExact(BankStore& store, SignalType type);
  Status LoadVideo(BankStore& store, SignalType type);
  Status AddVideo(const Signal& s);
  void MatchVpdq(const VpdqHash& query, int variant, std::vector<MatchHit>* hits) const;
  void MatchTmk(const TmkFeatures& query, std::vector<MatchHit>* hits) const;
  void MatchPdq(std::span<const Hash256> queries, std::span<const int> variants,
                std::vector<MatchHit>* hits) const;
  void MatchExact(SignalType type, std::string_view hex, std::vector<MatchHit>* hits) const;

  MatcherOptions options_;
  struct BankInfo {
    std::string name;
    std::vector<std::string> labels;
  };
  std::unordered_map<int64_t, BankInfo> banks_;  // the banks loaded
  MultiIndexHammingIndex pdq_;
  ExactSetIndex md5_;
  ExactSetIndex sha256_;
  // Its frame index merges inline: a hot update that crosses the merge limit rebuilds it
  // under the caller's exclusive access (~1 s per million frames).
  VpdqIndex vpdq_;
  TmkIndex tmk_;
};

// Resolves hits without a Matcher (lists the banks once per call, so prefer
// Matcher::Describe on hot paths). Fails only on store errors.
Result<std::vector<MatchReport>> DescribeHits(BankStore& store, std::span<const MatchHit> hits);

}  // namespace vigil
