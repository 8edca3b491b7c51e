// bench_border_trim: what the query variants cost and what they find, in one process.
//  1. FindContentRect alone on 1000x1000 RGB: a textured picture with no border (the usual
//     upload), the same in a 6% black border, and a uniform grey image (the worst case:
//     every side is scanned to its limit).
//  2. Per image (decoded once, outside the timing): ContentHasher::HashPixels with the
//     variants off (plain PDQ, as before) and on (dihedral + border trim, the default for
//     scan and serve); CPU ms per image and the ratio. Also how many of these unbordered
//     images FindContentRect trims (each such trim is one wasted, harmless query set), and,
//     with a 6% black border added, how many trimmed hashes land within 31 bits of the
//     plain image's hash (plain PDQ of the bordered image, for comparison).
//  3. The index side: a MultiIndexHammingIndex of --signals random hashes (default 1M),
//     radius 31, queried per upload with 1 hash (plain), 8 (dihedral) and 16 (dihedral +
//     trimmed dihedral) in one RadiusSearch call: microseconds per upload.
// Times are CPU time of the process (the machine is shared). A plain harness, like
// bench_pdq, so every figure comes out of one run.
//
// Usage: bench_border_trim [--signals N] [--uploads N] [image ...]
//        (default images: every .jpg/.png under tests/data/pdq)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "content/content_hasher.h"
#include "hash/border_trim.h"
#include "index/multi_index_hamming_index.h"
#include "media/image_decoder.h"
#include "util/file_io.h"

namespace {

using namespace vigil;

double CpuNow() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

ImageView View(const Image& image) {
  return {image.pixels.data(), image.width, image.height, image.channels,
          static_cast<size_t>(image.width) * image.channels};
}

// A 1000x1000 picture with texture everywhere, optionally in a black border of `bar`.
Image Synthetic(int bar, bool uniform) {
  Image image{1000, 1000, 3, std::vector<uint8_t>(3'000'000, 0)};
  std::mt19937 rng(1);
  for (int y = bar; y < 1000 - bar; ++y) {
    for (int x = bar; x < 1000 - bar; ++x) {
      const double v = uniform ? 128
                               : 120 + 60 * std::sin(x / 25.0) * std::cos(y / 30.0) +
                                     static_cast<double>(rng() % 50) - 25;
      uint8_t* p = &image.pixels[(static_cast<size_t>(y) * 1000 + x) * 3];
      p[0] = p[1] = p[2] = static_cast<uint8_t>(std::clamp(v, 0.0, 255.0));
    }
  }
  return image;
}

void BenchFindContentRect() {
  std::printf("FindContentRect on 1000x1000 RGB (CPU microseconds per call, best of 5 x 200):\n");
  const struct {
    const char* name;
    Image image;
  } cases[] = {{"no border", Synthetic(0, false)},
               {"6% black border", Synthetic(60, false)},
               {"uniform grey (worst case)", Synthetic(0, true)}};
  for (const auto& c : cases) {
    double best = 1e9;
    size_t found = 0;
    for (int round = 0; round < 5; ++round) {
      const double t0 = CpuNow();
      for (int i = 0; i < 200; ++i) found += FindContentRect(View(c.image)).has_value();
      best = std::min(best, (CpuNow() - t0) / 200);
    }
    std::printf("  %-28s %8.1f us  (box found: %s)\n", c.name, best * 1e6,
                found > 0 ? "yes" : "no");
  }
}

Image Bordered(const Image& image, double fraction) {
  const int bx = static_cast<int>(image.width * fraction),
            by = static_cast<int>(image.height * fraction);
  Image out{image.width + 2 * bx, image.height + 2 * by, image.channels, {}};
  out.pixels.assign(static_cast<size_t>(out.width) * out.height * out.channels, 0);
  const size_t row = static_cast<size_t>(image.width) * image.channels;
  for (int y = 0; y < image.height; ++y) {
    std::copy_n(&image.pixels[y * row], row,
                &out.pixels[(static_cast<size_t>(y + by) * out.width + bx) * image.channels]);
  }
  return out;
}

double TimeHashing(ContentHasher& hasher, const std::vector<Image>& images) {
  double best = 1e9;
  for (int round = 0; round < 3; ++round) {
    ContentHashes out;
    const double t0 = CpuNow();
    for (const Image& image : images) hasher.HashPixels(View(image), &out);
    best = std::min(best, CpuNow() - t0);
  }
  return best / static_cast<double>(images.size());
}

void BenchImages(const std::vector<std::string>& paths) {
  std::vector<Image> images;
  std::vector<std::string> names;
  ImageDecoder decoder;
  double decode_cpu = 0;
  for (const std::string& path : paths) {
    auto bytes = ReadFileWithLimit(path, 256 << 20);
    Image image;
    const double t0 = CpuNow();
    if (!bytes.ok() || !decoder.Decode(*bytes, path, &image).ok()) continue;
    decode_cpu += CpuNow() - t0;
    if (image.width < 32 || image.height < 32) continue;
    images.push_back(std::move(image));
    names.push_back(path);
  }
  if (images.empty()) return;
  ContentHashOptions plain;
  plain.dihedral = DihedralHashes::kOff;
  plain.trim = BorderTrim::kOff;
  ContentHashOptions dihedral_only;
  dihedral_only.trim = BorderTrim::kOff;
  ContentHasher plain_hasher(plain), dihedral_hasher(dihedral_only), variant_hasher({});
  const double t_plain = TimeHashing(plain_hasher, images);
  const double t_dihedral = TimeHashing(dihedral_hasher, images);
  const double t_all = TimeHashing(variant_hasher, images);
  std::printf("\nHashing %zu decoded images (CPU ms per image; decode alone %.2f ms):\n",
              images.size(), decode_cpu / images.size() * 1e3);
  std::printf("  plain PDQ             %7.2f ms\n", t_plain * 1e3);
  std::printf("  dihedral only         %7.2f ms  (x%.2f)\n", t_dihedral * 1e3,
              t_dihedral / t_plain);
  std::printf("  dihedral + trim       %7.2f ms  (x%.2f; +%.2f ms)\n", t_all * 1e3, t_all / t_plain,
              (t_all - t_plain) * 1e3);

  int trimmed = 0, bordered_found = 0, bordered_match = 0, plain_match = 0, usable = 0;
  ContentHashes h, b;
  for (size_t i = 0; i < images.size(); ++i) {
    variant_hasher.HashPixels(View(images[i]), &h);
    if (h.trimmed_box) {
      ++trimmed;
      std::printf("  trimmed although unbordered? %s: box %d,%d %dx%d of %dx%d\n", names[i].c_str(),
                  h.trimmed_box->x, h.trimmed_box->y, h.trimmed_box->width, h.trimmed_box->height,
                  images[i].width, images[i].height);
    }
    if (h.pdq->quality < kPdqMinQuality) continue;
    ++usable;
    variant_hasher.HashPixels(View(Bordered(images[i], 0.06)), &b);
    plain_match += HammingDistance(b.pdq->hash, h.pdq->hash) <= kPdqMatchDistance;
    if (!b.trimmed) continue;
    ++bordered_found;
    bordered_match += HammingDistance(b.trimmed->hash, h.pdq->hash) <= kPdqMatchDistance;
  }
  std::printf("  boxes found on the unbordered images: %d of %zu\n", trimmed, images.size());
  std::printf(
      "  with a 6%% black border (%d images of quality >= 50): box found %d, trimmed hash "
      "within 31 bits %d; plain PDQ within 31 bits %d\n",
      usable, bordered_found, bordered_match, plain_match);
}

void BenchIndex(size_t signals, int uploads) {
  std::mt19937_64 rng(7);
  auto random_hash = [&] {
    Hash256 h;
    for (uint64_t& w : h.words) w = rng();
    return h;
  };
  std::vector<Hash256> hashes(signals);
  std::vector<int64_t> ids(signals);
  for (size_t i = 0; i < signals; ++i) hashes[i] = random_hash(), ids[i] = static_cast<int64_t>(i);
  MultiIndexHammingIndex index;
  index.Build(hashes, ids);
  std::printf("\nRadiusSearch (radius 31) on %zu random signals, %d uploads (CPU us per upload):\n",
              signals, uploads);
  for (int per_upload : {1, 8, 16}) {
    std::vector<Hash256> queries(static_cast<size_t>(uploads) * per_upload);
    for (Hash256& q : queries) q = random_hash();
    RadiusSearchResults results;
    double best = 1e9;
    for (int round = 0; round < 3; ++round) {
      const double t0 = CpuNow();
      for (int u = 0; u < uploads; ++u) {
        index.RadiusSearch(
            std::span(queries).subspan(static_cast<size_t>(u) * per_upload, per_upload), 31,
            &results);
      }
      best = std::min(best, (CpuNow() - t0) / uploads);
    }
    std::printf("  %2d query hashes per upload  %8.1f us\n", per_upload, best * 1e6);
  }
}

std::vector<std::string> DefaultImages() {
  std::vector<std::string> out;
  const char* env = std::getenv("VIGIL_TEST_DATA");
  const std::filesystem::path root = std::string(env ? env : VIGIL_TEST_DATA) + "/pdq";
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    const std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".jpg" || ext == ".png")) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  size_t signals = 1'000'000;
  int uploads = 2000;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--signals=", 0) == 0) {
      signals = std::strtoull(a.c_str() + 10, nullptr, 10);
    } else if (a.rfind("--uploads=", 0) == 0) {
      uploads = std::atoi(a.c_str() + 10);
    } else {
      paths.push_back(a);
    }
  }
  if (!InitMedia().ok()) return 1;
  if (paths.empty()) paths = DefaultImages();
  BenchFindContentRect();
  BenchImages(paths);
  BenchIndex(signals, std::max(uploads, 1));
  return 0;
}
