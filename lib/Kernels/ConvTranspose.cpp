//===- ConvTranspose.cpp - the transposed convolution's output size -------===//
#include "picosam/Kernels/ConvTranspose.h"

std::optional<int64_t> picosam::kernels::convTransposeOutputSize(
    int64_t size, int64_t kernel, int64_t stride, int64_t dilation,
    int64_t padBegin, int64_t padEnd, int64_t outputPadding) {
  int64_t span = 0, reach = 0, result = 0;
  if (__builtin_mul_overflow(stride, size - 1, &span) ||
      __builtin_mul_overflow(kernel - 1, dilation, &reach) ||
      __builtin_add_overflow(span, reach, &result) ||
      __builtin_add_overflow(result, 1 + outputPadding, &result) ||
      __builtin_sub_overflow(result, padBegin, &result) ||
      __builtin_sub_overflow(result, padEnd, &result) || result < 1)
    return std::nullopt;
  return result;
}
