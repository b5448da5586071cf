//===- ConvInt8Avx2.cpp - the integer convolution's AVX2 kernels ----------===//
//
// Every function carries its target attribute (the file is built for
// baseline x86-64), so nothing here runs unless ConvInt8.cpp found AVX2.
// The GEMM multiplies with vpmaddwd on zero-extended taps and sign-extended
// weights (int16 pairs, which cannot saturate, unlike vpmaddubsw); the
// requantization is the AVX-512 kernel's on 8 lanes, fused into the GEMM's
// registers as there.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/ConvInt8Kernels.h"

#include <immintrin.h>

#include <algorithm>
using namespace picosam::runtime::int8;

#define PICOSAM_AVX2 __attribute__((target("avx2")))
/// What a kernel does per channel or vector (GCC may leave it as calls).
#define PICOSAM_INLINE inline __attribute__((always_inline))

namespace {

/// The first `count` (clamped to [0, 8]) lanes, for vpmaskmovd.
PICOSAM_AVX2 PICOSAM_INLINE __m256i laneMask(int64_t count) {
  return _mm256_cmpgt_epi32(
      _mm256_set1_epi32(static_cast<int32_t>(std::clamp<int64_t>(count, 0, 8))),
      _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/// fixedpoint::multiplyByQuantizedMultiplier(x, {multiplier, shift}) per
/// lane: the AVX-512 kernel's one 64-bit rounding shift of each product p
/// (see its QuantizedMultiplier), to the same bits without vpsraq. Its
/// result is bits [31 + e, 62 + e] of the sum s (sign copies past bit 63):
/// for e >= 1 the high dword of s shifted right by e - 1 as an int32, for
/// e = 0 the high dword of s << 1. Without `exactNegatives`, as there, the
/// correction of negative products is left out.
struct QuantizedMultiplier {
  __m256i multiplier, addend, correction, negativeLimit;
  __m128i productCount, resultCount, leftCount;
  int32_t shift;
  bool exactNegatives;

  PICOSAM_AVX2 PICOSAM_INLINE QuantizedMultiplier(int32_t multiplierValue,
                                                  int32_t shiftValue,
                                                  bool exactNegativesValue)
      : negativeLimit(_mm256_set1_epi64x(-(int64_t(1) << 30))),
        exactNegatives(exactNegativesValue) {
    int64_t e = std::max(-shiftValue, 0);
    multiplier = _mm256_set1_epi32(multiplierValue);
    addend = _mm256_set1_epi64x((int64_t(1) << 30) +
                                (e ? int64_t(1) << (30 + e) : 0));
    // The sum's - [p < -2^30] * 2^31, added as a mask's and.
    correction = _mm256_set1_epi64x(e ? -(int64_t(1) << 31) : 0);
    productCount = _mm_cvtsi32_si128(e ? 0 : 1);
    resultCount = _mm_cvtsi32_si128(static_cast<int>(e ? e - 1 : 0));
    leftCount = _mm_cvtsi32_si128(std::max(shiftValue, 0));
    shift = shiftValue;
  }

  PICOSAM_AVX2 PICOSAM_INLINE __m256i apply(__m256i x) const {
    if (shift > 0) {
      // saturatingLeftShift: exact unless shifting back differs.
      __m256i shifted = _mm256_sll_epi32(x, leftCount);
      __m256i exact =
          _mm256_cmpeq_epi32(_mm256_sra_epi32(shifted, leftCount), x);
      __m256i saturated = _mm256_blendv_epi8(
          _mm256_set1_epi32(INT32_MAX), _mm256_set1_epi32(INT32_MIN),
          _mm256_cmpgt_epi32(_mm256_setzero_si256(), x));
      x = _mm256_blendv_epi8(saturated, shifted, exact);
    }
    __m256i even = round(_mm256_mul_epi32(x, multiplier));
    __m256i odd =
        round(_mm256_mul_epi32(_mm256_srli_epi64(x, 32), multiplier));
    // The high dwords: even's moved down, odd's in place.
    return _mm256_sra_epi32(
        _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xaa),
        resultCount);
  }

private:
  /// The sum of each 64-bit product p, shifted so that its high dword
  /// holds the result's bits from 31 + min(e, 1).
  PICOSAM_AVX2 PICOSAM_INLINE __m256i round(__m256i p) const {
    __m256i sum = _mm256_add_epi64(p, addend);
    if (exactNegatives)
      sum = _mm256_add_epi64(
          sum, _mm256_and_si256(_mm256_cmpgt_epi64(negativeLimit, p),
                                correction));
    return _mm256_sll_epi64(sum, productCount);
  }
};

/// clamp(zp + y) of 4 vectors of MBQM results y as 32 bytes in order, by
/// saturating packs (as the AVX-512 kernel's BytePacking, which explains
/// why the clamp stays exact).
struct BytePacking {
  __m256i zeroPoint, low, high, order;
  bool isSigned;

  PICOSAM_AVX2 BytePacking(int32_t zeroPointValue, int32_t clampMin,
                           int32_t clampMax, bool isSignedValue)
      : zeroPoint(_mm256_set1_epi16(static_cast<int16_t>(zeroPointValue))),
        low(_mm256_set1_epi8(static_cast<char>(clampMin))),
        high(_mm256_set1_epi8(static_cast<char>(clampMax))),
        // The packs interleave the vectors by 128-bit lanes: dword 4L + v
        // holds vector v's outputs 4L .. 4L + 3.
        order(_mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)),
        isSigned(isSignedValue) {}

  PICOSAM_AVX2 PICOSAM_INLINE __m256i apply(const __m256i (&y)[4]) const {
    __m256i low16 =
        _mm256_adds_epi16(_mm256_packs_epi32(y[0], y[1]), zeroPoint);
    __m256i high16 =
        _mm256_adds_epi16(_mm256_packs_epi32(y[2], y[3]), zeroPoint);
    __m256i bytes;
    if (isSigned) {
      bytes = _mm256_packs_epi16(low16, high16);
      bytes = _mm256_min_epi8(_mm256_max_epi8(bytes, low), high);
    } else {
      bytes = _mm256_packus_epi16(low16, high16);
      bytes = _mm256_min_epu8(_mm256_max_epu8(bytes, low), high);
    }
    return _mm256_permutevar8x32_epi32(bytes, order);
  }
};

/// A row's residual term: MBQM(r - zp) of its stored bytes r.
struct ResidualTerm {
  const uint8_t *row;
  bool isSigned;
  __m256i zeroPoint;
  QuantizedMultiplier multiplier;

  PICOSAM_AVX2 PICOSAM_INLINE ResidualTerm(const void *rowValue,
                                           bool isSignedValue,
                                           int32_t zeroPointValue,
                                           int32_t multiplierValue,
                                           int32_t shift)
      : row(static_cast<const uint8_t *>(rowValue)), isSigned(isSignedValue),
        zeroPoint(_mm256_set1_epi32(zeroPointValue)),
        multiplier(multiplierValue, shift, true) {}

  /// The term of the first `lanes` (> 0) of the 8 outputs from `at`.
  PICOSAM_AVX2 PICOSAM_INLINE __m256i at(int64_t at, int64_t lanes) const {
    int64_t word = 0;
    std::memcpy(&word, row + at, std::min<int64_t>(lanes, 8));
    __m128i bytes = _mm_cvtsi64_si128(word);
    __m256i r = isSigned ? _mm256_cvtepi8_epi32(bytes)
                         : _mm256_cvtepu8_epi32(bytes);
    return multiplier.apply(_mm256_sub_epi32(r, zeroPoint));
  }
};

/// The first `count` (> 0) of 32 bytes.
PICOSAM_AVX2 PICOSAM_INLINE void storeBytes(uint8_t *out, int64_t count,
                                           __m256i bytes) {
  if (count >= 32)
    return _mm256_storeu_si256(reinterpret_cast<__m256i *>(out), bytes);
  alignas(32) uint8_t tail[32];
  _mm256_store_si256(reinterpret_cast<__m256i *>(tail), bytes);
  std::memcpy(out, tail, count);
}

/// Weights (w0, w1, w2, w3) of a word as int16 pairs (w0, w2) and (w1, w3)
/// for vpmaddwd.
struct WeightPairs {
  __m256i even, odd;
};
PICOSAM_AVX2 PICOSAM_INLINE WeightPairs weightPairs(int32_t word) {
  __m256i w = _mm256_set1_epi32(word);
  return {_mm256_srai_epi16(_mm256_slli_epi16(w, 8), 8),
          _mm256_srai_epi16(w, 8)};
}

/// The products of one group of 4 taps (from u) for rows [0, MR) x
/// vectors [0, NV), added to acc one vpmaddwd at a time (one temporary).
template <int MR, int NV>
PICOSAM_AVX2 PICOSAM_INLINE void accumulateGroup(__m256i (&acc)[MR][NV],
                                                 const uint8_t *u,
                                                 const WeightPairs (&w)[MR]) {
  __m256i lowBytes = _mm256_set1_epi16(0xff);
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) {
    __m256i x =
        _mm256_loadu_si256(reinterpret_cast<const __m256i *>(u + 32 * v));
    __m256i evenTaps = _mm256_and_si256(x, lowBytes);
    __m256i oddTaps = _mm256_srli_epi16(x, 8);
#pragma GCC unroll 8
    for (int m = 0; m < MR; ++m) {
      acc[m][v] =
          _mm256_add_epi32(acc[m][v], _mm256_madd_epi16(evenTaps, w[m].even));
      acc[m][v] =
          _mm256_add_epi32(acc[m][v], _mm256_madd_epi16(oddTaps, w[m].odd));
    }
  }
}

/// tile rows [0, MR) x vectors [0, NV) of the block to `output`, the loops
/// unrolled so the accumulators stay in registers, the depth's tail group
/// apart (its weight words masked).
template <int MR, int NV, typename Output>
PICOSAM_AVX2 void microkernel(const PackedBlock &block, const int8_t *weight,
                              int64_t stride, const Output &output) {
  __m256i acc[MR][NV];
#pragma GCC unroll 8
  for (int m = 0; m < MR; ++m) {
    __m256i initial = output.initial(m);
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v)
      acc[m][v] = initial;
  }
  int64_t groupBytes = 4 * block.blockPixels;
  int64_t fullGroups = block.depth / 4;
  WeightPairs w[MR];
  for (int64_t g = 0; g < fullGroups; ++g) {
#pragma GCC unroll 8
    for (int m = 0; m < MR; ++m) {
      int32_t word;
      std::memcpy(&word, weight + m * stride + 4 * g, 4);
      w[m] = weightPairs(word);
    }
    accumulateGroup(acc, block.data + g * groupBytes, w);
  }
  if (block.depth % 4) {
#pragma GCC unroll 8
    for (int m = 0; m < MR; ++m)
      w[m] = weightPairs(
          loadWeightWord(weight + m * stride, 4 * fullGroups, block.depth));
    accumulateGroup(acc, block.data + fullGroups * groupBytes, w);
  }
#pragma GCC unroll 8
  for (int m = 0; m < MR; ++m)
    output.template finish<NV>(m, acc[m], block.pixels);
}

/// The vector the shared tiles (ConvInt8Tiles.h) work on.
struct Isa {
  using Vector = __m256i;
  static constexpr int kLanes = 8;
  PICOSAM_AVX2 static PICOSAM_INLINE Vector zero() {
    return _mm256_setzero_si256();
  }
  PICOSAM_AVX2 static PICOSAM_INLINE Vector broadcast(int32_t x) {
    return _mm256_set1_epi32(x);
  }
  PICOSAM_AVX2 static PICOSAM_INLINE Vector add(Vector a, Vector b) {
    return _mm256_add_epi32(a, b);
  }
  PICOSAM_AVX2 static PICOSAM_INLINE void store(int32_t *out, Vector x) {
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(out), x);
  }
  PICOSAM_AVX2 static PICOSAM_INLINE Vector load(const int32_t *data,
                                                 int64_t lanes) {
    return lanes >= kLanes
               ? _mm256_loadu_si256(reinterpret_cast<const __m256i *>(data))
               : _mm256_maskload_epi32(data, laneMask(lanes));
  }
  /// The accumulators, each row's weight pairs and one vector's taps in
  /// the 16 registers (GCC keeps one of 2 x 4 on the stack; 2 x 3 tiles
  /// were slower).
  static constexpr int kRows(int) { return 2; }
  /// A word of 4 weights for addQuads: int16 pairs.
  using QuadWeights = WeightPairs;
  PICOSAM_AVX2 static PICOSAM_INLINE QuadWeights quadWeights(int32_t word) {
    return weightPairs(word);
  }
  /// acc + each dword's 4 taps u times the weights, exact: vpmaddwd on
  /// the zero-extended taps.
  PICOSAM_AVX2 static PICOSAM_INLINE Vector addQuads(Vector acc, Vector u,
                                                    const QuadWeights &w) {
    __m256i lowBytes = _mm256_set1_epi16(0xff);
    return _mm256_add_epi32(
        acc, _mm256_add_epi32(
                 _mm256_madd_epi16(_mm256_and_si256(u, lowBytes), w.even),
                 _mm256_madd_epi16(_mm256_srli_epi16(u, 8), w.odd)));
  }
};

#define PICOSAM_TILE_TARGET PICOSAM_AVX2
#include "picosam/Runtime/ConvInt8Tiles.h"

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
  int32_t tail[8];
  for (int64_t c = 0; c < quads.channels; ++c) {
    Isa::QuadWeights weights[DepthwiseQuads::kMaxEntries];
    for (int64_t r = 0; r < quads.count; ++r)
      weights[r] = Isa::quadWeights(quads.weights[c * quads.count + r]);
    int32_t *channelSums = sums + c * n;
    for (int64_t i = 0; i < n; i += 8) {
      __m256i acc = _mm256_setzero_si256();
      for (int64_t r = 0; r < quads.count; ++r) {
        __m256i bytes = _mm256_loadu_si256(
            reinterpret_cast<const __m256i *>(quads.row(c, r) + i * stride));
        __m256i u = _mm256_shuffle_epi8(
            _mm256_permutevar8x32_epi32(bytes, lanes), taps);
        acc = Isa::addQuads(acc, u, weights[r]);
      }
      int32_t *dest = n - i < 8 ? tail : channelSums + i;
      _mm256_storeu_si256(reinterpret_cast<__m256i *>(dest), acc);
      if (dest == tail)
        std::copy(tail, tail + (n - i), channelSums + i);
    }
  }
}

/// How each vector of 8 outputs of a depthwise row loads its taps: its two
/// 128-bit lanes from stored columns lane[0] and lane[1] (the first bytes
/// of setControls' dwords from the vector's first column), laid out by
/// vpshufb with setControls' shuffle. Where a tap lies outside the row, or
/// a lane's 16 bytes would start before the row or pass `end`, the vector
/// is an edge with controls of its own: its lanes' loads moved inside [0,
/// end), the taps outside the row zeroed by the shuffle and given the
/// padding's u by an or. So no byte outside [0, end) is loaded, and none
/// outside the row is used. The same for every channel.
struct RowLoads {
  struct Load {
    int32_t lane[2];
    /// Its entry of `edges`, or -1.
    int32_t edge;
  };
  struct Edge {
    __m256i shuffle, padding;
  };
  Load vectors[DepthwiseRow::kMaxOutputs / 8];
  Edge edges[DepthwiseRow::kMaxOutputs / 8];

  /// end >= 16.
  PICOSAM_AVX2 RowLoads(const DepthwiseRow &row, int64_t end) {
    __m256i shuffle =
        _mm256_load_si256(reinterpret_cast<const __m256i *>(row.shuffle));
    int64_t laneColumns[2] = {4 * row.permute[0], 4 * row.permute[4]};
    // Each tap's column from the vector's first (at most 31: setControls'
    // dwords end by the 8th).
    __m256i taps = _mm256_add_epi8(
        shuffle, _mm256_setr_m128i(_mm_set1_epi8(char(laneColumns[0])),
                                   _mm_set1_epi8(char(laneColumns[1]))));
    __m256i zeroed = _mm256_set1_epi8(char(0x80));
    __m256i padding = _mm256_set1_epi8(static_cast<char>(row.padding));
    // firstColumn(i) for i = 0, 8, ... (upsample divides 8 * stride).
    int64_t first = row.firstColumn(0);
    int64_t step = 8 * row.stride / row.upsample;
    int32_t edgeCount = 0;
    for (int64_t v = 0; 8 * v < row.requantization.n; ++v) {
      int64_t column = first + v * step;
      int64_t moved[2];
      bool lanesMoved = false;
      for (int lane = 0; lane < 2; ++lane) {
        int64_t at = column + laneColumns[lane];
        int64_t inside = std::clamp<int64_t>(at, 0, end - 16);
        vectors[v].lane[lane] = static_cast<int32_t>(inside);
        moved[lane] = at - inside;
        lanesMoved |= moved[lane] != 0;
      }
      // The taps in [0, width) from the first column, as bytes (<= 32).
      __m256i inRow = _mm256_and_si256(
          _mm256_cmpgt_epi8(
              taps, _mm256_set1_epi8(char(std::clamp<int64_t>(-column, 0, 32) -
                                          1))),
          _mm256_cmpgt_epi8(_mm256_set1_epi8(char(std::clamp<int64_t>(
                                row.width - column, 0, 32))),
                            taps));
      if (!lanesMoved && _mm256_movemask_epi8(inRow) == -1) {
        vectors[v].edge = -1;
        continue;
      }
      // In-row taps' bytes move as their lane's load did (mod 256).
      __m256i movedTaps = _mm256_add_epi8(
          shuffle, _mm256_setr_m128i(_mm_set1_epi8(char(moved[0])),
                                     _mm_set1_epi8(char(moved[1]))));
      edges[edgeCount] = {_mm256_blendv_epi8(zeroed, movedTaps, inRow),
                          _mm256_andnot_si256(inRow, padding)};
      vectors[v].edge = edgeCount++;
    }
  }
};

/// The channel's kernel rows' sums of one vector added to acc: each lane's
/// 16 bytes from its input row (xored with `flips` when `Flip`), laid out
/// by `shuffle`, or-ed with `padding` at an edge; the last row's taps are
/// the one before's with `SharedLast`.
template <int Rows, bool Flip, bool SharedLast, bool Edge>
PICOSAM_AVX2 PICOSAM_INLINE __m256i
vectorSums(__m256i acc, const DepthwiseChannel<Rows> &channel,
           const RowLoads::Load &load, __m256i shuffle, __m256i padding,
           __m256i flips) {
  __m256i taps = _mm256_setzero_si256();
#pragma GCC unroll 4
  for (int j = 0; j < Rows; ++j) {
    if (!SharedLast || j != Rows - 1) {
      const uint8_t *input = channel.inputs[j];
      __m256i bytes = _mm256_inserti128_si256(
          _mm256_castsi128_si256(_mm_loadu_si128(
              reinterpret_cast<const __m128i *>(input + load.lane[0]))),
          _mm_loadu_si128(
              reinterpret_cast<const __m128i *>(input + load.lane[1])),
          1);
      if (Flip)
        bytes = _mm256_xor_si256(bytes, flips);
      taps = _mm256_shuffle_epi8(bytes, shuffle);
      if (Edge)
        taps = _mm256_or_si256(taps, padding);
    }
    acc = Isa::addQuads(acc, taps, channel.weights[j]);
  }
  return acc;
}

/// DepthwiseRow's row with `Rows` kernel rows inside the input, the
/// indices `present` (the others read only padding, whose products join
/// each channel's offset), the storage bytes xored with row.flip when
/// `Flip`, the last two reading one stored row with `SharedLast`
/// (ConvInt8Tiles.h's depthwiseRow): the AVX-512 kernel's on 8 lanes, the
/// products summed as depthwiseSums does.
template <int Rows, bool Flip, bool SharedLast>
PICOSAM_AVX2 void depthwiseRowOf(const DepthwiseRow &row,
                                 const int64_t *present) {
  const Requantization &q = row.requantization;
  // Rows narrower than a lane: the channels whose next channel's row
  // follows load past it, the others from a copy.
  RowLoads loads(row, std::max<int64_t>(row.width, 16));
  bool narrow = row.width < 16,
       nextRowsHoldLane = row.width + row.channelStride >= 16;
  alignas(16) uint8_t copies[Rows > 0 ? Rows : 1][16] = {};
  __m256i shuffle =
      _mm256_load_si256(reinterpret_cast<const __m256i *>(row.shuffle));
  __m256i flips = _mm256_set1_epi8(static_cast<char>(row.flip));
  __m256i paddingTaps = _mm256_set1_epi8(static_cast<char>(row.padding));
  BytePacking packing(q.outputZeroPoint, q.clampMin, q.clampMax,
                      q.outputSigned);
  bool exactNegatives = !q.clampsNonPositive();
  for (int64_t c = 0; c < q.rows; ++c) {
    const picosam_uk_multiplier &m = q.multipliers[c * q.constantStride];
    QuantizedMultiplier multiplier(m.multiplier, m.shift, exactNegatives);
    DepthwiseChannel<Rows> channel(row, c, present, paddingTaps);
    if (narrow && (c + 1 == q.rows || !nextRowsHoldLane))
      for (int j = 0; j < Rows; ++j) {
        std::memcpy(copies[j], channel.inputs[j], row.width);
        channel.inputs[j] = copies[j];
      }
    requantizeVectors(
        q.n, channel.offset,
        [&](__m256i acc, int64_t vector)
            PICOSAM_AVX2 __attribute__((always_inline)) {
              const RowLoads::Load &load = loads.vectors[vector];
              if (load.edge < 0)
                return vectorSums<Rows, Flip, SharedLast, false>(
                    acc, channel, load, shuffle, shuffle, flips);
              const RowLoads::Edge &edge = loads.edges[load.edge];
              return vectorSums<Rows, Flip, SharedLast, true>(
                  acc, channel, load, edge.shuffle, edge.padding, flips);
            },
        multiplier, packing, static_cast<uint8_t *>(q.outputRow(c)));
  }
}

} // namespace

const Kernels &picosam::runtime::int8::avx2Kernels() {
  static constexpr Kernels kernels{gemm, requantizeByRows<requantizeRow>,
                                   depthwiseSums, depthwiseRow, Isa::kLanes,
                                   gemmRequantize};
  return kernels;
}
