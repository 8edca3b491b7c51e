#include "index/vpdq_index.h"

#include <algorithm>
#include <map>

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
    frame_refs_[frame_id] = FrameRef{id, static_cast<uint32_t>(f)};
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
  std::vector<Hash256> hashes;
  std::vector<uint32_t> query_frame;  // hashes[i] is query.frames[query_frame[i]]
  for (size_t f = 0; f < query.frames.size(); ++f) {
    if (query.frames[f].quality < options_.min_quality) continue;
    hashes.push_back(query.frames[f].pdq);
    query_frame.push_back(static_cast<uint32_t>(f));
  }
  RadiusSearchResults found;
  frames_.RadiusSearch(hashes, options_.max_distance, &found);
  // Candidates in id order, so the output does not depend on hash-map order.
  std::map<int64_t, std::vector<VpdqFramePair>> candidates;
  for (size_t q = 0; q < hashes.size(); ++q) {
    for (size_t i = found.offsets[q]; i < found.offsets[q + 1]; ++i) {
      const FrameRef& ref = frame_refs_.at(found.ids[i]);
      candidates[ref.video].push_back({query_frame[q], ref.frame, found.distances[i]});
    }
  }
  // With both thresholds <= 0 a video with no pair matches too: every video is a candidate.
  if (options_.query_threshold_percent <= 0 && options_.target_threshold_percent <= 0) {
    for (const auto& [id, video] : videos_) candidates[id];
  }
  for (auto& [id, pairs] : candidates) {
    const VpdqMatchResult result = VpdqMatch(query, videos_.at(id).hash, options_);
    if (!result.match) continue;
    std::sort(pairs.begin(), pairs.end(), [](const VpdqFramePair& a, const VpdqFramePair& b) {
      return a.query_frame != b.query_frame ? a.query_frame < b.query_frame
                                            : a.bank_frame < b.bank_frame;
    });
    out->push_back(VpdqIndexHit{id, result, std::move(pairs)});
  }
}

}  // namespace vigil
