#include "hash/crop_variants.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

namespace vigil {
namespace {

struct AnchorName {
  CropAnchor anchor;
  std::string_view name;
};
constexpr std::array<AnchorName, 5> kAnchorNames{{
    {CropAnchor::kCenter, "c"},
    {CropAnchor::kTopLeft, "tl"},
    {CropAnchor::kTopRight, "tr"},
    {CropAnchor::kBottomLeft, "bl"},
    {CropAnchor::kBottomRight, "br"},
}};

std::string_view AnchorPrefix(CropAnchor anchor) {
  for (const AnchorName& a : kAnchorNames) {
    if (a.anchor == anchor) return a.name;
  }
  return "?";
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One name of a crop set: anchor letters, then the percent kept as plain digits.
Result<CropSpec> ParseCropName(std::string_view item) {
  const size_t digits = item.find_first_of("0123456789");
  const std::string_view prefix = item.substr(0, digits);
  const auto anchor = std::find_if(kAnchorNames.begin(), kAnchorNames.end(),
                                   [&](const AnchorName& a) { return a.name == prefix; });
  if (anchor == kAnchorNames.end()) {
    return InvalidArgument("crop '" + std::string(item) + "': unknown anchor '" +
                           std::string(prefix) + "' (c, tl, tr, bl or br, then a percent)");
  }
  const std::string_view number = digits == std::string_view::npos ? "" : item.substr(digits);
  int percent = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), percent);
  if (number.empty() || ec != std::errc() || end != number.data() + number.size() ||
      percent < kMinCropKeepPercent || percent > kMaxCropKeepPercent) {
    return InvalidArgument("crop '" + std::string(item) + "': the percent kept must be " +
                           std::to_string(kMinCropKeepPercent) + ".." +
                           std::to_string(kMaxCropKeepPercent));
  }
  return CropSpec{anchor->anchor, percent};
}

// The pixels one side keeps: round(side * percent / 100), at least 1, in 64 bits so a
// side of any size cannot overflow.
int KeptPixels(int side, int percent) {
  const int64_t kept = (static_cast<int64_t>(side) * percent + 50) / 100;
  return static_cast<int>(std::clamp<int64_t>(kept, 1, side));
}

}  // namespace

std::string CropName(const CropSpec& spec) {
  return std::string(AnchorPrefix(spec.anchor)) + std::to_string(spec.keep_percent);
}

Result<std::vector<CropSpec>> ParseCropSet(std::string_view text) {
  const std::string_view whole = Trim(text);
  if (whole == "default") return DefaultCropSet();
  if (whole == "full") return FullCropSet();
  if (whole == "none") return std::vector<CropSpec>{};
  std::vector<CropSpec> specs;
  size_t start = 0;
  while (true) {
    const size_t comma = whole.find(',', start);
    const std::string_view item = Trim(whole.substr(start, comma - start));
    if (item.empty()) {
      return InvalidArgument("crop set '" + std::string(whole) +
                             "': an empty item (use none, default, full, or names like c90,tl80)");
    }
    VIGIL_ASSIGN_OR_RETURN(CropSpec spec, ParseCropName(item));
    if (std::find(specs.begin(), specs.end(), spec) != specs.end()) {
      return InvalidArgument("crop '" + std::string(item) + "' appears twice in the crop set");
    }
    specs.push_back(spec);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return specs;
}

std::string FormatCropSet(const std::vector<CropSpec>& specs) {
  if (specs.empty()) return "none";
  std::string out;
  for (const CropSpec& spec : specs) {
    if (!out.empty()) out += ',';
    out += CropName(spec);
  }
  return out;
}

// A centre crop stays within distance 31 of a bank variant only about +-2 points of `keep`
// away (docs/formats.md, "Crop variants"), so the variants are 3 points apart: with 5
// points between them, copies cut half-way between two (a 4% cut per side, keep 92) were
// missed (bench/detection, "crop 8% centre": 73.9% with c95,c90,c85; 87.2% with this
// set, which keeps 15% crops at 90.7%). Corner variants are in FullCropSet(): they cost
// 4 signals per level and help only uploads cut at a corner.
std::vector<CropSpec> DefaultCropSet() {
  return {{CropAnchor::kCenter, 97},
          {CropAnchor::kCenter, 94},
          {CropAnchor::kCenter, 91},
          {CropAnchor::kCenter, 88},
          {CropAnchor::kCenter, 85}};
}

// A corner crop shifts the picture as well as scaling it: against a variant at the same
// corner, a copy that keeps 1 point more or less is misplaced by up to 1% of the frame at
// the far edge, as much as a centre crop 2 points off. So corner variants need to be 2
// points apart where centre ones do with 3: one corner variant finds ~93% of the copies
// cut exactly like it, ~72% of those 1 point off and ~14% of those 2 points off
// (bench/detection/crop_sweep; docs/formats.md, "Crop variants"). The corner levels span
// the centre set's range, 97 to 85, and are not aligned on any one test crop: they find
// 76-96% of corner crops of each size from 2 to 15% (bench/detection: "crop 8% corner"
// 81.4%, between two levels; "crop 15% corner" 89.8%, on one).
std::vector<CropSpec> FullCropSet() {
  std::vector<CropSpec> set = DefaultCropSet();
  for (int keep = 97; keep >= 85; keep -= 2) {
    for (CropAnchor corner : {CropAnchor::kTopLeft, CropAnchor::kTopRight, CropAnchor::kBottomLeft,
                              CropAnchor::kBottomRight}) {
      set.push_back({corner, keep});
    }
  }
  return set;
}

ImageView CropView(const ImageView& image, const CropSpec& spec) {
  if (image.data == nullptr || image.width < 1 || image.height < 1 || image.channels < 1) {
    return ImageView{};
  }
  const int width = KeptPixels(image.width, spec.keep_percent);
  const int height = KeptPixels(image.height, spec.keep_percent);
  const bool left = spec.anchor == CropAnchor::kTopLeft || spec.anchor == CropAnchor::kBottomLeft;
  const bool top = spec.anchor == CropAnchor::kTopLeft || spec.anchor == CropAnchor::kTopRight;
  int x0 = left ? 0 : image.width - width;
  int y0 = top ? 0 : image.height - height;
  if (spec.anchor == CropAnchor::kCenter) {
    x0 = (image.width - width) / 2;
    y0 = (image.height - height) / 2;
  }
  ImageView out = image;
  out.data = image.data + static_cast<size_t>(y0) * image.stride +
             static_cast<size_t>(x0) * static_cast<size_t>(image.channels);
  out.width = width;
  out.height = height;
  return out;
}

}  // namespace vigil
