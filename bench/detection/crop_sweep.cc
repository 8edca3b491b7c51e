// crop_sweep: the PDQ distance from cropped copies of each original to every crop variant
// a bank could hold, so that a crop set can be chosen from the curve rather than from the
// two crop amounts detection_bench measures (bench/detection/README.md, "Choosing the crop
// set").
//
// Originals are the same as detection_bench's (dataset.h, same rules and defaults). Each is
// cropped by 1..--max-cut percent, centred and from the top-left corner (the bottom-right
// part kept, as detection_bench's corner crops), encoded as JPEG quality 85 and hashed
// from those bytes (one reference PDQ; detection_bench measures the full vigil query).
// The bank side is the decoded original and every crop variant c/tl/tr/bl/br with keep
// --min-keep..99 (CropView, as `vigil bank add --crops` hashes them).
//
// Printed: for each crop set of --sets (as `vigil bank add --crops` takes them, separated
// by ';'), the share of copies within distance 31 of the original or of one of the set's
// variants of quality >= 50, per cut; and with --distractors, the distractor -> original
// pairs within 31 and the nearest distance (distractors' reference PDQ only, not the
// dihedral hashes a vigil query adds). --out writes every copy's distance to every bank
// column (TSV: original, copy such as "corner 8", quality, then one column per variant,
// "original", "c99", ...), to try other sets without hashing again; the variants' own
// quality is not in it.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>
#include <thread>

#include "dataset.h"
#include "hash/crop_variants.h"
#include "media/image_decoder.h"
#include "transforms.h"

namespace vigil::detection {
namespace {

struct Flags {
  std::string originals, distractors, out, sets = "none;default;full";
  int max_cut = 20, min_keep = 76;
  DatasetOptions data;
};

// The bank columns: the original itself, then every anchor at every keep percent.
std::vector<std::optional<CropSpec>> BankColumns(int min_keep) {
  std::vector<std::optional<CropSpec>> columns{std::nullopt};
  for (CropAnchor a : {CropAnchor::kCenter, CropAnchor::kTopLeft, CropAnchor::kTopRight,
                       CropAnchor::kBottomLeft, CropAnchor::kBottomRight}) {
    for (int keep = 99; keep >= min_keep; --keep) columns.push_back(CropSpec{a, keep});
  }
  return columns;
}

std::string ColumnName(const std::optional<CropSpec>& c) { return c ? CropName(*c) : "original"; }

// A copy with `cut` percent of each side removed, as detection_bench's crops are.
Result<std::vector<uint8_t>> CroppedCopy(VipsImage* in, int cut, bool corner) {
  VIGIL_ASSIGN_OR_RETURN(VipsImagePtr part,
                         Crop(in, cut / 100.0, corner ? CropAt::kCorner : CropAt::kCentre));
  return EncodeJpeg(part.get(), 85);
}

struct Worker {
  ImageDecoder decoder;
  PdqHasher pdq;
  Image image;
  PdqResult Hash(std::span<const uint8_t> bytes) {
    if (!decoder.Decode(bytes, "copy", &image).ok()) return {};
    return pdq.Hash(View(), PdqMode::kReference);
  }
  ImageView View() const {
    return {image.pixels.data(), image.width, image.height, image.channels,
            static_cast<size_t>(image.width) * image.channels};
  }
};

struct Copy {
  std::string name;  // "centre 8", "corner 8"
  int quality = 0;
  std::vector<int> distance;  // to each bank column
};

struct Sweep {
  // One per column; empty when the original did not decode. A column of quality under 50
  // is not used, as `vigil bank add` leaves such a crop out.
  std::vector<PdqResult> bank;
  std::vector<Copy> copies;
};

Sweep SweepOne(const Original& o, const Flags& flags,
               const std::vector<std::optional<CropSpec>>& columns, Worker& w) {
  Sweep out;
  if (!w.decoder.Decode(o.bytes, o.source, &w.image).ok()) return out;
  const ImageView view = w.View();
  for (const auto& c : columns) {
    out.bank.push_back(w.pdq.Hash(c ? CropView(view, *c) : view, PdqMode::kReference));
  }
  auto source = LoadSrgb(o.bytes, o.source);
  if (!source.ok()) return out;
  for (bool corner : {false, true}) {
    for (int cut = 1; cut <= flags.max_cut; ++cut) {
      auto bytes = CroppedCopy(source->get(), cut, corner);
      if (!bytes.ok()) continue;
      const PdqResult q = w.Hash(*bytes);
      Copy copy{(corner ? "corner " : "centre ") + std::to_string(cut), q.quality, {}};
      for (const PdqResult& b : out.bank) copy.distance.push_back(HammingDistance(q.hash, b.hash));
      out.copies.push_back(std::move(copy));
    }
  }
  return out;
}

void WriteDistances(const std::string& path, const std::vector<Sweep>& sweeps,
                    const std::vector<std::optional<CropSpec>>& columns) {
  std::ofstream out(path);
  out << "original\tcopy\tquality";
  for (const auto& c : columns) out << '\t' << ColumnName(c);
  out << '\n';
  for (size_t i = 0; i < sweeps.size(); ++i) {
    for (const Copy& copy : sweeps[i].copies) {
      out << i << '\t' << copy.name << '\t' << copy.quality;
      for (int d : copy.distance) out << '\t' << d;
      out << '\n';
    }
  }
}

// The bank columns a crop set uses: the original's and its variants'.
std::vector<size_t> ColumnsOf(const std::vector<CropSpec>& set,
                              const std::vector<std::optional<CropSpec>>& columns) {
  std::vector<size_t> used;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (!columns[c] || std::find(set.begin(), set.end(), *columns[c]) != set.end()) {
      used.push_back(c);
    }
  }
  return used;
}

// Per cut, the share of copies within 31 of a column of `used`.
void PrintRecall(const std::vector<Sweep>& sweeps, const std::vector<size_t>& used,
                 const char* kind, int max_cut) {
  std::printf("  %-6s", kind);
  for (int cut = 1; cut <= max_cut; ++cut) {
    const std::string name = std::string(kind) + " " + std::to_string(cut);
    size_t n = 0, found = 0;
    for (const Sweep& s : sweeps) {
      for (const Copy& copy : s.copies) {
        if (copy.name != name) continue;
        ++n;
        found +=
            copy.quality >= kPdqMinQuality && std::any_of(used.begin(), used.end(), [&](size_t c) {
              return s.bank[c].quality >= kPdqMinQuality && copy.distance[c] <= kPdqMatchDistance;
            });
      }
    }
    std::printf(" %5.1f", n ? 100.0 * found / n : 0.0);
  }
  std::printf("\n");
}

// Distractor -> original pairs within 31 of a column of `used`, and the nearest distance.
void PrintFalsePositives(const Dataset& d, const std::vector<Sweep>& sweeps,
                         const std::vector<size_t>& used) {
  size_t pairs = 0;
  int nearest = 256;
  for (const Distractor& x : d.distractors) {
    for (const Sweep& s : sweeps) {
      int best = 256;
      for (size_t c : used) {
        if (c < s.bank.size() && s.bank[c].quality >= kPdqMinQuality) {
          best = std::min(best, HammingDistance(x.pdq.hash, s.bank[c].hash));
        }
      }
      pairs += best <= kPdqMatchDistance;
      nearest = std::min(nearest, best);
    }
  }
  std::printf("  distractor -> original pairs within %d: %zu (nearest %d)\n", kPdqMatchDistance,
              pairs, nearest);
}

Status PrintSets(const Flags& flags, const Dataset& d, const std::vector<Sweep>& sweeps,
                 const std::vector<std::optional<CropSpec>>& columns) {
  std::printf("share of copies within %d, by percent cut off 1..%d:\n", kPdqMatchDistance,
              flags.max_cut);
  std::string_view rest = flags.sets;
  while (!rest.empty()) {
    const size_t semi = rest.find(';');
    const std::string_view text = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? "" : rest.substr(semi + 1);
    VIGIL_ASSIGN_OR_RETURN(std::vector<CropSpec> set, ParseCropSet(text));
    const std::vector<size_t> used = ColumnsOf(set, columns);
    if (used.size() != set.size() + 1) {
      return InvalidArgument("--sets '" + std::string(text) + "': a variant keeps less than " +
                             std::to_string(flags.min_keep) + "% (see --min-keep)");
    }
    std::printf("%s (%zu hashes per image)\n", std::string(text).c_str(), used.size());
    PrintRecall(sweeps, used, "centre", flags.max_cut);
    PrintRecall(sweeps, used, "corner", flags.max_cut);
    if (!d.distractors.empty()) PrintFalsePositives(d, sweeps, used);
  }
  return Status::Ok();
}

Status Run(const Flags& flags) {
  VIGIL_RETURN_IF_ERROR(InitMedia());
  VIGIL_ASSIGN_OR_RETURN(auto original_paths, ReadPathList(flags.originals));
  std::vector<std::string> distractor_paths;
  if (!flags.distractors.empty()) {
    VIGIL_ASSIGN_OR_RETURN(distractor_paths, ReadPathList(flags.distractors));
  }
  VIGIL_ASSIGN_OR_RETURN(Dataset d, BuildDataset(original_paths, distractor_paths, flags.data));
  std::printf("originals: %zu, distractors: %zu\n", d.originals.size(), d.distractors.size());
  const auto columns = BankColumns(flags.min_keep);
  std::vector<Sweep> sweeps(d.originals.size());
  std::vector<Worker> workers(flags.data.threads);
  ParallelFor(d.originals.size(), flags.data.threads, [&](int t, size_t i) {
    sweeps[i] = SweepOne(d.originals[i], flags, columns, workers[t]);
  });
  if (!flags.out.empty()) WriteDistances(flags.out, sweeps, columns);
  return PrintSets(flags, d, sweeps, columns);
}

}  // namespace
}  // namespace vigil::detection

int main(int argc, char** argv) {
  vigil::detection::Flags flags;
  auto& d = flags.data;
  d.threads = std::max(1u, std::thread::hardware_concurrency());
  CLI::App app{"crop_sweep: PDQ distance from cropped copies to every crop variant"};
  app.add_option("--originals", flags.originals, "file listing the originals' source images")
      ->required();
  app.add_option("--distractors", flags.distractors, "file listing the distractor images");
  app.add_option("--max-distractors", d.max_distractors, "seeded sample of this many (0: all)");
  app.add_option("--out", flags.out, "write every copy's distance to every variant (TSV)");
  app.add_option("--sets", flags.sets,
                 "crop sets to score, ';' between (default: none;default;full)");
  app.add_option("--threads", d.threads, "worker threads (default: one per core)");
  app.add_option("--max-cut", flags.max_cut, "copies are cut by 1..this percent");
  app.add_option("--min-keep", flags.min_keep, "bank variants keep this..99 percent");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  vigil::Status s = vigil::detection::Run(flags);
  if (!s.ok()) {
    std::fprintf(stderr, "crop_sweep: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
