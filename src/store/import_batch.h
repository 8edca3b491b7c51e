// ImportBatch: a bounded run of validated import rows, sorted into the database's key
// order before they are inserted. Inserting random 256-bit keys one by one into a B-tree
// touches a random leaf per row and is bound by memory latency; the same keys in sorted
// order walk the tree once per batch, and when they all sort after the index's last entry
// (a new bank) every insert is an append that SQLite finds without a descent from the
// root (see docs/schema.md). The batch is bounded (kMaxRows, kMaxArenaBytes: about 100 MiB
// at most), so an import of any size holds one batch, never the file.
// Database-independent: any BankStore can use it.
//
// Thread-safety: one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/bank_row.h"

namespace vigil {

class ImportBatch {
 public:
  // 2^20 rows: a 1M-row file is one batch, so a new bank's index inserts are all appends.
  // Rows are 64 bytes, so a full batch is 64 MiB of rows plus the arena.
  static constexpr size_t kMaxRows = size_t{1} << 20;
  // Labels, sources and video signals' texts (up to ~0.9 MB each: a batch of them fills
  // at ~36 rows, which only makes more, smaller batches).
  static constexpr size_t kMaxArenaBytes = size_t{32} << 20;

  // One staged row, packed into 64 bytes (the batch's memory is mostly these).
  struct Row {
    std::array<uint8_t, 32> value{};
    int64_t added_at = 0;     // valid when has_added_at
    uint32_t seq = 0;         // position in the batch: equal keys keep their input order
    uint32_t text_off = 0;    // labels, then source, in the arena
    uint32_t labels_len = 0, source_len = 0;
    uint8_t type = 0;         // SignalType, a byte to keep the row in 64 bytes
    uint8_t opinion = 0;      // Opinion, likewise
    int8_t quality = -1;      // -1: not given
    uint8_t value_size = 0;
    bool disabled = false;
    bool has_source = false;
    bool has_added_at = false;
  };

  // Copies `row` into the batch.
  void Add(const BankRow& row);
  bool full() const { return rows_.size() >= kMaxRows || arena_.size() >= kMaxArenaBytes; }
  bool empty() const { return rows_.empty(); }
  // Sorts by (signal type name, value bytes, input order): the order of the unique index,
  // and for repeated keys the first line first, so the first occurrence is the one kept.
  void Sort();
  const std::vector<Row>& rows() const { return rows_; }
  std::string_view Labels(const Row& r) const { return {arena_.data() + r.text_off, r.labels_len}; }
  std::optional<std::string_view> Source(const Row& r) const;
  // A video signal's canonical text (BankRow::body); "" for other types. Kept in the arena
  // after the source, behind its 4-byte length, so Row stays 64 bytes.
  std::string_view Body(const Row& r) const;
  static SignalType Type(const Row& r) { return static_cast<SignalType>(r.type); }
  static Opinion OpinionOf(const Row& r) { return static_cast<Opinion>(r.opinion); }
  static std::optional<int> Quality(const Row& r);
  static std::optional<int64_t> AddedAt(const Row& r);
  void Clear();

 private:
  std::vector<Row> rows_;
  std::string arena_;
};

}  // namespace vigil
