//===- ChannelAttentionInt8.h - fast integer channel attention --*- C++ -*-===//
//
// picosam_uk_channel_attention_q8 runs this where it applies and the
// reference (kernels::channelAttention) elsewhere, with the same numbers:
// the planes' sums by vector byte sums (exact in int64), the means and the
// gates by the reference's scalar arithmetic, and the output through a
// table per plane: the 256 storage bytes scaled by the plane's gate as
// int32 products, requantized by the integer convolution's kernels of the
// chosen variant (ConvInt8Kernels.h), looked up by vpermi2b where the
// variant has it and the CPU has AVX-512 VBMI, else byte by byte.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_RUNTIME_CHANNELATTENTIONINT8_H
#define PICOSAM_RUNTIME_CHANNELATTENTIONINT8_H

#include "picosam/Runtime/ConvInt8.h"
#include "picosam/Runtime/Ukernels.h"

#include <cstdint>

namespace picosam::runtime {

/// Computes the integer channel attention `d` with `variant`'s kernels
/// (which must be supported), as picosam_uk_channel_attention_q8 does; the
/// output may be the input, element for element. Returns false, having
/// written nothing, when the variant does not cover it (or is Reference).
bool channelAttentionInt8(Int8ConvVariant variant,
                          const picosam_uk_channel_attention &d,
                          const void *input, const int8_t *weight,
                          const int32_t *bias, void *output);

} // namespace picosam::runtime

#endif // PICOSAM_RUNTIME_CHANNELATTENTIONINT8_H
