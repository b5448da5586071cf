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
#include "picosam/Runtime/CpuFeatures.h"

#include <algorithm>
#include <immintrin.h>

// GCC 12's AVX-512 headers start maskz_, permute and shift intrinsics
// from _mm512_undefined_* (a self-initialised variable), which it then
// reports as (maybe) used uninitialised where they are inlined (clang has
// no such warning).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

using namespace picosam::runtime::int8;

#define PICOSAM_AVX512                                                         \
  __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
/// What a kernel does per channel or vector: GCC left some of it as calls.
#define PICOSAM_INLINE inline __attribute__((always_inline))

namespace {

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
/// lane, its constants broadcast once (a row's or a channel's). For shift
/// = -e <= 0 the high multiply's and the division's roundings are one
/// 64-bit rounding shift of p = x * m: floor((p + 2^30) / 2^31) = y1, then
/// floor((y1 + 2^(e-1) - [y1 < 0]) / 2^e) (e >= 1) is
/// floor((p + 2^30 + 2^(30+e) - [p < -2^30] * 2^31) / 2^(31+e)), and
/// |p| < 2^62 leaves room for the addend. Without `exactNegatives` the
/// correction is left out: results <= 0 may then be off, which
/// RowRequantization::clampsNonPositive outputs cannot show.
struct QuantizedMultiplier {
  __m512i multiplier, addend, correction, negativeLimit;
  __m128i count, leftCount;
  int32_t shift;
  bool exactNegatives;

  PICOSAM_AVX512 QuantizedMultiplier(int32_t multiplierValue,
                                     int32_t shiftValue,
                                     bool exactNegativesValue)
      : negativeLimit(_mm512_set1_epi64(-(int64_t(1) << 30))),
        exactNegatives(exactNegativesValue) {
    set(multiplierValue, shiftValue);
  }

  /// Another multiplier (a channel's), the shared constants kept.
  PICOSAM_AVX512 PICOSAM_INLINE void set(int32_t multiplierValue,
                                        int32_t shiftValue) {
    int64_t e = std::max(-shiftValue, 0);
    multiplier = _mm512_set1_epi32(multiplierValue);
    addend = _mm512_set1_epi64((int64_t(1) << 30) +
                               (e ? int64_t(1) << (30 + e) : 0));
    correction = _mm512_set1_epi64(e ? int64_t(1) << 31 : 0);
    count = _mm_cvtsi64_si128(31 + e);
    leftCount = _mm_cvtsi32_si128(std::max(shiftValue, 0));
    shift = shiftValue;
  }

  PICOSAM_AVX512 __m512i apply(__m512i x) const {
    if (shift > 0) {
      // saturatingLeftShift: exact unless shifting back differs.
      __m512i shifted = _mm512_sll_epi32(x, leftCount);
      __mmask16 exact =
          _mm512_cmpeq_epi32_mask(_mm512_sra_epi32(shifted, leftCount), x);
      __m512i saturated = _mm512_mask_blend_epi32(
          _mm512_cmplt_epi32_mask(x, _mm512_setzero_si512()),
          _mm512_set1_epi32(INT32_MAX), _mm512_set1_epi32(INT32_MIN));
      x = _mm512_mask_blend_epi32(exact, saturated, shifted);
    }
    __m512i even = round(_mm512_mul_epi32(x, multiplier));
    __m512i odd =
        round(_mm512_mul_epi32(_mm512_srli_epi64(x, 32), multiplier));
    // The odd lanes' results from the low halves of odd's quadwords.
    return _mm512_mask_shuffle_epi32(even, 0xaaaa, odd, _MM_PERM_CDAB);
  }

private:
  /// The rounded result of each 64-bit product p, in its low half.
  PICOSAM_AVX512 __m512i round(__m512i p) const {
    __m512i sum = _mm512_add_epi64(p, addend);
    if (exactNegatives)
      sum = _mm512_mask_sub_epi64(
          sum, _mm512_cmplt_epi64_mask(p, negativeLimit), sum, correction);
    return _mm512_sra_epi64(sum, count);
  }
};

/// clamp(zp + y) of 4 vectors of MBQM results y as 64 bytes in order, by
/// saturating packs: int16 (+ zp, saturated), then the storage's 8 bits,
/// then the clamp. Saturation is monotonic and leaves the storage's range
/// alone, so the clamp of the result is the clamp of the int32 zp + y.
struct BytePacking {
  __m512i zeroPoint, low, high, order;
  bool isSigned;

  PICOSAM_AVX512 BytePacking(int32_t zeroPointValue, int32_t clampMin,
                             int32_t clampMax, bool isSignedValue)
      : zeroPoint(_mm512_set1_epi16(static_cast<int16_t>(zeroPointValue))),
        low(_mm512_set1_epi8(static_cast<char>(clampMin))),
        high(_mm512_set1_epi8(static_cast<char>(clampMax))),
        // The packs interleave the vectors by 128-bit lanes: dword 4L + v
        // holds vector v's outputs 4L .. 4L + 3.
        order(_mm512_set_epi32(15, 11, 7, 3, 14, 10, 6, 2, 13, 9, 5, 1, 12, 8,
                               4, 0)),
        isSigned(isSignedValue) {}

  PICOSAM_AVX512 __m512i apply(const __m512i (&y)[4]) const {
    __m512i low16 = _mm512_adds_epi16(_mm512_packs_epi32(y[0], y[1]), zeroPoint);
    __m512i high16 =
        _mm512_adds_epi16(_mm512_packs_epi32(y[2], y[3]), zeroPoint);
    __m512i bytes;
    if (isSigned) {
      bytes = _mm512_packs_epi16(low16, high16);
      bytes = _mm512_min_epi8(_mm512_max_epi8(bytes, low), high);
    } else {
      bytes = _mm512_packus_epi16(low16, high16);
      bytes = _mm512_min_epu8(_mm512_max_epu8(bytes, low), high);
    }
    return _mm512_permutexvar_epi32(order, bytes);
  }
};

/// A row's residual term: MBQM(r - zp) of its stored bytes r.
struct ResidualTerm {
  const uint8_t *row;
  bool isSigned;
  __m512i zeroPoint;
  QuantizedMultiplier multiplier;

  PICOSAM_AVX512 ResidualTerm(const void *rowValue, bool isSignedValue,
                              int32_t zeroPointValue, int32_t multiplierValue,
                              int32_t shift)
      : row(static_cast<const uint8_t *>(rowValue)), isSigned(isSignedValue),
        zeroPoint(_mm512_set1_epi32(zeroPointValue)),
        multiplier(multiplierValue, shift, true) {}

  /// The term of the first `lanes` (> 0) of the 16 outputs from `at`.
  PICOSAM_AVX512 __m512i at(int64_t at, int64_t lanes) const {
    __m128i bytes =
        lanes >= 16
            ? _mm_loadu_si128(reinterpret_cast<const __m128i *>(row + at))
            : _mm_maskz_loadu_epi8(laneMask(lanes), row + at);
    __m512i r = isSigned ? _mm512_cvtepi8_epi32(bytes)
                         : _mm512_cvtepu8_epi32(bytes);
    return multiplier.apply(_mm512_sub_epi32(r, zeroPoint));
  }
};

/// The first `count` (> 0) of 64 bytes, by the widest plain store that
/// holds exactly them (masked stores of bytes are slow on some CPUs).
PICOSAM_AVX512 PICOSAM_INLINE void storeBytes(uint8_t *out, int64_t count,
                                             __m512i bytes) {
  if (count >= 64)
    _mm512_storeu_si512(out, bytes);
  else if (count == 32)
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(out),
                        _mm512_castsi512_si256(bytes));
  else if (count == 16)
    _mm_storeu_si128(reinterpret_cast<__m128i *>(out),
                     _mm512_castsi512_si128(bytes));
  else
    _mm512_mask_storeu_epi8(out, byteMask(count), bytes);
}

/// tile rows [0, MR) x vectors [0, NV) of the block to `output`: the loops
/// unrolled so the accumulators stay in registers, the depth's tail group
/// apart (its weight words masked).
template <int MR, int NV, typename Output>
PICOSAM_AVX512 void microkernel(const PackedBlock &block, const int8_t *weight,
                                int64_t stride, const Output &output) {
  __m512i acc[MR][NV];
#pragma GCC unroll 12
  for (int m = 0; m < MR; ++m) {
    __m512i initial = output.initial(m);
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v)
      acc[m][v] = initial;
  }
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
    output.template finish<NV>(m, acc[m], block.pixels);
}

/// The vector the shared tiles (ConvInt8Tiles.h) work on.
struct Isa {
  using Vector = __m512i;
  static constexpr int kLanes = 16;
  PICOSAM_AVX512 static PICOSAM_INLINE Vector zero() {
    return _mm512_setzero_si512();
  }
  PICOSAM_AVX512 static PICOSAM_INLINE Vector broadcast(int32_t x) {
    return _mm512_set1_epi32(x);
  }
  PICOSAM_AVX512 static PICOSAM_INLINE Vector add(Vector a, Vector b) {
    return _mm512_add_epi32(a, b);
  }
  PICOSAM_AVX512 static PICOSAM_INLINE void store(int32_t *out, Vector x) {
    _mm512_storeu_si512(out, x);
  }
  PICOSAM_AVX512 static PICOSAM_INLINE Vector load(const int32_t *data,
                                                   int64_t lanes) {
    return _mm512_maskz_loadu_epi32(laneMask(lanes), data);
  }
  /// As many rows as the accumulators of NV vectors allow (the register
  /// file holds 32 vectors; GCC spills one of 6 x 4 in the loop, not of 5
  /// x 4).
  static constexpr int kRows(int nv) {
    return nv == 1 ? 12 : nv == 2 ? 8 : nv == 3 ? 6 : 5;
  }
  /// A word of 4 weights for addQuads: broadcast.
  using QuadWeights = __m512i;
  PICOSAM_AVX512 static PICOSAM_INLINE QuadWeights quadWeights(int32_t word) {
    return _mm512_set1_epi32(word);
  }
  /// acc + each dword's 4 taps u times the weights.
  PICOSAM_AVX512 static PICOSAM_INLINE Vector addQuads(Vector acc, Vector u,
                                                      QuadWeights w) {
    return _mm512_dpbusd_epi32(acc, u, w);
  }
};

#define PICOSAM_TILE_TARGET PICOSAM_AVX512
#include "picosam/Runtime/ConvInt8Tiles.h"

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

/// Where each vector of 16 outputs of a depthwise row reads: its first
/// stored column, and which of the 64 bytes from there lie inside the row
/// (the others read as padding). The same for every channel.
struct RowVectors {
  int64_t column[DepthwiseRow::kMaxOutputs / 16];
  __mmask64 inside[DepthwiseRow::kMaxOutputs / 16];

  explicit RowVectors(const DepthwiseRow &row) {
    // firstColumn(i) for i = 0, 16, ... (upsample divides 16 * stride).
    int64_t first = row.firstColumn(0);
    int64_t step = 16 * row.stride / row.upsample;
    for (int64_t v = 0; 16 * v < row.requantization.n; ++v) {
      column[v] = first + v * step;
      inside[v] = byteMask(row.width - column[v]) & ~byteMask(-column[v]);
    }
  }
};

/// DepthwiseRow's row with `Rows` kernel rows inside the input, the
/// indices `present` (the others read only padding, whose products join
/// each channel's offset), the storage bytes xored with row.flip when
/// `Flip`, the last two reading one stored row with `SharedLast`
/// (ConvInt8Tiles.h's depthwiseRow).
template <int Rows, bool Flip, bool SharedLast>
PICOSAM_AVX512 void depthwiseRowOf(const DepthwiseRow &row,
                                   const int64_t *present) {
  const Requantization &q = row.requantization;
  RowVectors vectors(row);
  __m512i permute = _mm512_load_si512(row.permute);
  __m512i shuffle = _mm512_load_si512(row.shuffle);
  __m512i flips = _mm512_set1_epi8(static_cast<char>(row.flip));
  // The storage byte whose u is the padding's.
  __m512i padding =
      _mm512_set1_epi8(static_cast<char>(row.padding ^ row.flip));
  __m512i paddingTaps = _mm512_set1_epi8(static_cast<char>(row.padding));
  BytePacking packing(q.outputZeroPoint, q.clampMin, q.clampMax,
                      q.outputSigned);
  QuantizedMultiplier multiplier(0, 0, !q.clampsNonPositive());
  for (int64_t c = 0; c < q.rows; ++c) {
    const picosam_uk_multiplier &m = q.multipliers[c * q.constantStride];
    multiplier.set(m.multiplier, m.shift);
    DepthwiseChannel<Rows> channel(row, c, present, paddingTaps);
    requantizeVectors(
        q.n, channel.offset,
        [&](__m512i acc, int64_t vector)
            PICOSAM_AVX512 __attribute__((always_inline)) {
              __mmask64 inside = vectors.inside[vector];
              int64_t column = vectors.column[vector];
              __m512i taps = _mm512_setzero_si512();
#pragma GCC unroll 4
              for (int j = 0; j < Rows; ++j) {
                if (!SharedLast || j != Rows - 1) {
                  __m512i bytes = _mm512_mask_loadu_epi8(
                      padding, inside, channel.inputs[j] + column);
                  if (Flip)
                    bytes = _mm512_xor_si512(bytes, flips);
                  taps = _mm512_shuffle_epi8(
                      _mm512_permutexvar_epi32(permute, bytes), shuffle);
                }
                acc = Isa::addQuads(acc, taps, channel.weights[j]);
              }
              return acc;
            },
        multiplier, packing, static_cast<uint8_t *>(q.outputRow(c)));
  }
}

/// Kernels::lookupBytes by vpermi2b: 64 bytes at a time from the table's
/// halves (index bits 0-6), chosen by bit 7.
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) void
lookupBytes(const uint8_t (&table)[256], const uint8_t *in, int64_t n,
            uint8_t *out) {
  __m512i quarters[4];
  for (int q = 0; q < 4; ++q)
    quarters[q] = _mm512_loadu_si512(table + 64 * q);
  for (int64_t i = 0; i < n; i += 64) {
    __mmask64 mask = byteMask(n - i);
    __m512i x = _mm512_maskz_loadu_epi8(mask, in + i);
    __m512i low = _mm512_permutex2var_epi8(quarters[0], x, quarters[1]);
    __m512i high = _mm512_permutex2var_epi8(quarters[2], x, quarters[3]);
    _mm512_mask_storeu_epi8(
        out + i, mask,
        _mm512_mask_blend_epi8(_mm512_movepi8_mask(x), low, high));
  }
}

} // namespace

const Kernels &picosam::runtime::int8::avx512VnniKernels() {
  static constexpr Kernels kernels{gemm,
                                   requantizeByRows<requantizeRow>,
                                   depthwiseSums,
                                   depthwiseRow,
                                   Isa::kLanes,
                                   gemmRequantize,
                                   lookupBytes,
                                   PICOSAM_CPU_FEATURE(AVX512VBMI)};
  return kernels;
}
