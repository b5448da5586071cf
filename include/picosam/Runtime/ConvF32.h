//===- ConvF32.h - the fast float convolution kernels -----------*- C++ -*-===//
//
// picosam_uk_conv2d_f32 runs one of three builds of the same kernels
// (lib/Runtime/ConvF32Kernels.inc): for AVX-512, for AVX2 with FMA, and for
// baseline x86-64 (SSE2). Each build is its own file compiled with its own
// flags, so nothing but these declarations (plain data and functions with
// variant names) is shared between code of different instruction sets.
//
// The kernels compute the reference convolution (picosam/Kernels/Conv.h)
// with vector FMAs: a pointwise or dense convolution as a GEMM of the
// weights with the input's pixels (im2col of a block of pixels into a
// bounded stack panel), a depthwise one along the width. Every output
// element is computed by the same sequence of operations wherever it lies
// in a row band, so splitting the rows (threads) changes no bit.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_RUNTIME_CONVF32_H
#define PICOSAM_RUNTIME_CONVF32_H

#include "picosam/Runtime/Ukernels.h"

#include <cstdint>

namespace picosam::runtime {

/// The instruction sets the kernels are built for, best last.
enum class ConvF32Isa { Baseline, Avx2, Avx512 };

/// One call of the float convolution: output rows [rowBegin, rowEnd) into
/// an output view whose first row is `outputFirstRow`.
struct ConvF32Call {
  const picosam_uk_conv2d *d;
  const float *input, *weight, *bias, *residual;
  float *output;
  int64_t outputFirstRow, rowBegin, rowEnd;
  /// Applies the fused activation to `count` values in place, as the
  /// reference does; the kernels call it for the kinds they do not
  /// vectorise (sigmoid, tanh). Compiled for baseline x86-64.
  void (*activateInPlace)(const picosam_uk_conv2d *d, float *values,
                          int64_t count);
  /// The residual lies exactly under the output (in place): it is read
  /// only where the element it adds to is written.
  bool residualOverlapsOutput;
  /// The output lies over the input element for element (a pointwise
  /// convolution in place, conv2dOutputOverInput): each block of pixels is
  /// read whole before any of its outputs is written.
  bool outputOverInput = false;
};

/// Runs `call` on the kernels built for one instruction set; false when no
/// fast kernel covers its geometry (grouped but not depthwise, buffers that
/// overlap in a way a kernel cannot honour, scratch that would not fit).
bool conv2dF32Avx512(const ConvF32Call &call);
bool conv2dF32Avx2(const ConvF32Call &call);
bool conv2dF32Baseline(const ConvF32Call &call);

/// The best instruction set both this machine and `allowedFeatures` (a
/// mask of picosam/Runtime/CpuFeatures.h's bits: the CPU the code was
/// compiled for) have.
ConvF32Isa selectConvF32Isa(uint64_t allowedFeatures);

/// Runs `call` on the kernels of `isa` (which the machine must have);
/// false, having written nothing, when they do not cover it (the caller
/// then runs the reference kernel). The input must not overlap the output
/// unless `call.outputOverInput`, and a residual must lie apart from it or
/// exactly under it.
bool conv2dF32Fast(ConvF32Isa isa, const ConvF32Call &call);

/// Whether the bytes output rows [rowBegin, rowEnd) of the convolution
/// `d` read of `operand` (its input, or with `isResidual` its residual)
/// overlap those written to `output` (whose first row is rowBegin): a plan
/// may put a result over an operand.
bool conv2dOverlaps(const picosam_uk_conv2d &d, const void *operand,
                    bool isResidual, const void *output, int64_t elementBytes,
                    int64_t rowBegin, int64_t rowEnd);

/// Whether the convolution `d` is pointwise (1x1, unit stride, no padding
/// or upsample, at most as many output channels as input ones) and its
/// output (whose first row is rowBegin) lies over its input element for
/// element: each output element then overwrites only the input pixel it is
/// computed from, so the convolution may run in place pixel by pixel.
bool conv2dOutputOverInput(const picosam_uk_conv2d &d, const void *input,
                           const void *output, int64_t elementBytes,
                           int64_t rowBegin);

} // namespace picosam::runtime

#endif // PICOSAM_RUNTIME_CONVF32_H
