//===- ShapeUtils.cpp - shape arithmetic of the pico ops ------------------===//
#include "Pico/ShapeUtils.h"

#include "llvm/Support/CheckedArithmetic.h"

#include <cmath>

using namespace llvm;

namespace picosam::pico {

std::optional<SmallVector<int64_t, 4>> broadcastShapes(ArrayRef<int64_t> lhs,
                                                       ArrayRef<int64_t> rhs) {
  if (lhs.size() < rhs.size())
    std::swap(lhs, rhs);
  // lhs is the longer shape; rhs lines up with its last rhs.size() axes.
  SmallVector<int64_t, 4> result(lhs);
  size_t offset = lhs.size() - rhs.size();
  for (auto [index, rhsSize] : enumerate(rhs)) {
    int64_t &size = result[offset + index];
    if (size < 0 || rhsSize < 0)
      return std::nullopt;
    if (size == 1)
      size = rhsSize;
    else if (rhsSize != 1 && rhsSize != size)
      return std::nullopt;
  }
  if (any_of(result, [](int64_t size) { return size < 0; }))
    return std::nullopt;
  return result;
}

std::optional<int64_t> numElements(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t size : shape) {
    if (size < 0)
      return std::nullopt;
    std::optional<int64_t> product = checkedMul(count, size);
    if (!product)
      return std::nullopt;
    count = *product;
  }
  return count;
}

std::optional<int64_t> byteSize(ArrayRef<int64_t> shape,
                                int64_t elementBytes) {
  std::optional<int64_t> count = numElements(shape);
  if (!count || elementBytes < 0)
    return std::nullopt;
  return checkedMul(*count, elementBytes);
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

std::optional<int64_t> dilatedKernelExtent(int64_t kernel, int64_t dilation) {
  if (kernel < 1 || dilation < 1)
    return std::nullopt;
  return checkedMulAdd(kernel - 1, dilation, int64_t(1));
}

/// The padded input size minus the dilated kernel extent: how far the window
/// can slide. Negative when the window does not fit.
static std::optional<int64_t> slidingRange(int64_t in, int64_t kernel,
                                           int64_t stride, int64_t dilation,
                                           int64_t padBegin, int64_t padEnd) {
  if (in < 0 || stride < 1 || padBegin < 0 || padEnd < 0)
    return std::nullopt;
  std::optional<int64_t> extent = dilatedKernelExtent(kernel, dilation);
  std::optional<int64_t> padded = checkedAdd(in, padBegin);
  if (!extent || !padded || !(padded = checkedAdd(*padded, padEnd)))
    return std::nullopt;
  int64_t range = *padded - *extent;
  if (range < 0)
    return std::nullopt;
  return range;
}

std::optional<int64_t> convOutputSize(int64_t in, int64_t kernel,
                                      int64_t stride, int64_t dilation,
                                      int64_t padBegin, int64_t padEnd) {
  return poolOutputSize(in, kernel, stride, dilation, padBegin, padEnd,
                        /*ceilMode=*/false);
}

std::optional<int64_t> poolOutputSize(int64_t in, int64_t kernel,
                                      int64_t stride, int64_t dilation,
                                      int64_t padBegin, int64_t padEnd,
                                      bool ceilMode) {
  std::optional<int64_t> range =
      slidingRange(in, kernel, stride, dilation, padBegin, padEnd);
  if (!range)
    return std::nullopt;
  // range >= 0 and stride >= 1, so none of this overflows.
  int64_t size = *range / stride + 1;
  if (!ceilMode)
    return size;
  if (*range % stride != 0)
    ++size;
  // The last window starts at (size - 1) * stride in padded coordinates,
  // which must be before the end padding, i.e. < in + padBegin (which
  // slidingRange has shown not to overflow); otherwise it is dropped.
  std::optional<int64_t> lastStart = checkedMul(size - 1, stride);
  if (!lastStart || *lastStart >= in + padBegin)
    --size;
  if (size < 1)
    return std::nullopt;
  return size;
}

std::optional<int64_t> resizeOutputSize(int64_t in, float scale) {
  if (in < 0 || !std::isfinite(scale) || scale <= 0.0f)
    return std::nullopt;
  // In double: every int64_t size below 2^53 and every float scale are exact,
  // so the only rounding is the product's.
  double size = std::floor(static_cast<double>(in) * scale);
  if (size < 1.0 || size >= 0x1p63)
    return std::nullopt;
  return static_cast<int64_t>(size);
}

bool isResizeOutputSize(int64_t out, int64_t in, float scale) {
  if (out < 1 || in < 0 || !std::isfinite(scale) || scale <= 0.0f)
    return false;
  double exact = static_cast<double>(in) * scale;
  return std::fabs(static_cast<double>(out) - exact) < 1.0;
}

} // namespace picosam::pico
