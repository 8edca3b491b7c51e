// Crop variants: the sub-images a bank adds beside an image's own PDQ hash so that a
// cropped copy of the image still matches. PDQ sees the whole frame, so cutting 8% off the
// sides moves a hash ~40-60 bits, beyond the match distance of 31; the hash of the bank
// image cropped about as much at the same place (centred, or at the same corner) lands
// near it again (measured in docs/formats.md, "Crop variants").
//
// A crop is named by where it is anchored and how much of each side it keeps: "c90" keeps
// the central 90% of the width and of the height, "tl80" the top-left 80% x 80%. The names
// are what bank rows carry in their source ("<source>#crop=c90") and what `vigil bank add
// --crops` takes.
//
// Pure geometry over ImageView: no pixels are copied and nothing is allocated per view.
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hash/pdq.h"
#include "util/status.h"

namespace vigil {

enum class CropAnchor { kCenter, kTopLeft, kTopRight, kBottomLeft, kBottomRight };

// The share of each side a crop keeps, in percent. 100 would be the image itself, and a
// crop under half the image is a different picture rather than a variant of it.
inline constexpr int kMinCropKeepPercent = 50;
inline constexpr int kMaxCropKeepPercent = 99;

struct CropSpec {
  CropAnchor anchor = CropAnchor::kCenter;
  int keep_percent = 90;  // of each side: kMinCropKeepPercent..kMaxCropKeepPercent
  friend bool operator==(const CropSpec&, const CropSpec&) = default;
};

// "c90", "tl80", "tr80", "bl80", "br80".
std::string CropName(const CropSpec& spec);

// A crop set as `vigil bank add --crops` takes it: "none" (no variants), "default"
// (DefaultCropSet()), "full" (FullCropSet()), or a comma list of names
// ("c95,c90,tl90,br80"; spaces around a name are allowed). Errors quote the bad item: an
// unknown anchor, a percent out of range, an empty item, a name given twice.
Result<std::vector<CropSpec>> ParseCropSet(std::string_view text);
// "c90,tl90,br80": the inverse of ParseCropSet for a non-empty set ("none" for an empty one).
std::string FormatCropSet(const std::vector<CropSpec>& specs);

// The set `vigil bank add --crops default` adds: c97,c94,c91,c88,c85. Chosen by
// measurement so that most copies cropped evenly on all four sides by up to ~16% land
// within PDQ distance 31 of the original or of one of these (docs/formats.md, "Crop
// variants"). A copy cut on one side, or on two adjacent sides (a corner crop), is
// missed: these are all centred.
std::vector<CropSpec> DefaultCropSet();

// The set `vigil bank add --crops full` adds: DefaultCropSet() plus the four corners
// (tl, tr, bl, br) at 97, 95, ..., 85, 33 variants in all, so that a copy cut by up to
// ~15% from two adjacent sides is found too (most of them; docs/formats.md, "Crop
// variants"). An image then has 34 PDQ hashes in the bank instead of DefaultCropSet()'s 6.
// A copy cut on one side only, or unevenly, is still missed.
std::vector<CropSpec> FullCropSet();

// The part of `image` that `spec` keeps, as a view into the same pixels (same stride).
// Each side keeps round(side * keep_percent / 100) pixels, at least 1; a centred crop
// drops the odd pixel on the right/bottom. An invalid view (null data, a side under 1, no
// channels) gives an empty view, which PdqHasher hashes to quality 0.
ImageView CropView(const ImageView& image, const CropSpec& spec);

}  // namespace vigil
