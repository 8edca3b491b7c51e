#include "content/content_hasher.h"

#include "util/file_io.h"

namespace vigil {

ContentHasher::ContentHasher(ContentHashOptions options)
    : options_(options), decoder_(options.limits) {}

Result<ContentHashes> ContentHasher::HashFile(const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes,
                         ReadFileWithLimit(path, options_.limits.max_bytes));
  return HashBytes(bytes, path);
}

Result<ContentHashes> ContentHasher::HashBytes(std::span<const uint8_t> bytes,
                                               std::string_view name) {
  ContentHashes out;
  VIGIL_ASSIGN_OR_RETURN(out.exact, ComputeExactHashes(bytes));
  out.image_error = decoder_.Decode(bytes, name, &image_);
  if (!out.image_error.ok()) return out;
  out.width = image_.width;
  out.height = image_.height;
  ImageView view{image_.pixels.data(), image_.width, image_.height, image_.channels,
                 static_cast<size_t>(image_.width) * image_.channels};
  if (options_.dihedral == DihedralHashes::kOn) {
    auto all = pdq_.HashDihedral(view, options_.pdq_mode);
    out.dihedral.assign(all.begin(), all.end());
    out.pdq = all[0];
  } else {
    out.pdq = pdq_.Hash(view, options_.pdq_mode);
  }
  return out;
}

}  // namespace vigil
