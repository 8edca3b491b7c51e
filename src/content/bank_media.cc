#include "content/bank_media.h"

#include <algorithm>
#include <utility>

#include "hash/video_signal.h"
#include "util/file_io.h"

namespace vigil {
namespace {

// Bank rows need only the plain hashes; dihedral variants and the trimmed picture inside a
// border are query-side matters (a bank holds the content as it was given).
ContentHashOptions BankHashing(ContentHashOptions options) {
  options.dihedral = DihedralHashes::kOff;
  options.trim = BorderTrim::kOff;
  return options;
}

MediaSignal PlainSignal(SignalType type, std::string value) {
  MediaSignal s;
  s.type = type;
  s.value = std::move(value);
  return s;
}

std::string PdqOrigin(const MediaSignal& s) {
  return s.crop.empty() ? "the original" : "crop " + s.crop;
}

}  // namespace

std::string CropSourceSuffix(std::string_view crop_name) {
  return "#crop=" + std::string(crop_name);
}

MediaBankBuilder::MediaBankBuilder(MediaBankOptions options)
    : options_(std::move(options)),
      hasher_(BankHashing(options_.hashing)),
      decoder_(options_.hashing.limits) {}

MediaBankEntry MediaBankBuilder::Build(const std::string& path) {
  MediaBankEntry entry;
  entry.path = path;
  Result<ContentHashes> hashes = hasher_.HashFile(path);
  if (!hashes.ok()) {
    entry.error = hashes.status();
    return entry;
  }
  if (!hashes->MediaError().ok()) {
    entry.error = hashes->MediaError();
    return entry;
  }
  if (hashes->is_video && hashes->video && hashes->video->partial) {
    entry.error = Corrupt(path + ": the video is damaged (" + hashes->video->damage +
                          "); its hashes would cover only part of it");
    return entry;
  }
  entry.signals.push_back(PlainSignal(SignalType::kMd5, hashes->exact.md5));
  entry.signals.push_back(PlainSignal(SignalType::kSha256, hashes->exact.sha256));
  if (hashes->pdq) AddImageSignals(*hashes, &entry);
  AddVideoSignals(*hashes, &entry);
  if (Status s = AddCropSignals(*hashes, &entry); !s.ok()) {
    entry.error = s;
    entry.signals.clear();
    entry.crops_added = 0;
  }
  return entry;
}

void MediaBankBuilder::AddImageSignals(const ContentHashes& hashes, MediaBankEntry* entry) {
  const PdqResult& pdq = *hashes.pdq;
  if (pdq.quality < kPdqMinQuality) {
    entry->notes.push_back("pdq quality " + std::to_string(pdq.quality) +
                           " is below 50: not added (too weak to match)");
    return;
  }
  MediaSignal s = PlainSignal(SignalType::kPdq, pdq.hash.ToHex());
  s.quality = pdq.quality;
  entry->signals.push_back(std::move(s));
}

void MediaBankBuilder::AddVideoSignals(const ContentHashes& hashes, MediaBankEntry* entry) {
  if (!hashes.is_video && !hashes.video_error.ok()) {
    // An animated GIF whose animation failed still has its image signals.
    entry->notes.push_back("the animation was not hashed: " + hashes.video_error.message());
    return;
  }
  if (hashes.video && hashes.video->partial) {
    entry->notes.push_back("the animation is damaged (" + hashes.video->damage +
                           "): its vpdq and tmk_pdqf were not added");
    return;
  }
  if (hashes.vpdq) {
    entry->signals.push_back(PlainSignal(SignalType::kVpdq, FormatVpdqSignal(*hashes.vpdq)));
  }
  if (hashes.tmk) {
    entry->signals.push_back(PlainSignal(SignalType::kTmk, FormatTmkSignal(*hashes.tmk)));
  }
}

// ContentHasher keeps its pixels to itself, so the crops decode the file a second time.
// The bytes are checked against the first read's SHA-256 so that the crops are certain
// to be of the same content as the rows beside them.
Status MediaBankBuilder::AddCropSignals(const ContentHashes& hashes, MediaBankEntry* entry) {
  if (options_.crops.empty() || !hashes.pdq) return Status::Ok();
  const std::string& path = entry->path;
  VIGIL_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes,
                         ReadFileWithLimit(path, options_.hashing.limits.max_bytes));
  VIGIL_ASSIGN_OR_RETURN(ExactHashes exact, ComputeExactHashes(bytes));
  if (exact.sha256 != hashes.exact.sha256) {
    return IoError(path + ": the file changed while it was read; nothing added");
  }
  VIGIL_RETURN_IF_ERROR(decoder_.Decode(bytes, path, &image_));
  const ImageView view{image_.pixels.data(), image_.width, image_.height, image_.channels,
                       static_cast<size_t>(image_.width) * image_.channels};
  for (const CropSpec& spec : options_.crops) AddCrop(view, spec, entry);
  return Status::Ok();
}

void MediaBankBuilder::AddCrop(const ImageView& view, const CropSpec& spec, MediaBankEntry* entry) {
  const std::string name = CropName(spec);
  const PdqResult result = pdq_.Hash(CropView(view, spec), options_.hashing.pdq_mode);
  if (result.quality < kPdqMinQuality) {
    entry->notes.push_back("crop " + name + ": quality " + std::to_string(result.quality) +
                           " is below 50, not added");
    return;
  }
  std::string hex = result.hash.ToHex();
  const auto same = std::find_if(
      entry->signals.begin(), entry->signals.end(),
      [&](const MediaSignal& s) { return s.type == SignalType::kPdq && s.value == hex; });
  if (same != entry->signals.end()) {
    entry->notes.push_back("crop " + name + ": same hash as " + PdqOrigin(*same) + ", not added");
    return;
  }
  MediaSignal s = PlainSignal(SignalType::kPdq, std::move(hex));
  s.quality = result.quality;
  s.crop = name;
  entry->signals.push_back(std::move(s));
  ++entry->crops_added;
}

}  // namespace vigil
