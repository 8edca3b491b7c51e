// The matched time ranges of a vPDQ hit (MatchHit::vpdq.segments): which seconds of the
// query play which seconds of the bank video, for a reviewer to watch side by side.
//
// The rule. Input: every pair of a query frame and a bank frame within the frame distance
// (both of quality >= 50), with their vPDQ timestamps (tq, tb). Pairs are taken in query
// time order (then bank time). A pair extends an open segment when, from the segment's last
// pair (q_end, b_end),
//   0 <= tq - q_end <= kSegmentGapSeconds,  0 <= tb - b_end <= kSegmentGapSeconds, and
//   |(tb - b_end) - (tq - q_end)| <= kSegmentGapSeconds   (both advance together);
// of several such segments the one whose offset (b_end - q_end) is closest to tb - tq
// takes it; otherwise the pair opens a new segment. A segment covers [first tq, last tq]
// and [first tb, last tb]. So a copy shows as one segment; a cut, a re-ordered or a repeated
// scene as several; a still scene that matches many bank frames stays in one segment per
// stretch of the bank video it advances through. Segments are ordered by query_start_s,
// then bank_start_s.
//
// Thread-safety: a pure function.
#pragma once

#include <span>
#include <vector>

#include "hash/vpdq.h"
#include "index/vpdq_index.h"
#include "match/matcher.h"

namespace vigil {

// Two sampled frames a second apart, and one skipped: at 1 s per hash a lost frame (or
// one just over the distance) does not split a segment.
inline constexpr double kSegmentGapSeconds = 2.0;

// `pairs` index query.frames and bank.frames.
std::vector<VideoSegment> MergeVideoSegments(const VpdqHash& query, const VpdqHash& bank,
                                             std::span<const VpdqFramePair> pairs);

}  // namespace vigil
