//===- ChannelAttentionInt8.cpp - fast integer channel attention ----------===//
//
// The driver of include/picosam/Runtime/ChannelAttentionInt8.h: two passes
// over the input (its planes' sums in SSE2 or plain C++, then the output
// by each plane's table of the 256 bytes' results), the per-plane steps in
// between as the reference takes them, and the tables' requantization by
// the variant's conv kernels, each pass split by planes between the
// threads (runtime::parallelForPlanes). No heap.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/ChannelAttentionInt8.h"

#include "picosam/Kernels/Requantization.h"
#include "picosam/Runtime/ConvInt8Kernels.h"
#include "picosam/Runtime/CpuFeatures.h"
#include "picosam/Runtime/ThreadPool.h"

#include <algorithm>
#include <limits>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

using namespace picosam;
using namespace picosam::runtime;
using namespace picosam::runtime::int8;

namespace {

/// Bounds of the stack buffers: larger ops run the reference.
constexpr int64_t kMaxPlanes = 4096;
constexpr int64_t kMaxChannels = 1024;

/// The sum of the n bytes at `bytes`, as unsigned values xor flip.
int64_t byteSum(const uint8_t *bytes, int64_t n, uint8_t flip) {
  int64_t sum = 0, i = 0;
#ifdef __SSE2__
  __m128i flips = _mm_set1_epi8(static_cast<char>(flip));
  __m128i sums = _mm_setzero_si128();
  for (; i + 16 <= n; i += 16)
    sums = _mm_add_epi64(
        sums,
        _mm_sad_epu8(
            _mm_xor_si128(
                _mm_loadu_si128(reinterpret_cast<const __m128i *>(bytes + i)),
                flips),
            _mm_setzero_si128()));
  sum = _mm_cvtsi128_si64(sums) +
        _mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums));
#endif
  for (; i < n; ++i)
    sum += bytes[i] ^ flip;
  return sum;
}

/// outZp + MBQM(sum, multiplier), clamped to [min, max], as the reference.
int32_t requantizeSum(int64_t sum, picosam_uk_multiplier multiplier,
                      int32_t zeroPoint, int32_t min, int32_t max) {
  return kernels::requantizeSum(sum, {multiplier.multiplier, multiplier.shift},
                                {1.0, zeroPoint, min, max});
}

} // namespace

bool picosam::runtime::channelAttentionInt8(
    Int8ConvVariant variant, const picosam_uk_channel_attention &d,
    const void *input, const int8_t *weight, const int32_t *bias,
    void *output) {
  const Kernels *kernels = kernelsOf(variant);
  int64_t planes = d.batch * d.channels, planeSize = d.plane_size;
  if (!kernels || planes > kMaxPlanes || d.channels > kMaxChannels)
    return false;
  auto *in = static_cast<const uint8_t *>(input);
  uint8_t flip = d.input.is_signed ? 0x80 : 0;
  int32_t uZeroPoint = static_cast<uint8_t>(d.input.zero_point) ^ flip;

  // The means: sum (x - zp) = sum u - (zp + 128 for signed) * count.
  int32_t means[kMaxPlanes], gates[kMaxPlanes];
  parallelForPlanes(planes, planeSize, [&](int64_t first, int64_t count) {
    for (int64_t p = first; p < first + count; ++p)
      means[p] = requantizeSum(byteSum(in + p * planeSize, planeSize, flip) -
                                   int64_t(uZeroPoint) * planeSize,
                               d.mean_multiplier, d.mean_zero_point, d.mean_min,
                               d.mean_max);
  });
  // The gates: the 1x1 convolution of the zero-point-free means (int32
  // sums, as the reference's), to the logits, through the table.
  auto *descriptor = reinterpret_cast<const char *>(&d);
  auto *logitMultipliers = reinterpret_cast<const picosam_uk_multiplier *>(
      descriptor + d.logit_multipliers_offset);
  auto *table = reinterpret_cast<const int32_t *>(descriptor + d.table_offset);
  for (int64_t n = 0; n < d.batch; ++n)
    for (int64_t c = 0; c < d.channels; ++c) {
      int32_t acc = 0;
      for (int64_t k = 0; k < d.channels; ++k)
        acc += weight[c * d.channels + k] *
               (means[n * d.channels + k] - d.mean_zero_point);
      int32_t logit = requantizeSum(int64_t(acc) + (d.has_bias ? bias[c] : 0),
                                    logitMultipliers[c], d.logits_zero_point,
                                    d.logits_min, d.logits_max);
      gates[n * d.channels + c] = table[logit - d.table_min];
      // The tables' products (x - zp) * gate, |x - zp| <= 255, are int32.
      if (std::abs(gates[n * d.channels + c]) >
          std::numeric_limits<int32_t>::max() / 255)
        return false;
    }

  // The output: an output byte is a function of its plane's gate and its
  // input byte, so each plane goes through the table of the requantized
  // products of the 256 storage bytes (read before written in place).
  auto *out = static_cast<uint8_t *>(output);
  bool vectorLookup = kernels->lookupBytes &&
                      (picosam_cpu_features() & kernels->lookupFeatures) ==
                          kernels->lookupFeatures;
  parallelForPlanes(planes, planeSize, [&](int64_t first, int64_t count) {
    uint8_t table[256];
    int32_t products[256], noOffset = 0;
    Requantization q;
    q.rows = 1;
    q.n = 256;
    q.sums = products;
    q.offsets = &noOffset;
    q.multipliers = &d.output_multiplier;
    q.outputZeroPoint = d.output.zero_point;
    q.clampMin = d.output_min;
    q.clampMax = d.output_max;
    q.outputSigned = d.output.is_signed;
    q.out = table;
    for (int64_t p = first; p < first + count; ++p) {
      for (int32_t byte = 0; byte < 256; ++byte)
        products[byte] = ((byte ^ flip) - uZeroPoint) * gates[p];
      kernels->requantize(q);
      const uint8_t *planeIn = in + p * planeSize;
      uint8_t *planeOut = out + p * planeSize;
      if (vectorLookup)
        kernels->lookupBytes(table, planeIn, planeSize, planeOut);
      else
        for (int64_t i = 0; i < planeSize; ++i)
          planeOut[i] = table[planeIn[i]];
    }
  });
  return true;
}
