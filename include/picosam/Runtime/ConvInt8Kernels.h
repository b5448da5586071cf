//===- ConvInt8Kernels.h - the inner kernels of each variant ----*- C++ -*-===//
//
// What lib/Runtime/ConvInt8.cpp's drivers call per variant (portable C++,
// AVX2, AVX-512 VNNI): the GEMM of a packed block, the weight rows' sums,
// the requantization of a row, and the depthwise row sums. The drivers
// pack, index and check the bounds that make every variant exact.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_RUNTIME_CONVINT8KERNELS_H
#define PICOSAM_RUNTIME_CONVINT8KERNELS_H

#include "picosam/Runtime/ConvInt8.h"
#include "picosam/Runtime/Ukernels.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace picosam::runtime::int8 {

/// The pixels of a packed block, a multiple of every variant's vector.
constexpr int64_t kMaxBlockPixels = 128;

/// A block of `pixels` output pixels' taps as unsigned bytes u (x + 128 for
/// signed storage, x for unsigned), tap k of pixel p at
/// data[(k / 4) * 4 * blockPixels + 4 * p + k % 4]; taps past the depth
/// may hold anything (their weights count as 0).
struct PackedBlock {
  const uint8_t *data;
  int64_t blockPixels, pixels, depth;
};

/// How one output channel's int32 sums become 8-bit values: x = sum +
/// offset (+ the residual's term), then clamp(outZp + MBQM(x, multiplier,
/// shift)) stored signed or not. The caller guarantees that x fits in
/// int32 (as a 64-bit sum it would not saturate).
struct RowRequantization {
  int32_t offset = 0;
  int32_t multiplier = 0, shift = 0;
  int32_t outputZeroPoint = 0, clampMin = 0, clampMax = 0;
  bool outputSigned = false;
  /// The residual row (or null), its storage and its term's multiplier.
  const void *residual = nullptr;
  bool residualSigned = false;
  int32_t residualZeroPoint = 0, residualMultiplier = 0, residualShift = 0;

  /// Whether every MBQM result y <= 0 stores clampMin (a fused ReLU's
  /// clamp): zp + y <= zp <= clampMin, so the vector kernels may round
  /// products that give y <= 0 either way (see their QuantizedMultiplier).
  bool clampsNonPositive() const {
    return clampsNonPositiveResults(outputZeroPoint, clampMin);
  }
  static bool clampsNonPositiveResults(int32_t outputZeroPoint,
                                       int32_t clampMin) {
    return clampMin >= outputZeroPoint;
  }
};

/// Rows of sums to 8-bit values: row r has `n` sums at sums + r *
/// sumStride, its output at out + r * outStride and its residual (if any)
/// at residual + r * residualStride, in bytes; its constants are entry r *
/// constantStride of the arrays (0: the rows of one channel).
struct Requantization {
  int64_t rows = 0, n = 0;
  const int32_t *sums = nullptr;
  int64_t sumStride = 0;
  const int32_t *offsets = nullptr;
  const picosam_uk_multiplier *multipliers = nullptr,
                              *residualMultipliers = nullptr;
  int64_t constantStride = 0;
  int32_t outputZeroPoint = 0, clampMin = 0, clampMax = 0;
  bool outputSigned = false;
  void *out = nullptr;
  int64_t outStride = 0;
  const void *residual = nullptr;
  int64_t residualStride = 0;
  bool residualSigned = false;
  int32_t residualZeroPoint = 0;

  /// Row r's constants and residual.
  RowRequantization row(int64_t r) const {
    RowRequantization result;
    int64_t c = r * constantStride;
    result.offset = offsets[c];
    result.multiplier = multipliers[c].multiplier;
    result.shift = multipliers[c].shift;
    result.outputZeroPoint = outputZeroPoint;
    result.clampMin = clampMin;
    result.clampMax = clampMax;
    result.outputSigned = outputSigned;
    if (residual) {
      result.residual =
          static_cast<const uint8_t *>(residual) + r * residualStride;
      result.residualSigned = residualSigned;
      result.residualZeroPoint = residualZeroPoint;
      result.residualMultiplier = residualMultipliers[c].multiplier;
      result.residualShift = residualMultipliers[c].shift;
    }
    return result;
  }
  void *outputRow(int64_t r) const {
    return static_cast<uint8_t *>(out) + r * outStride;
  }
  /// RowRequantization::clampsNonPositive, the same for every row.
  bool clampsNonPositive() const {
    return RowRequantization::clampsNonPositiveResults(outputZeroPoint,
                                                       clampMin);
  }
};

/// Weights [k, k + 4) of a row of `depth` as one word for a 4-byte
/// broadcast, those past the depth as 0.
inline int32_t loadWeightWord(const int8_t *row, int64_t k, int64_t depth) {
  int32_t word = 0;
  if (k + 4 <= depth)
    std::memcpy(&word, row + k, 4);
  else
    for (int64_t i = k; i < depth; ++i)
      word |= int32_t(uint8_t(row[i])) << (8 * (i - k));
  return word;
}

/// The first `count` (>= 1) weights of a kernel row at `taps` as the
/// bytes of one word, 0 past them: 4 bytes loaded (and masked) where they
/// lie before `end`, the weights' end, else byte by byte.
inline __attribute__((always_inline)) int32_t
loadTapWord(const int8_t *taps, int64_t count, const int8_t *end) {
  if (count >= 4 || taps + 4 > end)
    return loadWeightWord(taps, 0, std::min<int64_t>(count, 4));
  int32_t word;
  std::memcpy(&word, taps, 4);
  return word & static_cast<int32_t>((uint32_t(1) << (8 * count)) - 1);
}

/// The quads a depthwise output row of `channels` channels sums: entry r
/// is 4 taps of one kernel row over a padded input row of unsigned bytes u
/// (x + 128 for signed storage, x for unsigned, the zero point's u as
/// padding), rows[r] pointing at channel 0's entry's first tap for output
/// 0 and channel c's `channelBytes` further; channel c's entry r weighs its
/// taps by the bytes of weights[c * count + r] (0 past the kernel): see
/// Kernels::depthwiseSums.
struct DepthwiseQuads {
  static constexpr int64_t kMaxEntries = 16;
  const uint8_t *rows[kMaxEntries];
  const int32_t *weights = nullptr;
  int64_t count = 0, stride = 1, dilation = 1;
  int64_t channels = 1, channelBytes = 0;
  /// shuffle[4 * o + t] = the byte of output o's tap t (o, t < 4) from
  /// output 0's first: a vpshufb lane's gather of 4 outputs' quads.
  alignas(16) uint8_t shuffle[16];

  DepthwiseQuads(int64_t stride, int64_t dilation)
      : stride(stride), dilation(dilation) {
    for (int64_t o = 0; o < 4; ++o)
      for (int64_t t = 0; t < 4; ++t)
        shuffle[4 * o + t] = static_cast<uint8_t>(o * stride + t * dilation);
  }
  /// Channel c's row of entry r.
  const uint8_t *row(int64_t c, int64_t r) const {
    return rows[r] + c * channelBytes;
  }
};

/// The bytes every padded row of DepthwiseQuads holds past the first tap
/// of its last output: the vector kernels load 64 bytes from there.
constexpr int64_t kDepthwiseRowSlack = 64;
/// The largest stride * 3 + dilation * 3: the byte of the last tap of an
/// output's fourth neighbour, which each 16-byte lane of the vector kernels
/// reaches from the first's.
constexpr int64_t kMaxDepthwiseQuadReach = 15;

/// One output row of a depthwise convolution whose kernel rows are at most
/// 4 taps wide, read straight from the stored input rows (through a
/// nearest upsample, the padding's byte outside the row) and requantized
/// in registers: Kernels::depthwiseRow. Output i of channel c sums, over
/// the kernel rows r and taps t < kernelWidth, the weight of tap (r, t) of
/// channel c times the u (storage byte xor flip) of stored column
/// floor((i * stride + t * dilation - padLeft) / upsample) of rows[r] + c *
/// channelStride (padding outside [0, width); a null row is all padding),
/// and requantization row c turns the sums into output c's row. The
/// kernels use no byte of a stored row outside [0, width), and read none
/// outside it but, for rows narrower than 16 bytes (AVX2, whose loads are
/// 16 bytes), up to 16 from the row's start where the next channel's row
/// follows: no byte past rows[r] + (channels - 1) * channelStride + width.
struct DepthwiseRow {
  static constexpr int64_t kMaxKernelRows = 4;
  /// The most outputs a row may have.
  static constexpr int64_t kMaxOutputs = 2048;
  const uint8_t *rows[kMaxKernelRows];
  int64_t kernelRows = 0, channelStride = 0;
  /// The weights, OIHW (channel c's kernel row r from weight + (c *
  /// kernelRows + r) * kernelWidth).
  const int8_t *weight = nullptr;
  int64_t kernelWidth = 1;
  int64_t width = 0, stride = 1, upsample = 1, padLeft = 0;
  uint8_t flip = 0, padding = 0;
  /// How the `lanes` outputs (a variant's int32 lanes: 16 for AVX-512, 8
  /// for AVX2) from a multiple of lanes, i0, read the 4 * lanes bytes from
  /// stored column firstColumn(i0): the 128-bit lane L of the sums takes
  /// dwords permute[4L .. 4L + 3] of them, and output 4L + o's tap t is byte
  /// shuffle[16L + 4o + t] of that lane (setControls; entries past the
  /// vector unused).
  alignas(64) int32_t permute[16];
  alignas(64) uint8_t shuffle[64];
  /// Rows: the channels; n: the outputs; sums: unused.
  Requantization requantization;

  int64_t firstColumn(int64_t i0) const {
    return floorByUpsample(i0 * stride - padLeft);
  }
  /// Kernel row r of channel c's taps as the bytes of one word (0 past the
  /// kernel).
  __attribute__((always_inline)) int32_t weightWord(int64_t c,
                                                    int64_t r) const {
    return loadTapWord(weight + (c * kernelRows + r) * kernelWidth, kernelWidth,
                       weight + requantization.rows * kernelRows * kernelWidth);
  }
  /// Sets permute and shuffle for `dilation` and vectors of `lanes` (8 or
  /// 16) int32 lanes; false where a 128-bit lane's taps span more than 16
  /// bytes from its first dword or lie past the vector's bytes, or upsample
  /// does not divide lanes (the pattern would change with i0).
  bool setControls(int64_t kernelWidth, int64_t dilation, int64_t lanes) {
    if (lanes % upsample != 0)
      return false;
    int64_t base = firstColumn(0);
    for (int64_t lane = 0; lane < lanes / 4; ++lane) {
      int64_t offsets[4][4], first = INT64_MAX;
      for (int64_t o = 0; o < 4; ++o)
        for (int64_t t = 0; t < 4; ++t) {
          // Taps past the kernel weigh 0: any byte in reach does.
          int64_t tap = std::min(t, kernelWidth - 1);
          offsets[o][t] =
              floorByUpsample((4 * lane + o) * stride + tap * dilation -
                              padLeft) -
              base;
          first = std::min(first, offsets[o][t]);
        }
      int64_t dword = first / 4;
      if (dword + 3 > lanes - 1)
        return false;
      for (int64_t i = 0; i < 4; ++i)
        permute[4 * lane + i] = static_cast<int32_t>(dword + i);
      for (int64_t o = 0; o < 4; ++o)
        for (int64_t t = 0; t < 4; ++t) {
          int64_t byte = offsets[o][t] - 4 * dword;
          if (byte >= 16)
            return false;
          shuffle[16 * lane + 4 * o + t] = static_cast<uint8_t>(byte);
        }
    }
    return true;
  }

private:
  /// floor(a / upsample), upsample a power of two (it divides the lanes
  /// where the controls are used): an arithmetic shift, no division per
  /// tap.
  int64_t floorByUpsample(int64_t a) const {
    return a >> __builtin_ctzll(static_cast<uint64_t>(upsample));
  }
};

struct Kernels {
  /// tile[m * block.blockPixels + p] = sum over k < depth of
  /// weight[m * weightStride + k] * u(k, p), for m < rows and p <
  /// block.pixels (lanes up to the next vector may be written too).
  void (*gemm)(const PackedBlock &block, const int8_t *weight,
               int64_t weightStride, int64_t rows, int32_t *tile);
  /// Every row of `block` requantized (RowRequantization's rule).
  void (*requantize)(const Requantization &block);
  /// sums[c * n + i] = sum over r < quads.count and t < 4 of byte t of
  /// quads.weights[c * quads.count + r] (int8) * quads.row(c, r)[i *
  /// quads.stride + t * quads.dilation] for c < quads.channels, i < n: one
  /// output row of a depthwise convolution per channel (stride <= 2, within
  /// kMaxDepthwiseQuadReach, rows holding kDepthwiseRowSlack bytes past
  /// output n - 1's first tap).
  void (*depthwiseSums)(const DepthwiseQuads &quads, int32_t *sums, int64_t n);
  /// DepthwiseRow's row, for the variants that have it (null: the drivers
  /// gather the rows for depthwiseSums and requantize), and the int32 lanes
  /// of its vectors (DepthwiseRow::setControls).
  void (*depthwiseRow)(const DepthwiseRow &row) = nullptr;
  int64_t depthwiseRowLanes = 0;
  /// gemm's sums requantized in registers, for the variants that have it
  /// (null: the drivers call gemm and requantize): rows m < q.rows of the
  /// block (weights from weight + m * weightStride) to q.outputRow(m), its
  /// pixels contiguous (the residual's likewise); q.n == block.pixels, and
  /// q.sums is unused.
  void (*gemmRequantize)(const PackedBlock &block, const int8_t *weight,
                         int64_t weightStride, const Requantization &q) =
      nullptr;
  /// out[i] = table[in[i]] for i < n (out may be in), for the variants
  /// that have it and where the CPU has `lookupFeatures` as well (null, or
  /// those missing: the drivers look up byte by byte).
  void (*lookupBytes)(const uint8_t (&table)[256], const uint8_t *in,
                      int64_t n, uint8_t *out) = nullptr;
  uint64_t lookupFeatures = 0;
};

/// Kernels::requantize from a variant's requantizeRow(row, sums, n, out).
template <auto requantizeRow>
void requantizeByRows(const Requantization &block) {
  for (int64_t r = 0; r < block.rows; ++r)
    requantizeRow(block.row(r), block.sums + r * block.sumStride, block.n,
                  block.outputRow(r));
}

const Kernels &portableKernels();
/// Only where the CPU has AVX2.
const Kernels &avx2Kernels();
/// Only where the CPU has AVX-512 F, BW, VL and VNNI.
const Kernels &avx512VnniKernels();
/// `variant`'s kernels, or null for the reference.
const Kernels *kernelsOf(Int8ConvVariant variant);

} // namespace picosam::runtime::int8

#endif // PICOSAM_RUNTIME_CONVINT8KERNELS_H
