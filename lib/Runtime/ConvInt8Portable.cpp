//===- ConvInt8Portable.cpp - the integer convolution's portable kernels --===//
//
// Plain C++ for baseline x86-64 (or any CPU): the requantization is the
// reference's own arithmetic; the loops are left to the compiler.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/ConvInt8Kernels.h"

#include "picosam/Kernels/FixedPoint.h"

#include <algorithm>

using namespace picosam;
using namespace picosam::runtime::int8;

namespace {

void gemm(const PackedBlock &block, const int8_t *weight, int64_t weightStride,
          int64_t rows, int32_t *tile) {
  int64_t groupBytes = 4 * block.blockPixels;
  for (int64_t m = 0; m < rows; ++m) {
    const int8_t *w = weight + m * weightStride;
    int32_t *acc = tile + m * block.blockPixels;
    std::fill(acc, acc + block.pixels, 0);
    for (int64_t k = 0; k < block.depth; k += 4) {
      int32_t w0 = w[k];
      int32_t w1 = k + 1 < block.depth ? w[k + 1] : 0;
      int32_t w2 = k + 2 < block.depth ? w[k + 2] : 0;
      int32_t w3 = k + 3 < block.depth ? w[k + 3] : 0;
      const uint8_t *u = block.data + (k / 4) * groupBytes;
      for (int64_t p = 0; p < block.pixels; ++p)
        acc[p] += w0 * u[4 * p] + w1 * u[4 * p + 1] + w2 * u[4 * p + 2] +
                  w3 * u[4 * p + 3];
    }
  }
}

void rowSums(const int8_t *weight, int64_t stride, int64_t depth, int64_t rows,
             int32_t *sums) {
  for (int64_t m = 0; m < rows; ++m) {
    int32_t sum = 0;
    for (int64_t k = 0; k < depth; ++k)
      sum += weight[m * stride + k];
    sums[m] = sum;
  }
}

template <typename T> int32_t storageAt(const void *data, int64_t i) {
  return static_cast<const T *>(data)[i];
}

void requantizeRow(const RowRequantization &row, const int32_t *sums,
                   int64_t n, void *out) {
  fixedpoint::QuantizedMultiplier multiplier{row.multiplier, row.shift},
      residualMultiplier{row.residualMultiplier, row.residualShift};
  for (int64_t i = 0; i < n; ++i) {
    int64_t sum = int64_t(sums[i]) + row.offset;
    if (row.residual) {
      int32_t r = row.residualSigned ? storageAt<int8_t>(row.residual, i)
                                     : storageAt<uint8_t>(row.residual, i);
      sum += fixedpoint::multiplyByQuantizedMultiplier(
          r - row.residualZeroPoint, residualMultiplier);
    }
    int32_t scaled = fixedpoint::multiplyByQuantizedMultiplier(
        fixedpoint::saturateToInt32(sum), multiplier);
    int32_t value = std::clamp(
        fixedpoint::saturateToInt32(int64_t(row.outputZeroPoint) + scaled),
        row.clampMin, row.clampMax);
    if (row.outputSigned)
      static_cast<int8_t *>(out)[i] = static_cast<int8_t>(value);
    else
      static_cast<uint8_t *>(out)[i] = static_cast<uint8_t>(value);
  }
}

void requantize(const Requantization &block) {
  for (int64_t r = 0; r < block.rows; ++r)
    requantizeRow(block.row(r), block.sums + r * block.sumStride, block.n,
                  block.outputRow(r));
}

void widen(const void *in, bool isSigned, int32_t zeroPoint, int64_t n,
           int64_t upsample, int32_t *out) {
  for (int64_t i = 0; i < n; ++i) {
    int32_t value = (isSigned ? storageAt<int8_t>(in, i)
                              : storageAt<uint8_t>(in, i)) -
                    zeroPoint;
    for (int64_t j = 0; j < upsample; ++j)
      out[i * upsample + j] = value;
  }
}

void multiplyAccumulate(int32_t *acc, const int32_t *x, const int8_t *w,
                        int64_t taps, int64_t dilation, int64_t n,
                        int64_t stride) {
  for (int64_t t = 0; t < taps; ++t)
    for (int64_t i = 0; i < n; ++i)
      acc[i] += w[t] * x[i * stride + t * dilation];
}

} // namespace

const Kernels &picosam::runtime::int8::portableKernels() {
  static constexpr Kernels kernels{gemm, rowSums, requantize, widen,
                                   multiplyAccumulate};
  return kernels;
}
