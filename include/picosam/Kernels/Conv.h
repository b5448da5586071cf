//===- Conv.h - 2-D convolution, float and integer ---------------*- C++ -*-===//
//
// One convolution loop for every element type: the window iteration is
// written once, and an epilogue says how input values load into the
// accumulator, what an accumulator starts from and how a finished row of
// accumulators becomes output values. The float epilogue starts from the
// bias and adds the residual and the activation; the integer one sums
// zero-point-free int32 products and requantizes (bias, residual term,
// multiplier and shift, zero point, clamp, optional table).
//
// Per output element, the float sum runs in double, in this order: bias,
// then the taps by input channel, kernel row and kernel column; then the
// residual; it is rounded to float once, then activated. The interpreter's
// results, and every stage compared with them, depend on that order, so it
// must not change.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_CONV_H
#define PICOSAM_KERNELS_CONV_H

#include "picosam/Kernels/Activation.h"
#include "picosam/Kernels/Indexing.h"
#include "picosam/Kernels/Requantization.h"
#include "picosam/Kernels/Workspace.h"

#include <algorithm>
#include <cstdint>
#include <type_traits>

namespace picosam::kernels {

/// An NCHW tensor in memory, or the rows [firstRow, ...) of one: element
/// (n, c, h, w) is at data[n * batchStride + c * channelStride +
/// (h - firstRow) * rowStride + w]. A dense tensor has rowStride = W,
/// channelStride = H * W, batchStride = C * H * W; a band of rows of a
/// larger tensor keeps its rows where they are and names the first.
template <typename T> struct NCHWView {
  T *data = nullptr;
  int64_t batchStride = 0, channelStride = 0, rowStride = 0;
  int64_t firstRow = 0;

  /// The dense tensor of shape `channels` x `height` x `width` per batch.
  static NCHWView dense(T *data, int64_t channels, int64_t height,
                        int64_t width) {
    return {data, channels * height * width, height * width, width, 0};
  }
  T *row(int64_t n, int64_t c, int64_t h) const {
    return data + n * batchStride + c * channelStride + (h - firstRow) * rowStride;
  }
};

/// What a convolution computes, in the input's coordinates: NCHW input,
/// OIHW weight (I = inChannels / groups), output batch x outChannels x
/// outHeight x outWidth.
struct Conv2DGeometry {
  int64_t batch = 1;
  /// The input as stored, before its upsampling.
  int64_t inChannels = 0, inHeight = 0, inWidth = 0;
  int64_t outChannels = 0, outHeight = 0, outWidth = 0;
  int64_t kernelHeight = 1, kernelWidth = 1;
  int64_t groups = 1;
  int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;
  /// The top and left padding; the bottom and right padding are what the
  /// output size leaves (taps that read padding add nothing).
  int64_t padTop = 0, padLeft = 0;
  /// The input is read through a nearest upsample by this factor: element
  /// [h, w] of an upsampled plane is stored element [h / f, w / f].
  int64_t upsample = 1;

  int64_t groupChannels() const { return inChannels / groups; }
  int64_t readHeight() const { return inHeight * upsample; }
  int64_t readWidth() const { return inWidth * upsample; }
};

namespace detail {
/// out[i] += w * in[i * stride] for i in [0, n), the input widened to the
/// accumulator: the inner loop of the convolution, contiguous (and so
/// vectorized) in the output.
template <typename Acc, typename In>
inline void accumulateRow(Acc *__restrict out, const In *__restrict in, Acc w,
                          int64_t n, int64_t stride) {
  if (stride == 1) {
    for (int64_t i = 0; i < n; ++i)
      out[i] += w * static_cast<Acc>(in[i]);
  } else {
    for (int64_t i = 0; i < n; ++i)
      out[i] += w * static_cast<Acc>(in[i * stride]);
  }
}
} // namespace detail

/// The workspace bytes conv2d with accumulator type Acc needs to compute
/// any band of `rows` output rows of `geometry` (at most): the band's sums,
/// and the input rows they read, loaded (and upsampled) as accumulators
/// (or as stored, when the epilogue reads them as is: no larger).
template <typename Acc>
int64_t conv2dWorkspaceBytes(const Conv2DGeometry &geometry, int64_t rows) {
  const Conv2DGeometry &g = geometry;
  rows = std::clamp<int64_t>(rows, 0, g.outHeight);
  if (rows == 0)
    return 0;
  int64_t inputRows =
      std::min((rows - 1) * g.strideH + (g.kernelHeight - 1) * g.dilationH + 1,
               g.readHeight());
  return workspaceArrayBytes<Acc>(rows * g.outWidth) +
         workspaceArrayBytes<Acc>(g.batch * g.inChannels * inputRows *
                                  g.readWidth());
}

/// Computes output rows [rowBegin, rowEnd) of the convolution `geometry`
/// into `output` (which must hold those rows), for every batch and output
/// channel; rows outside the range are neither read nor written. A tiled
/// execution calls it once per band of rows; the results equal the whole
/// convolution's, bit for bit. Its scratch is `workspace`, of at least
/// conv2dWorkspaceBytes<Epilogue::Acc>(geometry, rowEnd - rowBegin) bytes.
///
/// The epilogue provides:
///   using Acc;                        the accumulator type
///   static constexpr bool kLoadsAsIs; load(x) == Acc(x) for every x (the
///                                     input is then read where it is when
///                                     it is not upsampled, and widened as
///                                     it is accumulated)
///   Acc load(In x) const;             an input value as accumulated
///   Acc initial(int64_t oc) const;    where channel oc's sums start
///   void finishRow(int64_t n, int64_t oc, int64_t oh, const Acc *acc,
///                  Out *out, int64_t width) const;
///                                     a row of sums to output values
template <typename Epilogue, typename In, typename W, typename Out>
void conv2d(const Conv2DGeometry &geometry, NCHWView<const In> input,
            const W *weight, NCHWView<Out> output, int64_t rowBegin,
            int64_t rowEnd, const Epilogue &epilogue, Workspace workspace) {
  using Acc = typename Epilogue::Acc;
  const Conv2DGeometry &g = geometry;
  int64_t height = g.readHeight(), width = g.readWidth();
  int64_t outH = g.outHeight, outW = g.outWidth;
  rowBegin = std::max<int64_t>(rowBegin, 0);
  rowEnd = std::min(rowEnd, outH);
  if (rowBegin >= rowEnd)
    return;

  // The input rows the output rows read: [firstRow, lastRow).
  int64_t firstRow = std::clamp<int64_t>(rowBegin * g.strideH - g.padTop, 0,
                                         height);
  int64_t lastRow = std::clamp<int64_t>((rowEnd - 1) * g.strideH - g.padTop +
                                            (g.kernelHeight - 1) * g.dilationH +
                                            1,
                                        firstRow, height);
  WorkspaceArrays scratch(workspace);
  Acc *accumulator = scratch.take<Acc>((rowEnd - rowBegin) * outW);
  // The view of the input the taps read: the input itself when the epilogue
  // reads it as is, else those rows loaded (and upsampled) once, as stored
  // when the epilogue reads them as is, else as accumulated.
  using Loaded = std::conditional_t<Epilogue::kLoadsAsIs, In, Acc>;
  NCHWView<const Loaded> in;
  if constexpr (Epilogue::kLoadsAsIs) {
    if (g.upsample == 1)
      in = input;
  }
  if (!in.data) {
    int64_t rows = lastRow - firstRow;
    Loaded *loaded = scratch.take<Loaded>(g.batch * g.inChannels * rows * width);
    Loaded *value = loaded;
    for (int64_t b = 0; b < g.batch; ++b)
      for (int64_t c = 0; c < g.inChannels; ++c)
        for (int64_t h = firstRow; h < lastRow; ++h) {
          const In *stored = input.row(b, c, h / g.upsample);
          for (int64_t w = 0; w < width; ++w) {
            if constexpr (Epilogue::kLoadsAsIs)
              *value++ = stored[w / g.upsample];
            else
              *value++ = epilogue.load(stored[w / g.upsample]);
          }
        }
    in = {loaded, g.inChannels * rows * width, rows * width, width,
          firstRow};
  }
  // Rows of equal width stored one after the other: an unstrided tap that
  // covers whole rows reads one contiguous run.
  bool contiguousRows = outW == width && in.rowStride == width;

  int64_t groupChannels = g.groupChannels();
  int64_t outChannelsPerGroup = g.outChannels / g.groups;
  for (int64_t b = 0; b < g.batch; ++b) {
    for (int64_t oc = 0; oc < g.outChannels; ++oc) {
      std::fill(accumulator, accumulator + (rowEnd - rowBegin) * outW,
                epilogue.initial(oc));
      // acc + (oh - rowBegin) * outW is output row oh's sums.
      Acc *acc = accumulator;
      int64_t firstChannel = (oc / outChannelsPerGroup) * groupChannels;
      for (int64_t ic = 0; ic < groupChannels; ++ic) {
        const W *kernel =
            weight + (oc * groupChannels + ic) * g.kernelHeight * g.kernelWidth;
        for (int64_t kh = 0; kh < g.kernelHeight; ++kh) {
          int64_t rowOffset = kh * g.dilationH - g.padTop;
          auto [ohBegin, ohEnd] =
              validOutputRange(rowOffset, g.strideH, height, outH);
          ohBegin = std::max(ohBegin, rowBegin);
          ohEnd = std::min(ohEnd, rowEnd);
          if (ohBegin >= ohEnd)
            continue;
          for (int64_t kw = 0; kw < g.kernelWidth; ++kw) {
            auto w = static_cast<Acc>(kernel[kh * g.kernelWidth + kw]);
            int64_t colOffset = kw * g.dilationW - g.padLeft;
            auto [owBegin, owEnd] =
                validOutputRange(colOffset, g.strideW, width, outW);
            if (owBegin >= owEnd)
              continue;
            if (g.strideH == 1 && g.strideW == 1 && colOffset == 0 &&
                contiguousRows) {
              detail::accumulateRow(
                  acc + (ohBegin - rowBegin) * outW,
                  in.row(b, firstChannel + ic, ohBegin + rowOffset), w,
                  (ohEnd - ohBegin) * outW, 1);
              continue;
            }
            for (int64_t oh = ohBegin; oh < ohEnd; ++oh)
              detail::accumulateRow(
                  acc + (oh - rowBegin) * outW + owBegin,
                  in.row(b, firstChannel + ic, oh * g.strideH + rowOffset) +
                      owBegin * g.strideW + colOffset,
                  w, owEnd - owBegin, g.strideW);
          }
        }
      }
      for (int64_t oh = rowBegin; oh < rowEnd; ++oh)
        epilogue.finishRow(b, oc, oh, acc + (oh - rowBegin) * outW,
                           output.row(b, oc, oh), outW);
    }
  }
}

/// The float epilogue, summing in `SumT`: sums start from the bias (if
/// any); a finished sum gets the residual (if any) added, is rounded to
/// float, then activated.
template <typename SumT> struct BasicFloatConvEpilogue {
  using Acc = SumT;
  static constexpr bool kLoadsAsIs = true;
  const float *bias = nullptr;
  /// Of the output's shape; rows are read where the output's are computed.
  NCHWView<const float> residual;
  Activation activation;

  Acc load(float x) const { return x; }
  Acc initial(int64_t oc) const { return bias ? bias[oc] : Acc(0); }
  void finishRow(int64_t n, int64_t oc, int64_t oh, const Acc *acc,
                 float *out, int64_t width) const {
    const float *r = residual.data ? residual.row(n, oc, oh) : nullptr;
    for (int64_t i = 0; i < width; ++i)
      out[i] = static_cast<float>(r ? acc[i] + r[i] : acc[i]);
    activation.applyInPlace(out, width);
  }
};

/// The reference's float epilogue: sums in double, rounded once.
using FloatConvEpilogue = BasicFloatConvEpilogue<double>;

/// The integer epilogue (ConvRequantization's rules, through its view): int32
/// sums of (x - inZp) * w, then per element bias + residual term,
/// requantized and clamped, and looked up in `table` when it has entries.
/// Input, bias, residual and output hold storage values of any integer type.
template <typename In, typename Bias = int64_t, typename Residual = In>
struct QuantizedConvEpilogue {
  using Acc = int32_t;
  static constexpr bool kLoadsAsIs = false;
  ConvRequantizationView params;
  const Bias *bias = nullptr;
  NCHWView<const Residual> residual;
  ActivationTableView table;

  int32_t load(In x) const {
    return static_cast<int32_t>(x - params.inputZeroPoint);
  }
  int32_t initial(int64_t) const { return 0; }
  template <typename Out>
  void finishRow(int64_t n, int64_t oc, int64_t oh, const int32_t *acc,
                 Out *out, int64_t width) const {
    const Residual *r = residual.data ? residual.row(n, oc, oh) : nullptr;
    for (int64_t i = 0; i < width; ++i) {
      int64_t sum = int64_t(acc[i]) + (bias ? int64_t(bias[oc]) : 0);
      if (r)
        sum += params.residualTerm(oc, static_cast<int32_t>(r[i]));
      int32_t value = params.requantize(oc, sum);
      out[i] = static_cast<Out>(table.entries ? table.lookup(value) : value);
    }
  }
};

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_CONV_H
