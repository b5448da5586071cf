//===- ConvInt8.cpp - fast paths of the integer convolution entry ---------===//
//
// The drivers of include/picosam/Runtime/ConvInt8.h: they check that a
// convolution is one they cover and that its sums cannot saturate (where
// the reference's 64-bit sum would saturate to int32, they leave it to the
// reference), pack or widen its input on the stack, and call the inner
// kernels of the chosen variant (ConvInt8Kernels.h). No heap, no state.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/ConvInt8.h"

#include "picosam/Kernels/FixedPoint.h"
#include "picosam/Runtime/ConvInt8Kernels.h"
#include "picosam/Runtime/CpuFeatures.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

using namespace picosam;
using namespace picosam::runtime;
using namespace picosam::runtime::int8;

namespace {

/// Bounds of the stack buffers: convolutions beyond them run the reference.
constexpr int64_t kMaxChannels = 1024;
constexpr int64_t kPackedBytes = 112 * 1024;
constexpr int64_t kTileRows = 48;
constexpr int64_t kMaxDepthwiseWidth = 2048;
constexpr int64_t kDepthwiseRingBytes = 32 * 1024;
constexpr int64_t kDepthwiseRowChunk = 32;
constexpr int64_t kDepthwiseGroupChannels = 64;
constexpr int64_t kDepthwiseGroupSums = 8 * 1024;
constexpr int64_t kVectorPixels = 16;
/// The widest kernel row (its last tap's column from its first) whose
/// stride-2 taps packSplitBlock reads from a row split into even and odd
/// columns, and the bytes of each half of a gathered row.
constexpr int64_t kMaxSplitReach = 32;
constexpr int64_t kSplitPhaseBytes = kMaxBlockPixels + kMaxSplitReach / 2 + 16;
/// The split rows of a stride-2 segment, and the most taps (depth) whose
/// offsets into them packSplitBlock keeps.
constexpr int64_t kSplitRowsBytes = 32 * 1024;
constexpr int64_t kMaxSplitTaps = 4096;

/// Element (n, c, h, 0) of an 8-bit view whose first row is `firstRow`.
template <typename T>
T *elementAt(T *data, const picosam_uk_layout &layout, int64_t n, int64_t c,
             int64_t h, int64_t firstRow = 0) {
  return data + n * layout.batch_stride + c * layout.channel_stride +
         (h - firstRow) * layout.row_stride;
}

/// The bytes [begin, end) a view's rows [firstRow, lastRow) of `width`
/// elements span over `batch` x `channels`.
struct ByteRange {
  const uint8_t *begin, *end;
  bool overlaps(const ByteRange &other) const {
    return begin < other.end && other.begin < end;
  }
};
ByteRange rangeOf(const void *data, const picosam_uk_layout &layout,
                  int64_t batch, int64_t channels, int64_t firstRow,
                  int64_t lastRow, int64_t width, int64_t viewFirstRow) {
  auto *bytes = static_cast<const uint8_t *>(data);
  return {elementAt(bytes, layout, 0, 0, firstRow, viewFirstRow),
          elementAt(bytes, layout, batch - 1, channels - 1, lastRow - 1,
                    viewFirstRow) +
              width};
}

/// Whether two views of `batch` images put each element at the same offset.
bool sameStrides(const picosam_uk_layout &a, const picosam_uk_layout &b,
                 int64_t batch) {
  return (batch == 1 || a.batch_stride == b.batch_stride) &&
         a.channel_stride == b.channel_stride && a.row_stride == b.row_stride;
}

/// The convolution's operands and the per-channel constants every driver
/// needs, checked once.
struct Problem {
  const picosam_uk_conv2d &d;
  const uint8_t *input;
  const int8_t *weight;
  const int32_t *bias;
  const uint8_t *residual;
  uint8_t *output;
  int64_t rowBegin, rowEnd;
  const picosam_uk_multiplier *multipliers, *residualMultipliers;
  /// The descriptor's zero-point offsets, or null.
  const int32_t *compiledOffsets;

  int64_t readHeight() const { return d.in_height * d.upsample; }
  int64_t readWidth() const { return d.in_width * d.upsample; }
  /// The stored row of read row `row` (>= 0), without a division for the
  /// usual upsamples: this runs per tap of a packed block.
  int64_t storedRow(int64_t row) const {
    return d.upsample == 1   ? row
           : d.upsample == 2 ? row >> 1
                             : row / d.upsample;
  }

  /// The input rows (as stored) the output rows read: [first, last).
  std::pair<int64_t, int64_t> storedInputRows() const {
    int64_t first =
        std::clamp<int64_t>(rowBegin * d.stride_h - d.pad_top, 0, readHeight());
    int64_t last =
        std::clamp<int64_t>((rowEnd - 1) * d.stride_h - d.pad_top +
                                (d.kernel_height - 1) * d.dilation_h + 1,
                            first, readHeight());
    return {first / d.upsample, (last + d.upsample - 1) / d.upsample};
  }

  /// Whether writing the output may change an input or residual element
  /// before it is read. A pointwise convolution may run in place (the
  /// output over its input, element for element): each block is packed
  /// before its pixels are written.
  bool outputClobbersOperands(bool inPlaceAllowed) const {
    ByteRange out = rangeOf(output, d.output, d.batch, d.out_channels, rowBegin,
                            rowEnd, d.out_width, rowBegin);
    auto [first, last] = storedInputRows();
    if (first < last) {
      ByteRange in = rangeOf(input, d.input, d.batch, d.in_channels, first,
                             last, d.in_width, 0);
      if (in.overlaps(out) &&
          !(inPlaceAllowed && sameStrides(d.input, d.output, d.batch) &&
            elementAt(input, d.input, 0, 0, rowBegin) ==
                elementAt(output, d.output, 0, 0, rowBegin, rowBegin)))
        return true;
    }
    if (!d.has_residual)
      return false;
    ByteRange res = rangeOf(residual, d.residual, d.batch, d.out_channels,
                            rowBegin, rowEnd, d.out_width, 0);
    return res.overlaps(out) &&
           !(sameStrides(d.residual, d.output, d.batch) &&
             elementAt(residual, d.residual, 0, 0, rowBegin) ==
                 elementAt(output, d.output, 0, 0, rowBegin, rowBegin));
  }

  /// A bound of the |term| the residual adds to channel oc's sums: MBQM
  /// of |r - zp| <= 255 by m * 2^(shift - 31) <= 255 * that, plus the
  /// roundings.
  int64_t residualBound(int64_t oc) const {
    if (!d.has_residual)
      return 0;
    const picosam_uk_multiplier &m = residualMultipliers[oc];
    return ((int64_t(255) * m.multiplier) >> (31 - m.shift)) + 2;
  }

  /// Whether no sum of `depth` products of a channel (|x - zp| <= 255, |w|
  /// <= 128), with its bias and the residual's term, leaves int32: the
  /// kernels sum in wrapping int32 and the reference in int64 saturated to
  /// int32.
  bool sumsFitInt32(int64_t depth) const {
    int64_t sumBound = depth * 255 * 128;
    for (int64_t oc = 0; oc < d.out_channels; ++oc) {
      int64_t biasValue = d.has_bias ? bias[oc] : 0;
      if (sumBound + std::abs(biasValue) + residualBound(oc) >
          std::numeric_limits<int32_t>::max())
        return false;
    }
    return true;
  }

  /// The offsets of the sums of `depth` products w * u (u = x + 128 for
  /// signed storage, x for unsigned): sum w * (x - zp) = sum w * u - (zp +
  /// 128) * sum w, the correction folded into each channel's offset with
  /// its bias. The compiler's (in the descriptor) or computed into
  /// `scratch`; null where a sum could leave int32.
  const int32_t *zeroPointOffsets(int64_t depth, int32_t *scratch) const {
    if (!sumsFitInt32(depth))
      return nullptr;
    if (compiledOffsets)
      return compiledOffsets;
    return conv2dZeroPointOffsets(d, weight, d.has_bias ? bias : nullptr,
                                  scratch)
               ? scratch
               : nullptr;
  }

  /// The requantization of channels [oc, ...) with sums offset by
  /// offsets[oc]: the caller sets the rows, sums and places.
  Requantization requantization(int64_t oc, const int32_t *offsets) const {
    Requantization q;
    q.offsets = offsets + oc;
    q.multipliers = multipliers + oc;
    q.residualMultipliers = residualMultipliers + oc;
    q.constantStride = 1;
    q.outputZeroPoint = d.output.zero_point;
    q.clampMin = d.clamp_min;
    q.clampMax = d.clamp_max;
    q.outputSigned = d.output.is_signed;
    q.residualSigned = d.residual.is_signed;
    q.residualZeroPoint = d.residual.zero_point;
    return q;
  }

  /// Sets q's output (and residual) to start at (b, oc, oh, ow).
  void place(Requantization &q, int64_t b, int64_t oc, int64_t oh,
             int64_t ow) const {
    q.out = elementAt(output, d.output, b, oc, oh, rowBegin) + ow;
    if (d.has_residual)
      q.residual = elementAt(residual, d.residual, b, oc, oh) + ow;
  }
};

/// A run of a block's pixels within one output row.
struct Segment {
  int64_t row, column, length, firstPixel;
};

/// out[i] = the storage byte, xor flip, of input column column + i *
/// stride of a row of `width` columns read through a nearest upsample
/// (padding outside), for i < n.
void gatherRow(const uint8_t *source, int64_t column, int64_t stride,
               int64_t upsample, int64_t width, int64_t n, uint8_t padding,
               uint8_t flip, uint8_t *out) {
  // The outputs [begin, end) that read inside the row (no division for
  // the usual strides: this runs per tap and row of a block).
  auto ceilDiv = [stride](int64_t n) {
    return stride == 1   ? n
           : stride == 2 ? (n + 1) >> 1
                         : (n + stride - 1) / stride;
  };
  int64_t begin = column >= 0 ? 0 : ceilDiv(-column);
  int64_t end = column >= width ? 0 : ceilDiv(width - column);
  begin = std::min(begin, n);
  end = std::clamp(end, begin, n);
  int64_t i = begin, head = 0, tail = end;
#ifdef __SSE2__
  __m128i flips = _mm_set1_epi8(static_cast<char>(flip));
  auto load = [](const uint8_t *at) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i *>(at));
  };
  auto store = [](uint8_t *at, __m128i x) {
    _mm_storeu_si128(reinterpret_cast<__m128i *>(at), x);
  };
  // The padding around the row (a depthwise row's slack) by vectors, not
  // memset calls: before the row's bytes, which may overwrite it.
  __m128i paddings = _mm_set1_epi8(static_cast<char>(padding));
  for (; head < begin && head + 16 <= n; head += 16)
    store(out + head, paddings);
  for (; tail + 16 <= n; tail += 16)
    store(out + tail, paddings);
  // The rest of each by the last 16 bytes, over the row's, written next.
  if (n >= 16 && (head < begin || tail < n))
    store(out + n - 16, paddings);
  if (n >= 16 && head < begin)
    head = begin;
  if (n >= 16)
    tail = n;
  if (upsample == 1 && stride == 1) {
    for (; i + 16 <= end; i += 16)
      store(out + i, _mm_xor_si128(load(source + column + i), flips));
    // The last 16, over some already written.
    if (i < end && end - begin >= 16) {
      store(out + end - 16,
            _mm_xor_si128(load(source + column + end - 16), flips));
      i = end;
    }
  } else if (upsample == 1 && stride == 2) {
    // The even bytes of 32, while all 32 lie inside the row.
    __m128i evenBytes = _mm_set1_epi16(0xff);
    for (; i + 16 <= end && column + 2 * i + 32 <= width; i += 16) {
      const uint8_t *in = source + column + 2 * i;
      __m128i low = _mm_and_si128(load(in), evenBytes);
      __m128i high = _mm_and_si128(load(in + 16), evenBytes);
      store(out + i, _mm_xor_si128(_mm_packus_epi16(low, high), flips));
    }
    // 8 more (the rows of small planes) from 16 bytes inside the row.
    if (i + 8 <= end && column + 2 * i + 16 <= width) {
      __m128i even = _mm_and_si128(load(source + column + 2 * i), evenBytes);
      _mm_storel_epi64(reinterpret_cast<__m128i *>(out + i),
                       _mm_xor_si128(_mm_packus_epi16(even, even), flips));
      i += 8;
    }
  } else if (upsample == 2 && stride == 1) {
    // Each of 16 bytes twice, from an even column on.
    if ((column + i) % 2 && i < end) {
      out[i] = source[(column + i) / 2] ^ flip;
      ++i;
    }
    for (; i + 32 <= end; i += 32) {
      __m128i x = _mm_xor_si128(load(source + (column + i) / 2), flips);
      store(out + i, _mm_unpacklo_epi8(x, x));
      store(out + i + 16, _mm_unpackhi_epi8(x, x));
    }
    auto store16 = [&](int64_t at) {
      __m128i x = _mm_xor_si128(
          _mm_loadl_epi64(
              reinterpret_cast<const __m128i *>(source + (column + at) / 2)),
          flips);
      store(out + at, _mm_unpacklo_epi8(x, x));
    };
    if (i + 16 <= end) {
      store16(i);
      i += 16;
    }
    // The last 16 (from an even column), over some already written.
    int64_t last = end - 16 - ((column + end) & 1);
    if (i < end && last >= begin) {
      store16(last);
      i = std::max(i, last + 16);
    }
  }
#endif
  if (head < begin)
    std::fill(out + head, out + begin, padding);
  if (tail < n)
    std::fill(out + tail, out + n, padding);
  // The rest, without a division per byte where the upsample allows.
  if (upsample == 1)
    for (; i < end; ++i)
      out[i] = source[column + i * stride] ^ flip;
  else if (upsample == 2)
    for (; i < end; ++i)
      out[i] = source[(column + i * stride) >> 1] ^ flip;
  else
    for (; i < end; ++i)
      out[i] = source[(column + i * stride) / upsample] ^ flip;
}

/// dest[4 * i + j] = rows[j][i] ^ flip for i < n, j < 4: four taps' rows
/// as one group of a packed block.
void interleave4(const uint8_t *const rows[4], int64_t n, uint8_t flip,
                 uint8_t *dest) {
  int64_t i = 0;
#ifdef __SSE2__
  __m128i flips = _mm_set1_epi8(static_cast<char>(flip));
  auto load = [&](int j) {
    return _mm_xor_si128(
        _mm_loadu_si128(reinterpret_cast<const __m128i *>(rows[j] + i)), flips);
  };
  for (; i + 16 <= n; i += 16) {
    __m128i a = load(0), b = load(1), c = load(2), d = load(3);
    __m128i abLow = _mm_unpacklo_epi8(a, b), abHigh = _mm_unpackhi_epi8(a, b);
    __m128i cdLow = _mm_unpacklo_epi8(c, d), cdHigh = _mm_unpackhi_epi8(c, d);
    auto *out = reinterpret_cast<__m128i *>(dest + 4 * i);
    _mm_storeu_si128(out, _mm_unpacklo_epi16(abLow, cdLow));
    _mm_storeu_si128(out + 1, _mm_unpackhi_epi16(abLow, cdLow));
    _mm_storeu_si128(out + 2, _mm_unpacklo_epi16(abHigh, cdHigh));
    _mm_storeu_si128(out + 3, _mm_unpackhi_epi16(abHigh, cdHigh));
  }
  // 8 and 4 at a time (short rows' segments: 6 to 24 pixels).
  auto loadLow = [&](int j) {
    return _mm_xor_si128(
        _mm_loadl_epi64(reinterpret_cast<const __m128i *>(rows[j] + i)),
        flips);
  };
  if (i + 8 <= n) {
    __m128i ab = _mm_unpacklo_epi8(loadLow(0), loadLow(1));
    __m128i cd = _mm_unpacklo_epi8(loadLow(2), loadLow(3));
    auto *out = reinterpret_cast<__m128i *>(dest + 4 * i);
    _mm_storeu_si128(out, _mm_unpacklo_epi16(ab, cd));
    _mm_storeu_si128(out + 1, _mm_unpackhi_epi16(ab, cd));
    i += 8;
  }
  auto loadWord = [&](int j) {
    int32_t word;
    std::memcpy(&word, rows[j] + i, 4);
    return _mm_xor_si128(_mm_cvtsi32_si128(word), flips);
  };
  if (i + 4 <= n) {
    __m128i ab = _mm_unpacklo_epi8(loadWord(0), loadWord(1));
    __m128i cd = _mm_unpacklo_epi8(loadWord(2), loadWord(3));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(dest + 4 * i),
                     _mm_unpacklo_epi16(ab, cd));
    i += 4;
  }
#endif
  for (; i < n; ++i)
    for (int j = 0; j < 4; ++j)
      dest[4 * i + j] = rows[j][i] ^ flip;
}

/// `span` columns from `column` of a row of `width` (gatherRow's indexing
/// and padding) split into its even and odd columns: even[i] = column +
/// 2i, odd[i] = column + 2i + 1, for 2i < span (and up to the next 16
/// of each). One gather and a split take less than two strided gathers.
void gatherSplitRow(const uint8_t *source, int64_t column, int64_t upsample,
                    int64_t width, int64_t span, uint8_t padding,
                    uint8_t *even, uint8_t *odd) {
  alignas(16) uint8_t row[2 * kSplitPhaseBytes];
  gatherRow(source, column, 1, upsample, width, span, padding, 0, row);
  int64_t i = 0;
#ifdef __SSE2__
  // 16 of each from 32 bytes (those past the span are never read).
  __m128i lowBytes = _mm_set1_epi16(0xff);
  for (; 2 * i < span; i += 16) {
    __m128i a = _mm_load_si128(reinterpret_cast<const __m128i *>(row + 2 * i));
    __m128i b =
        _mm_load_si128(reinterpret_cast<const __m128i *>(row + 2 * i + 16));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(even + i),
                     _mm_packus_epi16(_mm_and_si128(a, lowBytes),
                                      _mm_and_si128(b, lowBytes)));
    _mm_storeu_si128(
        reinterpret_cast<__m128i *>(odd + i),
        _mm_packus_epi16(_mm_srli_epi16(a, 8), _mm_srli_epi16(b, 8)));
  }
#endif
  for (; 2 * i < span; ++i) {
    even[i] = row[2 * i];
    odd[i] = row[2 * i + 1];
  }
}

/// packBlock for a stride-2 convolution whose kernel rows reach at most
/// kMaxSplitReach columns: per segment, the input row of each (input
/// channel, kernel row) is gathered once and split into its even and odd
/// columns, and tap (ic, kh, kw) reads one of them in place from column
/// kw * dilation / 2 on, at an offset computed once per call. False,
/// nothing packed, where the split rows or the taps exceed the buffers.
bool packSplitBlock(const Problem &problem, int64_t b, const Segment *segments,
                    int64_t segmentCount, int64_t blockPixels, uint8_t flip,
                    uint8_t padding, uint8_t *packed) {
  const picosam_uk_conv2d &d = problem.d;
  int64_t reach = (d.kernel_width - 1) * d.dilation_w;
  int64_t depth = d.in_channels * d.kernel_height * d.kernel_width;
  int64_t keys = d.in_channels * d.kernel_height;
  int64_t longest = 0;
  for (int64_t s = 0; s < segmentCount; ++s)
    longest = std::max(longest, segments[s].length);
  // Each phase: the segment's columns and the reach, rounded up to the
  // split's 16-byte stores; one more phase of padding past the taps.
  int64_t phaseBytes = (longest + reach / 2 + 1 + 15) / 16 * 16;
  if (d.stride_w != 2 || reach > kMaxSplitReach ||
      (2 * keys + 1) * phaseBytes > kSplitRowsBytes || depth > kMaxSplitTaps)
    return false;
  alignas(16) uint8_t rows[kSplitRowsBytes];
  uint8_t *paddingPhase = rows + 2 * keys * phaseBytes;
  std::fill_n(paddingPhase, phaseBytes, padding);
  // Tap k's bytes from rows + offsets[k]; those past the depth read the
  // padding.
  int32_t offsets[kMaxSplitTaps + 3];
  for (int64_t k = 0, key = 0; key < keys; ++key)
    for (int64_t kw = 0; kw < d.kernel_width; ++kw, ++k) {
      int64_t column = kw * d.dilation_w;
      offsets[k] = static_cast<int32_t>((2 * key + column % 2) * phaseBytes +
                                        column / 2);
    }
  for (int64_t k = depth; k % 4; ++k)
    offsets[k] = static_cast<int32_t>(2 * keys * phaseBytes);
  int64_t readHeight = problem.readHeight(), readWidth = problem.readWidth();
  int64_t groupBytes = 4 * blockPixels;
  for (int64_t s = 0; s < segmentCount; ++s) {
    const Segment &segment = segments[s];
    int64_t span = 2 * segment.length + reach;
    for (int64_t key = 0; key < keys; ++key) {
      int64_t ic = key / d.kernel_height, kh = key % d.kernel_height;
      int64_t ih = segment.row * d.stride_h + kh * d.dilation_h - d.pad_top;
      uint8_t *even = rows + 2 * key * phaseBytes, *odd = even + phaseBytes;
      if (ih < 0 || ih >= readHeight) {
        std::fill_n(even, 2 * phaseBytes, padding);
        continue;
      }
      gatherSplitRow(
          elementAt(problem.input, d.input, b, ic, problem.storedRow(ih)),
          segment.column * 2 - d.pad_left, d.upsample, readWidth, span,
          padding, even, odd);
    }
    for (int64_t k = 0; k < depth; k += 4) {
      const uint8_t *taps[4] = {rows + offsets[k], rows + offsets[k + 1],
                                rows + offsets[k + 2], rows + offsets[k + 3]};
      interleave4(taps, segment.length, flip,
                  packed + (k / 4) * groupBytes + 4 * segment.firstPixel);
    }
  }
  return true;
}

/// Packs the taps of the block's segments (PackedBlock's layout): storage
/// bytes, `padding` the zero point's, turned into u by `flip`.
void packBlock(const Problem &problem, int64_t b, const Segment *segments,
               int64_t segmentCount, int64_t blockPixels, uint8_t flip,
               uint8_t padding, uint8_t *packed) {
  const picosam_uk_conv2d &d = problem.d;
  int64_t depth = d.in_channels * d.kernel_height * d.kernel_width;
  int64_t groupBytes = 4 * blockPixels;
  int64_t readHeight = problem.readHeight(), readWidth = problem.readWidth();
  uint8_t paddingRow[kMaxBlockPixels];
  std::fill(paddingRow, paddingRow + kMaxBlockPixels, padding);
  uint8_t gathered[4][kMaxBlockPixels];
  for (int64_t s = 0; s < segmentCount; ++s) {
    const Segment &segment = segments[s];
    // Tap k = (ic, kh, kw), counted along.
    int64_t ic = 0, kh = 0, kw = 0;
    for (int64_t k = 0; k < depth; k += 4) {
      const uint8_t *rows[4];
      for (int j = 0; j < 4; ++j) {
        rows[j] = paddingRow;
        if (k + j >= depth)
          continue;
        int64_t ih = segment.row * d.stride_h + kh * d.dilation_h - d.pad_top;
        if (ih >= 0 && ih < readHeight) {
          const uint8_t *source =
              elementAt(problem.input, d.input, b, ic, problem.storedRow(ih));
          int64_t column =
              segment.column * d.stride_w + kw * d.dilation_w - d.pad_left;
          if (d.upsample == 1 && d.stride_w == 1 && column >= 0 &&
              column + segment.length <= readWidth) {
            rows[j] = source + column;
          } else {
            gatherRow(source, column, d.stride_w, d.upsample, readWidth,
                      segment.length, padding, 0, gathered[j]);
            rows[j] = gathered[j];
          }
        }
        if (++kw == d.kernel_width) {
          kw = 0;
          if (++kh == d.kernel_height) {
            kh = 0;
            ++ic;
          }
        }
      }
      interleave4(rows, segment.length, flip,
                  packed + (k / 4) * groupBytes + 4 * segment.firstPixel);
    }
  }
}

/// packBlock for a pointwise convolution (1x1, stride 1, no padding or
/// upsample): tap k of a pixel is input channel k's byte at the pixel, so
/// each group of 4 taps interleaves 4 channels' rows read in place, a
/// segment at a time (or the whole block where `denseRows`: its pixels lie
/// one after another in the input too).
void packPointwiseBlock(const Problem &problem, int64_t b,
                        const Segment *segments, int64_t segmentCount,
                        bool denseRows, int64_t blockPixels, uint8_t flip,
                        uint8_t padding, uint8_t *packed) {
  const picosam_uk_conv2d &d = problem.d;
  int64_t depth = d.in_channels, groupBytes = 4 * blockPixels;
  uint8_t paddingRow[kMaxBlockPixels];
  if (depth % 4)
    std::fill(paddingRow, paddingRow + kMaxBlockPixels, padding);
  Segment whole = segments[0];
  if (denseRows) {
    whole.length = segments[segmentCount - 1].firstPixel +
                   segments[segmentCount - 1].length;
    segments = &whole;
    segmentCount = 1;
  }
  for (int64_t s = 0; s < segmentCount; ++s) {
    const Segment &segment = segments[s];
    const uint8_t *first =
        elementAt(problem.input, d.input, b, 0, segment.row) + segment.column;
    for (int64_t k = 0; k < depth; k += 4) {
      const uint8_t *rows[4];
      for (int64_t j = 0; j < 4; ++j)
        rows[j] = k + j < depth ? first + (k + j) * d.input.channel_stride
                                : paddingRow;
      interleave4(rows, segment.length, flip,
                  packed + (k / 4) * groupBytes + 4 * segment.firstPixel);
    }
  }
}

/// groups == 1: a GEMM per block of output pixels.
bool gemmConv(const Kernels &kernels, const Problem &problem) {
  const picosam_uk_conv2d &d = problem.d;
  int64_t depth = d.in_channels * d.kernel_height * d.kernel_width;
  int64_t groupBytes = 4 * ((depth + 3) / 4);
  int64_t blockPixels =
      std::min<int64_t>(kMaxBlockPixels, kPackedBytes / groupBytes /
                                             kVectorPixels * kVectorPixels);
  if (blockPixels == 0 || d.out_channels > kMaxChannels)
    return false;
  bool pointwise = d.kernel_height == 1 && d.kernel_width == 1 &&
                   d.stride_h == 1 && d.stride_w == 1 && d.pad_top == 0 &&
                   d.pad_left == 0 && d.upsample == 1 &&
                   d.out_width == d.in_width;
  if (problem.outputClobbersOperands(/*inPlaceAllowed=*/pointwise))
    return false;

  uint8_t flip = d.input.is_signed ? 0x80 : 0;
  int32_t offsetScratch[kMaxChannels];
  const int32_t *offsets = problem.zeroPointOffsets(depth, offsetScratch);
  if (!offsets)
    return false;

  alignas(64) uint8_t packed[kPackedBytes];
  alignas(64) int32_t tile[kTileRows * kMaxBlockPixels];
  Segment segments[kMaxBlockPixels];
  int64_t width = d.out_width;
  int64_t pixels = (problem.rowEnd - problem.rowBegin) * width;
  // Whether a block's pixels lie one after another in the output (and the
  // residual) across its rows too.
  bool denseRows = d.output.row_stride == width &&
                   (!d.has_residual || d.residual.row_stride == width);
  for (int64_t b = 0; b < d.batch; ++b) {
    for (int64_t start = 0; start < pixels; start += blockPixels) {
      int64_t count = std::min(blockPixels, pixels - start);
      int64_t segmentCount = 0;
      for (int64_t p = start; p < start + count;) {
        int64_t row = problem.rowBegin + p / width, column = p % width;
        int64_t length = std::min(width - column, start + count - p);
        segments[segmentCount++] = {row, column, length, p - start};
        p += length;
      }
      if (pointwise)
        packPointwiseBlock(problem, b, segments, segmentCount,
                           d.input.row_stride == width,
                           blockPixels, flip,
                           static_cast<uint8_t>(d.input.zero_point), packed);
      else if (!packSplitBlock(problem, b, segments, segmentCount,
                               blockPixels, flip,
                               static_cast<uint8_t>(d.input.zero_point),
                               packed))
        packBlock(problem, b, segments, segmentCount, blockPixels, flip,
                  static_cast<uint8_t>(d.input.zero_point), packed);
      PackedBlock block{packed, blockPixels, count, depth};
      if (kernels.gemmRequantize &&
          (segmentCount == 1 || denseRows)) {
        Requantization q = problem.requantization(0, offsets);
        q.rows = d.out_channels;
        q.n = count;
        q.outStride = d.output.channel_stride;
        q.residualStride = d.residual.channel_stride;
        problem.place(q, b, 0, segments[0].row, segments[0].column);
        kernels.gemmRequantize(block, problem.weight, depth, q);
        continue;
      }
      for (int64_t oc0 = 0; oc0 < d.out_channels; oc0 += kTileRows) {
        int64_t rows = std::min(kTileRows, d.out_channels - oc0);
        kernels.gemm(block, problem.weight + oc0 * depth, depth, rows, tile);
        Requantization q = problem.requantization(oc0, offsets);
        q.rows = rows;
        q.sumStride = blockPixels;
        q.outStride = d.output.channel_stride;
        q.residualStride = d.residual.channel_stride;
        for (int64_t s = 0; s < segmentCount; ++s) {
          q.n = segments[s].length;
          q.sums = tile + segments[s].firstPixel;
          problem.place(q, b, oc0, segments[s].row, segments[s].column);
          kernels.requantize(q);
        }
      }
    }
  }
  return true;
}

/// words[c * entries + kh * quadsPerRow + g] = weights [4g, 4g + 4) of
/// kernel row kh of channel c0 + c as one word (0 past the kernel), for c
/// < channels: the depthwise kernels' quads.
void loadDepthwiseWords(const Problem &problem, int64_t c0, int64_t channels,
                        int64_t quadsPerRow, int32_t *words) {
  const picosam_uk_conv2d &d = problem.d;
  int64_t taps = d.kernel_height * d.kernel_width;
  const int8_t *end = problem.weight + d.out_channels * taps;
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t kh = 0; kh < d.kernel_height; ++kh) {
      const int8_t *row = problem.weight + (c0 + c) * taps + kh * d.kernel_width;
      for (int64_t g = 0; g < quadsPerRow; ++g)
        *words++ = loadTapWord(row + 4 * g, d.kernel_width - 4 * g, end);
    }
}

/// groups == channels: per group of channels, their input rows as padded
/// unsigned bytes (each stored row once, in a ring of them per channel),
/// and each output row's sums of the group from quads of 4 taps of a
/// kernel row, requantized together. A group of channels shares one call
/// of each kernel per output row: the tiled plans call with one row.
bool depthwiseConv(const Kernels &kernels, const Problem &problem) {
  const picosam_uk_conv2d &d = problem.d;
  int64_t width = d.out_width;
  int64_t dilation = d.kernel_width == 1 ? 1 : d.dilation_w;
  int64_t quadsPerRow = (d.kernel_width + 3) / 4;
  // The padded row's bytes: the columns after the left padding the outputs
  // read, and the slack of the kernels' loads.
  int64_t reach =
      (width - 1) * d.stride_w + (d.kernel_width - 1) * dilation + 1;
  int64_t rowBytes = reach + kDepthwiseRowSlack;
  // The stored rows one output row reads lie within this many.
  int64_t ringSize = (d.kernel_height - 1) * d.dilation_h + 1;
  int64_t channelBytes = ringSize * rowBytes;
  int64_t entries = d.kernel_height * quadsPerRow;
  if (d.out_channels > kMaxChannels || width > kMaxDepthwiseWidth ||
      channelBytes > kDepthwiseRingBytes || d.stride_w > 2 ||
      3 * d.stride_w + 3 * dilation > kMaxDepthwiseQuadReach ||
      entries > DepthwiseQuads::kMaxEntries ||
      problem.outputClobbersOperands(/*inPlaceAllowed=*/false))
    return false;
  // As many channels as the ring and the sums hold (a row of
  // kMaxDepthwiseWidth sums fills them: at least one channel).
  int64_t groupChannels =
      std::min({d.out_channels, kDepthwiseRingBytes / channelBytes,
                kDepthwiseGroupSums / width, kDepthwiseGroupChannels});

  // The sums run over the kernel rows inside the input: each channel's
  // offset takes the whole kernel's zero-point term, and the rows at the
  // border add back that of their kernel rows outside.
  uint8_t flip = d.input.is_signed ? 0x80 : 0;
  auto uZeroPoint =
      static_cast<uint8_t>(static_cast<uint8_t>(d.input.zero_point) ^ flip);
  int64_t taps = d.kernel_height * d.kernel_width;
  int32_t offsetScratch[kMaxChannels];
  const int32_t *offsets = problem.zeroPointOffsets(taps, offsetScratch);
  if (!offsets)
    return false;
  int64_t readHeight = problem.readHeight();
  // The rows' slack is padding for good: filled once, never gathered.
  alignas(64) uint8_t ring[kDepthwiseRingBytes];
  for (int64_t row = 0; row < groupChannels * ringSize; ++row)
    std::fill_n(ring + row * rowBytes + reach, kDepthwiseRowSlack, uZeroPoint);
  // The stored row each of a ring's rows holds (-1: none yet), the same
  // for every channel of a group; a row is longer than its slack.
  int64_t heldRows[kDepthwiseRingBytes / kDepthwiseRowSlack];
  alignas(64) int32_t sums[kDepthwiseGroupSums];
  // The group's kernels as quads (channel c's entry e at words[c * entries
  // + e]); those of a row at the border, and each channel's offset there.
  int32_t words[kDepthwiseGroupChannels * DepthwiseQuads::kMaxEntries],
      borderWords[kDepthwiseGroupChannels * DepthwiseQuads::kMaxEntries],
      borderOffsets[kDepthwiseGroupChannels];
  DepthwiseQuads quads(d.stride_w, dilation);
  quads.channelBytes = channelBytes;
  // The stored row (or -1: padding) and ring slot of kernel row kh of a
  // chunk's output row i, computed once for all channels.
  int64_t storedRows[kDepthwiseRowChunk][DepthwiseQuads::kMaxEntries],
      slots[kDepthwiseRowChunk][DepthwiseQuads::kMaxEntries];
  for (int64_t b = 0; b < d.batch; ++b) {
    for (int64_t oh0 = problem.rowBegin; oh0 < problem.rowEnd;
         oh0 += kDepthwiseRowChunk) {
      int64_t chunkRows = std::min(kDepthwiseRowChunk, problem.rowEnd - oh0);
      for (int64_t i = 0; i < chunkRows; ++i)
        for (int64_t kh = 0; kh < d.kernel_height; ++kh) {
          int64_t ih = (oh0 + i) * d.stride_h + kh * d.dilation_h - d.pad_top;
          storedRows[i][kh] =
              ih < 0 || ih >= readHeight ? -1 : problem.storedRow(ih);
          slots[i][kh] = storedRows[i][kh] % ringSize;
        }
      for (int64_t c0 = 0; c0 < d.out_channels; c0 += groupChannels) {
        int64_t channels = std::min(groupChannels, d.out_channels - c0);
        quads.channels = channels;
        std::fill(heldRows, heldRows + ringSize, -1);
        loadDepthwiseWords(problem, c0, channels, quadsPerRow, words);
        Requantization q = problem.requantization(c0, offsets);
        q.rows = channels;
        q.n = width;
        q.sums = sums;
        q.sumStride = width;
        q.outStride = d.output.channel_stride;
        q.residualStride = d.residual.channel_stride;
        for (int64_t i = 0; i < chunkRows; ++i) {
          // The kernel rows inside the input, their rows gathered.
          int64_t inside[DepthwiseQuads::kMaxEntries], insideCount = 0;
          quads.count = 0;
          for (int64_t kh = 0; kh < d.kernel_height; ++kh) {
            int64_t stored = storedRows[i][kh], slot = slots[i][kh];
            if (stored < 0)
              continue;
            uint8_t *row = ring + slot * rowBytes;
            if (heldRows[slot] != stored) {
              heldRows[slot] = stored;
              for (int64_t c = 0; c < channels; ++c)
                gatherRow(elementAt(problem.input, d.input, b, c0 + c, stored),
                          -d.pad_left, 1, d.upsample, problem.readWidth(),
                          reach, uZeroPoint, flip, row + c * channelBytes);
            }
            inside[insideCount++] = kh;
            for (int64_t g = 0; g < quadsPerRow; ++g)
              quads.rows[quads.count++] = row + 4 * g * dilation;
          }
          quads.weights = words;
          q.offsets = offsets + c0;
          if (insideCount < d.kernel_height) {
            // A row at the border: the inside kernel rows' quads, and the
            // term of those outside added back.
            for (int64_t c = 0; c < channels; ++c) {
              const int8_t *kernel = problem.weight + (c0 + c) * taps;
              int64_t outsideSum = 0;
              for (int64_t kh = 0, k = 0; kh < d.kernel_height; ++kh) {
                if (k < insideCount && inside[k] == kh) {
                  std::copy_n(words + c * entries + kh * quadsPerRow,
                              quadsPerRow,
                              borderWords + c * quads.count + k * quadsPerRow);
                  ++k;
                  continue;
                }
                for (int64_t kw = 0; kw < d.kernel_width; ++kw)
                  outsideSum += kernel[kh * d.kernel_width + kw];
              }
              borderOffsets[c] = static_cast<int32_t>(
                  offsets[c0 + c] + int64_t(uZeroPoint) * outsideSum);
            }
            quads.weights = borderWords;
            q.offsets = borderOffsets;
          }
          kernels.depthwiseSums(quads, sums, width);
          problem.place(q, b, c0, oh0 + i, 0);
          kernels.requantize(q);
        }
      }
    }
  }
  return true;
}

/// groups == channels, kernels at most 4 taps wide, for the variants with
/// Kernels::depthwiseRow: each output row of all channels in one call,
/// reading the stored input rows in place (no gathered copies, no sums in
/// memory).
bool depthwiseRowConv(const Kernels &kernels, const Problem &problem) {
  const picosam_uk_conv2d &d = problem.d;
  if (!kernels.depthwiseRow || d.kernel_width > 4 ||
      d.kernel_height > DepthwiseRow::kMaxKernelRows || d.has_residual ||
      d.out_width > DepthwiseRow::kMaxOutputs ||
      d.out_channels > kMaxChannels ||
      problem.outputClobbersOperands(/*inPlaceAllowed=*/false))
    return false;
  DepthwiseRow row;
  row.kernelRows = d.kernel_height;
  row.channelStride = d.input.channel_stride;
  row.width = d.in_width;
  row.stride = d.stride_w;
  row.upsample = d.upsample;
  row.padLeft = d.pad_left;
  row.flip = d.input.is_signed ? 0x80 : 0;
  row.padding = static_cast<uint8_t>(d.input.zero_point) ^ row.flip;
  if (!row.setControls(d.kernel_width, d.dilation_w,
                       kernels.depthwiseRowLanes))
    return false;
  // The whole kernel's zero-point term in the offsets: padding reads the
  // zero point, whose products it cancels.
  int32_t offsetScratch[kMaxChannels];
  const int32_t *offsets = problem.zeroPointOffsets(
      d.kernel_height * d.kernel_width, offsetScratch);
  if (!offsets)
    return false;
  row.weight = problem.weight;
  row.kernelWidth = d.kernel_width;
  Requantization q = problem.requantization(0, offsets);
  q.rows = d.out_channels;
  q.n = d.out_width;
  q.outStride = d.output.channel_stride;
  for (int64_t b = 0; b < d.batch; ++b)
    for (int64_t oh = problem.rowBegin; oh < problem.rowEnd; ++oh) {
      for (int64_t kh = 0; kh < d.kernel_height; ++kh) {
        int64_t ih = oh * d.stride_h + kh * d.dilation_h - d.pad_top;
        row.rows[kh] = ih < 0 || ih >= problem.readHeight()
                           ? nullptr
                           : elementAt(problem.input, d.input, b, 0,
                                       problem.storedRow(ih));
      }
      row.requantization = q;
      problem.place(row.requantization, b, 0, oh, 0);
      kernels.depthwiseRow(row);
    }
  return true;
}

} // namespace

bool picosam::runtime::conv2dZeroPointOffsets(const picosam_uk_conv2d &d,
                                              const int8_t *weight,
                                              const int32_t *bias,
                                              int32_t *offsets) {
  int64_t depth =
      d.in_channels / d.groups * d.kernel_height * d.kernel_width;
  int64_t uZeroPoint = d.input.zero_point + (d.input.is_signed ? 128 : 0);
  for (int64_t oc = 0; oc < d.out_channels; ++oc) {
    int64_t sum = 0;
    for (int64_t k = 0; k < depth; ++k)
      sum += weight[oc * depth + k];
    int64_t offset = (bias ? bias[oc] : 0) - uZeroPoint * sum;
    if (std::abs(offset) > std::numeric_limits<int32_t>::max())
      return false;
    offsets[oc] = static_cast<int32_t>(offset);
  }
  return true;
}

namespace {

/// The variants by name, slowest first (as Int8ConvVariant counts them).
constexpr const char *kVariantNames[] = {"reference", "portable", "avx2",
                                         "avx512vnni"};

/// The variant PICOSAM_INT8_CONV names, or the fastest this machine runs:
/// an unknown name, or a variant this machine lacks the features of, is
/// said on stderr (the next slower one it runs instead).
Int8ConvVariant variantFromEnvironment() {
  const char *name = std::getenv("PICOSAM_INT8_CONV");
  Int8ConvVariant requested = Int8ConvVariant::Avx512Vnni;
  bool known = !name;
  for (int index = 0; name && index < 4; ++index)
    if (!std::strcmp(name, kVariantNames[index])) {
      requested = static_cast<Int8ConvVariant>(index);
      known = true;
    }
  Int8ConvVariant variant =
      fastestInt8ConvVariant(requested, picosam_cpu_features());
  if (!known)
    std::fprintf(stderr,
                 "warning: PICOSAM_INT8_CONV=%s is none of reference, "
                 "portable, avx2, avx512vnni: the integer convolutions run "
                 "%s\n",
                 name, nameOf(variant));
  else if (name && variant != requested)
    std::fprintf(stderr,
                 "warning: PICOSAM_INT8_CONV=%s needs CPU features this "
                 "machine lacks: the integer convolutions run %s\n",
                 name, nameOf(variant));
  return variant;
}

} // namespace

const Kernels *picosam::runtime::int8::kernelsOf(Int8ConvVariant variant) {
  switch (variant) {
  case Int8ConvVariant::Portable:
    return &portableKernels();
  case Int8ConvVariant::Avx2:
    return &avx2Kernels();
  case Int8ConvVariant::Avx512Vnni:
    return &avx512VnniKernels();
  case Int8ConvVariant::Reference:
    break;
  }
  return nullptr;
}

const char *picosam::runtime::nameOf(Int8ConvVariant variant) {
  return kVariantNames[static_cast<int>(variant)];
}

uint64_t picosam::runtime::requiredFeatures(Int8ConvVariant variant) {
  switch (variant) {
  case Int8ConvVariant::Reference:
  case Int8ConvVariant::Portable:
    return 0;
  case Int8ConvVariant::Avx2:
    return PICOSAM_CPU_FEATURE(AVX2);
  case Int8ConvVariant::Avx512Vnni:
    return PICOSAM_CPU_FEATURE(AVX512F) | PICOSAM_CPU_FEATURE(AVX512BW) |
           PICOSAM_CPU_FEATURE(AVX512VL) | PICOSAM_CPU_FEATURE(AVX512VNNI);
  }
  return 0;
}

bool picosam::runtime::isSupported(Int8ConvVariant variant) {
  return fastestInt8ConvVariant(variant, picosam_cpu_features()) == variant;
}

Int8ConvVariant picosam::runtime::fastestInt8ConvVariant(
    Int8ConvVariant requested, uint64_t features) {
  Int8ConvVariant variant = requested;
  while ((features & requiredFeatures(variant)) != requiredFeatures(variant))
    variant = static_cast<Int8ConvVariant>(static_cast<int>(variant) - 1);
  return variant;
}

Int8ConvVariant
picosam::runtime::selectedInt8ConvVariant(uint64_t allowedFeatures) {
  // The environment's choice, computed once per process; racing first
  // calls compute the same value. (An atomic, not a function-local static:
  // no C++ runtime guard, so the kernels link with a C driver.)
  static std::atomic<int> selected{-1};
  int cached = selected.load(std::memory_order_relaxed);
  if (cached < 0) {
    cached = static_cast<int>(variantFromEnvironment());
    selected.store(cached, std::memory_order_relaxed);
  }
  return fastestInt8ConvVariant(static_cast<Int8ConvVariant>(cached),
                                allowedFeatures);
}

bool picosam::runtime::conv2dInt8(Int8ConvVariant variant,
                                  const picosam_uk_conv2d &d, const void *input,
                                  const int8_t *weight, const int32_t *bias,
                                  const void *residual, void *output,
                                  int64_t rowBegin, int64_t rowEnd) {
  const Kernels *kernels = kernelsOf(variant);
  rowBegin = std::max<int64_t>(rowBegin, 0);
  rowEnd = std::min(rowEnd, d.out_height);
  if (!kernels || rowBegin >= rowEnd)
    return kernels != nullptr;
  auto *descriptor = reinterpret_cast<const char *>(&d);
  Problem problem{d,
                  static_cast<const uint8_t *>(input),
                  weight,
                  bias,
                  static_cast<const uint8_t *>(residual),
                  static_cast<uint8_t *>(output),
                  rowBegin,
                  rowEnd,
                  reinterpret_cast<const picosam_uk_multiplier *>(
                      descriptor + d.multipliers_offset),
                  reinterpret_cast<const picosam_uk_multiplier *>(
                      descriptor + d.residual_multipliers_offset),
                  d.offsets_offset ? reinterpret_cast<const int32_t *>(
                                         descriptor + d.offsets_offset)
                                   : nullptr};
  if (d.groups == 1)
    return gemmConv(*kernels, problem);
  if (d.groups == d.in_channels && d.groups == d.out_channels)
    return depthwiseRowConv(*kernels, problem) ||
           depthwiseConv(*kernels, problem);
  return false;
}
