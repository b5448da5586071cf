//===- ConvInt8.h - fast paths of the integer convolution entry -*- C++ -*-===//
//
// picosam_uk_conv2d_q8 runs these kernels where they cover the geometry and
// the reference kernel (kernels::conv2d) elsewhere. They compute what the
// reference computes, bit for bit: the int32 sums are exact whatever their
// order, and the requantization applies the same rule
// (fixedpoint::multiplyByQuantizedMultiplier, zero point, clamp).
//
//   groups == 1         a GEMM over blocks of output pixels: the pixels'
//                       taps (im2col, padding as the zero point) packed as
//                       unsigned bytes in groups of 4 along the reduction,
//                       times the OIHW weight rows read in place;
//   depthwise           (groups == channels) each output row summed from
//                       quads of 4 taps of a kernel row over its input
//                       rows gathered as padded unsigned bytes.
//
// Three variants of the inner kernels, picked at run time from the CPU's
// features: AVX-512 VNNI, AVX2 and portable C++ (baseline x86-64).
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_RUNTIME_CONVINT8_H
#define PICOSAM_RUNTIME_CONVINT8_H

#include "picosam/Runtime/Ukernels.h"

#include <cstdint>

namespace picosam::runtime {

enum class Int8ConvVariant { Reference, Portable, Avx2, Avx512Vnni };

/// The variant's name as PICOSAM_INT8_CONV gives it: reference, portable,
/// avx2, avx512vnni.
const char *nameOf(Int8ConvVariant variant);

/// The CPU features (picosam_cpu_features's bits) `variant`'s code uses.
uint64_t requiredFeatures(Int8ConvVariant variant);

/// Whether this machine has the CPU features `variant`'s code uses.
bool isSupported(Int8ConvVariant variant);

/// `requested`, or the next slower variant whose features `features` has
/// (the portable and reference ones need none).
Int8ConvVariant fastestInt8ConvVariant(Int8ConvVariant requested,
                                       uint64_t features);

/// The variant picosam_uk_conv2d_q8 runs for a convolution compiled for a
/// CPU with `allowedFeatures` (its descriptor's cpu_features: `--cpu`
/// caps the variant): the one the environment variable PICOSAM_INT8_CONV
/// names (reference, portable, avx2, avx512vnni) when this machine supports
/// it, else the fastest this machine supports (a variant named but not
/// supported, or an unknown name, is said once on stderr), then the
/// fastest of those at most it that allowedFeatures allows. The
/// environment is read once.
Int8ConvVariant selectedInt8ConvVariant(uint64_t allowedFeatures = ~uint64_t(0));

/// The offsets the fast kernels add to their sums of w * u (u = x + 128
/// for int8 storage, x for uint8): offsets[oc] = bias[oc] (0 without one)
/// - u(zero point) * the sum of output channel oc's weights, for oc <
/// d.out_channels; false where one leaves int32.
bool conv2dZeroPointOffsets(const picosam_uk_conv2d &d, const int8_t *weight,
                            const int32_t *bias, int32_t *offsets);

/// Computes output rows [rowBegin, rowEnd) of the integer convolution `d`
/// with `variant`'s kernels (which must be supported), as
/// picosam_uk_conv2d_q8 does. Returns false, having written nothing, when
/// the variant does not cover the convolution (or is Reference).
bool conv2dInt8(Int8ConvVariant variant, const picosam_uk_conv2d &d,
                const void *input, const int8_t *weight, const int32_t *bias,
                const void *residual, void *output, int64_t rowBegin,
                int64_t rowEnd);

} // namespace picosam::runtime

#endif // PICOSAM_RUNTIME_CONVINT8_H
