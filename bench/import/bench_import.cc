// Import throughput of SqliteBankStore: writes an N-row bank file of random PDQ hashes
// with labels and quality to a temp dir, imports it into a fresh database file, and prints
// rows/s. Usage: bench_import [rows] [csv|jsonl] (default 1000000 rows, both formats).
// Files are removed afterwards.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "store/sqlite_bank_store.h"

namespace {

using vigil::BankFormat;

void WriteBankFile(const std::string& path, BankFormat format, uint64_t rows) {
  std::ofstream out(path, std::ios::binary);
  std::mt19937_64 rng(42);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hash(64, '0'), line;
  if (format == BankFormat::kCsv) out << "signal_type,signal,labels,quality,source\n";
  for (uint64_t i = 0; i < rows; ++i) {
    for (int w = 0; w < 4; ++w) {
      uint64_t v = rng();
      for (int k = 0; k < 16; ++k) hash[w * 16 + k] = kHex[(v >> (4 * k)) & 15];
    }
    std::string quality = std::to_string(50 + i % 51);
    std::string entity = "entity:e" + std::to_string(i % 97);
    if (format == BankFormat::kCsv) {
      line = "pdq," + hash + "," + entity + ";behaviour:b" + std::to_string(i % 7) + "," +
             quality + ",bench\n";
    } else {
      line = "{\"signal_type\":\"pdq\",\"signal\":\"" + hash + "\",\"labels\":[\"" + entity +
             "\",\"behaviour:b" + std::to_string(i % 7) + "\"],\"quality\":" + quality +
             ",\"source\":\"bench\"}\n";
    }
    out << line;
  }
}

// Returns false when the import failed.
bool Run(const std::filesystem::path& dir, BankFormat format, uint64_t rows) {
  const char* name = format == BankFormat::kCsv ? "csv" : "jsonl";
  std::string data = (dir / (std::string("bank.") + name)).string();
  std::string db_path = (dir / (std::string(name) + ".db")).string();
  WriteBankFile(data, format, rows);
  auto store = vigil::SqliteBankStore::Open(db_path);
  if (!store.ok() || !(*store)->CreateBank({"bench", "", true, {}}).ok()) return false;
  std::ifstream in(data, std::ios::binary);
  vigil::ImportOptions options;
  options.format = format;
  auto start = std::chrono::steady_clock::now();
  std::clock_t cpu_start = std::clock();
  auto report = (*store)->Import("bench", in, options);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  if (!report.ok() || !report->committed) {
    std::fprintf(stderr, "%s import failed: %s\n", name,
                 report.ok() ? report->errors.front().message.c_str()
                             : report.status().ToString().c_str());
    return false;
  }
  // CPU time too: on a shared machine wall time says more about the neighbours.
  std::printf("%-5s %8llu rows  %6.2f s wall %8.0f rows/s  %6.2f s cpu %8.0f rows/cpu-s"
              "  (inserted %llu, duplicate %llu)\n",
              name, static_cast<unsigned long long>(report->rows_read), secs,
              static_cast<double>(report->rows_read) / secs, cpu,
              static_cast<double>(report->rows_read) / cpu,
              static_cast<unsigned long long>(report->rows_inserted),
              static_cast<unsigned long long>(report->rows_duplicate));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t rows = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  auto dir = std::filesystem::temp_directory_path() /
             ("vigil_bench_import_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string only = argc > 2 ? argv[2] : "";
  bool ok = (only == "jsonl" || Run(dir, BankFormat::kCsv, rows)) &&
            (only == "csv" || Run(dir, BankFormat::kJsonLines, rows));
  std::filesystem::remove_all(dir);
  return ok ? 0 : 1;
}
