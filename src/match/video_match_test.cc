// Matcher on videos: a bank built from the reference's sample hashes matches the other
// encodings of the same video and not the unrelated ones, with percentages, segments and
// TMK scores; hot adds and removes; the segment rule on constructed pairs.
#include <cstdlib>
#include <map>

#include <gtest/gtest.h>

#include "hash/video_signal.h"
#include "match/matcher.h"
#include "match/video_segments.h"
#include "store/sqlite_bank_store.h"
#include "store/test_temp_dir.h"
#include "util/file_io.h"

namespace vigil {
namespace {

std::string VideoData() {
  const char* env = std::getenv("VIGIL_TEST_DATA");
  return std::string(env != nullptr ? env : VIGIL_TEST_DATA) + "/video";
}

VpdqHash ReferenceVpdq(const std::string& name) {
  auto bytes = ReadFileWithLimit(VideoData() + "/vpdq-expected/" + name + ".txt", 4 << 20);
  EXPECT_TRUE(bytes.ok()) << name;
  auto hash = ParseVpdq(std::string(bytes->begin(), bytes->end()), name);
  EXPECT_TRUE(hash.ok()) << name;
  return hash.ok() ? *hash : VpdqHash{};
}

TmkFeatures ReferenceTmk(const std::string& name) {
  auto bytes = ReadFileWithLimit(VideoData() + "/tmk-expected/" + name + ".tmk", 1 << 20);
  EXPECT_TRUE(bytes.ok()) << name;
  auto f = ParseTmk(*bytes, name);
  EXPECT_TRUE(f.ok()) << name;
  return f.ok() ? *f : TmkFeatures{};
}

class VideoMatchTest : public testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteBankStore::Open(dir_.File("vigil.db"));
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->CreateBank({"videos", "", true, {"tvec"}}).ok());
  }

  int64_t Add(SignalType type, const std::string& value) {
    Signal s;
    s.type = type;
    s.value = value;
    auto added = store_->AddSignal("videos", s);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? added->id : 0;
  }

  TempDir dir_;
  std::unique_ptr<SqliteBankStore> store_;
};

TEST_F(VideoMatchTest, SameVideoMatchesOthersDoNot) {
  const int64_t vpdq_id = Add(SignalType::kVpdq, FormatVpdqSignal(ReferenceVpdq("chair-20-sd-bar")));
  const int64_t tmk_id = Add(SignalType::kTmk, FormatTmkSignal(ReferenceTmk("chair-20-sd-bar")));
  auto matcher = Matcher::Load(*store_, {});
  ASSERT_TRUE(matcher.ok()) << matcher.status().ToString();
  EXPECT_EQ((*matcher)->video_count(), 2u);

  ContentHashes same;
  same.vpdq = ReferenceVpdq("chair-22-with-small-logo-bar");
  same.tmk = ReferenceTmk("chair-22-with-small-logo-bar");
  std::vector<MatchHit> hits = (*matcher)->Match(same);
  ASSERT_EQ(hits.size(), 2u);
  std::map<SignalType, MatchHit> by_type;
  for (const MatchHit& h : hits) by_type[h.type] = h;
  const MatchHit& v = by_type.at(SignalType::kVpdq);
  EXPECT_EQ(v.signal_id, vpdq_id);
  EXPECT_GE(v.vpdq.bank_percent, 80);
  EXPECT_GT(v.vpdq.query_percent, 0);
  EXPECT_LE(v.distance, 31);
  ASSERT_FALSE(v.vpdq.segments.empty());
  // The two encodings play the same scenes in step: most of the time is in one segment
  // whose offset (bank - query) is small.
  const VideoSegment& first = v.vpdq.segments.front();
  EXPECT_LT(std::abs((first.bank_start_s - first.query_start_s)), 2.5);
  const MatchHit& t = by_type.at(SignalType::kTmk);
  EXPECT_EQ(t.signal_id, tmk_id);
  EXPECT_GE(t.tmk.level1, 0.7f);
  EXPECT_GE(t.tmk.level2, 0.7f);

  ContentHashes other;
  other.vpdq = ReferenceVpdq("pattern-sd-grey-bar");
  other.tmk = ReferenceTmk("pattern-sd-grey-bar");
  EXPECT_TRUE((*matcher)->Match(other).empty());

  // MatchSignal takes the canonical text.
  EXPECT_EQ((*matcher)->MatchSignal(SignalType::kVpdq, FormatVpdqSignal(*same.vpdq)).size(), 1u);
  // Hot remove and add.
  (*matcher)->RemoveSignal(vpdq_id);
  EXPECT_EQ((*matcher)->Match(same).size(), 1u);
  auto again = store_->GetSignal(vpdq_id);
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*matcher)->AddSignal(*again).ok());
  EXPECT_EQ((*matcher)->Match(same).size(), 2u);

  auto reports = (*matcher)->Describe(*store_, hits);
  ASSERT_TRUE(reports.ok());
  ASSERT_EQ(reports->size(), 2u);
  EXPECT_EQ((*reports)[0].bank, "videos");
}

VpdqHash Frames(std::initializer_list<double> times) {
  VpdqHash h;
  for (double t : times) h.frames.push_back(VpdqFrame{0, 100, Hash256{}, t});
  return h;
}

TEST(VideoSegments, RunsThatAdvanceTogetherMerge) {
  // Query 0..4 s plays bank 10..14 s, then query 5..6 s jumps to bank 0..1 s.
  const VpdqHash q = Frames({0, 1, 2, 3, 4, 5, 6});
  const VpdqHash b = Frames({0, 1, 10, 11, 12, 13, 14});
  std::vector<VpdqFramePair> pairs = {{0, 2, 0}, {1, 3, 0}, {2, 4, 0}, {4, 6, 0},
                                      {5, 0, 0}, {6, 1, 0}};
  std::vector<VideoSegment> got = MergeVideoSegments(q, b, pairs);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], (VideoSegment{0, 4, 10, 14}));  // query frame 3 lost: still one run
  EXPECT_EQ(got[1], (VideoSegment{5, 6, 0, 1}));
  // A gap over kSegmentGapSeconds splits a run.
  std::vector<VpdqFramePair> gap = {{0, 2, 0}, {4, 6, 0}};
  EXPECT_EQ(MergeVideoSegments(q, b, gap).size(), 2u);
  EXPECT_TRUE(MergeVideoSegments(q, b, {}).empty());
}

}  // namespace
}  // namespace vigil
