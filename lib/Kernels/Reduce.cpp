//===- Reduce.cpp - which elements a reduction reads ----------------------===//
#include "picosam/Kernels/Reduce.h"
#include "picosam/Kernels/Indexing.h"

using namespace picosam::kernels;

ReductionGeometry picosam::kernels::reductionGeometry(Span<int64_t> shape,
                                                      Span<int64_t> axes) {
  std::vector<int64_t> strides = rowMajorStrides(shape);
  std::vector<bool> reduced(shape.size(), false);
  for (int64_t axis : axes)
    reduced[axis] = true;
  // The kept axes index the outputs, the reduced ones the elements each
  // reads; a size-1 shape stands for the other kind of axis.
  std::vector<int64_t> keptShape(shape.size(), 1), reducedShape(shape.size(), 1);
  for (size_t axis = 0; axis < shape.size(); ++axis)
    (reduced[axis] ? reducedShape : keptShape)[axis] = shape[axis];
  auto offsetsOf = [&](const std::vector<int64_t> &axisShape) {
    std::vector<int64_t> offsets;
    forEachIndex(axisShape, [&](const std::vector<int64_t> &index) {
      int64_t offset = 0;
      for (size_t axis = 0; axis < index.size(); ++axis)
        offset += index[axis] * strides[axis];
      offsets.push_back(offset);
    });
    return offsets;
  };
  return {offsetsOf(keptShape), offsetsOf(reducedShape)};
}

void picosam::kernels::reduceSum(const float *input,
                                 const ReductionGeometry &geometry,
                                 float *output) {
  for (size_t o = 0; o < geometry.bases.size(); ++o) {
    double sum = 0;
    const float *in = input + geometry.bases[o];
    for (int64_t offset : geometry.offsets)
      sum += in[offset];
    output[o] = static_cast<float>(sum);
  }
}
