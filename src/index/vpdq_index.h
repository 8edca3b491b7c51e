// VpdqIndex: which bank videos a query video matches by vPDQ, without comparing the query
// with every bank video. Results equal brute force: VpdqMatch(query, bank video, options)
// for every bank video, keeping those that match (property-tested).
//
// How: every bank frame of quality >= min_quality goes into one MultiIndexHammingIndex
// (exact radius search), its id mapping to (video, frame). A query's frames of quality >=
// min_quality are searched in one batched pass at radius max_distance. A bank video none of
// whose frames is hit has 0 % on both sides, and matches only if both thresholds are <= 0
// (then every video is a candidate); every video hit is a candidate, and its verdict and
// percentages are computed exactly by VpdqMatch. The frame pairs the search found are kept
// for the caller (the matched time ranges, match/video_segments.h).
//
// Memory: each bank video's VpdqHash (56 bytes a frame) plus the frame index (~40 bytes and
// a map entry a frame).
//
// Thread safety: Search may run concurrently with itself; Add and Remove need exclusive
// access (as MultiIndexHammingIndex).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <unordered_map>
#include <vector>

#include "hash/vpdq.h"
#include "index/multi_index_hamming_index.h"
#include "util/status.h"

namespace vigil {

// A query frame and a bank frame within the frame distance (indexes into the hashes'
// `frames`).
struct VpdqFramePair {
  uint32_t query_frame = 0;
  uint32_t bank_frame = 0;
  uint16_t distance = 0;
};

// Of the bank frames of one video within the distance of one query frame, VpdqIndex keeps
// this many pairs. A still scene in both videos (a static speech, a title card held for
// minutes) matches every frame with every frame: an hour against an hour is 13 million
// pairs, which would cost hundreds of MB per search and as long to merge into segments.
// The verdict and percentages do not depend on pairs (VpdqMatch computes them), and the
// segments need only the pairs near each query frame's place in the bank video.
inline constexpr size_t kMaxPairsPerQueryFrame = 16;

struct VpdqIndexHit {
  int64_t id = 0;
  VpdqMatchResult result;  // result.match is true
  // Pairs within max_distance (both frames of quality >= min_quality), ordered by
  // (query_frame, bank_frame): every such pair, except that a query frame keeps at most
  // kMaxPairsPerQueryFrame of its pairs with one video: the closest in distance, then in
  // time (bank timestamp nearest the query frame's).
  std::vector<VpdqFramePair> pairs;
};

class VpdqIndex {
 public:
  explicit VpdqIndex(VpdqMatchOptions match = {}, MultiIndexOptions frames = {});

  // kAlreadyExists if `id` is present. A video with no frame of quality >= min_quality is
  // kept (brute force keeps it too) but can only match when both thresholds are <= 0.
  Status Add(int64_t id, VpdqHash hash);
  bool Remove(int64_t id);
  bool Contains(int64_t id) const { return videos_.contains(id); }
  const VpdqHash* Find(int64_t id) const;

  size_t size() const { return videos_.size(); }
  size_t frame_count() const { return frames_.size(); }
  const VpdqMatchOptions& options() const { return options_; }

  // The bank videos `query` matches, by id. Replaces `out`'s contents. Memory: the pairs
  // kept, plus the raw hits of kSearchChunkFrames query frames at a time.
  void Search(const VpdqHash& query, std::vector<VpdqIndexHit>* out) const;

 private:
  struct Video {
    VpdqHash hash;
    std::vector<int64_t> frame_ids;  // the entries it put in frames_
  };
  struct FrameRef {
    int64_t video = 0;
    uint32_t frame = 0;
    float timestamp = 0;  // the frame's, to rank pairs without finding the video
  };
  using Candidates = std::map<int64_t, std::vector<VpdqFramePair>>;
  // Query frames searched per RadiusSearch call: bounds the raw hits held at once (each
  // query frame may hit every frame of a still bank video).
  static constexpr size_t kSearchChunkFrames = 64;

  void CollectPairs(const VpdqHash& query, std::span<const uint32_t> query_frames,
                    Candidates* candidates) const;

  VpdqMatchOptions options_;
  MultiIndexHammingIndex frames_;
  std::unordered_map<int64_t, Video> videos_;
  std::unordered_map<int64_t, FrameRef> frame_refs_;  // frame id -> its video and frame
  int64_t next_frame_id_ = 0;
};

}  // namespace vigil
