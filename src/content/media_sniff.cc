#include "content/media_sniff.h"

#include <cstring>
#include <string_view>

namespace vigil {
namespace {

bool At(std::span<const uint8_t> b, size_t offset, std::string_view magic) {
  return b.size() >= offset + magic.size() &&
         std::memcmp(b.data() + offset, magic.data(), magic.size()) == 0;
}

// ISO BMFF brands that libvips reads as still images (HEIF, AVIF); anything else in an
// "ftyp" box is a movie.
bool IsImageBrand(std::string_view brand) {
  for (std::string_view image : {"heic", "heix", "heim", "heis", "hevc", "mif1", "msf1",
                                 "avif", "avis", "avio"}) {
    if (brand == image) return true;
  }
  return false;
}

bool IsIsoMovie(std::span<const uint8_t> b) {
  if (At(b, 4, "moov") || At(b, 4, "mdat") || At(b, 4, "wide")) return true;
  if (!At(b, 4, "ftyp") || b.size() < 12) return false;
  return !IsImageBrand(std::string_view(reinterpret_cast<const char*>(b.data()) + 8, 4));
}

bool IsMpegTs(std::span<const uint8_t> b) {
  return b.size() > 376 && b[0] == 0x47 && b[188] == 0x47 && b[376] == 0x47;
}

}  // namespace

SniffedMedia SniffMedia(std::span<const uint8_t> head) {
  const auto b = head.first(std::min<size_t>(head.size(), 1024));
  if (At(b, 0, "GIF87a") || At(b, 0, "GIF89a")) return SniffedMedia::kGif;
  static constexpr char kEbml[] = "\x1a\x45\xdf\xa3";
  static constexpr char kPack[] = "\x00\x00\x01\xba";
  static constexpr char kAsf[] = "\x30\x26\xb2\x75\x8e\x66\xcf\x11";
  if (IsIsoMovie(b) || At(b, 0, std::string_view(kEbml, 4)) ||
      (At(b, 0, "RIFF") && At(b, 8, "AVI ")) || At(b, 0, std::string_view("FLV\x01", 4)) ||
      IsMpegTs(b) || At(b, 0, std::string_view(kPack, 4)) || At(b, 0, std::string_view(kAsf, 8))) {
    return SniffedMedia::kVideo;
  }
  return SniffedMedia::kOther;
}

}  // namespace vigil
