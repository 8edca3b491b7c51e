#include "hash/video_signal.h"

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "hash/signal_type.h"
#include "util/file_io.h"

namespace vigil {
namespace {

std::string VideoData() {
  const char* env = std::getenv("VIGIL_TEST_DATA");
  return std::string(env != nullptr ? env : VIGIL_TEST_DATA) + "/video";
}

std::string ReadText(const std::string& path) {
  auto bytes = ReadFileWithLimit(path, 4 << 20);
  EXPECT_TRUE(bytes.ok()) << path;
  return bytes.ok() ? std::string(bytes->begin(), bytes->end()) : std::string();
}

const std::string kHex = "c0f00b78a5a52d0f4b4bf0f01e1e8787a5a5e1e1b4b44b4b0f0fe1e15a5a0f0f";

TEST(VpdqSignal, ReferenceHashRoundTripsThroughTheCanonicalText) {
  auto reference = ParseVpdq(ReadText(VideoData() + "/vpdq-expected/chair-20-sd-bar.txt"),
                             "chair-20-sd-bar.txt");
  ASSERT_TRUE(reference.ok()) << reference.status().message();
  const std::string text = FormatVpdqSignal(*reference);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_EQ(text.find(' '), std::string::npos);
  auto back = ParseVpdqSignal(text);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->frames.size(), reference->frames.size());
  for (size_t i = 0; i < back->frames.size(); ++i) {
    const VpdqFrame& want = reference->frames[i];
    const VpdqFrame& got = back->frames[i];
    EXPECT_EQ(got.pdq, want.pdq);
    EXPECT_EQ(got.quality, want.quality);
    // The reference writes three decimals too, so the timestamp survives exactly.
    EXPECT_EQ(got.timestamp_seconds, want.timestamp_seconds);
    EXPECT_EQ(got.frame_number, static_cast<int64_t>(i));
  }
  EXPECT_EQ(*CanonicalSignal(SignalType::kVpdq, text), text);
}

TEST(VpdqSignal, ReadsPythonThreatexchangeSpelling) {
  // json.dumps with its default ", " separator, uppercase hex, "{:.3}" timestamps.
  std::string upper = kHex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string python = "[\"" + upper + ",100,0.0\", \"" + kHex + ",49,1.23e+03\"]";
  auto canonical = CanonicalSignal(SignalType::kVpdq, python);
  ASSERT_TRUE(canonical.ok()) << canonical.status().message();
  EXPECT_EQ(*canonical, "[\"" + kHex + ",100,0.000\",\"" + kHex + ",49,1230.000\"]");
}

TEST(VpdqSignal, BadTextsSayWhatIsWrong) {
  const std::string f = kHex + ",100,0.000";
  const std::pair<std::string, std::string> cases[] = {
      {"", "JSON array"},
      {"[]", "no frames"},
      {"{\"a\":1}", "JSON array"},
      {"[\"" + f + "\"", "not closed"},
      {"[\"" + f + "\"] x", "after its closing"},
      {"[\"" + f + "\",]", "JSON array"},
      {"[\"" + f + "\",\"" + kHex + ",100\"]", "frame 2: expected"},
      {"[\"" + kHex.substr(1) + ",100,0\"]", "frame 1: pdq_hex"},
      {"[\"" + kHex + ",101,0\"]", "quality must be an integer 0..100"},
      {"[\"" + kHex + ",50,-1\"]", "timestamp"},
      {"[\"" + kHex + ",50,nan\"]", "timestamp"},
      {"[\"" + kHex + ",50,1e10\"]", "timestamp"},
      {"[\"" + kHex + ",50,\\u0030\"]", "escapes"},
      {"[\"" + kHex + ",50,0", "not terminated"},
      {"[" + std::string(kMaxVideoSignalBytes, ' ') + "]", "at most"},
  };
  for (const auto& [text, want] : cases) {
    auto r = CanonicalSignal(SignalType::kVpdq, text);
    ASSERT_FALSE(r.ok()) << text.substr(0, 120);
    EXPECT_NE(r.status().message().find(want), std::string::npos)
        << text.substr(0, 120) << " -> " << r.status().message();
  }
}

TEST(TmkSignal, ReferenceFileRoundTripsThroughBase64) {
  auto bytes = ReadFileWithLimit(VideoData() + "/tmk-expected/chair-20-sd-bar.tmk", 1 << 20);
  ASSERT_TRUE(bytes.ok());
  auto file = ParseTmk(*bytes, "chair-20-sd-bar.tmk");
  ASSERT_TRUE(file.ok()) << file.status().message();
  const std::string text = FormatTmkSignal(*file);
  EXPECT_EQ(text.size(), (kTmkDefaultFileBytes + 2) / 3 * 4);
  auto back = ParseTmkSignal(text);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, *file);
  EXPECT_EQ(*CanonicalSignal(SignalType::kTmk, text), text);
  EXPECT_EQ(SignalTypeName(SignalType::kTmk), "tmk_pdqf");
}

TEST(TmkSignal, BadTextsSayWhatIsWrong) {
  auto not_base64 = CanonicalSignal(SignalType::kTmk, "not base64!");
  ASSERT_FALSE(not_base64.ok());
  EXPECT_NE(not_base64.status().message().find(".tmk file in base64"), std::string::npos);
  auto not_tmk = CanonicalSignal(SignalType::kTmk, "Zm9vYmFy");  // "foobar"
  ASSERT_FALSE(not_tmk.ok());
  EXPECT_NE(not_tmk.status().message().find("tmk_pdqf signal"), std::string::npos)
      << not_tmk.status().message();
}

TEST(SignalTypeNames, HmaAliases) {
  EXPECT_EQ(ParseSignalTypeName("video_md5"), SignalType::kMd5);
  EXPECT_EQ(ParseSignalTypeName("VPDQ"), SignalType::kVpdq);
  EXPECT_EQ(ParseSignalTypeName("video_tmk_pdqf"), SignalType::kTmk);
  EXPECT_TRUE(IsVideoSignalType(SignalType::kVpdq));
  EXPECT_FALSE(IsExactSignalType(SignalType::kTmk));
}

}  // namespace
}  // namespace vigil
