#include "index/vpdq_index.h"

#include <algorithm>
#include <cmath>

namespace vigil {

VpdqIndex::VpdqIndex(VpdqMatchOptions match, MultiIndexOptions frames)
    : options_(match), frames_(frames) {}

Status VpdqIndex::Add(int64_t id, VpdqHash hash) {
  if (videos_.contains(id)) return AlreadyExists("vpdq video " + std::to_string(id));
  Video video;
  video.hash = std::move(hash);
  for (size_t f = 0; f < video.hash.frames.size(); ++f) {
    const VpdqFrame& frame = video.hash.frames[f];
    if (frame.quality < options_.min_quality) continue;
    const int64_t frame_id = next_frame_id_++;
    VIGIL_RETURN_IF_ERROR(frames_.Add(frame_id, frame.pdq));
    frame_refs_[frame_id] =
        FrameRef{id, static_cast<uint32_t>(f), static_cast<float>(frame.timestamp_seconds)};
    video.frame_ids.push_back(frame_id);
  }
  videos_.emplace(id, std::move(video));
  return Status::Ok();
}

bool VpdqIndex::Remove(int64_t id) {
  auto it = videos_.find(id);
  if (it == videos_.end()) return false;
  for (int64_t frame_id : it->second.frame_ids) {
    frames_.Remove(frame_id);
    frame_refs_.erase(frame_id);
  }
  videos_.erase(it);
  return true;
}

const VpdqHash* VpdqIndex::Find(int64_t id) const {
  auto it = videos_.find(id);
  return it == videos_.end() ? nullptr : &it->second.hash;
}

void VpdqIndex::Search(const VpdqHash& query, std::vector<VpdqIndexHit>* out) const {
  out->clear();
  std::vector<uint32_t> searched;  // the query frames of quality >= min_quality
  for (size_t f = 0; f < query.frames.size(); ++f) {
    if (query.frames[f].quality >= options_.min_quality) searched.push_back(static_cast<uint32_t>(f));
  }
  // Candidates in id order, so the output does not depend on hash-map order.
  Candidates candidates;
  for (size_t at = 0; at < searched.size(); at += kSearchChunkFrames) {
    const size_t n = std::min(kSearchChunkFrames, searched.size() - at);
    CollectPairs(query, std::span(searched).subspan(at, n), &candidates);
  }
  // With both thresholds <= 0 a video with no pair matches too: every video is a candidate.
  if (options_.query_threshold_percent <= 0 && options_.target_threshold_percent <= 0) {
    for (const auto& [id, video] : videos_) candidates[id];
  }
  for (auto& [id, pairs] : candidates) {
    const VpdqMatchResult result = VpdqMatch(query, videos_.at(id).hash, options_);
    if (!result.match) continue;
    // Already in (query_frame, bank_frame) order: chunks and frames are searched in order
    // and KeepClosestPairs sorts each frame's pairs by bank frame.
    out->push_back(VpdqIndexHit{id, result, std::move(pairs)});
  }
}

namespace {

// The kMaxPairsPerQueryFrame closest pairs of one query frame with each video, kept in a
// max-heap per video so that a frame hitting every frame of a still video costs O(1) per
// rejected hit. Closer: smaller distance, then bank time nearer the query frame's, then
// the earlier bank frame.
class ClosestPairs {
 public:
  struct Entry {
    uint16_t distance;
    float time_gap;
    VpdqFramePair pair;
    bool operator<(const Entry& o) const {
      if (distance != o.distance) return distance < o.distance;
      if (time_gap != o.time_gap) return time_gap < o.time_gap;
      return pair.bank_frame < o.pair.bank_frame;
    }
  };

  void Clear() {
    for (auto& [video, heap] : best_) heap.clear();
  }
  void Offer(int64_t video, const Entry& e) {
    std::vector<Entry>& heap = best_[video];
    if (heap.size() < kMaxPairsPerQueryFrame) {
      heap.push_back(e);
      std::push_heap(heap.begin(), heap.end());
    } else if (e < heap.front()) {
      std::pop_heap(heap.begin(), heap.end());
      heap.back() = e;
      std::push_heap(heap.begin(), heap.end());
    }
  }
  // Appends each video's kept pairs in bank frame order.
  void AppendTo(std::map<int64_t, std::vector<VpdqFramePair>>* candidates) {
    for (auto& [video, heap] : best_) {
      if (heap.empty()) continue;
      std::sort(heap.begin(), heap.end(), [](const Entry& a, const Entry& b) {
        return a.pair.bank_frame < b.pair.bank_frame;
      });
      std::vector<VpdqFramePair>& pairs = (*candidates)[video];
      for (const Entry& e : heap) pairs.push_back(e.pair);
    }
  }

 private:
  std::unordered_map<int64_t, std::vector<Entry>> best_;
};

}  // namespace

void VpdqIndex::CollectPairs(const VpdqHash& query, std::span<const uint32_t> query_frames,
                             Candidates* candidates) const {
  std::vector<Hash256> hashes;
  hashes.reserve(query_frames.size());
  for (uint32_t f : query_frames) hashes.push_back(query.frames[f].pdq);
  RadiusSearchResults found;
  frames_.RadiusSearch(hashes, options_.max_distance, &found);
  ClosestPairs closest;
  for (size_t q = 0; q < hashes.size(); ++q) {
    closest.Clear();
    const auto t = static_cast<float>(query.frames[query_frames[q]].timestamp_seconds);
    for (size_t i = found.offsets[q]; i < found.offsets[q + 1]; ++i) {
      const FrameRef& ref = frame_refs_.at(found.ids[i]);
      const VpdqFramePair pair{query_frames[q], ref.frame, found.distances[i]};
      closest.Offer(ref.video, {pair.distance, std::abs(ref.timestamp - t), pair});
    }
    closest.AppendTo(candidates);
  }
}

}  // namespace vigil
