//===- Span.h - a read-only view of contiguous elements ---------*- C++ -*-===//
//
// What the kernels take shapes and parameter lists as (C++17 has no
// std::span): built from a std::vector, an llvm::ArrayRef or a braced list
// alike, so callers on either side of the MLIR boundary pass what they have.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_SPAN_H
#define PICOSAM_KERNELS_SPAN_H

#include <cassert>
#include <cstddef>
#include <initializer_list>
#include <type_traits>
#include <utility>

namespace picosam::kernels {

template <typename T> class Span {
public:
  constexpr Span() = default;
  constexpr Span(const T *data, size_t size) : data_(data), size_(size) {}
  /// Valid for the call it is passed to, like any braced temporary (as
  /// llvm::ArrayRef's, which GCC warns about the same way).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
#endif
  constexpr Span(std::initializer_list<T> list)
      : data_(list.begin()), size_(list.size()) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  /// Any container with contiguous `data()` and `size()`.
  template <typename Container,
            typename = std::enable_if_t<std::is_convertible_v<
                decltype(std::declval<const Container &>().data()),
                const T *>>>
  constexpr Span(const Container &container)
      : data_(container.data()), size_(container.size()) {}

  constexpr const T *data() const { return data_; }
  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  constexpr const T *begin() const { return data_; }
  constexpr const T *end() const { return data_ + size_; }
  constexpr const T &operator[](size_t index) const {
    assert(index < size_ && "index out of range");
    return data_[index];
  }
  constexpr const T &back() const { return (*this)[size_ - 1]; }
  /// The first `count` elements, and all but them.
  constexpr Span takeFront(size_t count) const {
    assert(count <= size_ && "taking more than the span holds");
    return {data_, count};
  }
  constexpr Span dropFront(size_t count) const {
    assert(count <= size_ && "dropping more than the span holds");
    return {data_ + count, size_ - count};
  }

  friend bool operator==(Span a, Span b) {
    if (a.size() != b.size())
      return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!(a[i] == b[i]))
        return false;
    return true;
  }
  friend bool operator!=(Span a, Span b) { return !(a == b); }

private:
  const T *data_ = nullptr;
  size_t size_ = 0;
};

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_SPAN_H
