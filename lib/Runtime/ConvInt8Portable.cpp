//===- ConvInt8Portable.cpp - the integer convolution's portable kernels --===//
//
// Baseline x86-64 (SSE2, the GEMM's intrinsics) or plain C++ on any CPU:
// the requantization is the reference's own arithmetic; the other loops
// are left to the compiler.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/ConvInt8Kernels.h"

#include "picosam/Kernels/FixedPoint.h"

#include <algorithm>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

using namespace picosam;
using namespace picosam::runtime::int8;

namespace {

#ifdef __SSE2__
/// Rows [0, MR) of the tile, 16 pixels at a time: pmaddwd of the taps'
/// even and odd bytes (zero-extended) with the weights' (sign-extended),
/// as the AVX2 kernel does on 8 lanes.
template <int MR>
void gemmRows(const PackedBlock &block, const int8_t *weight,
              int64_t weightStride, int32_t *tile) {
  constexpr int kVectors = 4;
  int64_t groupBytes = 4 * block.blockPixels;
  int64_t groups = (block.depth + 3) / 4;
  __m128i lowBytes = _mm_set1_epi16(0xff);
  for (int64_t p = 0; p < block.pixels; p += 4 * kVectors) {
    __m128i acc[MR][kVectors];
    for (int m = 0; m < MR; ++m)
      for (int v = 0; v < kVectors; ++v)
        acc[m][v] = _mm_setzero_si128();
    for (int64_t g = 0; g < groups; ++g) {
      __m128i evenWeights[MR], oddWeights[MR];
      for (int m = 0; m < MR; ++m) {
        __m128i w = _mm_set1_epi32(
            loadWeightWord(weight + m * weightStride, 4 * g, block.depth));
        evenWeights[m] = _mm_srai_epi16(_mm_slli_epi16(w, 8), 8);
        oddWeights[m] = _mm_srai_epi16(w, 8);
      }
      const uint8_t *u = block.data + g * groupBytes + 4 * p;
      for (int v = 0; v < kVectors; ++v) {
        __m128i x =
            _mm_loadu_si128(reinterpret_cast<const __m128i *>(u + 16 * v));
        __m128i evenTaps = _mm_and_si128(x, lowBytes);
        __m128i oddTaps = _mm_srli_epi16(x, 8);
        for (int m = 0; m < MR; ++m)
          acc[m][v] = _mm_add_epi32(
              acc[m][v], _mm_add_epi32(_mm_madd_epi16(evenTaps, evenWeights[m]),
                                       _mm_madd_epi16(oddTaps, oddWeights[m])));
      }
    }
    for (int m = 0; m < MR; ++m)
      for (int v = 0; v < kVectors; ++v)
        _mm_storeu_si128(reinterpret_cast<__m128i *>(
                             tile + m * block.blockPixels + p + 4 * v),
                         acc[m][v]);
  }
}

void gemm(const PackedBlock &block, const int8_t *weight, int64_t weightStride,
          int64_t rows, int32_t *tile) {
  int64_t m = 0;
  for (; m + 2 <= rows; m += 2)
    gemmRows<2>(block, weight + m * weightStride, weightStride,
                tile + m * block.blockPixels);
  if (m < rows)
    gemmRows<1>(block, weight + m * weightStride, weightStride,
                tile + m * block.blockPixels);
}
#else
void gemm(const PackedBlock &block, const int8_t *weight, int64_t weightStride,
          int64_t rows, int32_t *tile) {
  int64_t groupBytes = 4 * block.blockPixels;
  for (int64_t m = 0; m < rows; ++m) {
    const int8_t *w = weight + m * weightStride;
    int32_t *acc = tile + m * block.blockPixels;
    std::fill(acc, acc + block.pixels, 0);
    for (int64_t k = 0; k < block.depth; k += 4) {
      int32_t word = loadWeightWord(w, k, block.depth);
      int32_t w0 = int8_t(word), w1 = int8_t(word >> 8),
              w2 = int8_t(word >> 16), w3 = int8_t(word >> 24);
      const uint8_t *u = block.data + (k / 4) * groupBytes;
      for (int64_t p = 0; p < block.pixels; ++p)
        acc[p] += w0 * u[4 * p] + w1 * u[4 * p + 1] + w2 * u[4 * p + 2] +
                  w3 * u[4 * p + 3];
    }
  }
}
#endif

template <typename T> int32_t storageAt(const void *data, int64_t i) {
  return static_cast<const T *>(data)[i];
}

void requantizeRow(const RowRequantization &row, const int32_t *sums, int64_t n,
                   void *out) {
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

void depthwiseSums(const DepthwiseQuads &quads, int32_t *sums, int64_t n) {
  for (int64_t c = 0; c < quads.channels; ++c) {
    int32_t *channelSums = sums + c * n;
    std::fill(channelSums, channelSums + n, 0);
    for (int64_t r = 0; r < quads.count; ++r)
      for (int64_t t = 0; t < 4; ++t) {
        auto w = static_cast<int8_t>(
            uint32_t(quads.weights[c * quads.count + r]) >> (8 * t));
        const uint8_t *row = quads.row(c, r) + t * quads.dilation;
        for (int64_t i = 0; i < n; ++i)
          channelSums[i] += w * row[i * quads.stride];
      }
  }
}

} // namespace

const Kernels &picosam::runtime::int8::portableKernels() {
  static constexpr Kernels kernels{
      gemm, requantizeByRows<requantizeRow>, depthwiseSums};
  return kernels;
}
