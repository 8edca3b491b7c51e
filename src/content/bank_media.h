// Bank entries from media files: one image or video file in, the signals a bank should
// hold for it out (what `vigil bank add` imports). An image gives md5, sha256 and pdq,
// and optionally the PDQ hashes of crops of it (hash/crop_variants.h) so that a cropped
// copy still matches; a video gives md5, sha256, vpdq and tmk_pdqf; an animated GIF both.
//
// The rules that keep a bank clean (docs/formats.md, "Bank entries from media"):
//  - a file that does not decode, or a video that decodes only in part, adds nothing: its
//    hashes would not be the content's;
//  - a PDQ hash (the original's or a crop's) of quality under 50 is left out, as imports
//    refuse it; a crop that hashes the same as the original or an earlier crop is left
//    out, so one file never gives two equal rows;
//  - crops are cut from the decoded full-resolution image and hashed in the same PdqMode
//    as the original.
//
// Thread-safety: none; one MediaBankBuilder per thread (it reuses its decoder buffers).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "content/content_hasher.h"
#include "hash/crop_variants.h"
#include "hash/signal_type.h"
#include "util/status.h"

namespace vigil {

struct MediaBankOptions {
  // Decode limits, PdqMode and video sampling; make them as the scans that will match.
  ContentHashOptions hashing;
  // The crop variants each image adds (none by default).
  std::vector<CropSpec> crops;
};

// One row for the bank, without the labels and provenance the caller adds.
struct MediaSignal {
  SignalType type = SignalType::kPdq;
  std::string value;           // canonical text (signal_type.h)
  std::optional<int> quality;  // PDQ quality, for pdq rows
  // Empty for the file's own signals; "c90" etc. for a crop variant, whose source is
  // written "<source>#crop=c90" (CropSourceSuffix).
  std::string crop;
};

struct MediaBankEntry {
  std::string path;
  // Set when the file adds nothing (unreadable, not decodable, a damaged video); then
  // `signals` is empty.
  Status error;
  std::vector<MediaSignal> signals;
  // What was left out and why: weak or repeated crops, a weak original PDQ, a GIF's
  // animation that did not decode. For the user; none of these is an error.
  std::vector<std::string> notes;
  int crops_added = 0;
};

// "#crop=c90": what a crop variant's source ends with.
std::string CropSourceSuffix(std::string_view crop_name);

class MediaBankBuilder {
 public:
  explicit MediaBankBuilder(MediaBankOptions options);

  // The signals of the file at `path`; failures are in the entry's `error`.
  MediaBankEntry Build(const std::string& path);

 private:
  void AddImageSignals(const ContentHashes& hashes, MediaBankEntry* entry);
  Status AddCropSignals(const ContentHashes& hashes, MediaBankEntry* entry);
  void AddCrop(const ImageView& view, const CropSpec& spec, MediaBankEntry* entry);
  void AddVideoSignals(const ContentHashes& hashes, MediaBankEntry* entry);

  MediaBankOptions options_;
  ContentHasher hasher_;
  ImageDecoder decoder_;
  PdqHasher pdq_;
  Image image_;
};

}  // namespace vigil
