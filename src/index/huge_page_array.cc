#include "index/huge_page_array.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <new>

namespace vigil::index_internal {

namespace {
constexpr size_t kHugePage = size_t{2} << 20;
}  // namespace

void* AllocateZeroed(size_t bytes, HugePages huge_pages, size_t* mapped) {
  if (bytes < kHugePage) {  // small: the C heap, zeroed; mapped == 0 marks it
    *mapped = 0;
    return std::calloc(1, bytes);
  }
  // Map one extra huge page so the array can start on a 2 MiB boundary: THP backs only
  // whole, aligned 2 MiB ranges.
  *mapped = bytes + kHugePage;
  void* base = mmap(nullptr, *mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return nullptr;
  if (huge_pages == HugePages::kAdvise) {
    // Advice only: without THP support the array still works on 4 KiB pages.
    (void)madvise(base, *mapped, MADV_HUGEPAGE);
  }
  return base;
}

void FreeZeroed(void* base, size_t mapped) {
  if (base == nullptr) return;
  if (mapped == 0) {
    std::free(base);
  } else {
    munmap(base, mapped);
  }
}

void* AlignedStart(void* base, size_t /*bytes*/, size_t mapped) {
  if (mapped == 0) return base;
  const auto addr = reinterpret_cast<uintptr_t>(base);
  return reinterpret_cast<void*>((addr + kHugePage - 1) & ~(kHugePage - 1));
}

}  // namespace vigil::index_internal
