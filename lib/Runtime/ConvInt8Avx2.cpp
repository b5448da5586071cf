//===- ConvInt8Avx2.cpp - the integer convolution's AVX2 kernels ----------===//
//
// Every function carries its target attribute (the file is built for
// baseline x86-64), so nothing here runs unless ConvInt8.cpp found AVX2.
// The GEMM multiplies with vpmaddwd on zero-extended taps and sign-extended
// weights (int16 pairs, which cannot saturate, unlike vpmaddubsw); the
// requantization is multiplyByQuantizedMultiplier on 8 lanes. Row tails
// run the vector code on a copy.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/ConvInt8Kernels.h"

#include <immintrin.h>

#include <algorithm>
using namespace picosam::runtime::int8;

#define PICOSAM_AVX2 __attribute__((target("avx2")))

namespace {

constexpr int kRows = 2;
constexpr int kVectors = 4;

/// tile rows [0, MR) x pixels [8 * v0, 8 * (v0 + NV)) of the block.
template <int MR, int NV>
PICOSAM_AVX2 void microkernel(const PackedBlock &block, int64_t v0,
                              const int8_t *weight, int64_t stride,
                              int32_t *tile) {
  __m256i acc[MR][NV];
  for (int m = 0; m < MR; ++m)
    for (int v = 0; v < NV; ++v)
      acc[m][v] = _mm256_setzero_si256();
  int64_t groupBytes = 4 * block.blockPixels;
  int64_t groups = (block.depth + 3) / 4;
  __m256i lowBytes = _mm256_set1_epi16(0xff);
  for (int64_t g = 0; g < groups; ++g) {
    const uint8_t *u = block.data + g * groupBytes + 32 * v0;
    // Weights (w0, w1, w2, w3) as int16 pairs (w0, w2) and (w1, w3).
    __m256i evenWeights[MR], oddWeights[MR];
    for (int m = 0; m < MR; ++m) {
      __m256i w = _mm256_set1_epi32(
          loadWeightWord(weight + m * stride, 4 * g, block.depth));
      evenWeights[m] = _mm256_srai_epi16(_mm256_slli_epi16(w, 8), 8);
      oddWeights[m] = _mm256_srai_epi16(w, 8);
    }
    for (int v = 0; v < NV; ++v) {
      __m256i x =
          _mm256_loadu_si256(reinterpret_cast<const __m256i *>(u + 32 * v));
      __m256i evenTaps = _mm256_and_si256(x, lowBytes);
      __m256i oddTaps = _mm256_srli_epi16(x, 8);
      for (int m = 0; m < MR; ++m)
        acc[m][v] = _mm256_add_epi32(
            acc[m][v],
            _mm256_add_epi32(_mm256_madd_epi16(evenTaps, evenWeights[m]),
                             _mm256_madd_epi16(oddTaps, oddWeights[m])));
    }
  }
  for (int m = 0; m < MR; ++m)
    for (int v = 0; v < NV; ++v)
      _mm256_storeu_si256(reinterpret_cast<__m256i *>(
                              tile + m * block.blockPixels + 8 * (v0 + v)),
                          acc[m][v]);
}

template <int MR>
PICOSAM_AVX2 void rowsOf(const PackedBlock &block, const int8_t *weight,
                         int64_t stride, int32_t *tile) {
  int64_t vectors = (block.pixels + 7) / 8;
  int64_t v = 0;
  for (; v + kVectors <= vectors; v += kVectors)
    microkernel<MR, kVectors>(block, v, weight, stride, tile);
  switch (vectors - v) {
  case 1:
    return microkernel<MR, 1>(block, v, weight, stride, tile);
  case 2:
    return microkernel<MR, 2>(block, v, weight, stride, tile);
  case 3:
    return microkernel<MR, 3>(block, v, weight, stride, tile);
  default:
    return;
  }
}

PICOSAM_AVX2 void gemm(const PackedBlock &block, const int8_t *weight,
                       int64_t stride, int64_t rows, int32_t *tile) {
  int64_t m = 0;
  for (; m + kRows <= rows; m += kRows)
    rowsOf<kRows>(block, weight + m * stride, stride,
                  tile + m * block.blockPixels);
  if (m < rows)
    rowsOf<1>(block, weight + m * stride, stride, tile + m * block.blockPixels);
}

/// fixedpoint::multiplyByQuantizedMultiplier(x, {multiplier, shift}) per
/// lane (as the AVX-512 kernel's, which explains the steps).
PICOSAM_AVX2 __m256i multiplyByQuantizedMultiplier(__m256i x,
                                                   int32_t multiplier,
                                                   int32_t shift) {
  if (shift > 0) {
    __m128i count = _mm_cvtsi32_si128(shift);
    __m256i shifted = _mm256_sll_epi32(x, count);
    __m256i exact = _mm256_cmpeq_epi32(_mm256_sra_epi32(shifted, count), x);
    __m256i saturated = _mm256_blendv_epi8(
        _mm256_set1_epi32(INT32_MAX), _mm256_set1_epi32(INT32_MIN),
        _mm256_cmpgt_epi32(_mm256_setzero_si256(), x));
    x = _mm256_blendv_epi8(saturated, shifted, exact);
  }
  __m256i m = _mm256_set1_epi32(multiplier);
  __m256i nudge = _mm256_set1_epi64x(int64_t(1) << 30);
  __m256i even =
      _mm256_srli_epi64(_mm256_add_epi64(_mm256_mul_epi32(x, m), nudge), 31);
  __m256i odd = _mm256_slli_epi64(
      _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(x, 32), m), nudge),
      1);
  x = _mm256_blend_epi32(even, odd, 0xaa);
  if (shift < 0) {
    __m128i count = _mm_cvtsi32_si128(-shift);
    __m256i mask =
        _mm256_set1_epi32(static_cast<int32_t>((int64_t(1) << -shift) - 1));
    __m256i remainder = _mm256_and_si256(x, mask);
    __m256i threshold =
        _mm256_sub_epi32(_mm256_srai_epi32(mask, 1), _mm256_srai_epi32(x, 31));
    // quotient - (remainder > threshold ? -1 : 0)
    x = _mm256_sub_epi32(_mm256_sra_epi32(x, count),
                         _mm256_cmpgt_epi32(remainder, threshold));
  }
  return x;
}

PICOSAM_AVX2 __m256i loadBytes(const uint8_t *data, bool isSigned) {
  __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i *>(data));
  return isSigned ? _mm256_cvtepi8_epi32(bytes) : _mm256_cvtepu8_epi32(bytes);
}

/// 8 lanes of 8-bit values stored as bytes.
PICOSAM_AVX2 void storeBytes(uint8_t *data, __m256i x) {
  __m256i lowBytes = _mm256_shuffle_epi8(
      x, _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                          -1, -1, 0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1,
                          -1, -1, -1, -1));
  __m256i packed = _mm256_permutevar8x32_epi32(
      lowBytes, _mm256_setr_epi32(0, 4, 1, 1, 1, 1, 1, 1));
  _mm_storel_epi64(reinterpret_cast<__m128i *>(data),
                   _mm256_castsi256_si128(packed));
}

PICOSAM_AVX2 void requantizeVector(const RowRequantization &row,
                                   const int32_t *sums, const uint8_t *residual,
                                   uint8_t *out) {
  __m256i x = _mm256_add_epi32(
      _mm256_loadu_si256(reinterpret_cast<const __m256i *>(sums)),
      _mm256_set1_epi32(row.offset));
  if (residual) {
    __m256i r = _mm256_sub_epi32(loadBytes(residual, row.residualSigned),
                                 _mm256_set1_epi32(row.residualZeroPoint));
    x = _mm256_add_epi32(x, multiplyByQuantizedMultiplier(
                                r, row.residualMultiplier, row.residualShift));
  }
  x = multiplyByQuantizedMultiplier(x, row.multiplier, row.shift);
  x = _mm256_min_epi32(
      _mm256_max_epi32(x,
                       _mm256_set1_epi32(row.clampMin - row.outputZeroPoint)),
      _mm256_set1_epi32(row.clampMax - row.outputZeroPoint));
  storeBytes(out, _mm256_add_epi32(x, _mm256_set1_epi32(row.outputZeroPoint)));
}

PICOSAM_AVX2 void requantizeRow(const RowRequantization &row,
                                const int32_t *sums, int64_t n, void *out) {
  auto *residual = static_cast<const uint8_t *>(row.residual);
  auto *bytes = static_cast<uint8_t *>(out);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    requantizeVector(row, sums + i, residual ? residual + i : nullptr,
                     bytes + i);
  if (i == n)
    return;
  int32_t tailSums[8] = {};
  uint8_t tailResidual[8] = {}, tailOut[8];
  std::copy(sums + i, sums + n, tailSums);
  if (residual)
    std::copy(residual + i, residual + n, tailResidual);
  requantizeVector(row, tailSums, residual ? tailResidual : nullptr, tailOut);
  std::copy(tailOut, tailOut + (n - i), bytes + i);
}

PICOSAM_AVX2 void depthwiseSums(const DepthwiseQuads &quads, int32_t *sums,
                                int64_t n) {
  // 8 outputs from 32 bytes at the first's taps: lane L (outputs 4L ..
  // 4L + 3) takes the 16 bytes from dword L * stride, vpshufb lays out each
  // output's 4 taps as one dword, multiplied as the GEMM does.
  int64_t stride = quads.stride;
  __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, int(stride), int(stride) + 1,
                                    int(stride) + 2, int(stride) + 3);
  __m128i shuffle =
      _mm_load_si128(reinterpret_cast<const __m128i *>(quads.shuffle));
  __m256i taps =
      _mm256_inserti128_si256(_mm256_castsi128_si256(shuffle), shuffle, 1);
  __m256i lowBytes = _mm256_set1_epi16(0xff);
  int32_t tail[8];
  for (int64_t c = 0; c < quads.channels; ++c) {
    __m256i evenWeights[DepthwiseQuads::kMaxEntries],
        oddWeights[DepthwiseQuads::kMaxEntries];
    for (int64_t r = 0; r < quads.count; ++r) {
      __m256i w = _mm256_set1_epi32(quads.weights[c * quads.count + r]);
      evenWeights[r] = _mm256_srai_epi16(_mm256_slli_epi16(w, 8), 8);
      oddWeights[r] = _mm256_srai_epi16(w, 8);
    }
    int32_t *channelSums = sums + c * n;
    for (int64_t i = 0; i < n; i += 8) {
      __m256i acc = _mm256_setzero_si256();
      for (int64_t r = 0; r < quads.count; ++r) {
        __m256i bytes = _mm256_loadu_si256(
            reinterpret_cast<const __m256i *>(quads.row(c, r) + i * stride));
        __m256i u = _mm256_shuffle_epi8(
            _mm256_permutevar8x32_epi32(bytes, lanes), taps);
        acc = _mm256_add_epi32(
            acc, _mm256_add_epi32(
                     _mm256_madd_epi16(_mm256_and_si256(u, lowBytes),
                                       evenWeights[r]),
                     _mm256_madd_epi16(_mm256_srli_epi16(u, 8), oddWeights[r])));
      }
      int32_t *dest = n - i < 8 ? tail : channelSums + i;
      _mm256_storeu_si256(reinterpret_cast<__m256i *>(dest), acc);
      if (dest == tail)
        std::copy(tail, tail + (n - i), channelSums + i);
    }
  }
}

} // namespace

const Kernels &picosam::runtime::int8::avx2Kernels() {
  static constexpr Kernels kernels{
      gemm, requantizeByRows<requantizeRow>, depthwiseSums};
  return kernels;
}
