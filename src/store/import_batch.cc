#include "store/import_batch.h"

#include <algorithm>
#include <cstring>

namespace vigil {

void ImportBatch::Add(const BankRow& row, uint64_t line) {
  Row& r = rows_.emplace_back();
  r.type = row.type;
  r.value = row.value;
  r.value_size = static_cast<uint8_t>(row.value_size);
  r.disabled = row.disabled;
  r.opinion = row.opinion;
  r.quality = row.quality;
  r.added_at = row.added_at;
  r.line = line;
  r.labels_off = static_cast<uint32_t>(arena_.size());
  r.labels_len = static_cast<uint32_t>(row.labels.size());
  arena_ += row.labels;
  if (row.source) {
    r.has_source = true;
    r.source_off = static_cast<uint32_t>(arena_.size());
    r.source_len = static_cast<uint32_t>(row.source->size());
    arena_ += *row.source;
  }
}

void ImportBatch::Sort() {
  std::sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) {
    if (a.type != b.type) return SignalTypeName(a.type) < SignalTypeName(b.type);
    int c = std::memcmp(a.value.data(), b.value.data(), a.value_size);
    if (c != 0) return c < 0;
    return a.line < b.line;
  });
}

std::optional<std::string_view> ImportBatch::Source(const Row& r) const {
  if (!r.has_source) return std::nullopt;
  return std::string_view(arena_.data() + r.source_off, r.source_len);
}

void ImportBatch::Clear() {
  rows_.clear();
  arena_.clear();
}

}  // namespace vigil
