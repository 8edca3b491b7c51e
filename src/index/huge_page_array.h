// HugePageArray<T>: a fixed-size, zero-filled array of trivially copyable T for the big
// arrays of MultiIndexHammingIndex. Arrays of 2 MiB or more are mmap'ed on a 2 MiB
// boundary and advised MADV_HUGEPAGE: the index probes its tables at random, and with
// 4 KiB pages nearly every probe of a 1 GB index is also a TLB miss and a page walk;
// with 2 MiB pages the whole index fits in the L2 TLB.
//
// Thread safety: none of its own; it is plain memory.
#pragma once

#include <cstddef>
#include <new>
#include <span>
#include <type_traits>
#include <utility>

namespace vigil::index_internal {

enum class HugePages { kAdvise, kOff };

// Raw allocation behind HugePageArray; `*mapped` receives the size to pass to
// FreeZeroed. Returns nullptr only when the OS refuses the memory.
void* AllocateZeroed(size_t bytes, HugePages huge_pages, size_t* mapped);
void FreeZeroed(void* base, size_t mapped);
// The aligned start inside an allocation (mmap'ed blocks are aligned up to 2 MiB).
void* AlignedStart(void* base, size_t bytes, size_t mapped);

template <typename T>
class HugePageArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  HugePageArray() = default;
  HugePageArray(size_t size, HugePages huge_pages) : size_(size) {
    if (size == 0) return;
    base_ = AllocateZeroed(size * sizeof(T), huge_pages, &mapped_);
    if (base_ == nullptr) throw std::bad_alloc();
    data_ = static_cast<T*>(AlignedStart(base_, size * sizeof(T), mapped_));
  }
  HugePageArray(HugePageArray&& o) noexcept { *this = std::move(o); }
  HugePageArray& operator=(HugePageArray&& o) noexcept {
    std::swap(base_, o.base_);
    std::swap(mapped_, o.mapped_);
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    return *this;
  }
  HugePageArray(const HugePageArray&) = delete;
  HugePageArray& operator=(const HugePageArray&) = delete;
  ~HugePageArray() { FreeZeroed(base_, mapped_); }

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  size_t bytes() const { return size_ * sizeof(T); }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  std::span<const T> span() const { return {data_, size_}; }

 private:
  void* base_ = nullptr;
  size_t mapped_ = 0;
  T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace vigil::index_internal
