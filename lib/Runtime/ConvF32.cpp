//===- ConvF32.cpp - choosing the float convolution's kernels -------------===//
//
// Compiled for baseline x86-64: it reads the CPU's features and calls the
// build of the kernels (ConvF32{Avx512,Avx2,Baseline}.cpp) both the machine
// and the code's target CPU allow.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/ConvF32.h"
#include "picosam/Runtime/CpuFeatures.h"

#include <algorithm>

using namespace picosam::runtime;

ConvF32Isa picosam::runtime::selectConvF32Isa(uint64_t allowedFeatures) {
  uint64_t features = picosam_cpu_features() & allowedFeatures;
  // What the kernels' files are compiled with (lib/Runtime/CMakeLists.txt).
  const uint64_t avx2 = PICOSAM_CPU_FEATURE(AVX) | PICOSAM_CPU_FEATURE(AVX2) |
                        PICOSAM_CPU_FEATURE(FMA);
  const uint64_t avx512 = avx2 | PICOSAM_CPU_FEATURE(AVX512F);
  if ((features & avx512) == avx512)
    return ConvF32Isa::Avx512;
  if ((features & avx2) == avx2)
    return ConvF32Isa::Avx2;
  return ConvF32Isa::Baseline;
}

bool picosam::runtime::conv2dF32Fast(ConvF32Isa isa, const ConvF32Call &call) {
  switch (isa) {
  case ConvF32Isa::Avx512:
    return conv2dF32Avx512(call);
  case ConvF32Isa::Avx2:
    return conv2dF32Avx2(call);
  case ConvF32Isa::Baseline:
    return conv2dF32Baseline(call);
  }
  return false;
}

namespace {
/// The bytes [begin, end) between the first and the last element of
/// `rows` rows from `firstRow` (relative to `data`) of every channel and
/// batch of a view.
struct Extent {
  const char *begin, *end;
};

Extent extentOf(const void *data, const picosam_uk_layout &layout,
                int64_t batch, int64_t channels, int64_t firstRow,
                int64_t rows, int64_t width, int64_t elementBytes) {
  const char *base = static_cast<const char *>(data);
  int64_t first = firstRow * layout.row_stride;
  int64_t last = (batch - 1) * layout.batch_stride +
                 (channels - 1) * layout.channel_stride +
                 (firstRow + rows - 1) * layout.row_stride + width;
  return {base + first * elementBytes, base + last * elementBytes};
}
} // namespace

bool picosam::runtime::conv2dOverlaps(const picosam_uk_conv2d &d,
                                      const void *operand, bool isResidual,
                                      const void *output, int64_t elementBytes,
                                      int64_t rowBegin, int64_t rowEnd) {
  if (rowBegin >= rowEnd)
    return false;
  Extent written = extentOf(output, d.output, d.batch, d.out_channels, 0,
                            rowEnd - rowBegin, d.out_width, elementBytes);
  Extent read;
  if (isResidual) {
    read = extentOf(operand, d.residual, d.batch, d.out_channels, rowBegin,
                    rowEnd - rowBegin, d.out_width, elementBytes);
  } else {
    // The stored rows the output rows' windows reach.
    int64_t height = d.in_height * d.upsample;
    int64_t first = std::clamp<int64_t>(rowBegin * d.stride_h - d.pad_top, 0,
                                        height - 1);
    int64_t last = std::clamp<int64_t>((rowEnd - 1) * d.stride_h - d.pad_top +
                                           (d.kernel_height - 1) * d.dilation_h,
                                       first, height - 1);
    first /= d.upsample;
    last /= d.upsample;
    read = extentOf(operand, d.input, d.batch, d.in_channels, first,
                    last - first + 1, d.in_width, elementBytes);
  }
  return read.begin < written.end && written.begin < read.end;
}

bool picosam::runtime::conv2dOutputOverInput(const picosam_uk_conv2d &d,
                                             const void *input,
                                             const void *output,
                                             int64_t elementBytes,
                                             int64_t rowBegin) {
  bool pointwise = d.groups == 1 && d.kernel_height == 1 &&
                   d.kernel_width == 1 && d.stride_h == 1 && d.stride_w == 1 &&
                   d.pad_top == 0 && d.pad_left == 0 && d.upsample == 1 &&
                   d.out_width == d.in_width &&
                   d.out_channels <= d.in_channels;
  return pointwise &&
         (d.batch == 1 || d.input.batch_stride == d.output.batch_stride) &&
         d.input.channel_stride == d.output.channel_stride &&
         d.input.row_stride == d.output.row_stride &&
         static_cast<const char *>(input) +
                 rowBegin * d.input.row_stride * elementBytes ==
             static_cast<const char *>(output);
}
