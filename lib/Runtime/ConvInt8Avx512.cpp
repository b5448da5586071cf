//===- ConvInt8Avx512.cpp - the integer convolution's AVX-512 VNNI kernels ===//
//
// Every function carries its target attribute (the file is built for
// baseline x86-64 like the rest of the runtime), so nothing here runs
// unless ConvInt8.cpp found AVX-512 F, BW, VL and VNNI on the CPU. The
// GEMM is vpdpbusd (u8 x s8, four products summed into int32); the
// requantization is multiplyByQuantizedMultiplier on 16 lanes.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/ConvInt8Kernels.h"

#include <algorithm>
#include <immintrin.h>

// GCC 12's AVX-512 headers start maskz_ and permute intrinsics from
// _mm512_undefined_* (a self-initialised variable), which it then reports
// as maybe used uninitialised where they are inlined (clang has no such
// warning).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

using namespace picosam::runtime::int8;

#define PICOSAM_AVX512                                                         \
  __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

namespace {

/// tile rows [0, MR) x vectors [0, NV) of the block: the loops unrolled so
/// the accumulators stay in registers, the depth's tail group apart (its
/// weight words masked).
template <int MR, int NV>
PICOSAM_AVX512 void microkernel(const PackedBlock &block, const int8_t *weight,
                                int64_t stride, int32_t *tile) {
  __m512i acc[MR][NV];
#pragma GCC unroll 12
  for (int m = 0; m < MR; ++m)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v)
      acc[m][v] = _mm512_setzero_si512();
  int64_t groupBytes = 4 * block.blockPixels;
  int64_t groups = (block.depth + 3) / 4, fullGroups = block.depth / 4;
  for (int64_t g = 0; g < groups; ++g) {
    const uint8_t *u = block.data + g * groupBytes;
    __m512i x[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v)
      x[v] = _mm512_loadu_si512(u + 64 * v);
    bool tail = g == fullGroups;
#pragma GCC unroll 12
    for (int m = 0; m < MR; ++m) {
      int32_t word;
      if (__builtin_expect(tail, 0))
        word = loadWeightWord(weight + m * stride, 4 * g, block.depth);
      else
        std::memcpy(&word, weight + m * stride + 4 * g, 4);
      __m512i w = _mm512_set1_epi32(word);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v)
        acc[m][v] = _mm512_dpbusd_epi32(acc[m][v], x[v], w);
    }
  }
#pragma GCC unroll 12
  for (int m = 0; m < MR; ++m)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v)
      _mm512_storeu_si512(tile + m * block.blockPixels + 16 * v, acc[m][v]);
}

/// Rows [0, rows) for rows <= MR, with NV vectors.
template <int NV, int MR>
PICOSAM_AVX512 void remainingRows(const PackedBlock &block,
                                  const int8_t *weight, int64_t stride,
                                  int64_t rows, int32_t *tile) {
  if constexpr (MR > 0) {
    if (rows == MR)
      return microkernel<MR, NV>(block, weight, stride, tile);
    return remainingRows<NV, MR - 1>(block, weight, stride, rows, tile);
  }
}

/// All rows, in runs of as many as the accumulators of NV vectors allow
/// (the register file holds 32 vectors).
template <int NV>
PICOSAM_AVX512 void rowsOf(const PackedBlock &block, const int8_t *weight,
                           int64_t stride, int64_t rows, int32_t *tile) {
  constexpr int kRows = NV == 1 ? 12 : NV == 2 ? 8 : 6;
  int64_t m = 0;
  for (; m + kRows <= rows; m += kRows)
    microkernel<kRows, NV>(block, weight + m * stride, stride,
                           tile + m * block.blockPixels);
  remainingRows<NV, kRows - 1>(block, weight + m * stride, stride, rows - m,
                               tile + m * block.blockPixels);
}

PICOSAM_AVX512 void gemm(const PackedBlock &block, const int8_t *weight,
                         int64_t stride, int64_t rows, int32_t *tile) {
  // The block's pixels by 64 (the widest tile), the rest apart.
  for (int64_t p = 0; p < block.pixels; p += 64) {
    PackedBlock part = block;
    part.data += 4 * p;
    part.pixels = std::min<int64_t>(64, block.pixels - p);
    switch ((part.pixels + 15) / 16) {
    case 1:
      rowsOf<1>(part, weight, stride, rows, tile + p);
      break;
    case 2:
      rowsOf<2>(part, weight, stride, rows, tile + p);
      break;
    case 3:
      rowsOf<3>(part, weight, stride, rows, tile + p);
      break;
    default:
      rowsOf<4>(part, weight, stride, rows, tile + p);
      break;
    }
  }
}

/// The first `count` (clamped to [0, 64] or [0, 16]) bytes or lanes.
__mmask64 byteMask(int64_t count) {
  return count >= 64  ? ~__mmask64(0)
         : count <= 0 ? 0
                      : (__mmask64(1) << count) - 1;
}
__mmask16 laneMask(int64_t count) {
  return count >= 16  ? __mmask16(0xffff)
         : count <= 0 ? 0
                      : __mmask16((1u << count) - 1);
}

/// fixedpoint::multiplyByQuantizedMultiplier(x, {multiplier, shift}) per
/// lane, its constants broadcast once (a row's or a channel's).
struct QuantizedMultiplier {
  __m512i multiplier, nudge, remainderMask, half, one;
  __m128i count;
  int32_t shift;

  PICOSAM_AVX512 QuantizedMultiplier(int32_t multiplierValue,
                                     int32_t shiftValue)
      : nudge(_mm512_set1_epi64(int64_t(1) << 30)),
        one(_mm512_set1_epi32(1)) {
    set(multiplierValue, shiftValue);
  }

  /// Another multiplier (a channel's), the shared constants kept.
  PICOSAM_AVX512 void set(int32_t multiplierValue, int32_t shiftValue) {
    int64_t mask = (int64_t(1) << std::max(-shiftValue, 0)) - 1;
    multiplier = _mm512_set1_epi32(multiplierValue);
    remainderMask = _mm512_set1_epi32(static_cast<int32_t>(mask));
    half = _mm512_set1_epi32(static_cast<int32_t>(mask >> 1));
    count = _mm_cvtsi32_si128(shiftValue > 0 ? shiftValue : -shiftValue);
    shift = shiftValue;
  }

  PICOSAM_AVX512 __m512i apply(__m512i x) const {
    if (shift > 0) {
      // saturatingLeftShift: exact unless shifting back differs.
      __m512i shifted = _mm512_sll_epi32(x, count);
      __mmask16 exact =
          _mm512_cmpeq_epi32_mask(_mm512_sra_epi32(shifted, count), x);
      __m512i saturated = _mm512_mask_blend_epi32(
          _mm512_cmplt_epi32_mask(x, _mm512_setzero_si512()),
          _mm512_set1_epi32(INT32_MAX), _mm512_set1_epi32(INT32_MIN));
      x = _mm512_mask_blend_epi32(exact, saturated, shifted);
    }
    // saturatingRoundingDoublingHighMul with multiplier >= 0 (never both
    // INT32_MIN): floor((x * m + 2^30) / 2^31), whatever the sign.
    __m512i even = _mm512_srli_epi64(
        _mm512_add_epi64(_mm512_mul_epi32(x, multiplier), nudge), 31);
    __m512i odd = _mm512_slli_epi64(
        _mm512_add_epi64(
            _mm512_mul_epi32(_mm512_srli_epi64(x, 32), multiplier), nudge),
        1);
    x = _mm512_mask_blend_epi32(0xaaaa, even, odd);
    if (shift < 0) {
      // roundingDivideByPOT: floor, plus 1 when the remainder exceeds half
      // (or reaches it for x >= 0).
      __m512i remainder = _mm512_and_si512(x, remainderMask);
      __m512i threshold = _mm512_sub_epi32(half, _mm512_srai_epi32(x, 31));
      __m512i quotient = _mm512_sra_epi32(x, count);
      x = _mm512_mask_add_epi32(quotient,
                                _mm512_cmpgt_epi32_mask(remainder, threshold),
                                quotient, one);
    }
    return x;
  }
};

/// A row's requantization after its sums (and residual term): clamp(zp +
/// MBQM(x)) as clamp(MBQM(x), min - zp, max - zp) + zp: the bounds are
/// 8-bit values, so the reference's saturation never matters.
struct OutputRequantization {
  QuantizedMultiplier multiplier;
  __m512i offset, low, high, zeroPoint;

  PICOSAM_AVX512 OutputRequantization(int32_t offsetValue,
                                      int32_t multiplierValue,
                                      int32_t shift, int32_t zeroPointValue,
                                      int32_t clampMin, int32_t clampMax)
      : multiplier(multiplierValue, shift),
        offset(_mm512_set1_epi32(offsetValue)),
        low(_mm512_set1_epi32(clampMin - zeroPointValue)),
        high(_mm512_set1_epi32(clampMax - zeroPointValue)),
        zeroPoint(_mm512_set1_epi32(zeroPointValue)) {}

  /// Another channel's offset and multiplier, the shared constants kept.
  PICOSAM_AVX512 void setChannel(int32_t offsetValue, int32_t multiplierValue,
                                 int32_t shift) {
    offset = _mm512_set1_epi32(offsetValue);
    multiplier.set(multiplierValue, shift);
  }

  /// The 8-bit results of sums x (offset added already).
  PICOSAM_AVX512 __m128i apply(__m512i x) const {
    x = multiplier.apply(x);
    x = _mm512_add_epi32(_mm512_min_epi32(_mm512_max_epi32(x, low), high),
                         zeroPoint);
    return _mm512_cvtepi32_epi8(x);
  }
};

/// Stores the first `lanes` of 16 bytes: a plain store for all of them.
PICOSAM_AVX512 void storeBytes(uint8_t *out, __mmask16 lanes, __m128i bytes) {
  if (lanes == 0xffff)
    _mm_storeu_si128(reinterpret_cast<__m128i *>(out), bytes);
  else
    _mm_mask_storeu_epi8(out, lanes, bytes);
}

PICOSAM_AVX512 __m512i loadBytes(const void *data, bool isSigned,
                                 __mmask16 lanes) {
  __m128i bytes = _mm_maskz_loadu_epi8(lanes, data);
  return isSigned ? _mm512_cvtepi8_epi32(bytes) : _mm512_cvtepu8_epi32(bytes);
}

PICOSAM_AVX512 void requantizeRow(const RowRequantization &row,
                                  const int32_t *sums, int64_t n, void *out) {
  OutputRequantization requantization(row.offset, row.multiplier, row.shift,
                                      row.outputZeroPoint, row.clampMin,
                                      row.clampMax);
  auto *bytes = static_cast<uint8_t *>(out);
  auto *residual = static_cast<const uint8_t *>(row.residual);
  if (!residual) {
    for (int64_t i = 0; i < n; i += 16) {
      __mmask16 lanes = laneMask(n - i);
      storeBytes(bytes + i, lanes,
                 requantization.apply(_mm512_add_epi32(
                     _mm512_maskz_loadu_epi32(lanes, sums + i),
                     requantization.offset)));
    }
    return;
  }
  QuantizedMultiplier residualMultiplier(row.residualMultiplier,
                                         row.residualShift);
  __m512i residualZeroPoint = _mm512_set1_epi32(row.residualZeroPoint);
  for (int64_t i = 0; i < n; i += 16) {
    __mmask16 lanes = laneMask(n - i);
    __m512i r =
        _mm512_sub_epi32(loadBytes(residual + i, row.residualSigned, lanes),
                         residualZeroPoint);
    __m512i x = _mm512_add_epi32(
        _mm512_add_epi32(_mm512_maskz_loadu_epi32(lanes, sums + i),
                         requantization.offset),
        residualMultiplier.apply(r));
    storeBytes(bytes + i, lanes, requantization.apply(x));
  }
}

PICOSAM_AVX512 void depthwiseSums(const DepthwiseQuads &quads, int32_t *sums,
                                  int64_t n) {
  // 16 outputs from 64 bytes at the first's taps: lane L (outputs 4L ..
  // 4L + 3) takes the 16 bytes from dword L * stride, and vpshufb lays out
  // each output's 4 taps as one dword for vpdpbusd.
  int64_t stride = quads.stride;
  __m512i lanes =
      stride == 1
          ? _mm512_set_epi32(6, 5, 4, 3, 5, 4, 3, 2, 4, 3, 2, 1, 3, 2, 1, 0)
          : _mm512_set_epi32(9, 8, 7, 6, 7, 6, 5, 4, 5, 4, 3, 2, 3, 2, 1, 0);
  __m512i taps = _mm512_maskz_broadcast_i32x4(
      0xffff, _mm_load_si128(reinterpret_cast<const __m128i *>(quads.shuffle)));
  for (int64_t c = 0; c < quads.channels; ++c) {
    const int32_t *weights = quads.weights + c * quads.count;
    int32_t *channelSums = sums + c * n;
    for (int64_t i = 0; i < n; i += 16) {
      __m512i acc = _mm512_setzero_si512();
      for (int64_t r = 0; r < quads.count; ++r) {
        __m512i bytes = _mm512_loadu_si512(quads.row(c, r) + i * stride);
        __m512i u =
            _mm512_shuffle_epi8(_mm512_permutexvar_epi32(lanes, bytes), taps);
        acc = _mm512_dpbusd_epi32(acc, u, _mm512_set1_epi32(weights[r]));
      }
      _mm512_mask_storeu_epi32(channelSums + i, laneMask(n - i), acc);
    }
  }
}

PICOSAM_AVX512 void depthwiseRow(const DepthwiseRow &row) {
  const Requantization &q = row.requantization;
  __m512i permute = _mm512_load_si512(row.permute);
  __m512i shuffle = _mm512_load_si512(row.shuffle);
  __m512i flips = _mm512_set1_epi8(static_cast<char>(row.flip));
  // The storage byte whose u is the padding's.
  __m512i padding =
      _mm512_set1_epi8(static_cast<char>(row.padding ^ row.flip));
  __m512i paddingTaps = _mm512_set1_epi8(static_cast<char>(row.padding));
  OutputRequantization requantization(0, 0, 0, q.outputZeroPoint,
                                      q.clampMin, q.clampMax);
  const int8_t *weightEnd =
      row.weight + q.rows * row.kernelRows * row.kernelWidth;
  for (int64_t c = 0; c < q.rows; ++c) {
    const picosam_uk_multiplier &m = q.multipliers[c * q.constantStride];
    requantization.setChannel(q.offsets[c * q.constantStride], m.multiplier,
                              m.shift);
    // Each kernel row's taps as the bytes of one word (0 past the kernel).
    __m512i weights[DepthwiseRow::kMaxKernelRows];
    for (int64_t r = 0; r < row.kernelRows; ++r)
      weights[r] = _mm512_set1_epi32(loadTapWord(
          row.weight + (c * row.kernelRows + r) * row.kernelWidth,
          row.kernelWidth, weightEnd));
    auto *out = static_cast<uint8_t *>(q.outputRow(c));
    // firstColumn(i) for i = 0, 16, ... (upsample divides 16 * stride).
    int64_t column = row.firstColumn(0);
    int64_t columnStep = 16 * row.stride / row.upsample;
    for (int64_t i = 0; i < q.n; i += 16, column += columnStep) {
      // The loaded bytes inside the row; the others read as padding.
      __mmask64 inside = byteMask(row.width - column) & ~byteMask(-column);
      __m512i acc = requantization.offset;
      for (int64_t r = 0; r < row.kernelRows; ++r) {
        __m512i taps = paddingTaps;
        if (row.rows[r]) {
          __m512i bytes = _mm512_mask_loadu_epi8(
              padding, inside, row.rows[r] + c * row.channelStride + column);
          taps = _mm512_shuffle_epi8(
              _mm512_permutexvar_epi32(permute,
                                       _mm512_xor_si512(bytes, flips)),
              shuffle);
        }
        acc = _mm512_dpbusd_epi32(acc, taps, weights[r]);
      }
      storeBytes(out + i, laneMask(q.n - i), requantization.apply(acc));
    }
  }
}

} // namespace

const Kernels &picosam::runtime::int8::avx512VnniKernels() {
  static constexpr Kernels kernels{gemm,
                                   requantizeByRows<requantizeRow>,
                                   depthwiseSums, depthwiseRow};
  return kernels;
}
