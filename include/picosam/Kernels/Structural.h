//===- Structural.h - padding and slicing -------------------------*- C++ -*-===//
//
// Kernels of the structural ops CNN exports emit around their convolutions,
// for every element type: they move elements (and fill new ones) without
// arithmetic, so a quantized tensor moves as its storage values.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_STRUCTURAL_H
#define PICOSAM_KERNELS_STRUCTURAL_H

#include "picosam/Kernels/Indexing.h"

#include <cstdint>
#include <vector>

namespace picosam::kernels {

/// ONNX Pad's modes (the pico dialect's PadMode converts to this).
enum class PadMode { Constant, Reflect, Edge };

/// The input position output position `position` of a padded axis reads,
/// the axis having `before` new elements in front of its `size` input
/// ones; -1 for a constant fill. Reflect needs before, after < size; edge
/// size > 0.
int64_t padSourcePosition(int64_t position, int64_t before, int64_t size,
                          PadMode mode);

/// Pads `in` (of `inShape`, rank r) by `pads` (2r sizes >= 0: before each
/// axis, then after each axis, as ONNX) into `out`, filling `value` in
/// constant mode.
template <typename T>
void pad(const T *in, Span<int64_t> inShape, Span<int64_t> pads, PadMode mode,
         T value, T *out) {
  size_t rank = inShape.size();
  std::vector<int64_t> outShape(rank), inStrides = rowMajorStrides(inShape);
  for (size_t axis = 0; axis < rank; ++axis)
    outShape[axis] = pads[axis] + inShape[axis] + pads[rank + axis];
  forEachIndex(outShape, [&](const std::vector<int64_t> &index) {
    int64_t offset = 0;
    for (size_t axis = 0; axis < rank; ++axis) {
      int64_t source =
          padSourcePosition(index[axis], pads[axis], inShape[axis], mode);
      if (source < 0) {
        *out++ = value;
        return;
      }
      offset += source * inStrides[axis];
    }
    *out++ = in[offset];
  });
}

/// The strided slice of `in` (of `inShape`): output element i along each
/// axis is input element offsets[axis] + i * strides[axis], for the
/// `sizes` of the output; every element read must lie inside `in`.
template <typename T>
void slice(const T *in, Span<int64_t> inShape, Span<int64_t> offsets,
           Span<int64_t> sizes, Span<int64_t> strides, T *out) {
  size_t rank = inShape.size();
  std::vector<int64_t> inStrides = rowMajorStrides(inShape);
  int64_t base = 0;
  std::vector<int64_t> steps(rank);
  for (size_t axis = 0; axis < rank; ++axis) {
    base += offsets[axis] * inStrides[axis];
    steps[axis] = strides[axis] * inStrides[axis];
  }
  forEachIndex(sizes, [&](const std::vector<int64_t> &index) {
    int64_t offset = base;
    for (size_t axis = 0; axis < rank; ++axis)
      offset += index[axis] * steps[axis];
    *out++ = in[offset];
  });
}

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_STRUCTURAL_H
