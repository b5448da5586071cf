//===- DataMovement.h - concatenation and transposition ----------*- C++ -*-===//
//
// Kernels that only move elements, for every element type; concatenation
// passes each element through a caller's function on the way (the integer
// kernels move each input to the result's quantization there).
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_DATAMOVEMENT_H
#define PICOSAM_KERNELS_DATAMOVEMENT_H

#include "picosam/Kernels/Indexing.h"

#include <cstdint>
#include <vector>

namespace picosam::kernels {

/// Concatenation along an axis: the tensors are `outer` rows (the product of
/// the sizes before the axis); input i gives each row of the result
/// rowSizes[i] elements (its size along the axis times the sizes after it),
/// after those of the inputs before it. out = transform(i, element), which
/// may also read the element as input i's type (`In` is then its bytes).
template <typename In, typename Out, typename Fn>
void concat(Span<const In *> inputs, Span<int64_t> rowSizes, int64_t outer,
            Out *out, Fn &&transform) {
  int64_t outRow = 0;
  for (int64_t row : rowSizes)
    outRow += row;
  int64_t column = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const In *in = inputs[i];
    int64_t row = rowSizes[i];
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t j = 0; j < row; ++j)
        out[o * outRow + column + j] = transform(i, in[o * row + j]);
    column += row;
  }
}

/// Permutes the axes of `in` (of `inShape`): output axis i is input axis
/// perm[i], which must be a permutation.
template <typename T>
void transpose(const T *in, Span<int64_t> inShape, Span<int64_t> perm,
               T *out) {
  int64_t rank = static_cast<int64_t>(inShape.size());
  // Output axis i steps through input axis perm[i].
  std::vector<int64_t> inStrides = rowMajorStrides(inShape);
  std::vector<int64_t> strides(rank), outShape(rank);
  for (int64_t axis = 0; axis < rank; ++axis) {
    strides[axis] = inStrides[perm[axis]];
    outShape[axis] = inShape[perm[axis]];
  }
  forEachIndex(outShape, [&](const std::vector<int64_t> &index) {
    int64_t offset = 0;
    for (int64_t axis = 0; axis < rank; ++axis)
      offset += index[axis] * strides[axis];
    *out++ = in[offset];
  });
}

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_DATAMOVEMENT_H
