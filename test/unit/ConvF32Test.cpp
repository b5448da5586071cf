//===- ConvF32Test.cpp - the fast float convolution and the threads -------===//
//
// Each build of the float convolution's kernels this machine can run
// (AVX-512, AVX2+FMA, baseline), called directly, against the reference
// kernel (picosam/Kernels/Conv.h) on random geometries, views and row
// bands; and the kernel entries on 1 and on 2 threads, bit for bit.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/ConvF32.h"
#include "picosam/Kernels/ChannelAttention.h"
#include "picosam/Kernels/Conv.h"
#include "picosam/Runtime/ConvInt8.h"
#include "picosam/Runtime/CpuFeatures.h"
#include "picosam/Runtime/ThreadPool.h"
#include "picosam/Runtime/Threads.h"
#include "picosam/Runtime/Ukernels.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <random>
#include <thread>
#include <tuple>
#include <vector>

using namespace picosam;
using namespace picosam::runtime;

namespace {

/// A random convolution with its tensors, the output a band of rows
/// [rowBegin, rowEnd) stored in a padded view.
struct Case {
  picosam_uk_conv2d d{};
  int64_t rowBegin = 0, rowEnd = 0;
  std::vector<float> input, weight, bias, residual, output;
};

float uniform(std::mt19937 &rng, float low, float high) {
  return std::uniform_real_distribution<float>(low, high)(rng);
}

int64_t pick(std::mt19937 &rng, std::initializer_list<int64_t> values) {
  std::uniform_int_distribution<size_t> index(0, values.size() - 1);
  return values.begin()[index(rng)];
}

/// kind: 0 pointwise, 1 dense 3x3 (any stride, dilation), 2 depthwise
/// (3x3 or 5x5), 3 dense of any small kernel, 4 depthwise 3x3 of column
/// stride 1 padded as the networks' (by 1, by 2 when dilated) or not; input
/// rows up to `maxWidth` wide.
Case makeCase(std::mt19937 &rng, int kind, int64_t maxWidth = 40) {
  Case c;
  picosam_uk_conv2d &d = c.d;
  d.batch = pick(rng, {1, 1, 2});
  d.upsample = pick(rng, {1, 1, 2});
  d.in_height = std::uniform_int_distribution<int64_t>(1, 14)(rng);
  d.in_width = std::uniform_int_distribution<int64_t>(1, maxWidth)(rng);
  int64_t channels = std::uniform_int_distribution<int64_t>(1, 40)(rng);
  d.in_channels = channels;
  if (kind == 0) {
    d.kernel_height = d.kernel_width = 1;
    d.stride_h = d.stride_w = 1;
    d.dilation_h = d.dilation_w = 1;
    d.groups = 1;
    d.out_channels = std::uniform_int_distribution<int64_t>(1, 40)(rng);
  } else {
    int64_t k = kind == 2 ? pick(rng, {3, 3, 5})
                          : (kind == 1 ? 3 : pick(rng, {1, 2, 3, 5}));
    d.kernel_height = k;
    d.kernel_width = kind == 3 ? pick(rng, {1, 2, 3}) : k;
    d.stride_h = pick(rng, {1, 2});
    d.stride_w = pick(rng, {1, 2, 3});
    d.dilation_h = pick(rng, {1, 2});
    d.dilation_w = pick(rng, {1, 2});
    d.groups = kind == 2 ? channels : 1;
    d.out_channels =
        kind == 2 ? channels : std::uniform_int_distribution<int64_t>(1, 40)(rng);
    d.pad_top = std::uniform_int_distribution<int64_t>(0, k - 1)(rng);
    d.pad_left = std::uniform_int_distribution<int64_t>(0, k - 1)(rng);
    if (kind == 4) {
      d.kernel_height = d.kernel_width = 3;
      d.stride_w = 1;
      d.groups = d.out_channels = channels;
      d.pad_top = d.pad_left = pick(rng, {1, 1, 1, 0, 2}) * d.dilation_w;
    }
  }
  int64_t height = d.in_height * d.upsample, width = d.in_width * d.upsample;
  // The output the pads allow, at least one pixel (a pad at most the
  // reach keeps every window touching the input or its padding).
  int64_t reachH = (d.kernel_height - 1) * d.dilation_h + 1;
  int64_t reachW = (d.kernel_width - 1) * d.dilation_w + 1;
  d.out_height =
      std::max<int64_t>(1, (height + 2 * d.pad_top - reachH) / d.stride_h + 1);
  d.out_width =
      std::max<int64_t>(1, (width + 2 * d.pad_left - reachW) / d.stride_w + 1);

  c.rowBegin = std::uniform_int_distribution<int64_t>(0, d.out_height - 1)(rng);
  c.rowEnd = std::uniform_int_distribution<int64_t>(c.rowBegin + 1,
                                                    d.out_height)(rng);
  if (rng() % 2) {
    c.rowBegin = 0;
    c.rowEnd = d.out_height;
  }
  // Dense input; the output band's rows padded or not.
  d.input = {d.in_channels * d.in_height * d.in_width,
             d.in_height * d.in_width, d.in_width, 0, 0};
  int64_t rows = c.rowEnd - c.rowBegin;
  int64_t rowStride = d.out_width + pick(rng, {0, 0, 3});
  int64_t channelStride = rows * rowStride + pick(rng, {0, 5});
  d.output = {d.out_channels * channelStride, channelStride, rowStride, 0, 0};
  d.has_bias = rng() % 4 != 0;
  d.has_residual = rng() % 3 == 0;
  d.residual = {d.out_channels * d.out_height * d.out_width,
                d.out_height * d.out_width, d.out_width, 0, 0};
  d.activation_kind = int32_t(rng() % 8);
  d.activation_alpha = d.activation_kind == 2 ? -0.5f : 0.2f;
  d.activation_beta = d.activation_kind == 2 ? 0.75f : 0.5f;

  auto fill = [&](std::vector<float> &values, size_t count) {
    values.resize(count);
    for (float &value : values)
      value = uniform(rng, -1.0f, 1.0f);
  };
  fill(c.input, size_t(d.batch * d.input.batch_stride));
  fill(c.weight, size_t(d.out_channels * (d.in_channels / d.groups) *
                        d.kernel_height * d.kernel_width));
  fill(c.bias, size_t(d.out_channels));
  fill(c.residual, size_t(d.batch * d.residual.batch_stride));
  c.output.assign(size_t(d.batch * d.output.batch_stride), 7.0f);
  return c;
}

kernels::Activation activationOf(const picosam_uk_conv2d &d) {
  return {static_cast<kernels::ActivationKind>(d.activation_kind),
          d.activation_alpha, d.activation_beta};
}

void activateInPlace(const picosam_uk_conv2d *d, float *values,
                     int64_t count) {
  activationOf(*d).applyInPlace(values, count);
}

/// The reference kernel's output band.
std::vector<float> reference(const Case &c) {
  const picosam_uk_conv2d &d = c.d;
  std::vector<float> output = c.output;
  kernels::Conv2DGeometry geometry{
      d.batch,       d.in_channels,  d.in_height,   d.in_width,
      d.out_channels, d.out_height,  d.out_width,   d.kernel_height,
      d.kernel_width, d.groups,      d.stride_h,    d.stride_w,
      d.dilation_h,  d.dilation_w,   d.pad_top,     d.pad_left,
      d.upsample};
  kernels::FloatConvEpilogue epilogue{
      d.has_bias ? c.bias.data() : nullptr,
      d.has_residual
          ? kernels::NCHWView<const float>{c.residual.data(),
                                           d.residual.batch_stride,
                                           d.residual.channel_stride,
                                           d.residual.row_stride, 0}
          : kernels::NCHWView<const float>(),
      activationOf(d)};
  kernels::conv2d(geometry,
                  kernels::NCHWView<const float>{c.input.data(),
                                                 d.input.batch_stride,
                                                 d.input.channel_stride,
                                                 d.input.row_stride, 0},
                  c.weight.data(),
                  kernels::NCHWView<float>{output.data(), d.output.batch_stride,
                                           d.output.channel_stride,
                                           d.output.row_stride, c.rowBegin},
                  c.rowBegin, c.rowEnd, epilogue,
                  kernels::WorkspaceBuffer().get(kernels::conv2dWorkspaceBytes<kernels::FloatConvEpilogue::Acc>(
                      geometry, c.rowEnd - c.rowBegin)));
  return output;
}

std::string describe(const picosam_uk_conv2d &d, int64_t rowBegin,
                     int64_t rowEnd) {
  char text[400];
  std::snprintf(
      text, sizeof(text),
      "batch %lld in %lldx%lldx%lld (upsample %lld) out %lldx%lldx%lld k "
      "%lldx%lld groups %lld stride %lld,%lld dilation %lld,%lld pads "
      "%lld,%lld rows [%lld, %lld) bias %d residual %d activation %d",
      (long long)d.batch, (long long)d.in_channels, (long long)d.in_height,
      (long long)d.in_width, (long long)d.upsample, (long long)d.out_channels,
      (long long)d.out_height, (long long)d.out_width,
      (long long)d.kernel_height, (long long)d.kernel_width,
      (long long)d.groups, (long long)d.stride_h, (long long)d.stride_w,
      (long long)d.dilation_h, (long long)d.dilation_w, (long long)d.pad_top,
      (long long)d.pad_left, (long long)rowBegin, (long long)rowEnd,
      d.has_bias, d.has_residual, d.activation_kind);
  return text;
}

using Kernel = bool (*)(const ConvF32Call &);

/// Runs `kernel` on random cases of each kind against the reference: every
/// value within 1e-5 of the largest magnitude of its sum's terms, and
/// nothing outside the band's values written.
void checkAgainstReference(Kernel kernel, uint32_t seed) {
  std::mt19937 rng(seed);
  for (int trial = 0; trial < 400; ++trial) {
    Case c = makeCase(rng, trial % 4);
    const picosam_uk_conv2d &d = c.d;
    std::vector<float> expected = reference(c);
    ConvF32Call call{&d,
                     c.input.data(),
                     c.weight.data(),
                     c.bias.data(),
                     c.residual.data(),
                     c.output.data(),
                     c.rowBegin,
                     c.rowBegin,
                     c.rowEnd,
                     &activateInPlace,
                     false};
    ASSERT_TRUE(kernel(call)) << describe(d, c.rowBegin, c.rowEnd);
    // Inputs, weights, bias and residual are in [-1, 1]: a sum's terms
    // are at most 1 each.
    double terms = double((d.in_channels / d.groups) * d.kernel_height *
                          d.kernel_width) + 2.0;
    double bound = 1e-6 * terms;
    for (size_t i = 0; i < expected.size(); ++i) {
      double error = std::fabs(double(c.output[i]) - double(expected[i]));
      if (!(error <= bound) && !(std::isnan(expected[i]) && std::isnan(c.output[i])))
        FAIL() << describe(d, c.rowBegin, c.rowEnd) << ": element " << i
               << " is " << c.output[i] << ", the reference's "
               << expected[i] << " (bound " << bound << ")";
    }
  }
}

bool machineHas(ConvF32Isa isa) {
  return selectConvF32Isa(~uint64_t(0)) >= isa;
}

/// A random pointwise convolution whose output rows [rowBegin, rowEnd) lie
/// over its input element for element (the skip convs a tiled block
/// streams into), the input in `c.output`.
Case makeInPlaceCase(std::mt19937 &rng) {
  Case c = makeCase(rng, 0);
  picosam_uk_conv2d &d = c.d;
  d.upsample = 1;
  d.in_height = d.out_height;
  d.in_width = d.out_width;
  d.out_channels =
      std::uniform_int_distribution<int64_t>(1, d.in_channels)(rng);
  int64_t rowStride = d.in_width + pick(rng, {0, 0, 3});
  int64_t channelStride = d.in_height * rowStride + pick(rng, {0, 5});
  d.input = d.output = {d.in_channels * channelStride, channelStride, rowStride,
                        0, 0};
  d.residual = {d.out_channels * d.out_height * d.out_width,
                d.out_height * d.out_width, d.out_width, 0, 0};
  auto fill = [&](std::vector<float> &values, int64_t count) {
    values.resize(size_t(count));
    for (float &value : values)
      value = uniform(rng, -1.0f, 1.0f);
  };
  fill(c.input, d.batch * d.input.batch_stride);
  fill(c.weight, d.out_channels * d.in_channels);
  fill(c.bias, d.out_channels);
  fill(c.residual, d.batch * d.residual.batch_stride);
  c.output = c.input;
  return c;
}

/// The reference kernel's output rows of an in-place case (computed from a
/// copy of the input), where the case's output view has them.
std::vector<float> inPlaceReference(const Case &c) {
  std::vector<float> expected = c.output;
  // The reference writes rows [rowBegin, rowEnd) of a view whose first row
  // is rowBegin: the case's view shifted to that row.
  Case shifted = c;
  shifted.output.assign(c.output.begin() + c.rowBegin * c.d.output.row_stride,
                        c.output.end());
  std::vector<float> band = reference(shifted);
  std::copy(band.begin(), band.end(),
            expected.begin() + c.rowBegin * c.d.output.row_stride);
  return expected;
}

/// Runs `kernel` in place on random pointwise cases against the reference.
void checkInPlaceAgainstReference(Kernel kernel, uint32_t seed) {
  std::mt19937 rng(seed);
  for (int trial = 0; trial < 200; ++trial) {
    Case c = makeInPlaceCase(rng);
    const picosam_uk_conv2d &d = c.d;
    std::vector<float> expected = inPlaceReference(c);
    float *first = c.output.data() + c.rowBegin * d.output.row_stride;
    ConvF32Call call{&d,
                     c.output.data(),
                     c.weight.data(),
                     c.bias.data(),
                     c.residual.data(),
                     first,
                     c.rowBegin,
                     c.rowBegin,
                     c.rowEnd,
                     &activateInPlace,
                     false,
                     true};
    ASSERT_TRUE(conv2dOutputOverInput(d, c.output.data(), first, sizeof(float),
                                      c.rowBegin));
    ASSERT_TRUE(kernel(call)) << describe(d, c.rowBegin, c.rowEnd);
    double bound = 1e-6 * double(d.in_channels + 2);
    for (size_t i = 0; i < expected.size(); ++i) {
      double error = std::fabs(double(c.output[i]) - double(expected[i]));
      if (!(error <= bound) &&
          !(std::isnan(expected[i]) && std::isnan(c.output[i])))
        FAIL() << "in place: " << describe(d, c.rowBegin, c.rowEnd)
               << ": element " << i << " is " << c.output[i]
               << ", the reference's " << expected[i] << " (bound " << bound
               << ")";
    }
  }
}

TEST(ConvF32, BaselineMatchesReference) {
  checkAgainstReference(&conv2dF32Baseline, 1);
}

TEST(ConvF32, Avx2MatchesReference) {
  if (!machineHas(ConvF32Isa::Avx2))
    GTEST_SKIP() << "this machine has no AVX2 and FMA";
  checkAgainstReference(&conv2dF32Avx2, 2);
}

TEST(ConvF32, Avx512MatchesReference) {
  if (!machineHas(ConvF32Isa::Avx512))
    GTEST_SKIP() << "this machine has no AVX-512";
  checkAgainstReference(&conv2dF32Avx512, 3);
}

// The AVX-512 depthwise kernel reads the input rows where they lie (3-wide
// kernels' shifted vectors formed in registers), the AVX2 one copies them
// into bands: each output the same terms in the same order, so the same
// bits. Rows up to 300 wide take several passes of the AVX-512 kernel.
TEST(ConvF32, Avx512DepthwiseEqualsTheBandPathBitForBit) {
  if (!machineHas(ConvF32Isa::Avx512) || !machineHas(ConvF32Isa::Avx2))
    GTEST_SKIP() << "this machine has no AVX-512";
  std::mt19937 rng(10);
  for (int trial = 0; trial < 400; ++trial) {
    Case c = makeCase(rng, trial % 3 ? 4 : 2, 300);
    const picosam_uk_conv2d &d = c.d;
    std::vector<float> outputs[2];
    Kernel kernels[2] = {&conv2dF32Avx512, &conv2dF32Avx2};
    for (int k = 0; k < 2; ++k) {
      outputs[k] = c.output;
      ConvF32Call call{&d,          c.input.data(),    c.weight.data(),
                       c.bias.data(), c.residual.data(), outputs[k].data(),
                       c.rowBegin,  c.rowBegin,        c.rowEnd,
                       &activateInPlace, false};
      ASSERT_TRUE(kernels[k](call)) << describe(d, c.rowBegin, c.rowEnd);
    }
    ASSERT_EQ(0, memcmp(outputs[0].data(), outputs[1].data(),
                        outputs[0].size() * sizeof(float)))
        << describe(d, c.rowBegin, c.rowEnd);
  }
}

TEST(ConvF32, InPlacePointwiseMatchesReference) {
  checkInPlaceAgainstReference(&conv2dF32Baseline, 7);
  if (machineHas(ConvF32Isa::Avx2))
    checkInPlaceAgainstReference(&conv2dF32Avx2, 8);
  if (machineHas(ConvF32Isa::Avx512))
    checkInPlaceAgainstReference(&conv2dF32Avx512, 9);
}

TEST(ConvF32, TargetCpuCapsTheInstructionSet) {
  EXPECT_EQ(selectConvF32Isa(0), ConvF32Isa::Baseline);
  uint64_t avx2 = PICOSAM_CPU_FEATURE(AVX) | PICOSAM_CPU_FEATURE(AVX2) |
                  PICOSAM_CPU_FEATURE(FMA);
  EXPECT_LE(selectConvF32Isa(avx2), ConvF32Isa::Avx2);
  EXPECT_LE(selectConvF32Isa(avx2 | PICOSAM_CPU_FEATURE(AVX512F)),
            selectConvF32Isa(~uint64_t(0)));
}

//===----------------------------------------------------------------------===//
// The entries on threads
//===----------------------------------------------------------------------===//

/// Runs `entry` on 1, then 2 threads; the outputs must be identical.
template <typename Entry> void expectSameOnTwoThreads(const Entry &entry) {
  ASSERT_EQ(picosam_cpu_set_threads(1), 0);
  std::vector<uint8_t> one = entry();
  ASSERT_EQ(picosam_cpu_set_threads(2), 0);
  EXPECT_EQ(picosam_cpu_threads(), 2);
  std::vector<uint8_t> two = entry();
  ASSERT_EQ(picosam_cpu_set_threads(1), 0);
  EXPECT_EQ(picosam_cpu_threads(), 1);
  EXPECT_EQ(one, two);
}

/// The workspace an entry call of `rows` rows of `d` needs, kept for the
/// test's run (one buffer per thread of the test).
void *entryWorkspace(const picosam_uk_conv2d &d, int64_t rows) {
  thread_local kernels::WorkspaceBuffer buffer;
  return buffer.get(picosam_uk_conv2d_workspace_bytes(&d, rows, 1)).data;
}

template <typename T> std::vector<uint8_t> bytesOf(const std::vector<T> &values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

TEST(ConvThreads, FloatEntryIsIdenticalOnTwoThreads) {
  std::mt19937 rng(4);
  for (int trial = 0; trial < 60; ++trial) {
    Case c = makeCase(rng, trial % 4);
    // Large enough to be split.
    c.d.cpu_features = ~uint64_t(0);
    expectSameOnTwoThreads([&] {
      std::vector<float> output = c.output;
      picosam_uk_conv2d_f32(&c.d, c.input.data(), c.weight.data(),
                            c.bias.data(), c.residual.data(), output.data(),
                            c.rowBegin, c.rowEnd,
                            entryWorkspace(c.d, c.rowEnd - c.rowBegin));
      return bytesOf(output);
    });
  }
}

/// A square PicoSAM3-like layer.
struct Layer {
  int64_t inC, inH, outC, outH, k, stride, groups, upsample;
};

/// The descriptor of `layer` (padded to keep its size, dense input, dense
/// output and residual, bias, residual, relu).
picosam_uk_conv2d descriptorOf(const Layer &layer) {
  picosam_uk_conv2d d{};
  d.batch = 1;
  d.in_channels = layer.inC;
  d.in_height = d.in_width = layer.inH;
  d.out_channels = layer.outC;
  d.out_height = d.out_width = layer.outH;
  d.kernel_height = d.kernel_width = layer.k;
  d.groups = layer.groups;
  d.stride_h = d.stride_w = layer.stride;
  d.dilation_h = d.dilation_w = 1;
  d.pad_top = d.pad_left = layer.k / 2;
  d.upsample = layer.upsample;
  d.input = {layer.inC * layer.inH * layer.inH, layer.inH * layer.inH,
             layer.inH, 0, 0};
  d.output = d.residual = {layer.outC * layer.outH * layer.outH,
                           layer.outH * layer.outH, layer.outH, 0, 0};
  d.has_bias = 1;
  d.has_residual = 1;
  d.activation_kind = 1;
  d.cpu_features = ~uint64_t(0);
  return d;
}

TEST(ConvThreads, PicoSam3LayersAreSplitIdentically) {
  // enc2.pw, down1.conv and dec4.dw (upsampled) of PicoSAM3: the pool is
  // used, and every thread count gives the same bytes.
  for (Layer layer : {Layer{48, 48, 96, 48, 1, 1, 1, 1},
                      Layer{48, 96, 48, 48, 3, 2, 1, 1},
                      Layer{80, 48, 80, 96, 3, 1, 80, 2}}) {
    std::mt19937 rng(5);
    Case c;
    picosam_uk_conv2d &d = c.d;
    d = descriptorOf(layer);
    auto fill = [&](std::vector<float> &values, int64_t count) {
      values.resize(size_t(count));
      for (float &value : values)
        value = uniform(rng, -1.0f, 1.0f);
    };
    fill(c.input, d.input.batch_stride);
    fill(c.weight, layer.outC * (layer.inC / layer.groups) * layer.k * layer.k);
    fill(c.bias, layer.outC);
    fill(c.residual, d.residual.batch_stride);
    expectSameOnTwoThreads([&] {
      // In place over the residual, as plans put a residual add.
      std::vector<float> output = c.residual;
      picosam_uk_conv2d_f32(&d, c.input.data(), c.weight.data(),
                            c.bias.data(), output.data(), output.data(), 0,
                            layer.outH, entryWorkspace(d, layer.outH));
      return bytesOf(output);
    });
  }
}

TEST(ConvThreads, IntegerEntryIsIdenticalOnTwoThreads) {
  std::mt19937 rng(6);
  for (int trial = 0; trial < 30; ++trial) {
    Case c = makeCase(rng, trial % 4);
    picosam_uk_conv2d &d = c.d;
    d.input.is_signed = 1;
    d.input.zero_point = 3;
    d.output.is_signed = 0;
    d.output.zero_point = 128;
    d.residual.is_signed = 1;
    d.residual.zero_point = -2;
    d.clamp_min = 0;
    d.clamp_max = 255;
    // The descriptor followed by its multipliers, as the compiler lays
    // them out.
    struct Descriptor {
      picosam_uk_conv2d d;
      picosam_uk_multiplier multipliers[2][64];
    } descriptor{};
    d.multipliers_offset = offsetof(Descriptor, multipliers);
    d.residual_multipliers_offset =
        offsetof(Descriptor, multipliers) + sizeof(descriptor.multipliers[0]);
    descriptor.d = d;
    for (auto &row : descriptor.multipliers)
      for (picosam_uk_multiplier &m : row)
        m = {int32_t(1u << 30) + int32_t(rng() % 1000), -int32_t(rng() % 8)};
    auto bytes = [&](size_t count) {
      std::vector<int8_t> values(count);
      for (int8_t &value : values)
        value = int8_t(rng());
      return values;
    };
    std::vector<int8_t> input = bytes(c.input.size()),
                        weight = bytes(c.weight.size()),
                        residual = bytes(c.residual.size());
    std::vector<int32_t> bias(c.bias.size());
    for (int32_t &value : bias)
      value = int32_t(rng() % 20001) - 10000;
    expectSameOnTwoThreads([&] {
      std::vector<uint8_t> output(c.output.size(), 7);
      picosam_uk_conv2d_q8(&descriptor.d, input.data(), weight.data(),
                           bias.data(), residual.data(), output.data(),
                           c.rowBegin, c.rowEnd,
                           entryWorkspace(descriptor.d, c.rowEnd - c.rowBegin));
      return output;
    });
  }
}

/// Makes a layer's descriptor (`descriptor.d`, its layouts set) signed
/// 8-bit, with random multipliers, as the compiler lays them out, in
/// `descriptor.multipliers`: the output's, then the residual's.
template <typename Descriptor>
void makeSigned8Bit(Descriptor &descriptor, std::mt19937 &rng) {
  picosam_uk_conv2d &d = descriptor.d;
  d.clamp_min = -128;
  d.clamp_max = 127;
  d.input.is_signed = d.output.is_signed = d.residual.is_signed = 1;
  d.multipliers_offset = offsetof(Descriptor, multipliers);
  d.residual_multipliers_offset =
      offsetof(Descriptor, multipliers) + sizeof(descriptor.multipliers[0]);
  for (auto &row : descriptor.multipliers)
    for (picosam_uk_multiplier &m : row)
      m = {int32_t(1u << 30) + int32_t(rng() % 1000), -int32_t(8 + rng() % 4)};
}

TEST(ConvThreads, TiledRowsAreSplitIdentically) {
  // Calls of one output row, as a tiled block makes them (too few rows to
  // split): a pointwise conv (shares of its output channels), an upsampled
  // depthwise one (of its channels) and a pointwise one in place (of its
  // columns), float and integer, identical on 1 and 2 threads.
  struct TiledLayer {
    Layer layer;
    bool inPlace;
  };
  for (auto [layer, inPlace] :
       {TiledLayer{{64, 96, 72, 96, 1, 1, 1, 1}, false},
        TiledLayer{{80, 48, 80, 96, 3, 1, 80, 2}, false},
        TiledLayer{{64, 96, 48, 96, 1, 1, 1, 1}, true}}) {
    SCOPED_TRACE(testing::Message()
                 << "layer " << layer.inC << " -> " << layer.outC << " k "
                 << layer.k << " groups " << layer.groups
                 << (inPlace ? " in place" : ""));
    std::mt19937 rng(10);
    struct Descriptor {
      picosam_uk_conv2d d;
      picosam_uk_multiplier multipliers[2][128];
      int32_t offsets[128];
    } descriptor{};
    picosam_uk_conv2d &d = descriptor.d;
    d = descriptorOf(layer);
    // The result row by row into a one-row buffer, or over the input.
    d.output = inPlace ? d.input
                       : picosam_uk_layout{layer.outC * layer.outH, layer.outH,
                                           layer.outH, 0, 0};
    makeSigned8Bit(descriptor, rng);
    size_t weights =
        size_t(layer.outC * (layer.inC / layer.groups) * layer.k * layer.k);
    std::vector<float> input(size_t(d.input.batch_stride)), weight(weights),
        bias(size_t(layer.outC)), residual(size_t(d.residual.batch_stride));
    for (std::vector<float> *values : {&input, &weight, &bias, &residual})
      for (float &value : *values)
        value = uniform(rng, -1.0f, 1.0f);
    std::vector<int8_t> input8(input.size()), weight8(weight.size()),
        residual8(residual.size());
    for (int8_t &value : input8)
      value = int8_t(rng());
    for (int8_t &value : weight8)
      value = int8_t(rng());
    for (int8_t &value : residual8)
      value = int8_t(rng());
    std::vector<int32_t> bias8(bias.size());
    for (int32_t &value : bias8)
      value = int32_t(rng() % 2001) - 1000;
    // The integer descriptor's zero-point offsets, as the compiler writes
    // them: each share must carry its own channels'.
    ASSERT_TRUE(runtime::conv2dZeroPointOffsets(d, weight8.data(),
                                                bias8.data(),
                                                descriptor.offsets));
    d.offsets_offset = offsetof(Descriptor, offsets);
    // Every row, each output row kept, then the input (written over in
    // place).
    auto rowByRow = [&](const auto &values, const auto &callRow) {
      auto in = values;
      decltype(in) row(size_t(d.output.batch_stride)), rows;
      for (int64_t r = 0; r < layer.outH; ++r) {
        auto *out = inPlace ? in.data() + r * d.output.row_stride : row.data();
        callRow(in.data(), out, r);
        rows.insert(rows.end(), row.begin(), row.end());
      }
      rows.insert(rows.end(), in.begin(), in.end());
      return bytesOf(rows);
    };
    {
      SCOPED_TRACE("float");
      expectSameOnTwoThreads([&] {
        return rowByRow(input, [&](float *in, float *out, int64_t r) {
          picosam_uk_conv2d_f32(&d, in, weight.data(), bias.data(),
                                residual.data(), out, r, r + 1,
                                entryWorkspace(d, 1));
        });
      });
    }
    {
      SCOPED_TRACE("integer");
      expectSameOnTwoThreads([&] {
        return rowByRow(input8, [&](int8_t *in, int8_t *out, int64_t r) {
          picosam_uk_conv2d_q8(&descriptor.d, in, weight8.data(), bias8.data(),
                               residual8.data(), out, r, r + 1,
                               entryWorkspace(d, 1));
        });
      });
    }
  }
}

TEST(ConvThreads, IntegerCallOfFewRowsIsSplitInBands) {
  // down4.conv of PicoSAM3 (6 output rows of 6, 256 channels): an integer
  // call of too few rows for two bands per thread is split in one band of
  // rows per thread, which gives the same bytes as one thread.
  Layer layer{128, 12, 256, 6, 3, 2, 1, 1};
  std::mt19937 rng(12);
  struct Descriptor {
    picosam_uk_conv2d d;
    picosam_uk_multiplier multipliers[2][256];
  } descriptor{};
  picosam_uk_conv2d &d = descriptor.d;
  d = descriptorOf(layer);
  makeSigned8Bit(descriptor, rng);
  auto bytes = [&](int64_t count) {
    std::vector<int8_t> values(static_cast<size_t>(count));
    for (int8_t &value : values)
      value = int8_t(rng());
    return values;
  };
  std::vector<int8_t> input = bytes(d.input.batch_stride),
                      weight = bytes(layer.outC * layer.inC * 9),
                      residual = bytes(d.residual.batch_stride);
  std::vector<int32_t> bias(static_cast<size_t>(layer.outC));
  for (int32_t &value : bias)
    value = int32_t(rng() % 2001) - 1000;
  expectSameOnTwoThreads([&] {
    std::vector<int8_t> output(residual.size());
    picosam_uk_conv2d_q8(&d, input.data(), weight.data(), bias.data(),
                         residual.data(), output.data(), 0, layer.outH,
                         entryWorkspace(d, layer.outH));
    return bytesOf(output);
  });
}

TEST(ConvThreads, FloatChannelAttentionIsTheReferenceOnAnyThreads) {
  // PicoSAM3's attention (40 planes of 96 x 96) and odd small ones: the
  // entry's means, split between threads four planes at a time, are the
  // reference kernel's to the bit.
  for (auto [batch, channels, planeSize] :
       {std::tuple<int64_t, int64_t, int64_t>{1, 40, 9216},
        {2, 7, 33},
        {1, 3, 5}}) {
    std::mt19937 rng(11);
    picosam_uk_channel_attention d{};
    d.batch = batch;
    d.channels = channels;
    d.plane_size = planeSize;
    d.has_bias = 1;
    std::vector<float> input(static_cast<size_t>(batch * channels * planeSize)),
        weight(static_cast<size_t>(channels * channels)),
        bias(static_cast<size_t>(channels));
    for (std::vector<float> *values : {&input, &weight, &bias})
      for (float &value : *values)
        value = uniform(rng, -1.0f, 1.0f);
    std::vector<float> expected(input.size());
    kernels::WorkspaceBuffer workspace;
    kernels::channelAttention(
        input.data(), batch, channels, planeSize, weight.data(),
        expected.data(), kernels::FloatAverage{},
        kernels::BasicFloatConvEpilogue<float>{  // the compiled entry sums in f32
            bias.data(), {}, {kernels::ActivationKind::Sigmoid}},
        [](float x, float gate) { return x * gate; },
        workspace.get(
            kernels::channelAttentionWorkspaceBytes<float>(batch, channels)));
    for (int threads : {1, 2}) {
      ASSERT_EQ(picosam_cpu_set_threads(threads), 0);
      std::vector<float> output(input.size());
      picosam_uk_channel_attention_f32(
          &d, input.data(), weight.data(), bias.data(), output.data(),
          workspace.get(picosam_uk_channel_attention_workspace_bytes(&d)).data);
      EXPECT_EQ(bytesOf(output), bytesOf(expected))
          << channels << " planes of " << planeSize << ", " << threads
          << " threads";
    }
    ASSERT_EQ(picosam_cpu_set_threads(1), 0);
  }
}

/// For one of two tasks that wait for each other to start (they then run
/// at once, on two threads): counts it in `started` and waits (at most
/// 10 s) for the other; whether it came.
bool startsWithTheOther(std::atomic<int> &started) {
  started += 1;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (started.load() < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  return started.load() == 2;
}

TEST(ConvThreads, PoolRunsEveryTaskOnce) {
  // Many small loops back to back, as a tiled block posts them: workers
  // late for one loop must not run a task of the next, nor miss one.
  for (int threads : {2, 3}) {
    ASSERT_EQ(picosam_cpu_set_threads(threads), 0);
    // Two tasks that each wait for the other to start: they run at once,
    // on the caller and a worker.
    std::atomic<int> started{0}, metTheOther{0};
    runtime::parallelFor(2, [&](int64_t) {
      metTheOther += startsWithTheOther(started);
    });
    EXPECT_EQ(metTheOther.load(), 2);
    std::atomic<int> runs[8];
    for (int loop = 0; loop < 20000; ++loop) {
      int64_t tasks = 1 + loop % 8;
      for (std::atomic<int> &count : runs)
        count.store(0);
      runtime::parallelFor(tasks, [&](int64_t index) {
        // Long enough for the workers to take some.
        for (volatile int spin = 0; spin < 200; spin = spin + 1)
          ;
        runs[index] += 1;
      });
      for (int64_t index = 0; index < 8; ++index)
        ASSERT_EQ(runs[index].load(), index < tasks ? 1 : 0)
            << "loop " << loop << " task " << index;
    }
  }
  ASSERT_EQ(picosam_cpu_set_threads(1), 0);
}

TEST(ConvThreads, BandsCoverEveryRowOnce) {
  // picosam_cpu_run_bands as a compiled tiled block calls it: band i
  // computes rows [rows * i / bands, rows * (i + 1) / bands) (the split
  // --pico-materialize-arena emits), its kernel calls' loops on its own
  // thread.
  for (int threads : {1, 2, 3}) {
    ASSERT_EQ(picosam_cpu_set_threads(threads), 0);
    for (int64_t bands : {1, 2, 3, 4}) {
      for (int64_t rows : {1, 5, 48, 96}) {
        struct Context {
          int64_t rows, bands;
          std::atomic<int> rowRuns[96], bandRuns[4], nestedElsewhere, counted;
        } context{rows, bands, {}, {}, {0}, {0}};
        picosam_cpu_run_bands(
            bands,
            [](void *opaque, int64_t band) {
              auto &c = *static_cast<Context *>(opaque);
              c.bandRuns[band] += 1;
              for (int64_t row = c.rows * band / c.bands;
                   row < c.rows * (band + 1) / c.bands; ++row)
                c.rowRuns[row] += 1;
              // A kernel call's loop inside a band: on this thread alone.
              std::thread::id self = std::this_thread::get_id();
              runtime::parallelFor(8, [&](int64_t) {
                c.nestedElsewhere += std::this_thread::get_id() != self;
              });
              c.counted += runtime::threadCount();
            },
            &context);
        for (int64_t band = 0; band < 4; ++band)
          ASSERT_EQ(context.bandRuns[band].load(), band < bands ? 1 : 0)
              << threads << " threads, " << bands << " bands, band " << band;
        for (int64_t row = 0; row < 96; ++row)
          ASSERT_EQ(context.rowRuns[row].load(), row < rows ? 1 : 0)
              << threads << " threads, " << bands << " bands of " << rows
              << " rows, row " << row;
        EXPECT_EQ(context.nestedElsewhere.load(), 0);
        EXPECT_EQ(context.counted.load(), bands);
      }
    }
    // Outside a band the pool is used again.
    EXPECT_EQ(runtime::threadCount(), threads);
  }
  // Two bands that wait for each other run at once, on two threads.
  ASSERT_EQ(picosam_cpu_set_threads(2), 0);
  std::atomic<int> started{0}, metTheOther{0};
  struct Together {
    std::atomic<int> &started, &metTheOther;
  } together{started, metTheOther};
  picosam_cpu_run_bands(
      2,
      [](void *opaque, int64_t) {
        auto &t = *static_cast<Together *>(opaque);
        t.metTheOther += startsWithTheOther(t.started);
      },
      &together);
  EXPECT_EQ(metTheOther.load(), 2);
  ASSERT_EQ(picosam_cpu_set_threads(1), 0);
}

TEST(ConvThreads, PoolGoesAloneAfterWaitingForAWorker) {
  // A worker that holds its task for 20 ms (as one descheduled would): the
  // next loops run on the caller alone, and set_threads restores the pool.
  std::thread::id caller = std::this_thread::get_id();
  // Two tasks that wait for each other to start (they run at once, on the
  // caller and the worker), the worker's then holding it `hold`.
  auto together = [&](std::chrono::microseconds hold) {
    std::atomic<int> started{0};
    runtime::parallelFor(2, [&](int64_t) {
      startsWithTheOther(started);
      if (std::this_thread::get_id() != caller)
        std::this_thread::sleep_for(hold);
    });
    return started.load() == 2;
  };
  // A few attempts: on a busy machine the caller itself may be descheduled
  // for the worker's hold (then it does not wait) or its time alone.
  bool ranAlone = false;
  for (int attempt = 0; attempt < 5 && !ranAlone; ++attempt) {
    ASSERT_EQ(picosam_cpu_set_threads(2), 0);
    ASSERT_TRUE(together(std::chrono::milliseconds(20)));
    std::atomic<int> onOtherThreads{0};
    runtime::parallelFor(8, [&](int64_t) {
      onOtherThreads += std::this_thread::get_id() != caller;
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    });
    ranAlone = onOtherThreads.load() == 0;
  }
  EXPECT_TRUE(ranAlone);
  ASSERT_EQ(picosam_cpu_set_threads(2), 0);
  EXPECT_TRUE(together(std::chrono::microseconds(0)));
  ASSERT_EQ(picosam_cpu_set_threads(1), 0);
}

TEST(ConvThreads, ThreadCountIsChecked) {
  EXPECT_EQ(picosam_cpu_set_threads(0), -1);
  EXPECT_EQ(picosam_cpu_set_threads(PICOSAM_CPU_MAX_THREADS + 1), -1);
  EXPECT_EQ(picosam_cpu_threads(), 1);
  EXPECT_EQ(picosam_cpu_set_threads(3), 0);
  EXPECT_EQ(picosam_cpu_threads(), 3);
  EXPECT_EQ(picosam_cpu_set_threads(1), 0);
  EXPECT_EQ(picosam_cpu_threads(), 1);
}

} // namespace
