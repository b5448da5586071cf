//===- ConvTranspose.h - 2-D transposed convolution --------------*- C++ -*-===//
//
// ONNX ConvTranspose (the gradient of a convolution with respect to its
// input: segmentation decoders' learned upsampling), for every element type,
// with the convolution's epilogues (Conv.h): the float one sums in double
// from the bias and activates, the integer one sums zero-point-free int32
// products and requantizes by ConvRequantization's rules.
//
// Each output element gathers the taps that reach it, in this order: bias,
// then input channel, kernel row, kernel column (as conv2d), so the result
// does not depend on how the output is split into rows.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_CONVTRANSPOSE_H
#define PICOSAM_KERNELS_CONVTRANSPOSE_H

#include "picosam/Kernels/Conv.h"
#include "picosam/Kernels/Workspace.h"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace picosam::kernels {

/// A transposed convolution's geometry is a Conv2DGeometry (Conv.h) with
/// the roles ONNX ConvTranspose gives its fields: NCHW input, weight O x
/// (C / groups) x Kh x Kw (each output channel's taps, as conv2d's; ONNX's
/// C x (O / groups) x Kh x Kw is transposed at import), output batch x
/// outChannels x outHeight x outWidth, upsample 1. Input element (ih, iw)
/// meets tap (kh, kw) at output position (ih * strideH + kh * dilationH -
/// padTop, iw * strideW + kw * dilationW - padLeft); positions outside the
/// output are cropped (the pads), outputs no tap reaches hold the bias (the
/// output padding).

/// The size of an output axis, ONNX's
///   stride * (size - 1) + (kernel - 1) * dilation + 1 + outputPadding
///     - padBegin - padEnd,
/// or nothing when it is not positive or overflows int64_t.
std::optional<int64_t> convTransposeOutputSize(int64_t size, int64_t kernel,
                                               int64_t stride,
                                               int64_t dilation,
                                               int64_t padBegin,
                                               int64_t padEnd,
                                               int64_t outputPadding);

/// The workspace bytes convTranspose2d with accumulator type Acc needs: one
/// output row of sums.
template <typename Acc>
int64_t convTranspose2dWorkspaceBytes(const Conv2DGeometry &geometry) {
  return workspaceArrayBytes<Acc>(geometry.outWidth);
}

/// Computes the whole output of `geometry` from dense NCHW `input` and
/// `weight` into dense `output`, with a conv2d epilogue (load,
/// initial, finishRow; finishRow's residual, if the epilogue has one, is
/// not used) and `workspace` of convTranspose2dWorkspaceBytes bytes.
template <typename Epilogue, typename In, typename W, typename Out>
void convTranspose2d(const Conv2DGeometry &geometry, const In *input,
                     const W *weight, Out *output, const Epilogue &epilogue,
                     Workspace workspace) {
  using Acc = typename Epilogue::Acc;
  const Conv2DGeometry &g = geometry;
  WorkspaceArrays scratch(workspace);
  Acc *acc = scratch.take<Acc>(g.outWidth);
  int64_t groupChannels = g.groupChannels();
  int64_t outChannelsPerGroup = g.outChannels / g.groups;
  int64_t taps = g.kernelHeight * g.kernelWidth;
  for (int64_t b = 0; b < g.batch; ++b) {
    for (int64_t oc = 0; oc < g.outChannels; ++oc) {
      int64_t firstChannel = (oc / outChannelsPerGroup) * groupChannels;
      for (int64_t oh = 0; oh < g.outHeight; ++oh) {
        std::fill(acc, acc + g.outWidth, epilogue.initial(oc));
        for (int64_t ic = 0; ic < groupChannels; ++ic) {
          const W *kernel = weight + (oc * groupChannels + ic) * taps;
          const In *plane = input + ((b * g.inChannels + firstChannel + ic) *
                                     g.inHeight) * g.inWidth;
          for (int64_t kh = 0; kh < g.kernelHeight; ++kh) {
            // The input row that meets kernel row kh at output row oh.
            int64_t rowPosition = oh + g.padTop - kh * g.dilationH;
            if (rowPosition < 0 || rowPosition % g.strideH != 0 ||
                rowPosition / g.strideH >= g.inHeight)
              continue;
            const In *row = plane + rowPosition / g.strideH * g.inWidth;
            for (int64_t kw = 0; kw < g.kernelWidth; ++kw) {
              auto w = static_cast<Acc>(kernel[kh * g.kernelWidth + kw]);
              // Input column iw reaches output column iw * strideW - offset.
              int64_t offset = g.padLeft - kw * g.dilationW;
              int64_t iw = std::max<int64_t>(0, (offset + g.strideW - 1) /
                                                    g.strideW);
              for (int64_t ow = iw * g.strideW - offset;
                   iw < g.inWidth && ow < g.outWidth; ++iw, ow += g.strideW)
                acc[ow] += w * epilogue.load(row[iw]);
            }
          }
        }
        epilogue.finishRow(b, oc, oh, acc,
                           output + ((b * g.outChannels + oc) * g.outHeight +
                                     oh) * g.outWidth,
                           g.outWidth);
      }
    }
  }
}

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_CONVTRANSPOSE_H
