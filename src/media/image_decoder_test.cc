// ImageDecoder: a table of bad inputs, each with the exact error code and a message
// substring it must give (docs/errors-images.md lists the same messages), then the formats
// it must read, then decoding from several threads. The test process must survive all.
#include "media/image_decoder.h"

#include <gtest/gtest.h>
#include <vips/vips.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "util/file_io.h"

namespace vigil {
namespace {

using Bytes = std::vector<uint8_t>;

std::string DataPath(const std::string& rel) {
  const char* env = std::getenv("VIGIL_TEST_DATA");
  return std::string(env != nullptr ? env : VIGIL_TEST_DATA) + "/pdq/" + rel;
}

Bytes ReadData(const std::string& rel) {
  auto bytes = ReadFileWithLimit(DataPath(rel), 64 << 20);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : Bytes{};
}

void Append(Bytes& out, std::initializer_list<int> bytes) {
  for (int b : bytes) out.push_back(static_cast<uint8_t>(b));
}
void AppendBe32(Bytes& out, uint32_t v) { Append(out, {int(v >> 24), int(v >> 16 & 255), int(v >> 8 & 255), int(v & 255)}); }

uint32_t Crc32(const uint8_t* p, size_t n) {
  uint32_t crc = 0xffffffffu;
  for (size_t i = 0; i < n; ++i) {
    crc ^= p[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

void AppendPngChunk(Bytes& out, const char* type, const Bytes& data) {
  AppendBe32(out, static_cast<uint32_t>(data.size()));
  const size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data.begin(), data.end());
  AppendBe32(out, Crc32(&out[start], out.size() - start));
}

// A valid 60000x60000 8-bit RGB PNG header with a tiny (empty) zlib IDAT: decoding it would
// need 10.8 GB, so it must be refused from the header alone.
Bytes PngBomb() {
  Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  Bytes ihdr;
  AppendBe32(ihdr, 60000);
  AppendBe32(ihdr, 60000);
  Append(ihdr, {8, 2, 0, 0, 0});  // depth 8, RGB, deflate, no filter, no interlace
  AppendPngChunk(png, "IHDR", ihdr);
  AppendPngChunk(png, "IDAT", {0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
  AppendPngChunk(png, "IEND", {});
  return png;
}

// A 16x16 GIF of `frames` 1x1 frames (about 30 bytes each): only the first must be decoded.
Bytes ManyFrameGif(int frames) {
  Bytes gif = {'G', 'I', 'F', '8', '9', 'a', 16, 0, 16, 0, 0x80, 0, 0};
  Append(gif, {0, 0, 0, 255, 255, 255});  // 2-colour global table
  for (int i = 0; i < frames; ++i) {
    Append(gif, {0x21, 0xf9, 4, 0, 1, 0, 0, 0});            // graphic control, 1/100 s
    Append(gif, {0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0});         // 1x1 at (0,0)
    Append(gif, {2, 2, 0x44, 0x01, 0});                     // LZW: clear, 0, end
  }
  Append(gif, {0x3b});
  return gif;
}

Bytes Truncate(Bytes b, size_t n) {
  b.resize(n);
  return b;
}

Bytes Text(const char* s) { return Bytes(s, s + std::strlen(s)); }

struct BadInput {
  const char* label;
  std::function<Bytes()> bytes;
  DecodeLimits limits;
  ErrorCode code;
  const char* message;  // substring of Status::message(), which starts with the name
};

DecodeLimits Limits(uint64_t max_bytes, uint64_t max_pixels, double max_seconds) {
  return {max_bytes, max_pixels, max_seconds};
}

const BadInput kBadInputs[] = {
    {"empty.jpg", [] { return Bytes{}; }, {}, ErrorCode::kCorrupt, "empty.jpg: empty file (0 bytes)"},
    {"truncated.jpg", [] { return Truncate(ReadData("bridge-mods/aaa-orig.jpg"), 20000); }, {},
     ErrorCode::kCorrupt, "truncated.jpg: corrupt or truncated JPEG data: "},
    {"header-only.jpg", [] { return Truncate(ReadData("bridge-mods/aaa-orig.jpg"), 100); }, {},
     ErrorCode::kCorrupt, "header-only.jpg: cannot read the JPEG header: "},
    {"truncated.png", [] { return Truncate(ReadData("misc-images/modes/RGBA.png"), 50000); }, {},
     ErrorCode::kCorrupt, "truncated.png: corrupt or truncated PNG data: "},
    {"bomb.png", PngBomb, {}, ErrorCode::kLimitExceeded,
     "bomb.png: 60000x60000 is 3600000000 pixels, over the 100000000-pixel limit"},
    {"notes.jpg", [] { return Text("This is not a JPEG.\nJust some notes.\n"); }, {},
     ErrorCode::kUnsupported, "notes.jpg: not an image: the bytes are text"},
    {"random.bin", [] { return Bytes{0x00, 0x01, 0x02, 0xfe, 0x80, 0x13, 0x37, 0x00, 0x42}; }, {},
     ErrorCode::kUnsupported,
     "random.bin: not a supported image format (JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF)"},
    {"image.bmp", [] { Bytes b(70, 0); b[0] = 'B'; b[1] = 'M'; return b; }, {},
     ErrorCode::kUnsupported, "image.bmp: BMP is not supported (this libvips reads BMP only"},
    {"drawing.svg",
     [] { return Text("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"9\" height=\"9\"/>"); },
     {}, ErrorCode::kUnsupported,
     "drawing.svg: SVG is not supported (only JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF)"},
    {"doc.pdf", [] { return Text("%PDF-1.4\n1 0 obj<<>>endobj\n"); }, {},
     ErrorCode::kUnsupported, "doc.pdf: PDF is not supported"},
    {"big.jpg", [] { return ReadData("bridge-mods/aaa-orig.jpg"); }, Limits(1000, 100'000'000, 20),
     ErrorCode::kLimitExceeded, "big.jpg: 361182 bytes is over the 1000-byte limit"},
    {"wide.jpg", [] { return ReadData("bridge-mods/aaa-orig.jpg"); }, Limits(1 << 30, 1'000'000, 20),
     ErrorCode::kLimitExceeded, "wide.jpg: 1600x1004 is 1606400 pixels, over the 1000000-pixel limit"},
    {"slow.jpg", [] { return ReadData("reg-test-input/exif-rotn/exif-rotn-1.jpg"); },
     Limits(1 << 30, 100'000'000, 0), ErrorCode::kLimitExceeded,
     "slow.jpg: decoding took longer than the 0 s limit"},
};

class ImageDecoderTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitMedia().ok()); }
};

TEST_F(ImageDecoderTest, BadInputsGiveTheirErrors) {
  for (const BadInput& bad : kBadInputs) {
    SCOPED_TRACE(bad.label);
    const Bytes bytes = bad.bytes();
    ImageDecoder decoder(bad.limits);
    Image image;
    image.width = 7;
    const auto start = std::chrono::steady_clock::now();
    const Status s = decoder.Decode(bytes, bad.label, &image);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("| %s | %s | %s |\n", bad.label, std::string(ErrorCodeName(s.code())).c_str(),
                s.message().c_str());  // the rows of docs/errors-images.md
    EXPECT_EQ(s.code(), bad.code) << s.ToString();
    EXPECT_NE(s.message().find(bad.message), std::string::npos) << s.message();
    EXPECT_EQ(image.width, 0);
    EXPECT_LT(seconds, 2.0) << "refusing must be fast";
  }
}

TEST_F(ImageDecoderTest, GifWithThousandsOfFramesDecodesFirstFrameFast) {
  const Bytes gif = ManyFrameGif(5000);
  EXPECT_LT(gif.size(), 200'000u);
  ImageDecoder decoder;
  Image image;
  const auto start = std::chrono::steady_clock::now();
  const Status s = decoder.Decode(gif, "frames.gif", &image);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(image.width, 16);
  EXPECT_EQ(image.height, 16);
  EXPECT_LT(seconds, 2.0);
}

// Encodes `image` (read through libvips from test data) with a libvips saver, e.g.
// ".tif", ".png[bitdepth=16]", ".avif".
Bytes Encode(const std::string& rel, const char* suffix, bool to_sixteen_bit = false) {
  VipsImage* in = vips_image_new_from_file(DataPath(rel).c_str(), nullptr);
  EXPECT_NE(in, nullptr);
  if (in == nullptr) return {};
  VipsImage* src = in;
  if (to_sixteen_bit) {
    VipsImage* scaled = nullptr;
    EXPECT_EQ(vips_linear1(in, &scaled, 257.0, 0.0, "uchar", FALSE, nullptr), 0);
    vips_cast_ushort(scaled, &src, nullptr);
    g_object_unref(scaled);
  }
  void* buf = nullptr;
  size_t len = 0;
  EXPECT_EQ(vips_image_write_to_buffer(src, suffix, &buf, &len, nullptr), 0) << vips_error_buffer();
  Bytes out(static_cast<uint8_t*>(buf), static_cast<uint8_t*>(buf) + len);
  g_free(buf);
  if (src != in) g_object_unref(src);
  g_object_unref(in);
  return out;
}

Image DecodeOk(const Bytes& bytes, const std::string& name) {
  ImageDecoder decoder;
  Image image;
  const Status s = decoder.Decode(bytes, name, &image);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return image;
}

TEST_F(ImageDecoderTest, LosslessFormatsGiveTheSamePixels) {
  const Image original = DecodeOk(ReadData("misc-images/modes/P.png"), "P.png");
  ASSERT_EQ(original.channels, 3);
  struct Case { const char* suffix; bool sixteen; };
  for (const Case c : {Case{".tif", false}, Case{".png[bitdepth=16]", true},
                       Case{".tif", true}, Case{".webp[lossless]", false},
                       Case{".png[palette]", false}}) {
    SCOPED_TRACE(c.suffix);
    const Image decoded = DecodeOk(Encode("misc-images/modes/P.png", c.suffix, c.sixteen), c.suffix);
    EXPECT_EQ(decoded.width, original.width);
    EXPECT_EQ(decoded.channels, 3);
    if (std::string(c.suffix) != ".png[palette]") {  // palette quantisation is lossy
      EXPECT_TRUE(decoded.pixels == original.pixels);
    }
  }
}

TEST_F(ImageDecoderTest, ReadsGifHeifAndAvif) {
  for (const char* suffix : {".gif", ".avif", ".heic[compression=hevc]"}) {
    SCOPED_TRACE(suffix);
    const Image decoded = DecodeOk(Encode("bridge-mods/square-128x128.jpg", suffix), suffix);
    EXPECT_EQ(decoded.width, 128);
    EXPECT_EQ(decoded.height, 128);
    EXPECT_EQ(decoded.channels, 3);
  }
}

TEST_F(ImageDecoderTest, AlphaDroppedGreyKeptAsOneChannel) {
  const Image rgba = DecodeOk(ReadData("misc-images/modes/RGBA.png"), "RGBA.png");
  EXPECT_EQ(rgba.channels, 3);
  const Image la = DecodeOk(ReadData("misc-images/modes/LA.png"), "LA.png");
  EXPECT_EQ(la.channels, 1);
  const Image cmyk = DecodeOk(ReadData("misc-images/modes/CMYK.jpg"), "CMYK.jpg");
  EXPECT_EQ(cmyk.channels, 3);
  EXPECT_EQ(cmyk.pixels.size(), 1600u * 1004 * 3);
}

TEST_F(ImageDecoderTest, SeveralThreadsAtOnce) {
  const Bytes jpeg = ReadData("bridge-mods/aaa-orig.jpg");
  const Bytes bad = Truncate(jpeg, 30000);
  const Image expected = DecodeOk(jpeg, "aaa-orig.jpg");
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      ImageDecoder decoder;
      Image image;
      for (int i = 0; i < 6; ++i) {
        if (!decoder.Decode(jpeg, "good", &image).ok() || image.pixels != expected.pixels) ++failures[t];
        if (decoder.Decode(bad, "bad", &image).code() != ErrorCode::kCorrupt) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

}  // namespace
}  // namespace vigil
