//===- Indexing.cpp - where kernels read their input ----------------------===//
#include "picosam/Kernels/Indexing.h"

#include <algorithm>
#include <cmath>

using namespace picosam::kernels;

/// Whether `shape` has no element. The sizes of a shape with elements
/// multiply within int64 (the verifiers reject other types); those of an
/// empty one need not, and are not multiplied.
static bool isEmpty(Span<int64_t> shape) {
  return std::find(shape.begin(), shape.end(), 0) != shape.end();
}

int64_t picosam::kernels::numElements(Span<int64_t> shape) {
  if (isEmpty(shape))
    return 0;
  int64_t count = 1;
  for (int64_t size : shape)
    count *= size;
  return count;
}

std::vector<int64_t> picosam::kernels::rowMajorStrides(Span<int64_t> shape) {
  // An empty tensor's strides address nothing: 0.
  std::vector<int64_t> strides(shape.size());
  if (isEmpty(shape))
    return strides;
  int64_t stride = 1;
  for (size_t axis = shape.size(); axis-- > 0;) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
}

std::optional<BroadcastIndexer>
BroadcastIndexer::create(Span<int64_t> operandShape,
                         Span<int64_t> resultShape) {
  if (operandShape.size() > resultShape.size())
    return std::nullopt;
  BroadcastIndexer indexer;
  indexer.resultShape_.assign(resultShape.begin(), resultShape.end());
  indexer.operandStrides_.assign(resultShape.size(), 0);
  indexer.identity_ = operandShape == resultShape;
  size_t offset = resultShape.size() - operandShape.size();
  std::vector<int64_t> strides = rowMajorStrides(operandShape);
  for (size_t axis = 0; axis < operandShape.size(); ++axis) {
    int64_t dim = operandShape[axis];
    if (dim == resultShape[offset + axis])
      indexer.operandStrides_[offset + axis] = dim == 1 ? 0 : strides[axis];
    else if (dim != 1)
      return std::nullopt;
  }
  return indexer;
}

int64_t BroadcastIndexer::operandIndex(int64_t resultIndex) const {
  if (identity_)
    return resultIndex;
  int64_t operandIndex = 0;
  for (int64_t axis = static_cast<int64_t>(resultShape_.size()) - 1; axis >= 0;
       --axis) {
    int64_t dim = resultShape_[axis];
    operandIndex += (resultIndex % dim) * operandStrides_[axis];
    resultIndex /= dim;
  }
  return operandIndex;
}

float picosam::kernels::resizeSourceCoordinate(CoordinateTransformMode mode,
                                               int64_t x, float scale,
                                               int64_t inSize,
                                               int64_t outSize) {
  float xf = static_cast<float>(x);
  switch (mode) {
  case CoordinateTransformMode::HalfPixel:
    return (xf + 0.5f) / scale - 0.5f;
  case CoordinateTransformMode::PytorchHalfPixel:
    return outSize > 1 ? (xf + 0.5f) / scale - 0.5f : 0.0f;
  case CoordinateTransformMode::AlignCorners:
    return outSize == 1 ? 0.0f
                        : xf * static_cast<float>(inSize - 1) /
                              static_cast<float>(outSize - 1);
  case CoordinateTransformMode::Asymmetric:
    return xf / scale;
  case CoordinateTransformMode::TfHalfPixelForNearest:
    return (xf + 0.5f) / scale;
  }
  return xf; // Not reached: the switch covers every mode.
}

/// Source coordinate `x` rounded to an index as `nearest_mode` says.
static float roundNearest(NearestMode mode, float x) {
  bool halfway = x == std::floor(x) + 0.5f;
  switch (mode) {
  case NearestMode::RoundPreferFloor:
    return halfway ? std::floor(x) : std::round(x);
  case NearestMode::RoundPreferCeil:
    return halfway ? std::ceil(x) : std::round(x);
  case NearestMode::Floor:
    return std::floor(x);
  case NearestMode::Ceil:
    return std::ceil(x);
  }
  return x; // Not reached: the switch covers every mode.
}

int64_t picosam::kernels::resizeNearestIndex(NearestMode mode, float x,
                                             int64_t inSize) {
  return static_cast<int64_t>(
      std::clamp(roundNearest(mode, x), 0.0f, static_cast<float>(inSize - 1)));
}
