//===- Ukernels.cpp - the kernel entries generated code calls -------------===//
//
// Each entry unpacks its descriptor (include/picosam/Runtime/Ukernels.h)
// into picosam::kernels' views and runs the kernel the interpreter runs,
// with the integer constants the compiler derived (the integer convolution
// runs the fast kernels of ConvInt8.h where they cover it, with the same
// results). No exceptions, no state.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/Ukernels.h"
#include "picosam/Runtime/ConvF32.h"
#include "picosam/Runtime/ThreadPool.h"

#include "picosam/Kernels/ChannelAttention.h"
#include "picosam/Kernels/Conv.h"
#include "picosam/Kernels/Elementwise.h"
#include "picosam/Kernels/Normalization.h"
#include "picosam/Kernels/Pool.h"
#include "picosam/Kernels/Resize.h"
#include "picosam/Runtime/ConvInt8.h"

#include <algorithm>
#include <cmath>

using namespace picosam;
using kernels::NCHWView;

namespace {

template <typename T>
const T *arrayAt(const void *descriptor, int64_t offset) {
  return reinterpret_cast<const T *>(static_cast<const char *>(descriptor) +
                                     offset);
}

fixedpoint::QuantizedMultiplier toMultiplier(picosam_uk_multiplier m) {
  return {m.multiplier, m.shift};
}

template <typename T>
NCHWView<T> viewOf(T *data, const picosam_uk_layout &layout,
                   int64_t firstRow = 0) {
  return {data, layout.batch_stride, layout.channel_stride,
          layout.row_stride, firstRow};
}

kernels::Conv2DGeometry geometryOf(const picosam_uk_conv2d &d) {
  return {d.batch,         d.in_channels, d.in_height,    d.in_width,
          d.out_channels,  d.out_height,  d.out_width,    d.kernel_height,
          d.kernel_width,  d.groups,      d.stride_h,     d.stride_w,
          d.dilation_h,    d.dilation_w,  d.pad_top,      d.pad_left,
          d.upsample};
}

/// outZp + MBQM(sum, multiplier), clamped to [min, max]: the last step of
/// the integer means, logits and products.
int32_t requantizeSum(int64_t sum, picosam_uk_multiplier multiplier,
                      int32_t zeroPoint, int32_t min, int32_t max) {
  int32_t scaled = fixedpoint::multiplyByQuantizedMultiplier(
      fixedpoint::saturateToInt32(sum), toMultiplier(multiplier));
  return static_cast<int32_t>(
      std::clamp<int64_t>(int64_t(zeroPoint) + scaled, min, max));
}

/// The integer convolution's epilogue over a descriptor: int32 sums of
/// (x - inZp) * w, plus bias and the residual's term, requantized per
/// channel and clamped (ConvRequantization's rules).
template <typename In, typename Residual> struct DescriptorConvEpilogue {
  using Acc = int32_t;
  static constexpr bool kLoadsAsIs = false;
  const picosam_uk_conv2d &d;
  const int32_t *bias;
  NCHWView<const Residual> residual;
  const picosam_uk_multiplier *multipliers, *residualMultipliers;

  int32_t load(In x) const { return int32_t(x) - d.input.zero_point; }
  int32_t initial(int64_t) const { return 0; }
  template <typename Out>
  void finishRow(int64_t n, int64_t oc, int64_t oh, const int32_t *acc,
                 Out *out, int64_t width) const {
    const Residual *r = residual.data ? residual.row(n, oc, oh) : nullptr;
    for (int64_t i = 0; i < width; ++i) {
      int64_t sum = int64_t(acc[i]) + (bias ? int64_t(bias[oc]) : 0);
      if (r)
        sum += fixedpoint::multiplyByQuantizedMultiplier(
            int32_t(r[i]) - d.residual.zero_point,
            toMultiplier(residualMultipliers[oc]));
      int32_t scaled = fixedpoint::multiplyByQuantizedMultiplier(
          fixedpoint::saturateToInt32(sum), toMultiplier(multipliers[oc]));
      int32_t value =
          fixedpoint::saturateToInt32(int64_t(d.output.zero_point) + scaled);
      out[i] = static_cast<Out>(std::clamp(value, d.clamp_min, d.clamp_max));
    }
  }
};

/// The float epilogue, with the input loaded before any output is
/// written: the plan may put a result over its input (in place), which the
/// interpreter reads whole before it writes.
struct LoadingFloatConvEpilogue : kernels::FloatConvEpilogue {
  static constexpr bool kLoadsAsIs = false;
};

kernels::Activation activationOf(int32_t kind, float alpha, float beta) {
  return {static_cast<kernels::ActivationKind>(kind), alpha, beta};
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Multiply-accumulates below which a convolution stays on the calling
/// thread (waking the workers would cost more), and the output pixels a
/// band of rows should at least have.
constexpr int64_t kMinParallelMacs = int64_t(1) << 18;
constexpr int64_t kMinBandPixels = 64;

/// Calls rows(r0, r1) for bands of output rows covering [rowBegin, rowEnd):
/// one band, or when the convolution is large enough and `splittable`
/// (no band writes what another reads), about two per thread of the pool.
template <typename Rows>
void forRowBands(const picosam_uk_conv2d &d, int64_t rowBegin, int64_t rowEnd,
                 bool splittable, const Rows &rows) {
  int64_t count = rowEnd - rowBegin;
  int threads = runtime::threadCount();
  int64_t macs = d.batch * count * d.out_width * d.out_channels *
                 (d.in_channels / d.groups) * d.kernel_height * d.kernel_width;
  int64_t bandRows = std::max(ceilDiv(count, 2 * int64_t(threads)),
                              ceilDiv(kMinBandPixels, d.out_width));
  int64_t bands = ceilDiv(count, bandRows);
  if (!splittable || threads == 1 || bands < 2 || macs < kMinParallelMacs)
    return rows(rowBegin, rowEnd);
  runtime::parallelFor(bands, [&](int64_t band) {
    int64_t first = rowBegin + band * bandRows;
    rows(first, std::min(first + bandRows, rowEnd));
  });
}

/// Whether bands of the output rows [rowBegin, rowEnd) of `output` (its
/// first row rowBegin) may be computed by different threads: no band may
/// write what another reads, so the input must not overlap the output, and
/// a residual must lie apart from it or exactly under it (in place, each
/// element read just before it is written).
bool bandsAreIndependent(const picosam_uk_conv2d &d, const void *input,
                         const void *residual, const void *output,
                         int64_t elementBytes, int64_t rowBegin,
                         int64_t rowEnd) {
  if (runtime::conv2dOverlaps(d, input, /*isResidual=*/false, output,
                              elementBytes, rowBegin, rowEnd))
    return false;
  if (!d.has_residual ||
      !runtime::conv2dOverlaps(d, residual, /*isResidual=*/true, output,
                               elementBytes, rowBegin, rowEnd))
    return true;
  const char *residualFirst = static_cast<const char *>(residual) +
                              rowBegin * d.residual.row_stride * elementBytes;
  return residualFirst == output &&
         d.residual.batch_stride == d.output.batch_stride &&
         d.residual.channel_stride == d.output.channel_stride &&
         d.residual.row_stride == d.output.row_stride;
}

void activateInPlace(const picosam_uk_conv2d *d, float *values,
                     int64_t count) {
  activationOf(d->activation_kind, d->activation_alpha, d->activation_beta)
      .applyInPlace(values, count);
}

/// Calls `f` with a null pointer of the 8-bit storage type `layout` reads.
template <typename F> void withStorage(const picosam_uk_layout &layout, F &&f) {
  if (layout.is_signed)
    f(static_cast<int8_t *>(nullptr));
  else
    f(static_cast<uint8_t *>(nullptr));
}

} // namespace

extern "C" void picosam_uk_conv2d_f32(const picosam_uk_conv2d *d,
                                      const float *input,
                                      const float *weight, const float *bias,
                                      const float *residual, float *output, int64_t rowBegin,
                                      int64_t rowEnd) {
  int64_t outputFirstRow = rowBegin;
  rowBegin = std::max<int64_t>(rowBegin, 0);
  rowEnd = std::min(rowEnd, d->out_height);
  if (rowBegin >= rowEnd)
    return;
  float *firstOutput =
      output + (rowBegin - outputFirstRow) * d->output.row_stride;
  // Over the input (or a residual not exactly under the output): the
  // reference kernel, which loads the input rows before it writes, on one
  // thread.
  bool independent = bandsAreIndependent(*d, input, residual, firstOutput,
                                         sizeof(float), rowBegin, rowEnd);
  runtime::ConvF32Call call{
      d,      input,          weight,   bias,   residual,
      output, outputFirstRow, rowBegin, rowEnd, &activateInPlace,
      d->has_residual &&
          runtime::conv2dOverlaps(*d, residual, /*isResidual=*/true,
                                  firstOutput, sizeof(float), rowBegin, rowEnd)};
  runtime::ConvF32Isa isa = runtime::selectConvF32Isa(d->cpu_features);
  forRowBands(
      *d, rowBegin, rowEnd, independent, [&](int64_t first, int64_t end) {
        runtime::ConvF32Call band = call;
        band.rowBegin = first;
        band.rowEnd = end;
        if (independent && runtime::conv2dF32Fast(isa, band))
          return;
        LoadingFloatConvEpilogue epilogue{
            {d->has_bias ? bias : nullptr,
             d->has_residual ? viewOf(residual, d->residual)
                             : NCHWView<const float>(),
             activationOf(d->activation_kind, d->activation_alpha,
                          d->activation_beta)}};
        kernels::conv2d(geometryOf(*d), viewOf(input, d->input), weight,
                        viewOf(output, d->output, outputFirstRow), first, end,
                        epilogue);
      });
}

namespace {
/// The integer convolution of output rows [rowBegin, rowEnd) into an
/// output view whose first row is rowBegin, on the calling thread: the fast
/// kernels, or the reference kernel where they do not apply.
void conv2dQ8Rows(const picosam_uk_conv2d *d, const void *input,
                  const int8_t *weight, const int32_t *bias,
                  const void *residual, void *output, int64_t rowBegin,
                  int64_t rowEnd) {
  if (runtime::conv2dInt8(runtime::selectedInt8ConvVariant(), *d, input,
                          weight, bias, residual, output, rowBegin, rowEnd))
    return;
  withStorage(d->input, [&](auto *inTag) {
    using In = std::remove_pointer_t<decltype(inTag)>;
    withStorage(d->residual, [&](auto *residualTag) {
      using Residual = std::remove_pointer_t<decltype(residualTag)>;
      withStorage(d->output, [&](auto *outTag) {
        using Out = std::remove_pointer_t<decltype(outTag)>;
        DescriptorConvEpilogue<In, Residual> epilogue{
            *d,
            d->has_bias ? bias : nullptr,
            d->has_residual
                ? viewOf(static_cast<const Residual *>(residual),
                         d->residual)
                : NCHWView<const Residual>(),
            arrayAt<picosam_uk_multiplier>(d, d->multipliers_offset),
            arrayAt<picosam_uk_multiplier>(d,
                                           d->residual_multipliers_offset)};
        kernels::conv2d(
            geometryOf(*d),
            viewOf(static_cast<const In *>(input), d->input),
            weight,
            viewOf(static_cast<Out *>(output), d->output, rowBegin),
            rowBegin, rowEnd, epilogue);
      });
    });
  });
}
} // namespace

extern "C" void picosam_uk_conv2d_q8(const picosam_uk_conv2d *d,
                                     const void *input,
                                     const int8_t *weight, const int32_t *bias,
                                     const void *residual, void *output, int64_t rowBegin,
                                     int64_t rowEnd) {
  if (rowBegin < 0 || rowEnd > d->out_height || rowBegin >= rowEnd)
    return conv2dQ8Rows(d, input, weight, bias, residual, output, rowBegin,
                        rowEnd);
  forRowBands(*d, rowBegin, rowEnd,
              bandsAreIndependent(*d, input, residual, output, 1, rowBegin,
                                  rowEnd),
              [&](int64_t first, int64_t end) {
                conv2dQ8Rows(d, input, weight, bias, residual,
                             static_cast<char *>(output) +
                                 (first - rowBegin) * d->output.row_stride,
                             first, end);
              });
}

extern "C" void picosam_uk_channel_attention_f32(
    const picosam_uk_channel_attention *d, const float *input, const float *weight, const float *bias,
    float *output) {
  kernels::channelAttention(
      input, d->batch, d->channels, d->plane_size, weight,
      output, kernels::FloatAverage{},
      kernels::FloatConvEpilogue{d->has_bias ? bias : nullptr,
                                 {},
                                 {kernels::ActivationKind::Sigmoid}},
      [](float x, float gate) { return x * gate; });
}

namespace {
/// The integer means of channel attention: requantized to the mean type.
struct DescriptorAverage {
  using Sum = int64_t;
  const picosam_uk_channel_attention &d;
  template <typename In> int64_t accumulate(int64_t sum, In x) const {
    return sum + (int64_t(x) - d.input.zero_point);
  }
  int32_t average(int64_t sum, int64_t) const {
    return requantizeSum(sum, d.mean_multiplier, d.mean_zero_point, d.mean_min,
                         d.mean_max);
  }
};

/// The integer gates of channel attention: the 1x1 convolution of the
/// zero-point-free means, requantized to the logits, through the sigmoid
/// table.
struct DescriptorGateEpilogue {
  using Acc = int32_t;
  static constexpr bool kLoadsAsIs = false;
  const picosam_uk_channel_attention &d;
  const int32_t *bias;

  int32_t load(int32_t mean) const { return mean - d.mean_zero_point; }
  int32_t initial(int64_t) const { return 0; }
  void finishRow(int64_t, int64_t c, int64_t, const int32_t *acc,
                 int32_t *out, int64_t width) const {
    const auto *multipliers =
        arrayAt<picosam_uk_multiplier>(&d, d.logit_multipliers_offset);
    const int32_t *table = arrayAt<int32_t>(&d, d.table_offset);
    for (int64_t i = 0; i < width; ++i) {
      int32_t logit = requantizeSum(int64_t(acc[i]) + (bias ? bias[c] : 0),
                                    multipliers[c], d.logits_zero_point,
                                    d.logits_min, d.logits_max);
      out[i] = table[logit - d.table_min];
    }
  }
};
} // namespace

extern "C" void picosam_uk_channel_attention_q8(
    const picosam_uk_channel_attention *d, const void *input, const int8_t *weight, const int32_t *bias,
    void *output) {
  withStorage(d->input, [&](auto *inTag) {
    using In = std::remove_pointer_t<decltype(inTag)>;
    withStorage(d->output, [&](auto *outTag) {
      using Out = std::remove_pointer_t<decltype(outTag)>;
      kernels::channelAttention(
          static_cast<const In *>(input), d->batch, d->channels,
          d->plane_size, weight, static_cast<Out *>(output),
          DescriptorAverage{*d},
          DescriptorGateEpilogue{*d, d->has_bias ? bias : nullptr},
          [&](In x, int32_t gate) {
            return static_cast<Out>(requantizeSum(
                (int64_t(x) - d->input.zero_point) * gate,
                d->output_multiplier, d->output.zero_point, d->output_min,
                d->output_max));
          });
    });
  });
}

namespace {
template <typename T> kernels::Span<T> spanOf(const T *values, int64_t rank) {
  return {values, static_cast<size_t>(rank)};
}
} // namespace

extern "C" void picosam_uk_activation_f32(const picosam_uk_activation *d,
                                          const float *input, float *output) {
  std::copy(input, input + d->count, output);
  activationOf(d->kind, d->alpha, d->beta).applyInPlace(output, d->count);
}

extern "C" void picosam_uk_binary_f32(const picosam_uk_binary *d,
                                      const float *lhs, const float *rhs,
                                      float *output) {
  kernels::Activation fused =
      activationOf(d->activation_kind, d->activation_alpha, d->activation_beta);
  auto apply = [&](auto &&fn) {
    kernels::broadcastBinary(lhs, spanOf(d->lhs_shape, d->rank), rhs,
                             spanOf(d->rhs_shape, d->rank), output,
                             spanOf(d->output_shape, d->rank),
                             [&](float a, float b) { return fused.apply(fn(a, b)); });
  };
  switch (d->kind) {
  case PICOSAM_UK_ADD:
    return apply([](float a, float b) { return a + b; });
  case PICOSAM_UK_SUB:
    return apply([](float a, float b) { return a - b; });
  case PICOSAM_UK_MUL:
    return apply([](float a, float b) { return a * b; });
  default:
    return apply([](float a, float b) { return a / b; });
  }
}

extern "C" void picosam_uk_global_avg_pool_f32(
    const picosam_uk_global_avg_pool *d, const float *input, float *output) {
  kernels::globalAveragePool(input, d->planes, d->plane_size, output,
                             kernels::FloatAverage{});
}

extern "C" void picosam_uk_resize_f32(const picosam_uk_resize *d,
                                      const float *input, float *output) {
  kernels::Span<int64_t> inShape = spanOf(d->input_shape, d->rank),
                         outShape = spanOf(d->output_shape, d->rank);
  kernels::ResizeTaps taps = kernels::resizeTaps(
      static_cast<kernels::ResizeMode>(d->mode),
      static_cast<kernels::CoordinateTransformMode>(d->coordinate_transform),
      static_cast<kernels::NearestMode>(d->nearest_mode),
      spanOf(d->scales, d->rank), inShape, outShape);
  kernels::resize(input, inShape, output, outShape, taps,
                  kernels::FloatResize{});
}

extern "C" void picosam_uk_batch_norm_f32(const picosam_uk_batch_norm *d,
                                          const float *input,
                                          const float *scale, const float *bias,
                                          const float *mean,
                                          const float *variance,
                                          float *output) {
  kernels::batchNorm(input, d->planes, d->channels, d->plane_size, scale, bias,
                     mean, variance, d->epsilon, output);
}

extern "C" void picosam_uk_quantize(const picosam_uk_quantization *d,
                                    const float *input,
                                    void *output) {
  const float *x = input;
  auto store = [&](auto *q) {
    using Q = std::remove_pointer_t<decltype(q)>;
    q = static_cast<Q *>(output);
    for (int64_t i = 0; i < d->count; ++i) {
      // As the interpreter's QuantParams::quantize: the quotient in float,
      // rounded half to even; NaN maps to the zero point.
      double rounded = std::nearbyint(x[i] / d->scale);
      double shifted =
          std::isnan(rounded) ? d->zero_point : rounded + d->zero_point;
      q[i] = static_cast<Q>(std::clamp<double>(shifted, d->storage_min,
                                               d->storage_max));
    }
  };
  if (d->is_signed)
    store(static_cast<int8_t *>(nullptr));
  else
    store(static_cast<uint8_t *>(nullptr));
}

extern "C" void picosam_uk_dequantize(const picosam_uk_quantization *d,
                                      const void *input,
                                      float *output) {
  float *x = output;
  // Last element first: a result planned over its input (in place) only
  // overwrites storage values already read.
  auto load = [&](const auto *q) {
    for (int64_t i = d->count - 1; i >= 0; --i)
      x[i] = static_cast<float>(int64_t(q[i]) - d->zero_point) * d->scale;
  };
  if (d->is_signed)
    load(static_cast<const int8_t *>(input));
  else
    load(static_cast<const uint8_t *>(input));
}
