// bench_index: exact radius search over 256-bit PDQ-like hashes, one core.
// For each bank size and shape (uniform / clustered) it builds, on the same bank and the
// same queries: vigil's MultiIndexHammingIndex, BruteForceHammingIndex (also the truth)
// and, when built with VIGIL_BENCH_FAISS, FAISS IndexBinaryMultiHash(16x16, nflip=1).
// It prints queries/s (median of --runs), build time (both in CPU seconds), memory and recall against brute
// force, then the ratios. Flags (defaults in brackets):
//   --sizes=1000000,10000000 --shapes=uniform,clustered --radius=31 --runs=3
//   --queries=20000 (vigil)  --truth-queries=200 (brute force; also the recall set)
//   --faiss-queries=200  --substrings=0 (auto)  --huge-pages=1  --faiss=1
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_util.h"
#include "index/brute_force_hamming_index.h"
#include "index/hamming_test_data.h"
#include "index/multi_index_hamming_index.h"
#ifdef VIGIL_BENCH_FAISS
#include "faiss_runner.h"
#endif

namespace vigil::bench {
namespace {

struct Row {
  std::string method;
  size_t queries = 0;
  double qps = 0;
  double build_s = 0;
  size_t memory = 0;
  Agreement agreement;
};

struct Config {
  int radius;
  int runs;
  size_t queries, truth_queries, faiss_queries;
  MultiIndexOptions options;
  bool faiss;
};

// Median queries/s (per CPU second, see CpuSeconds) of `runs` passes of `search`.
template <typename Search>
double MeasureQps(const std::vector<Hash256>& queries, int runs, Search search) {
  std::vector<double> qps;
  for (int r = 0; r < runs; ++r) {
    const double t0 = CpuSeconds();
    search();
    qps.push_back(static_cast<double>(queries.size()) / (CpuSeconds() - t0));
  }
  return Median(qps);
}

std::vector<Hash256> Prefix(const std::vector<Hash256>& v, size_t n) {
  return {v.begin(), v.begin() + static_cast<ptrdiff_t>(std::min(n, v.size()))};
}

Row RunBruteForce(const std::vector<Hash256>& bank, const std::vector<int64_t>& ids,
                  const std::vector<Hash256>& queries, const Config& c,
                  RadiusSearchResults* truth) {
  Row row{"brute force"};
  const size_t rss0 = ResidentBytes();
  double t0 = CpuSeconds();
  BruteForceHammingIndex index;
  index.Build(bank, ids);
  row.build_s = CpuSeconds() - t0;
  row.memory = std::max(index.MemoryBytes(), ResidentBytes() - rss0);
  const auto q = Prefix(queries, c.truth_queries);
  row.queries = q.size();
  row.qps = MeasureQps(q, 1, [&] { index.RadiusSearch(q, c.radius, truth); });
  row.agreement = {1.0, true};
  return row;
}

// One Add then a search that must see it, one Remove then a search that must not.
void MeasureMutations(MultiIndexHammingIndex* index, const Hash256& h, int radius) {
  RadiusSearchResults out;
  const int64_t id = -1'000'000'007;
  double t0 = Seconds();
  const bool added = index->Add(id, h).ok();
  const double add_us = (Seconds() - t0) * 1e6;
  t0 = Seconds();
  index->RadiusSearch({&h, 1}, radius, &out);
  const double search1_us = (Seconds() - t0) * 1e6;
  const bool seen = std::count(out.ids.begin(), out.ids.end(), id) == 1;
  t0 = Seconds();
  const bool removed = index->Remove(id);
  const double remove_us = (Seconds() - t0) * 1e6;
  index->RadiusSearch({&h, 1}, radius, &out);
  const bool gone = std::count(out.ids.begin(), out.ids.end(), id) == 0;
  std::printf("    single Add %.1f us (next search %.1f us, sees it: %s); single Remove %.1f us "
              "(next search no longer sees it: %s)\n",
              add_us, search1_us, added && seen ? "yes" : "NO", remove_us,
              removed && gone ? "yes" : "NO");
}

Row RunVigil(const std::vector<Hash256>& bank, const std::vector<int64_t>& ids,
             const std::vector<Hash256>& queries, const Config& c,
             const RadiusSearchResults& truth) {
  Row row{"vigil MIH"};
  const size_t rss0 = ResidentBytes();
  double t0 = CpuSeconds();
  MultiIndexHammingIndex index(c.options);
  index.Build(bank, ids);
  row.build_s = CpuSeconds() - t0;
  row.memory = index.MemoryBytes();
  std::printf("    vigil: m=%d substrings, MemoryBytes %.0f MB, RSS delta %.0f MB\n",
              index.substring_count(), index.MemoryBytes() / 1e6,
              (ResidentBytes() - rss0) / 1e6);
  const auto q = Prefix(queries, c.queries);
  row.queries = q.size();
  RadiusSearchResults out;
  row.qps = MeasureQps(q, c.runs, [&] {
    for (size_t b = 0; b < q.size(); b += 1000) {
      const size_t e = std::min(q.size(), b + 1000);
      index.RadiusSearch(std::span(q).subspan(b, e - b), c.radius, &out);
    }
  });
  index.RadiusSearch(Prefix(queries, c.truth_queries), c.radius, &out);
  row.agreement = Compare(out, truth);
  MeasureMutations(&index, queries[0], c.radius);
  return row;
}

#ifdef VIGIL_BENCH_FAISS
Row RunFaiss(const std::vector<Hash256>& bank, const std::vector<int64_t>& ids,
             const std::vector<Hash256>& queries, const Config& c,
             const RadiusSearchResults& truth) {
  Row row{"FAISS MultiHash 16x16 nflip=1"};
  UseOneFaissThread();
  const size_t rss0 = ResidentBytes();
  double t0 = CpuSeconds();
  FaissMultiHash index;
  index.Build(bank, ids);
  row.build_s = CpuSeconds() - t0;
  row.memory = index.MemoryBytes();
  std::printf("    FAISS: estimated %.0f MB, RSS delta %.0f MB\n", row.memory / 1e6,
              (static_cast<double>(ResidentBytes()) - static_cast<double>(rss0)) / 1e6);
  const auto q = Prefix(queries, std::max(c.faiss_queries, c.truth_queries));
  row.queries = q.size();
  RadiusSearchResults out;
  row.qps = MeasureQps(q, c.runs, [&] { index.RadiusSearch(q, c.radius, &out); });
  row.agreement = Compare(out, truth);
  return row;
}
#endif

void PrintRows(size_t n, const std::string& shape, const std::vector<Row>& rows) {
  for (const Row& r : rows) {
    std::printf("| %-9zu | %-9s | %-30s | %7zu | %11.1f | %7.2f | %9.0f | %.6f %-5s |\n", n,
                shape.c_str(), r.method.c_str(), r.queries, r.qps, r.build_s,
                r.memory / 1e6, r.agreement.recall, r.agreement.exact ? "exact" : "DIFF");
  }
  const double vigil = rows[1].qps;
  std::printf("    ratio vigil/brute force = %.0fx", vigil / rows[0].qps);
  if (rows.size() > 2) std::printf(", vigil/FAISS = %.0fx", vigil / rows[2].qps);
  std::printf("\n");
  std::fflush(stdout);
}

void RunOne(size_t n, const std::string& shape, const Config& c) {
  const auto kind = shape == "clustered" ? index_testing::BankShape::kClustered
                                         : index_testing::BankShape::kUniform;
  const auto bank = index_testing::MakeBank(n, kind, 42 + n);
  const auto ids = index_testing::MakeIds(n, 43 + n);
  // Half near copies of bank entries within 0..31 bits, half unrelated hashes.
  const auto queries = index_testing::MakeQueries(
      bank, std::max({c.queries, c.truth_queries, c.faiss_queries}), 31, 44 + n);
  std::vector<Row> rows;
  RadiusSearchResults truth;
  rows.push_back(RunBruteForce(bank, ids, queries, c, &truth));
  rows.push_back(RunVigil(bank, ids, queries, c, truth));
#ifdef VIGIL_BENCH_FAISS
  if (c.faiss) rows.push_back(RunFaiss(bank, ids, queries, c, truth));
#endif
  std::printf("| n         | shape     | method                         | queries | queries/s   | build s | memory MB | recall         |\n");
  PrintRows(n, shape, rows);
}

}  // namespace
}  // namespace vigil::bench

int main(int argc, char** argv) {
  using namespace vigil::bench;
  const Flags flags(argc, argv);
  Config c;
  c.radius = static_cast<int>(flags.GetInt("radius", 31));
  c.runs = static_cast<int>(flags.GetInt("runs", 3));
  c.queries = static_cast<size_t>(flags.GetInt("queries", 20000));
  c.truth_queries = static_cast<size_t>(flags.GetInt("truth-queries", 200));
  c.faiss_queries = static_cast<size_t>(flags.GetInt("faiss-queries", 200));
  c.options.substring_count = static_cast<int>(flags.GetInt("substrings", 0));
  c.options.huge_pages = flags.GetInt("huge-pages", 1) ? vigil::MultiIndexOptions::HugePages::kAdvise
                                                       : vigil::MultiIndexOptions::HugePages::kOff;
  c.faiss = flags.GetInt("faiss", 1) != 0;
  std::printf("bench_index: radius %d, one core, queries/s per CPU second (median of %d "
              "runs; brute force 1 run), huge pages %s\n", c.radius, c.runs,
              flags.GetInt("huge-pages", 1) ? "advised" : "off");
#ifdef VIGIL_BENCH_FAISS
  std::printf("FAISS: libfaiss.a, 1 OpenMP thread; its __popcountdi2 calls resolve to this "
              "binary's POPCNT override (checked at build time by check_popcount_override.sh)\n");
#endif
  for (long n : flags.GetInts("sizes", "1000000,10000000")) {
    std::string shapes = flags.Get("shapes", "uniform,clustered");
    for (const std::string& shape : {std::string("uniform"), std::string("clustered")}) {
      if (shapes.find(shape) == std::string::npos) continue;
      std::printf("\n== n=%ld %s ==\n", n, shape.c_str());
      RunOne(static_cast<size_t>(n), shape, c);
    }
  }
  return 0;
}
