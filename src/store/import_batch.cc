#include "store/import_batch.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace vigil {

static_assert(sizeof(ImportBatch::Row) <= 64, "a full batch must stay within its memory bound");

void ImportBatch::Add(const BankRow& row) {
  Row& r = rows_.emplace_back();
  r.value = row.value;
  r.added_at = row.added_at.value_or(0);
  r.has_added_at = row.added_at.has_value();
  r.seq = static_cast<uint32_t>(rows_.size() - 1);
  r.type = static_cast<uint8_t>(row.type);
  r.opinion = static_cast<uint8_t>(row.opinion);
  r.quality = static_cast<int8_t>(row.quality.value_or(-1));  // validated 0..100
  r.value_size = static_cast<uint8_t>(row.value_size);
  r.disabled = row.disabled;
  r.text_off = static_cast<uint32_t>(arena_.size());
  r.labels_len = static_cast<uint32_t>(row.labels.size());
  arena_ += row.labels;
  if (row.source) {
    r.has_source = true;
    r.source_len = static_cast<uint32_t>(row.source->size());
    arena_ += *row.source;
  }
  if (IsVideoSignalType(row.type)) {
    const uint32_t size = static_cast<uint32_t>(row.body.size());
    arena_.append(reinterpret_cast<const char*>(&size), sizeof size);
    arena_ += row.body;
  }
}

namespace {
uint64_t Prefix(const ImportBatch::Row& r) {
  uint64_t v;
  std::memcpy(&v, r.value.data(), sizeof v);  // always value bytes: value_size >= 16
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
  return v;
}
}  // namespace

void ImportBatch::Sort() {
  std::sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) {
    if (a.type != b.type) return SignalTypeName(Type(a)) < SignalTypeName(Type(b));
    // The first 8 bytes as a big-endian number order like memcmp and, for hashes, almost
    // always decide: one inline compare instead of a memcmp call per comparison.
    uint64_t pa = Prefix(a), pb = Prefix(b);
    if (pa != pb) return pa < pb;
    int c = std::memcmp(a.value.data(), b.value.data(), a.value_size);
    if (c != 0) return c < 0;
    return a.seq < b.seq;
  });
}

std::optional<std::string_view> ImportBatch::Source(const Row& r) const {
  if (!r.has_source) return std::nullopt;
  return std::string_view(arena_.data() + r.text_off + r.labels_len, r.source_len);
}

std::string_view ImportBatch::Body(const Row& r) const {
  if (!IsVideoSignalType(Type(r))) return {};
  const size_t at = size_t{r.text_off} + r.labels_len + r.source_len;
  uint32_t size = 0;
  std::memcpy(&size, arena_.data() + at, sizeof size);
  return std::string_view(arena_.data() + at + sizeof size, size);
}

std::optional<int> ImportBatch::Quality(const Row& r) {
  if (r.quality < 0) return std::nullopt;
  return r.quality;
}

std::optional<int64_t> ImportBatch::AddedAt(const Row& r) {
  if (!r.has_added_at) return std::nullopt;
  return r.added_at;
}

void ImportBatch::Clear() {
  rows_.clear();
  arena_.clear();
}

}  // namespace vigil
