#include "match/video_segments.h"

#include <algorithm>
#include <cmath>

namespace vigil {

std::vector<VideoSegment> MergeVideoSegments(const VpdqHash& query, const VpdqHash& bank,
                                             std::span<const VpdqFramePair> pairs) {
  struct Timed {
    double q, b;
  };
  std::vector<Timed> timed;
  timed.reserve(pairs.size());
  for (const VpdqFramePair& p : pairs) {
    timed.push_back({query.frames[p.query_frame].timestamp_seconds,
                     bank.frames[p.bank_frame].timestamp_seconds});
  }
  std::sort(timed.begin(), timed.end(),
            [](const Timed& a, const Timed& b) { return a.q != b.q ? a.q < b.q : a.b < b.b; });
  std::vector<VideoSegment> done, open;
  constexpr double G = kSegmentGapSeconds;
  for (const Timed& t : timed) {
    // Segments the query has left behind can take no more pairs.
    for (size_t i = 0; i < open.size();) {
      if (t.q - open[i].query_end_s > G) {
        done.push_back(open[i]);
        open[i] = open.back();
        open.pop_back();
      } else {
        ++i;
      }
    }
    VideoSegment* best = nullptr;
    double best_skew = 0;
    for (VideoSegment& s : open) {
      const double dq = t.q - s.query_end_s, db = t.b - s.bank_end_s;
      if (dq < 0 || db < 0 || db > G || std::abs(db - dq) > G) continue;
      const double skew = std::abs((t.b - t.q) - (s.bank_end_s - s.query_end_s));
      if (best == nullptr || skew < best_skew) best = &s, best_skew = skew;
    }
    if (best != nullptr) {
      best->query_end_s = t.q;
      best->bank_end_s = t.b;
    } else {
      open.push_back(VideoSegment{t.q, t.q, t.b, t.b});
    }
  }
  done.insert(done.end(), open.begin(), open.end());
  std::sort(done.begin(), done.end(), [](const VideoSegment& a, const VideoSegment& b) {
    return a.query_start_s != b.query_start_s ? a.query_start_s < b.query_start_s
                                              : a.bank_start_s < b.bank_start_s;
  });
  return done;
}

}  // namespace vigil
