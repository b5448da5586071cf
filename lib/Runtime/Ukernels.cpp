//===- Ukernels.cpp - the kernel entries generated code calls -------------===//
//
// Each entry unpacks its descriptor (include/picosam/Runtime/Ukernels.h)
// into picosam::kernels' views and runs the kernel the interpreter runs,
// with the integer constants the compiler derived (the convolutions run
// the fast kernels of ConvInt8.h and ConvF32.h where they cover them, with
// the same results). No exceptions, no state, no allocation: the scratch of
// the reference kernels is the caller's workspace.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/Ukernels.h"
#include "picosam/Runtime/ConvF32.h"
#include "picosam/Runtime/ThreadPool.h"

#include "picosam/Kernels/ChannelAttention.h"
#include "picosam/Kernels/Conv.h"
#include "picosam/Kernels/DataMovement.h"
#include "picosam/Kernels/Elementwise.h"
#include "picosam/Kernels/MatMul.h"
#include "picosam/Kernels/Normalization.h"
#include "picosam/Kernels/Pool.h"
#include "picosam/Kernels/Resize.h"
#include "picosam/Runtime/ChannelAttentionInt8.h"
#include "picosam/Runtime/ConvInt8.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>

using namespace picosam;
using kernels::NCHWView;

namespace {

template <typename T>
const T *arrayAt(const void *descriptor, int64_t offset) {
  return reinterpret_cast<const T *>(static_cast<const char *>(descriptor) +
                                     offset);
}

// The descriptors' multipliers are read where they are, as the kernels'.
static_assert(sizeof(picosam_uk_multiplier) ==
                  sizeof(fixedpoint::QuantizedMultiplier) &&
              offsetof(picosam_uk_multiplier, shift) ==
                  offsetof(fixedpoint::QuantizedMultiplier, shift));
const fixedpoint::QuantizedMultiplier *multipliersAt(const void *descriptor,
                                                     int64_t offset) {
  return arrayAt<fixedpoint::QuantizedMultiplier>(descriptor, offset);
}

fixedpoint::QuantizedMultiplier toMultiplier(picosam_uk_multiplier m) {
  return {m.multiplier, m.shift};
}

/// A quantization's zero point and storage range (the scale is not
/// computed with).
kernels::TensorQuantization quantizationOf(int32_t zeroPoint, int32_t min,
                                           int32_t max) {
  return {1.0, zeroPoint, min, max};
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

/// The float epilogue, with the input loaded before any output is
/// written: the plan may put rows of a result over its input.
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

/// Calls `f` with a null pointer of the 8-bit storage type `storage` (a
/// layout or a quantization) says: int8 when it `is_signed`, else uint8.
template <typename Storage, typename F>
void withStorage(const Storage &storage, F &&f) {
  if (storage.is_signed)
    f(static_cast<int8_t *>(nullptr));
  else
    f(static_cast<uint8_t *>(nullptr));
}

} // namespace

// The float and the integer sums take the same space.
static_assert(sizeof(float) == sizeof(int32_t));

namespace {
/// The output rows the reference kernel computes per kernels::conv2d call
/// when the input lies apart from the output: one, so that the workspace
/// stays a few rows of input whatever the call's rows (rows are
/// independent: the result is the same).
constexpr int64_t kReferenceRows = 1;

/// Serialises the reference kernel's use of a call's one workspace when the
/// fast kernels decline the bands of several threads.
std::mutex referenceWorkspace;

/// The reference convolution of output rows [rowBegin, rowEnd) of `d`,
/// computing in `workspace`: kReferenceRows at a time when `inputApart`,
/// else (the plan put rows of the result over the input) all at once, the
/// input rows loaded before any is written.
template <typename Epilogue, typename In, typename W, typename Out>
void referenceConv2d(const picosam_uk_conv2d &d, NCHWView<const In> input,
                     const W *weight, NCHWView<Out> output, int64_t rowBegin,
                     int64_t rowEnd, const Epilogue &epilogue, void *workspace,
                     bool inputApart) {
  std::lock_guard<std::mutex> lock(referenceWorkspace);
  int64_t rows = inputApart ? kReferenceRows : rowEnd - rowBegin;
  kernels::Workspace scratch{
      workspace, picosam_uk_conv2d_workspace_bytes(&d, rows, !inputApart)};
  for (int64_t row = rowBegin; row < rowEnd; row += rows)
    kernels::conv2d(geometryOf(d), input, weight, output, row,
                    std::min(row + rows, rowEnd), epilogue, scratch);
}

/// Whether output rows [rowBegin, rowEnd) of `output` (its first row
/// rowBegin) lie apart from the input they read.
bool inputIsApart(const picosam_uk_conv2d &d, const void *input,
                  const void *output, int64_t elementBytes, int64_t rowBegin,
                  int64_t rowEnd) {
  return !runtime::conv2dOverlaps(d, input, /*isResidual=*/false, output,
                                  elementBytes, std::max<int64_t>(rowBegin, 0),
                                  std::min(rowEnd, d.out_height));
}
} // namespace

extern "C" int64_t
picosam_uk_conv2d_workspace_bytes(const picosam_uk_conv2d *d, int64_t rows,
                                  int32_t input_may_overlap_output) {
  return kernels::conv2dWorkspaceBytes<int32_t>(
      geometryOf(*d),
      input_may_overlap_output ? rows : std::min(rows, kReferenceRows));
}

extern "C" int64_t picosam_uk_channel_attention_workspace_bytes(
    const picosam_uk_channel_attention *d) {
  return kernels::channelAttentionWorkspaceBytes<int32_t>(d->batch,
                                                          d->channels);
}

extern "C" void picosam_uk_conv2d_f32(const picosam_uk_conv2d *d,
                                      const float *input,
                                      const float *weight, const float *bias,
                                      const float *residual, float *output, int64_t rowBegin,
                                      int64_t rowEnd, void *workspace) {
  int64_t outputFirstRow = rowBegin;
  rowBegin = std::max<int64_t>(rowBegin, 0);
  rowEnd = std::min(rowEnd, d->out_height);
  if (rowBegin >= rowEnd)
    return;
  float *firstOutput =
      output + (rowBegin - outputFirstRow) * d->output.row_stride;
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
        referenceConv2d(*d, viewOf(input, d->input), weight,
                        viewOf(output, d->output, outputFirstRow), first, end,
                        epilogue, workspace,
                        inputIsApart(*d, input,
                                     output + (first - outputFirstRow) *
                                                  d->output.row_stride,
                                     sizeof(float), first, end));
      });
}

namespace {
/// The integer convolution of output rows [rowBegin, rowEnd) into an
/// output view whose first row is rowBegin, on the calling thread: the fast
/// kernels, or the reference kernel where they do not apply.
void conv2dQ8Rows(const picosam_uk_conv2d *d, const void *input,
                  const int8_t *weight, const int32_t *bias,
                  const void *residual, void *output, int64_t rowBegin,
                  int64_t rowEnd, void *workspace) {
  if (runtime::conv2dInt8(runtime::selectedInt8ConvVariant(), *d, input,
                          weight, bias, residual, output, rowBegin, rowEnd))
    return;
  withStorage(d->input, [&](auto *inTag) {
    using In = std::remove_pointer_t<decltype(inTag)>;
    withStorage(d->residual, [&](auto *residualTag) {
      using Residual = std::remove_pointer_t<decltype(residualTag)>;
      withStorage(d->output, [&](auto *outTag) {
        using Out = std::remove_pointer_t<decltype(outTag)>;
        kernels::QuantizedConvEpilogue<In, int32_t, Residual> epilogue{
            {d->input.zero_point, d->residual.zero_point,
             d->output.zero_point, multipliersAt(d, d->multipliers_offset),
             d->has_residual
                 ? multipliersAt(d, d->residual_multipliers_offset)
                 : nullptr,
             {d->clamp_min, d->clamp_max}},
            d->has_bias ? bias : nullptr,
            d->has_residual
                ? viewOf(static_cast<const Residual *>(residual),
                         d->residual)
                : NCHWView<const Residual>()};
        referenceConv2d(
            *d, viewOf(static_cast<const In *>(input), d->input), weight,
            viewOf(static_cast<Out *>(output), d->output, rowBegin),
            rowBegin, rowEnd, epilogue, workspace,
            inputIsApart(*d, input,
                         static_cast<char *>(output) +
                             (std::max<int64_t>(rowBegin, 0) - rowBegin) *
                                 d->output.row_stride,
                         1, rowBegin, rowEnd));
      });
    });
  });
}
} // namespace

extern "C" void picosam_uk_conv2d_q8(const picosam_uk_conv2d *d,
                                     const void *input,
                                     const int8_t *weight, const int32_t *bias,
                                     const void *residual, void *output, int64_t rowBegin,
                                     int64_t rowEnd, void *workspace) {
  if (rowBegin < 0 || rowEnd > d->out_height || rowBegin >= rowEnd)
    return conv2dQ8Rows(d, input, weight, bias, residual, output, rowBegin,
                        rowEnd, workspace);
  forRowBands(*d, rowBegin, rowEnd,
              bandsAreIndependent(*d, input, residual, output, 1, rowBegin,
                                  rowEnd),
              [&](int64_t first, int64_t end) {
                conv2dQ8Rows(d, input, weight, bias, residual,
                             static_cast<char *>(output) +
                                 (first - rowBegin) * d->output.row_stride,
                             first, end, workspace);
              });
}

extern "C" void picosam_uk_channel_attention_f32(
    const picosam_uk_channel_attention *d, const float *input, const float *weight, const float *bias,
    float *output, void *workspace) {
  kernels::channelAttention(
      input, d->batch, d->channels, d->plane_size, weight,
      output, kernels::FloatAverage{},
      kernels::FloatConvEpilogue{d->has_bias ? bias : nullptr,
                                 {},
                                 {kernels::ActivationKind::Sigmoid}},
      [](float x, float gate) { return x * gate; },
      {workspace, picosam_uk_channel_attention_workspace_bytes(d)});
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
    return kernels::requantizeSum(
        sum, toMultiplier(d.mean_multiplier),
        quantizationOf(d.mean_zero_point, d.mean_min, d.mean_max));
  }
};

} // namespace

extern "C" void picosam_uk_channel_attention_q8(
    const picosam_uk_channel_attention *d, const void *input, const int8_t *weight, const int32_t *bias,
    void *output, void *workspace) {
  if (runtime::channelAttentionInt8(runtime::selectedInt8ConvVariant(), *d,
                                    input, weight, bias, output))
    return;
  withStorage(d->input, [&](auto *inTag) {
    using In = std::remove_pointer_t<decltype(inTag)>;
    withStorage(d->output, [&](auto *outTag) {
      using Out = std::remove_pointer_t<decltype(outTag)>;
      // The gates: the 1x1 convolution of the means, requantized to the
      // logits (their storage range) and looked up in the sigmoid table.
      kernels::QuantizedConvEpilogue<int32_t, int32_t> gates{
          {d->mean_zero_point,
           0,
           d->logits_zero_point,
           multipliersAt(d, d->logit_multipliers_offset),
           nullptr,
           {d->logits_min, d->logits_max}},
          d->has_bias ? bias : nullptr,
          {},
          {d->table_min, arrayAt<int32_t>(d, d->table_offset)}};
      kernels::TensorQuantization outputQuantization = quantizationOf(
          d->output.zero_point, d->output_min, d->output_max);
      kernels::channelAttention(
          static_cast<const In *>(input), d->batch, d->channels,
          d->plane_size, weight, static_cast<Out *>(output),
          DescriptorAverage{*d}, gates,
          [&](In x, int32_t gate) {
            return static_cast<Out>(kernels::requantizeSum(
                (int64_t(x) - d->input.zero_point) * gate,
                toMultiplier(d->output_multiplier), outputQuantization));
          },
          {workspace, picosam_uk_channel_attention_workspace_bytes(d)});
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

namespace {
/// kernels::resize of `input` into `output` with `policy`.
template <typename In, typename Out, typename Policy>
void resizeWith(const picosam_uk_resize &d, const In *input, Out *output,
                const Policy &policy) {
  kernels::Span<int64_t> inShape = spanOf(d.input_shape, d.rank),
                         outShape = spanOf(d.output_shape, d.rank);
  kernels::ResizeTaps taps = kernels::resizeTaps(
      static_cast<kernels::ResizeMode>(d.mode),
      static_cast<kernels::CoordinateTransformMode>(d.coordinate_transform),
      static_cast<kernels::NearestMode>(d.nearest_mode),
      spanOf(d.scales, d.rank), inShape, outShape);
  kernels::resize(input, inShape, output, outShape, taps, policy);
}
} // namespace

extern "C" void picosam_uk_resize_f32(const picosam_uk_resize *d,
                                      const float *input, float *output) {
  resizeWith(*d, input, output, kernels::FloatResize{});
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

namespace {
/// The scale and zero point of element `i` of a quantize or dequantize.
std::pair<float, int32_t> quantizationOf(const picosam_uk_quantization &d,
                                         int64_t i) {
  if (d.axis_size == 0)
    return {d.scale, d.zero_point};
  int64_t slot = (i / d.axis_stride) % d.axis_size;
  return {arrayAt<float>(&d, d.scales_offset)[slot],
          arrayAt<int32_t>(&d, d.zero_points_offset)[slot]};
}
} // namespace

extern "C" void picosam_uk_quantize(const picosam_uk_quantization *d,
                                    const float *input,
                                    void *output) {
  const float *x = input;
  auto store = [&](auto *q) {
    using Q = std::remove_pointer_t<decltype(q)>;
    q = static_cast<Q *>(output);
    for (int64_t i = 0; i < d->count; ++i) {
      auto [scale, zeroPoint] = quantizationOf(*d, i);
      // As the interpreter's QuantParams::quantize: the quotient in float,
      // rounded half to even; NaN maps to the zero point.
      double rounded = std::nearbyint(x[i] / scale);
      double shifted = std::isnan(rounded) ? zeroPoint : rounded + zeroPoint;
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
    for (int64_t i = d->count - 1; i >= 0; --i) {
      auto [scale, zeroPoint] = quantizationOf(*d, i);
      x[i] = static_cast<float>(int64_t(q[i]) - zeroPoint) * scale;
    }
  };
  if (d->is_signed)
    load(static_cast<const int8_t *>(input));
  else
    load(static_cast<const uint8_t *>(input));
}

namespace {
kernels::TensorQuantization toQuantization(
    const picosam_uk_tensor_quantization &q) {
  return {q.scale, q.zero_point, q.storage_min, q.storage_max};
}

kernels::Rescale toRescale(const picosam_uk_rescale &r) {
  return {toQuantization(r.input), toQuantization(r.output),
          toMultiplier(r.multiplier)};
}

/// Runs `kernel(input, output)` on the storage types of `in` and `out`.
template <typename Kernel>
void onStorage(const picosam_uk_tensor_quantization &in,
               const picosam_uk_tensor_quantization &out, const void *input,
               void *output, Kernel &&kernel) {
  withStorage(in, [&](auto *inTag) {
    using In = std::remove_pointer_t<decltype(inTag)>;
    withStorage(out, [&](auto *outTag) {
      using Out = std::remove_pointer_t<decltype(outTag)>;
      kernel(static_cast<const In *>(input), static_cast<Out *>(output));
    });
  });
}

/// kernels::QuantizedAverage over a descriptor's multipliers (the
/// interpreter's holds them in a std::vector): zero-point-free sums, each
/// requantized by kernels::requantizeSum with its divisor's multiplier.
struct PoolAverage {
  using Sum = int64_t;
  kernels::TensorQuantization input, output;
  int64_t firstCount;
  const picosam_uk_multiplier *multipliers;

  PoolAverage(const void *descriptor, const picosam_uk_average &a)
      : input(toQuantization(a.input)), output(toQuantization(a.output)),
        firstCount(a.first_count),
        multipliers(
            arrayAt<picosam_uk_multiplier>(descriptor, a.multipliers_offset)) {}
  template <typename In> int64_t accumulate(int64_t sum, In x) const {
    return sum + (x - input.zeroPoint);
  }
  int32_t average(int64_t sum, int64_t count) const {
    return kernels::requantizeSum(
        sum, toMultiplier(multipliers[count - firstCount]), output);
  }
  int32_t empty() const { return output.zeroPoint; }
};

kernels::PoolWindow windowOf(const picosam_uk_pool &d) {
  return {d.kernel_h,   d.kernel_w,   d.stride_h,   d.stride_w,
          d.dilation_h, d.dilation_w, d.pad_top,    d.pad_left,
          d.pad_bottom, d.pad_right};
}
} // namespace

extern "C" void picosam_uk_global_avg_pool_f32(
    const picosam_uk_global_avg_pool *d, const float *input, float *output) {
  kernels::globalAveragePool(input, d->planes, d->plane_size, output,
                             kernels::FloatAverage{});
}

extern "C" void picosam_uk_global_avg_pool_q8(
    const picosam_uk_global_avg_pool *d, const void *input, void *output) {
  onStorage(d->average.input, d->average.output, input, output,
            [&](const auto *in, auto *out) {
              kernels::globalAveragePool(in, d->planes, d->plane_size, out,
                                         PoolAverage(d, d->average));
            });
}

extern "C" void picosam_uk_avg_pool_f32(const picosam_uk_pool *d,
                                        const float *input, float *output) {
  kernels::averagePool(input, d->planes, d->height, d->width, windowOf(*d),
                       d->count_include_pad, output, d->out_height,
                       d->out_width, kernels::FloatAverage{});
}

extern "C" void picosam_uk_avg_pool_q8(const picosam_uk_pool *d,
                                       const void *input, void *output) {
  onStorage(d->average.input, d->average.output, input, output,
            [&](const auto *in, auto *out) {
              kernels::averagePool(in, d->planes, d->height, d->width,
                                   windowOf(*d), d->count_include_pad, out,
                                   d->out_height, d->out_width,
                                   PoolAverage(d, d->average));
            });
}

extern "C" void picosam_uk_max_pool_f32(const picosam_uk_pool *d,
                                        const float *input, float *output) {
  kernels::maxPool(input, d->planes, d->height, d->width, windowOf(*d), output,
                   d->out_height, d->out_width, kernels::FloatMaximum{});
}

extern "C" void picosam_uk_resize_q8(const picosam_uk_resize *d,
                                     const void *input, void *output) {
  kernels::Rescale rescale = toRescale(d->rescale);
  onStorage(d->rescale.input, d->rescale.output, input, output,
            [&](const auto *in, auto *out) {
              resizeWith(*d, in, out, kernels::QuantizedNearestResize{rescale});
            });
}

extern "C" void picosam_uk_max_pool_q8(const picosam_uk_pool *d,
                                       const void *input, void *output) {
  kernels::Rescale rescale = toRescale(d->rescale);
  onStorage(d->rescale.input, d->rescale.output, input, output,
            [&](const auto *in, auto *out) {
              kernels::maxPool(in, d->planes, d->height, d->width,
                               windowOf(*d), out, d->out_height, d->out_width,
                               kernels::QuantizedMaximum{rescale});
            });
}

namespace {
/// kernels::concat of a descriptor's inputs, each element through
/// `transform(input, value)`.
template <typename In, typename Out, typename Fn>
void concatInputs(const picosam_uk_concat *d, const void *const *inputs,
                  Out *output, Fn &&transform) {
  size_t count = static_cast<size_t>(d->count);
  kernels::concat(
      kernels::Span<const In *>(reinterpret_cast<const In *const *>(inputs),
                                count),
      kernels::Span<int64_t>(arrayAt<int64_t>(d, d->row_sizes_offset), count),
      d->outer, output, transform);
}
} // namespace

extern "C" void picosam_uk_concat_f32(const picosam_uk_concat *d,
                                      const float *const *inputs,
                                      float *output) {
  concatInputs<float>(d, reinterpret_cast<const void *const *>(inputs), output,
                      [](size_t, float value) { return value; });
}

extern "C" void picosam_uk_concat_q8(const picosam_uk_concat *d,
                                     const void *const *inputs, void *output) {
  // As the interpreter: each input's values move to the result's
  // quantization (kernels::Rescale::apply; identity when they share it).
  // The inputs are read as bytes, each interpreted in its own storage type.
  const auto *rescales = arrayAt<picosam_uk_rescale>(d, d->rescales_offset);
  withStorage(rescales[0].output, [&](auto *outTag) {
    using Out = std::remove_pointer_t<decltype(outTag)>;
    concatInputs<uint8_t>(
        d, inputs, static_cast<Out *>(output), [&](size_t input, uint8_t byte) {
          const picosam_uk_rescale &rescale = rescales[input];
          int32_t q = rescale.input.is_signed ? int32_t(int8_t(byte))
                                              : int32_t(byte);
          return static_cast<Out>(toRescale(rescale).apply(q));
        });
  });
}

extern "C" void picosam_uk_copy_bytes(const picosam_uk_copy *d,
                                      const void *input, void *output) {
  // memmove: the result may be planned over its input.
  std::memmove(output, input, static_cast<size_t>(d->bytes));
}

extern "C" void picosam_uk_transpose_elements(const picosam_uk_transpose *d,
                                              const void *input,
                                              void *output) {
  auto run = [&](auto zero) {
    using T = decltype(zero);
    kernels::transpose(static_cast<const T *>(input),
                       spanOf(d->input_shape, d->rank), spanOf(d->perm, d->rank),
                       static_cast<T *>(output));
  };
  // Elements only move: any type of their width does.
  if (d->element_bytes == 1)
    run(uint8_t{});
  else
    run(uint32_t{});
}

extern "C" void picosam_uk_matmul_f32(const picosam_uk_matmul *d,
                                      const float *lhs, const float *rhs,
                                      float *output) {
  kernels::matmul(lhs, spanOf(d->lhs_batch, d->lhs_batch_rank), rhs,
                  spanOf(d->rhs_batch, d->rhs_batch_rank), output,
                  spanOf(d->batch, d->batch_rank), d->m, d->k, d->n);
}

extern "C" void picosam_uk_gemm_f32(const picosam_uk_gemm *d, const float *a,
                                    const float *b, const float *c,
                                    float *output) {
  kernels::gemm(a, d->trans_a, b, d->trans_b, d->m, d->k, d->n, d->alpha,
                d->has_c ? c : nullptr, spanOf(d->c_shape, d->c_rank), d->beta,
                activationOf(d->activation_kind, d->activation_alpha,
                             d->activation_beta),
                output);
}

extern "C" void picosam_uk_softmax_f32(const picosam_uk_softmax *d,
                                       const float *input, float *output) {
  kernels::softmax(input, d->outer, d->length, d->inner, output);
}

extern "C" void picosam_uk_activation_q8(const picosam_uk_activation *d,
                                         const void *input, void *output) {
  // ActivationTable::lookup over the descriptor's table.
  const int32_t *table = arrayAt<int32_t>(d, d->table_offset);
  onStorage(d->input, d->output, input, output,
            [&](const auto *in, auto *out) {
              using Out = std::remove_pointer_t<decltype(out)>;
              for (int64_t i = 0; i < d->count; ++i)
                out[i] = static_cast<Out>(table[in[i] - d->table_min]);
            });
}

extern "C" void picosam_uk_binary_q8(const picosam_uk_binary *d,
                                     const void *lhs, const void *rhs,
                                     void *output) {
  kernels::TensorQuantization lhsQ = toQuantization(d->lhs),
                              rhsQ = toQuantization(d->rhs),
                              outQ = toQuantization(d->output);
  kernels::ClampBounds clamp{d->clamp_min, d->clamp_max};
  auto apply = [&](const auto &requantization) {
    withStorage(d->rhs, [&](auto *rhsTag) {
      using Rhs = std::remove_pointer_t<decltype(rhsTag)>;
      onStorage(d->lhs, d->output, lhs, output, [&](const auto *a, auto *out) {
        using Lhs = std::remove_pointer_t<decltype(a)>;
        using Out = std::remove_pointer_t<decltype(out)>;
        kernels::broadcastBinary(
            a, spanOf(d->lhs_shape, d->rank), static_cast<const Rhs *>(rhs),
            spanOf(d->rhs_shape, d->rank), out,
            spanOf(d->output_shape, d->rank), [&](Lhs x, Rhs y) {
              return static_cast<Out>(requantization.apply(x, y));
            });
      });
    });
  };
  if (d->kind == PICOSAM_UK_MUL)
    apply(kernels::MulRequantization{lhsQ, rhsQ, outQ,
                                     toMultiplier(d->output_multiplier), clamp});
  else
    apply(kernels::AddRequantization{lhsQ, rhsQ, outQ,
                                     toMultiplier(d->lhs_multiplier),
                                     toMultiplier(d->rhs_multiplier),
                                     toMultiplier(d->output_multiplier), clamp,
                                     d->kind == PICOSAM_UK_SUB});
}
