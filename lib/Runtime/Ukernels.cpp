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
#include "picosam/Kernels/ConvTranspose.h"
#include "picosam/Kernels/DataMovement.h"
#include "picosam/Kernels/Elementwise.h"
#include "picosam/Kernels/MatMul.h"
#include "picosam/Kernels/Normalization.h"
#include "picosam/Kernels/Pool.h"
#include "picosam/Kernels/Reduce.h"
#include "picosam/Kernels/Resize.h"
#include "picosam/Kernels/Structural.h"
#include "picosam/Runtime/ChannelAttentionInt8.h"
#include "picosam/Runtime/ConvInt8.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <type_traits>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/// The geometry of a convolution's descriptor (conv2d's and
/// conv_transpose2d's name their fields alike), without an upsample.
template <typename Descriptor>
kernels::Conv2DGeometry windowGeometryOf(const Descriptor &d) {
  return {d.batch,         d.in_channels, d.in_height,    d.in_width,
          d.out_channels,  d.out_height,  d.out_width,    d.kernel_height,
          d.kernel_width,  d.groups,      d.stride_h,     d.stride_w,
          d.dilation_h,    d.dilation_w,  d.pad_top,      d.pad_left};
}

kernels::Conv2DGeometry geometryOf(const picosam_uk_conv2d &d) {
  kernels::Conv2DGeometry geometry = windowGeometryOf(d);
  geometry.upsample = d.upsample;
  return geometry;
}

/// The float epilogue, with the input loaded before any output is
/// written: the plan may put rows of a result over its input. The compiled
/// code sums in f32, as its fast kernels do (and as the workspace, sized for
/// 4-byte sums, holds); the interpreter's reference sums in double.
struct LoadingFloatConvEpilogue : kernels::BasicFloatConvEpilogue<float> {
  static constexpr bool kLoadsAsIs = false;
};

kernels::Activation activationOf(int32_t kind, float alpha, float beta) {
  return {static_cast<kernels::ActivationKind>(kind), alpha, beta};
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// A depthwise multiply-accumulate counts kDepthwiseCost times in a
/// convolution's work against runtime::kMinParallelWork (it runs several
/// times slower per MAC); the output pixels a band of rows should have for
/// a call to be split in two bands per thread, and the least a band may have
/// as one band per thread for an integer convolution with a kernel wider
/// than 1x1: the integer GEMM's call of few rows (down4's 6x6) then packs
/// each pixel's taps once, where shares of its channels would each pack them
/// all (about 1.5x faster on 2 threads). A pointwise one packs little and
/// runs faster in channel shares, as does the float GEMM.
constexpr int64_t kDepthwiseCost = 8;
constexpr int64_t kMinBandPixels = 64;
constexpr int64_t kMinThreadBandPixels = 16;
/// Output channels a share of a call's output channels is a multiple of
/// (the float GEMM's register tile), and the most output channels a share
/// may have.
constexpr int64_t kShareChannels = 8;
constexpr int64_t kMaxShareChannels = 1024;

/// What one thread computes of a convolution call: output rows [rowBegin,
/// rowEnd) of the convolution `d` into an output view whose first row is
/// outputFirstRow. A share of some of the call's channels or columns has
/// its own descriptor and operands starting at its first channel and
/// column.
struct ConvShare {
  const picosam_uk_conv2d *d;
  const void *input, *weight, *bias, *residual;
  void *output;
  int64_t outputFirstRow, rowBegin, rowEnd;
};

/// A descriptor for some of a call's output channels, followed by their
/// multipliers and zero-point offsets as the compiler lays them out (the
/// integer kernels read them at the descriptor's offsets).
struct ShareDescriptor {
  picosam_uk_conv2d d;
  picosam_uk_multiplier multipliers[kMaxShareChannels],
      residualMultipliers[kMaxShareChannels];
  int32_t offsets[kMaxShareChannels];
};

/// How a call is split when its rows are too few: by channels (depthwise:
/// each channel apart; otherwise the output channels, every share reading
/// all the input), or for a pointwise convolution in place by columns (an
/// output channel share would overwrite input channels the others read).
enum class ShareKind { Channels, Columns };

/// `whole`'s channels [first, first + count) (kind Channels) or columns
/// (kind Columns), with `descriptor` (its multipliers copied for an
/// integer call) as the share's descriptor.
ConvShare shareOf(const ConvShare &whole, ShareKind kind, int64_t first,
                  int64_t count, int64_t elementBytes, bool integer,
                  ShareDescriptor &descriptor) {
  const picosam_uk_conv2d &d = *whole.d;
  picosam_uk_conv2d &part = descriptor.d;
  part = d;
  auto at = [&](const void *data, int64_t elements, int64_t bytes) {
    return data ? static_cast<const char *>(data) + elements * bytes : nullptr;
  };
  ConvShare share = whole;
  share.d = &part;
  int64_t firstChannel = 0;
  if (kind == ShareKind::Columns) {
    part.in_width = part.out_width = count;
    share.input = at(whole.input, first, elementBytes);
    share.residual = at(whole.residual, first, elementBytes);
    share.output = const_cast<char *>(at(whole.output, first, elementBytes));
  } else {
    firstChannel = first;
    part.out_channels = count;
    if (d.groups > 1) { // depthwise
      part.in_channels = part.groups = count;
      share.input =
          at(whole.input, first * d.input.channel_stride, elementBytes);
    }
    int64_t weightsPerChannel =
        (d.in_channels / d.groups) * d.kernel_height * d.kernel_width;
    share.weight = at(whole.weight, first * weightsPerChannel, integer ? 1 : 4);
    share.bias = at(whole.bias, first, 4);
    share.residual =
        at(whole.residual, first * d.residual.channel_stride, elementBytes);
    share.output = const_cast<char *>(
        at(whole.output, first * d.output.channel_stride, elementBytes));
  }
  if (integer) {
    auto copy = [&](int64_t offset, auto *to) {
      const auto *from =
          arrayAt<std::remove_pointer_t<decltype(to)>>(&d, offset);
      std::copy(from + firstChannel, from + firstChannel + part.out_channels,
                to);
    };
    copy(d.multipliers_offset, descriptor.multipliers);
    part.multipliers_offset = offsetof(ShareDescriptor, multipliers);
    if (d.has_residual)
      copy(d.residual_multipliers_offset, descriptor.residualMultipliers);
    part.residual_multipliers_offset =
        offsetof(ShareDescriptor, residualMultipliers);
    if (d.offsets_offset) {
      copy(d.offsets_offset, descriptor.offsets);
      part.offsets_offset = offsetof(ShareDescriptor, offsets);
    }
  }
  return share;
}

/// Calls compute(share) for shares of `whole` covering it: `whole` itself,
/// or when the call is large enough and `splittable` (no share writes what
/// another reads), about two bands of rows per thread of the pool, or, when
/// the rows are too few for that (a tiled block's calls are one row each),
/// one share of the channels or columns per thread.
template <typename Compute>
void forShares(const ConvShare &whole, bool splittable, bool outputOverInput,
               int64_t elementBytes, bool integer, const Compute &compute) {
  const picosam_uk_conv2d &d = *whole.d;
  int64_t rowBegin = whole.rowBegin, rowEnd = whole.rowEnd;
  int64_t count = rowEnd - rowBegin;
  int64_t threads = runtime::threadCount();
  bool depthwise = d.groups == d.out_channels && d.groups == d.in_channels &&
                   d.groups > 1;
  int64_t work = d.batch * count * d.out_width * d.out_channels *
                 (d.in_channels / d.groups) * d.kernel_height *
                 d.kernel_width * (depthwise ? kDepthwiseCost : 1);
  if (!splittable || threads == 1 || work < runtime::kMinParallelWork)
    return compute(whole);
  int64_t bandRows = std::max(ceilDiv(count, 2 * threads),
                              ceilDiv(kMinBandPixels, d.out_width));
  int64_t bands = ceilDiv(count, bandRows);
  if (integer && d.groups == 1 && d.kernel_height * d.kernel_width > 1 &&
      bands < threads &&
      ceilDiv(count, threads) * d.out_width >= kMinThreadBandPixels) {
    bandRows = ceilDiv(count, threads);
    bands = ceilDiv(count, bandRows);
  }
  if (bands >= threads) {
    runtime::parallelFor(bands, [&](int64_t band) {
      ConvShare share = whole;
      share.rowBegin = rowBegin + band * bandRows;
      share.rowEnd = std::min(share.rowBegin + bandRows, rowEnd);
      compute(share);
    });
    return;
  }
  ShareKind kind = outputOverInput ? ShareKind::Columns : ShareKind::Channels;
  int64_t extent = kind == ShareKind::Columns ? d.out_width : d.out_channels;
  int64_t shareSize = ceilDiv(extent, threads);
  if (kind == ShareKind::Channels && !depthwise)
    shareSize = ceilDiv(shareSize, kShareChannels) * kShareChannels;
  int64_t shares = ceilDiv(extent, shareSize);
  if ((d.groups != 1 && !depthwise) || shares < 2 ||
      d.out_channels > kMaxShareChannels)
    return compute(whole);
  runtime::parallelFor(shares, [&](int64_t index) {
    int64_t first = index * shareSize;
    ShareDescriptor descriptor;
    compute(shareOf(whole, kind, first, std::min(shareSize, extent - first),
                    elementBytes, integer, descriptor));
  });
}

/// Whether shares of the output rows [rowBegin, rowEnd) of `output` (its
/// first row rowBegin) may be computed by different threads: no share may
/// write what another reads, so the input must lie apart from the output
/// or exactly under it in a pointwise convolution (each pixel read by the
/// share that writes it), and a residual apart from it or exactly under it
/// (in place, each element read just before it is written).
bool sharesAreIndependent(const picosam_uk_conv2d &d, const void *input,
                          const void *residual, const void *output,
                          int64_t elementBytes, int64_t rowBegin,
                          int64_t rowEnd) {
  if (runtime::conv2dOverlaps(d, input, /*isResidual=*/false, output,
                              elementBytes, rowBegin, rowEnd) &&
      !runtime::conv2dOutputOverInput(d, input, output, elementBytes,
                                      rowBegin))
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
  // Over the input other than pointwise in place (or a residual not
  // exactly under the output): the reference kernel, which loads the input
  // rows before it writes, on one thread.
  bool independent = sharesAreIndependent(*d, input, residual, firstOutput,
                                          sizeof(float), rowBegin, rowEnd);
  bool outputOverInput = runtime::conv2dOutputOverInput(
      *d, input, firstOutput, sizeof(float), rowBegin);
  bool residualOverlapsOutput =
      d->has_residual &&
      runtime::conv2dOverlaps(*d, residual, /*isResidual=*/true, firstOutput,
                              sizeof(float), rowBegin, rowEnd);
  runtime::ConvF32Isa isa = runtime::selectConvF32Isa(d->cpu_features);
  forShares(
      {d, input, weight, bias, residual, output, outputFirstRow, rowBegin,
       rowEnd},
      independent, outputOverInput, sizeof(float), /*integer=*/false,
      [&](const ConvShare &share) {
        const picosam_uk_conv2d *sd = share.d;
        auto *shareInput = static_cast<const float *>(share.input);
        auto *shareWeight = static_cast<const float *>(share.weight);
        auto *shareBias = static_cast<const float *>(share.bias);
        auto *shareResidual = static_cast<const float *>(share.residual);
        auto *shareOutput = static_cast<float *>(share.output);
        runtime::ConvF32Call call{sd,
                                  shareInput,
                                  shareWeight,
                                  shareBias,
                                  shareResidual,
                                  shareOutput,
                                  share.outputFirstRow,
                                  share.rowBegin,
                                  share.rowEnd,
                                  &activateInPlace,
                                  residualOverlapsOutput,
                                  outputOverInput};
        if (independent && runtime::conv2dF32Fast(isa, call))
          return;
        LoadingFloatConvEpilogue epilogue{
            {sd->has_bias ? shareBias : nullptr,
             sd->has_residual ? viewOf(shareResidual, sd->residual)
                              : NCHWView<const float>(),
             activationOf(sd->activation_kind, sd->activation_alpha,
                          sd->activation_beta)}};
        referenceConv2d(
            *sd, viewOf(shareInput, sd->input), shareWeight,
            viewOf(shareOutput, sd->output, share.outputFirstRow),
            share.rowBegin, share.rowEnd, epilogue, workspace,
            inputIsApart(*sd, shareInput,
                         shareOutput + (share.rowBegin - share.outputFirstRow) *
                                           sd->output.row_stride,
                         sizeof(float), share.rowBegin, share.rowEnd));
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
  if (runtime::conv2dInt8(runtime::selectedInt8ConvVariant(d->cpu_features),
                          *d, input,
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
                : NCHWView<const Residual>(),
            {}};
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
  forShares(
      {d, input, weight, bias, residual, output, rowBegin, rowBegin, rowEnd},
      sharesAreIndependent(*d, input, residual, output, 1, rowBegin, rowEnd),
      runtime::conv2dOutputOverInput(*d, input, output, 1, rowBegin), 1,
      /*integer=*/true, [&](const ConvShare &share) {
        conv2dQ8Rows(share.d, share.input,
                     static_cast<const int8_t *>(share.weight),
                     static_cast<const int32_t *>(share.bias), share.residual,
                     static_cast<char *>(share.output) +
                         (share.rowBegin - share.outputFirstRow) *
                             share.d->output.row_stride,
                     share.rowBegin, share.rowEnd, workspace);
      });
}

namespace {
/// The means of `planes` planes of `planeSize` floats, as
/// kernels::FloatAverage computes them (a double sum element by element,
/// divided by the count), four planes at a time: four independent chains
/// of additions, each in the reference's order.
void floatPlaneMeans(const float *input, int64_t planes, int64_t planeSize,
                     float *means) {
  int64_t plane = 0;
  for (; plane + 4 <= planes; plane += 4) {
    const float *x = input + plane * planeSize;
    double sums[4] = {0.0, 0.0, 0.0, 0.0};
    for (int64_t j = 0; j < planeSize; ++j)
      for (int k = 0; k < 4; ++k)
        sums[k] += x[k * planeSize + j];
    for (int k = 0; k < 4; ++k)
      means[plane + k] = kernels::FloatAverage{}.average(sums[k], planeSize);
  }
  kernels::globalAveragePool(input + plane * planeSize, planes - plane,
                             planeSize, means + plane, kernels::FloatAverage{});
}
} // namespace

extern "C" void picosam_uk_channel_attention_f32(
    const picosam_uk_channel_attention *d, const float *input,
    const float *weight, const float *bias, float *output, void *workspace) {
  // Sums in f32, as the workspace's size assumes (LoadingFloatConvEpilogue).
  kernels::BasicFloatConvEpilogue<float> gates{
      d->has_bias ? bias : nullptr, {}, {kernels::ActivationKind::Sigmoid}};
  // channelAttention's steps in its workspace, the means and the scaling
  // split by planes between the threads (each plane computed as the
  // reference computes it).
  int64_t planes = d->batch * d->channels, planeSize = d->plane_size;
  kernels::WorkspaceArrays scratch(
      {workspace, picosam_uk_channel_attention_workspace_bytes(d)});
  float *means = scratch.take<float>(planes);
  float *gateValues = scratch.take<float>(planes);
  runtime::parallelForPlanes(
      planes, planeSize, [&](int64_t first, int64_t count) {
        floatPlaneMeans(input + first * planeSize, count, planeSize,
                        means + first);
      });
  kernels::channelAttentionGates(means, d->batch, d->channels, weight,
                                 gateValues, gates, scratch);
  runtime::parallelForPlanes(
      planes, planeSize, [&](int64_t first, int64_t count) {
        kernels::scalePlanes(input + first * planeSize, count, planeSize,
                             gateValues + first, output + first * planeSize,
                             [](float x, float gate) { return x * gate; });
      });
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
  if (runtime::channelAttentionInt8(
          runtime::selectedInt8ConvVariant(d->cpu_features), *d, input,
          weight, bias, output))
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
  case PICOSAM_UK_MAX:
    return apply(kernels::maximum);
  case PICOSAM_UK_MIN:
    return apply(kernels::minimum);
  case PICOSAM_UK_PRELU:
    return apply(kernels::prelu);
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

extern "C" void picosam_uk_instance_norm_f32(const picosam_uk_batch_norm *d,
                                             const float *input,
                                             const float *scale,
                                             const float *bias, float *output) {
  kernels::instanceNorm(input, d->planes, d->channels, d->plane_size, scale,
                        bias, d->epsilon, output);
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

/// picosam_uk_quantize's first elements of a per-tensor quantization, 16
/// at a time, as the scalar loop computes them: the same float quotient;
/// NaN made 0 (the zero point); the quotient clamped to the storage range
/// less the zero point, whose bounds are integers, so clamping before
/// rounding (cvtps2dq, half to even) is clamping after it. Returns how many
/// it stored.
int64_t quantizeVectors(const picosam_uk_quantization &d, const float *x,
                        void *output) {
  int64_t i = 0;
#ifdef __SSE2__
  __m128 scale = _mm_set1_ps(d.scale);
  __m128 low = _mm_set1_ps(static_cast<float>(d.storage_min - d.zero_point));
  __m128 high = _mm_set1_ps(static_cast<float>(d.storage_max - d.zero_point));
  __m128i zeroPoint = _mm_set1_epi32(d.zero_point);
  auto quantize4 = [&](const float *at) {
    __m128 v = _mm_div_ps(_mm_loadu_ps(at), scale);
    v = _mm_and_ps(v, _mm_cmpord_ps(v, v));
    v = _mm_max_ps(_mm_min_ps(v, high), low);
    return _mm_add_epi32(_mm_cvtps_epi32(v), zeroPoint);
  };
  auto *out = static_cast<__m128i *>(output);
  for (; i + 16 <= d.count; i += 16) {
    __m128i low16 = _mm_packs_epi32(quantize4(x + i), quantize4(x + i + 4));
    __m128i high16 =
        _mm_packs_epi32(quantize4(x + i + 8), quantize4(x + i + 12));
    // The values lie in the storage range: the saturating packs keep them.
    _mm_storeu_si128(out++, d.is_signed ? _mm_packs_epi16(low16, high16)
                                        : _mm_packus_epi16(low16, high16));
  }
#endif
  return i;
}
} // namespace

extern "C" void picosam_uk_quantize(const picosam_uk_quantization *d,
                                    const float *input,
                                    void *output) {
  const float *x = input;
  // cvtps2dq rounds in the current rounding mode, as nearbyint does.
  int64_t first = d->axis_size == 0 ? quantizeVectors(*d, x, output) : 0;
  auto store = [&](auto *q) {
    using Q = std::remove_pointer_t<decltype(q)>;
    q = static_cast<Q *>(output);
    for (int64_t i = first; i < d->count; ++i) {
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

namespace {
/// Calls fn(T{}) with T an unsigned type of `elementBytes` (1 or 4) bytes:
/// for the kernels that only move elements, any type of their width does.
template <typename Fn> void withElementsOfWidth(int64_t elementBytes, Fn &&fn) {
  if (elementBytes == 1)
    fn(uint8_t{});
  else
    fn(uint32_t{});
}
} // namespace

extern "C" void picosam_uk_transpose_elements(const picosam_uk_transpose *d,
                                              const void *input,
                                              void *output) {
  withElementsOfWidth(d->element_bytes, [&](auto zero) {
    using T = decltype(zero);
    kernels::transpose(static_cast<const T *>(input),
                       spanOf(d->input_shape, d->rank), spanOf(d->perm, d->rank),
                       static_cast<T *>(output));
  });
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
  kernels::softmax(input, d->outer, d->length, d->inner, output, d->log != 0);
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

//===----------------------------------------------------------------------===//
// Structural ops
//===----------------------------------------------------------------------===//

extern "C" void picosam_uk_pad_elements(const picosam_uk_pad *d,
                                        const void *input, void *output) {
  withElementsOfWidth(d->element_bytes, [&](auto zero) {
    using T = decltype(zero);
    kernels::pad(static_cast<const T *>(input), spanOf(d->input_shape, d->rank),
                 spanOf(d->pads, 2 * d->rank),
                 static_cast<kernels::PadMode>(d->mode),
                 static_cast<T>(d->value_bits), static_cast<T *>(output));
  });
}

extern "C" void picosam_uk_slice_elements(const picosam_uk_slice *d,
                                          const void *input, void *output) {
  withElementsOfWidth(d->element_bytes, [&](auto zero) {
    using T = decltype(zero);
    kernels::slice(static_cast<const T *>(input),
                   spanOf(d->input_shape, d->rank), spanOf(d->offsets, d->rank),
                   spanOf(d->sizes, d->rank), spanOf(d->strides, d->rank),
                   static_cast<T *>(output));
  });
}

//===----------------------------------------------------------------------===//
// Transposed convolution
//===----------------------------------------------------------------------===//

extern "C" int64_t picosam_uk_conv_transpose2d_workspace_bytes(
    const picosam_uk_conv_transpose2d *d) {
  // The float sums are the widest accumulators.
  return kernels::convTranspose2dWorkspaceBytes<double>(windowGeometryOf(*d));
}

extern "C" void
picosam_uk_conv_transpose2d_f32(const picosam_uk_conv_transpose2d *d,
                                const float *input, const float *weight,
                                const float *bias, float *output,
                                void *workspace) {
  kernels::convTranspose2d(
      windowGeometryOf(*d), input, weight, output,
      kernels::FloatConvEpilogue{
          d->has_bias ? bias : nullptr, {},
          activationOf(d->activation_kind, d->activation_alpha,
                       d->activation_beta)},
      {workspace, picosam_uk_conv_transpose2d_workspace_bytes(d)});
}

extern "C" void
picosam_uk_conv_transpose2d_q8(const picosam_uk_conv_transpose2d *d,
                               const void *input, const int8_t *weight,
                               const int32_t *bias, void *output,
                               void *workspace) {
  withStorage(d->input, [&](auto *inTag) {
    using In = std::remove_pointer_t<decltype(inTag)>;
    withStorage(d->output, [&](auto *outTag) {
      using Out = std::remove_pointer_t<decltype(outTag)>;
      kernels::QuantizedConvEpilogue<In, int32_t> epilogue{
          {d->input.zero_point, 0, d->output.zero_point,
           multipliersAt(d, d->multipliers_offset), nullptr,
           {d->clamp_min, d->clamp_max}},
          d->has_bias ? bias : nullptr,
          {},
          {}};
      kernels::convTranspose2d(
          windowGeometryOf(*d), static_cast<const In *>(input), weight,
          static_cast<Out *>(output), epilogue,
          {workspace, picosam_uk_conv_transpose2d_workspace_bytes(d)});
    });
  });
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

namespace {
kernels::ReductionGeometry geometryOf(const picosam_uk_reduce &d) {
  return kernels::reductionGeometry(spanOf(d.input_shape, d.rank),
                                    spanOf(d.axes, d.axis_count));
}
} // namespace

extern "C" void picosam_uk_reduce_f32(const picosam_uk_reduce *d,
                                      const float *input, float *output) {
  kernels::ReductionGeometry geometry = geometryOf(*d);
  switch (static_cast<kernels::ReduceKind>(d->kind)) {
  case kernels::ReduceKind::Mean:
    return kernels::reduceMean(input, geometry, output, kernels::FloatAverage{});
  case kernels::ReduceKind::Sum:
    return kernels::reduceSum(input, geometry, output);
  case kernels::ReduceKind::Max:
    return kernels::reduceMax(input, geometry, output, kernels::FloatMaximum{});
  }
}

extern "C" void picosam_uk_reduce_q8(const picosam_uk_reduce *d,
                                     const void *input, void *output) {
  kernels::ReductionGeometry geometry = geometryOf(*d);
  if (static_cast<kernels::ReduceKind>(d->kind) == kernels::ReduceKind::Max) {
    kernels::Rescale rescale = toRescale(d->rescale);
    return onStorage(d->rescale.input, d->rescale.output, input, output,
                     [&](const auto *in, auto *out) {
                       kernels::reduceMax(in, geometry, out,
                                          kernels::QuantizedMaximum{rescale});
                     });
  }
  onStorage(d->average.input, d->average.output, input, output,
            [&](const auto *in, auto *out) {
              kernels::reduceMean(in, geometry, out, PoolAverage(d, d->average));
            });
}
