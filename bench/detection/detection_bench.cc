// detection_bench: how much of the re-uploaded, edited copies of known images vigil's full
// matcher finds, next to plain PDQ, and at what cost in false positives (issue 5).
//
// A bank is built from benign originals; each original goes through a table of transforms
// (transforms.h), each copy is encoded as JPEG and queried from its bytes; thousands of
// unrelated distractor images are queried too. Printed: recall per transform for plain PDQ
// (one reference-mode hash per side, distance <= 31) and for vigil (ContentHasher with
// default options, Matcher over a SqliteBankStore holding originals and crop variants),
// copies that matched a wrong original, distractor -> original pairs, bank sizes and time
// per query. Data and rules: bench/detection/README.md; run.sh gathers the data.
//
// Usage: detection_bench --originals LIST --distractors LIST [--threads N]
//          [--max-originals N] [--max-distractors N] [--outcomes FILE.tsv] ...
#include <CLI/CLI.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "banks.h"
#include "dataset.h"
#include "evaluate.h"
#include "media/image_decoder.h"

namespace vigil::detection {
namespace {

using Clock = std::chrono::steady_clock;

struct Flags {
  std::string originals, distractors, outcomes, tmp_dir, dump_dir;
  // The vigil bank's crop variants (ParseCropSet). "full", not "default": the bar
  // includes corner crops, which only the corner variants find.
  std::string crops = "full";
  DatasetOptions data;
};

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void PrintCounts(const char* what, const HygieneCounts& c) {
  std::printf(
      "%s: %zu files listed; dropped: %zu unreadable, %zu exact duplicates, %zu under "
      "the minimum side",
      what, c.listed, c.unreadable, c.exact_duplicate, c.too_small);
  if (c.parts > 0) std::printf("; %zu candidates after tiling", c.parts);
  std::printf(
      ", %zu PDQ quality < 50, %zu near-duplicates, %zu sampled out, %zu not read "
      "(sample full); kept %zu\n",
      c.low_quality, c.near_duplicate, c.sampled_out, c.not_examined, c.kept);
}

// Every original's vigil bank entries, hashed on all threads.
std::vector<std::vector<BankEntry>> AllEntries(const std::vector<Original>& originals,
                                               const std::vector<CropSpec>& crops, int threads) {
  std::vector<std::vector<BankEntry>> entries(originals.size());
  struct Worker {
    ImageDecoder decoder;
    PdqHasher pdq;
    Image image;
  };
  std::vector<Worker> workers(threads);
  ParallelFor(originals.size(), threads, [&](int t, size_t i) {
    Worker& w = workers[t];
    if (!w.decoder.Decode(originals[i].bytes, "original", &w.image).ok()) return;
    ImageView view{w.image.pixels.data(), w.image.width, w.image.height, w.image.channels,
                   static_cast<size_t>(w.image.width) * w.image.channels};
    entries[i] = VigilBankEntries(view, w.pdq, crops);
  });
  return entries;
}

struct Tally {
  size_t n = 0, plain = 0, vigil = 0, plain_wrong = 0, vigil_wrong = 0, errors = 0;
  double plain_seconds = 0, vigil_seconds = 0;
  void Add(const CopyOutcome& o) {
    if (!o.ok) {
      ++errors;
      return;
    }
    ++n;
    plain += o.plain_hit;
    vigil += o.vigil_hit;
    plain_wrong += o.plain_wrong;
    vigil_wrong += o.vigil_wrong;
    plain_seconds += o.plain_seconds;
    vigil_seconds += o.vigil_seconds;
  }
  double PlainRecall() const { return n ? 100.0 * plain / n : 0; }
  double VigilRecall() const { return n ? 100.0 * vigil / n : 0; }
};

std::vector<Tally> TallyByTransform(const CopyOutcomes& outcomes, size_t transforms) {
  std::vector<Tally> tallies(transforms);
  for (const auto& row : outcomes) {
    for (size_t t = 0; t < transforms; ++t) tallies[t].Add(row[t]);
  }
  return tallies;
}

void PrintTable(const std::vector<Transform>& transforms, const std::vector<Tally>& tallies) {
  std::printf("\n%-28s %5s %10s %10s %8s   %s\n", "transform", "n", "plain PDQ", "vigil",
              "vigil-PDQ", "wrong-original hits (PDQ / vigil)");
  Tally all;
  for (size_t t = 0; t < transforms.size(); ++t) {
    const Tally& x = tallies[t];
    std::printf("%-28s %5zu %9.1f%% %9.1f%% %+8.1f   %zu / %zu%s\n", transforms[t].name.c_str(),
                x.n, x.PlainRecall(), x.VigilRecall(), x.VigilRecall() - x.PlainRecall(),
                x.plain_wrong, x.vigil_wrong,
                x.errors ? (" (" + std::to_string(x.errors) + " transform errors)").c_str() : "");
    all.n += x.n, all.plain += x.plain, all.vigil += x.vigil;
    all.plain_wrong += x.plain_wrong, all.vigil_wrong += x.vigil_wrong;
    all.plain_seconds += x.plain_seconds, all.vigil_seconds += x.vigil_seconds;
  }
  std::printf("%-28s %5zu %9.1f%% %9.1f%% %+8.1f   %zu / %zu\n", "all copies", all.n,
              all.PlainRecall(), all.VigilRecall(), all.VigilRecall() - all.PlainRecall(),
              all.plain_wrong, all.vigil_wrong);
  std::printf(
      "time per copy query, one thread (decode + hash + match): plain PDQ %.1f ms, "
      "vigil %.1f ms\n",
      1e3 * all.plain_seconds / std::max<size_t>(all.n, 1),
      1e3 * all.vigil_seconds / std::max<size_t>(all.n, 1));
}

size_t DistinctDistractors(const std::vector<FalsePair>& pairs) {
  size_t n = 0;
  for (size_t i = 0; i < pairs.size(); ++i)
    n += i == 0 || pairs[i].distractor != pairs[i - 1].distractor;
  return n;
}

// Copies whose vigil query hit another original, with the entry and variant that met.
void PrintWrongOriginals(const Dataset& d, const std::vector<Transform>& transforms,
                         const CopyOutcomes& outcomes) {
  size_t shown = 0;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    for (size_t t = 0; t < transforms.size(); ++t) {
      const CopyOutcome& o = outcomes[i][t];
      if (o.vigil_wrong == 0 || ++shown > 20) continue;
      if (shown == 1) std::printf("vigil wrong-original hits (original index: entry, variant):\n");
      std::printf("  %zu %s (%s), %s -> %s\n", i, d.originals[i].source.c_str(),
                  d.originals[i].part.c_str(), transforms[t].name.c_str(), o.wrong_detail.c_str());
    }
  }
}

void PrintFalsePositives(const Dataset& d, const DistractorOutcome& fp) {
  std::printf("\ndistractors queried: %zu (vigil could not hash %zu); %.1f ms per vigil query\n",
              d.distractors.size(), fp.errors,
              1e3 * fp.vigil_seconds / std::max<size_t>(d.distractors.size(), 1));
  std::printf(
      "false positives, distractor -> original pairs: plain PDQ %zu (%zu distractors), "
      "vigil %zu (%zu distractors)\n",
      fp.plain.size(), DistinctDistractors(fp.plain), fp.vigil.size(),
      DistinctDistractors(fp.vigil));
  size_t shown = 0;
  for (const auto* list : {&fp.plain, &fp.vigil}) {
    for (const FalsePair& p : *list) {
      if (++shown > 20) break;
      const Original& o = d.originals[p.original];
      std::printf("  %s: %s -> %s (%s), plain distance %d%s%s\n",
                  list == &fp.plain ? "PDQ" : "vigil", d.distractors[p.distractor].path.c_str(),
                  o.source.c_str(), o.part.c_str(),
                  HammingDistance(d.distractors[p.distractor].pdq.hash, o.pdq.hash),
                  p.how.empty() ? "" : "; ", p.how.c_str());
    }
  }
}

// The bar, judged on the single transforms of each class and every transform.
void PrintBar(const std::vector<Transform>& transforms, const std::vector<Tally>& tallies,
              const DistractorOutcome& fp) {
  std::printf("\nbar (issue 5):\n");
  for (size_t t = 0; t < transforms.size(); ++t) {
    const Tally& x = tallies[t];
    double need = transforms[t].bar == TransformClass::kBorder  ? 90
                  : transforms[t].bar == TransformClass::kCrop8 ? 80
                                                                : x.PlainRecall();
    bool pass = x.n > 0 && x.VigilRecall() + 1e-9 >= need;
    std::printf("  %-28s vigil %5.1f%% >= %5.1f%%%s: %s\n", transforms[t].name.c_str(),
                x.VigilRecall(), need,
                transforms[t].bar == TransformClass::kOther ? " (plain PDQ)" : "",
                pass ? "pass" : "FAIL");
  }
  std::printf("  %-28s vigil %zu == 0: %s\n", "distractor false positives", fp.vigil.size(),
              fp.vigil.empty() ? "pass" : "FAIL");
}

void WriteOutcomes(const std::string& path, const Dataset& d,
                   const std::vector<Transform>& transforms, const CopyOutcomes& outcomes) {
  std::ofstream out(path);
  out << "original\tsource\tpart\ttransform\tok\tplain_quality\tplain_distance\tplain_hit\t"
         "plain_wrong\tvigil_hit\tvigil_variant\tvigil_wrong\tvigil_wrong_detail\terror\n";
  for (size_t i = 0; i < outcomes.size(); ++i) {
    for (size_t t = 0; t < transforms.size(); ++t) {
      const CopyOutcome& o = outcomes[i][t];
      out << i << '\t' << d.originals[i].source << '\t' << d.originals[i].part << '\t'
          << transforms[t].name << '\t' << o.ok << '\t' << o.plain_quality << '\t'
          << o.plain_distance << '\t' << o.plain_hit << '\t' << o.plain_wrong << '\t' << o.vigil_hit
          << '\t' << o.vigil_variant << '\t' << o.vigil_wrong << '\t' << o.wrong_detail << '\t'
          << o.error << '\n';
    }
  }
}

// The first original and its copies as files, to look at what the transforms do.
Status DumpCopies(const Original& original, const std::vector<Transform>& transforms,
                  const std::string& dir) {
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::vector<uint8_t>& bytes) {
    std::ofstream(std::filesystem::path(dir) / (name + ".jpg"), std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
  };
  write("original", original.bytes);
  VIGIL_ASSIGN_OR_RETURN(VipsImagePtr image, LoadSrgb(original.bytes, original.source));
  for (const Transform& t : transforms) {
    VIGIL_ASSIGN_OR_RETURN(auto bytes, ApplyTransform(image.get(), t));
    std::string name = t.name;
    for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    write(name, bytes);
  }
  return Status::Ok();
}

Status Run(const Flags& flags) {
  VIGIL_RETURN_IF_ERROR(InitMedia());
  VIGIL_ASSIGN_OR_RETURN(std::vector<CropSpec> crops, ParseCropSet(flags.crops));
  auto start = Clock::now();
  VIGIL_ASSIGN_OR_RETURN(auto original_paths, ReadPathList(flags.originals));
  VIGIL_ASSIGN_OR_RETURN(auto distractor_paths, ReadPathList(flags.distractors));
  VIGIL_ASSIGN_OR_RETURN(Dataset d, BuildDataset(original_paths, distractor_paths, flags.data));
  PrintCounts("originals", d.original_counts);
  PrintCounts("distractors", d.distractor_counts);
  std::printf("originals: %zu from %zu source files (data rules took %.0f s)\n", d.originals.size(),
              d.sources_kept, Since(start));

  auto bank_start = Clock::now();
  std::filesystem::path dir = flags.tmp_dir.empty() ? std::filesystem::temp_directory_path()
                                                    : std::filesystem::path(flags.tmp_dir);
  std::string db = (dir / ("vigil-detection-" + std::to_string(getpid()) + ".db")).string();
  auto bank = BuildVigilBank(AllEntries(d.originals, crops, flags.data.threads), db);
  if (!bank.ok()) return bank.status();
  std::printf(
      "banks: plain PDQ %zu signals; vigil %zu signals (originals + crop variants %s) in "
      "SQLite (%.1f s)\n",
      d.originals.size(), bank->signals, FormatCropSet(crops).c_str(), Since(bank_start));

  const auto& transforms = TransformTable();
  if (!flags.dump_dir.empty())
    VIGIL_RETURN_IF_ERROR(DumpCopies(d.originals[0], transforms, flags.dump_dir));
  auto copy_start = Clock::now();
  CopyOutcomes outcomes = QueryCopies(d.originals, transforms, *bank, flags.data.threads);
  double copy_seconds = Since(copy_start);
  auto fp_start = Clock::now();
  DistractorOutcome fp = QueryDistractors(d.originals, d.distractors, *bank, flags.data.threads);
  double fp_seconds = Since(fp_start);

  auto tallies = TallyByTransform(outcomes, transforms.size());
  PrintTable(transforms, tallies);
  PrintWrongOriginals(d, transforms, outcomes);
  PrintFalsePositives(d, fp);
  PrintBar(transforms, tallies, fp);
  if (!flags.outcomes.empty()) WriteOutcomes(flags.outcomes, d, transforms, outcomes);
  std::printf("\nwall time: %.0f s (copies %.0f s, distractors %.0f s) on %d threads\n",
              Since(start), copy_seconds, fp_seconds, flags.data.threads);
  bank->matcher.reset();
  bank->store.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  return Status::Ok();
}

}  // namespace
}  // namespace vigil::detection

int main(int argc, char** argv) {
  vigil::detection::Flags flags;
  auto& d = flags.data;
  d.threads = std::max(1u, std::thread::hardware_concurrency());
  CLI::App app{"detection_bench: recall per transform and false positives, plain PDQ vs vigil"};
  app.add_option("--originals", flags.originals, "file listing the originals' source images")
      ->required();
  app.add_option("--distractors", flags.distractors, "file listing the distractor images")
      ->required();
  app.add_option("--threads", d.threads, "worker threads (default: one per core)");
  app.add_option("--max-originals", d.max_originals, "seeded sample of this many (0: all)");
  app.add_option("--max-distractors", d.max_distractors, "seeded sample of this many (0: all)");
  app.add_option("--max-side", d.max_side, "originals' longer side is scaled down to this");
  app.add_option("--min-side", d.min_side, "images with a shorter side are dropped");
  app.add_option("--tile-min-side", d.tile_min_side, "sources this long give two tiles (0: off)");
  app.add_option("--seed", d.seed, "seed of the samples");
  app.add_option("--outcomes", flags.outcomes, "write every copy's outcome here (TSV)");
  app.add_option("--tmp-dir", flags.tmp_dir, "where the temporary SQLite bank goes");
  app.add_option("--dump-dir", flags.dump_dir, "write the first original's copies here (JPEG)");
  app.add_option("--crops", flags.crops,
                 "the vigil bank's crop variants, as vigil bank add --crops (default: full)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  vigil::Status s = vigil::detection::Run(flags);
  if (!s.ok()) {
    std::fprintf(stderr, "detection_bench: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
