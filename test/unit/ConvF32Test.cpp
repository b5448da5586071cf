//===- ConvF32Test.cpp - the fast float convolution and the threads -------===//
//
// Each build of the float convolution's kernels this machine can run
// (AVX-512, AVX2+FMA, baseline), called directly, against the reference
// kernel (picosam/Kernels/Conv.h) on random geometries, views and row
// bands; and the kernel entries on 1 and on 2 threads, bit for bit.
//
//===----------------------------------------------------------------------===//
#include "picosam/Kernels/Conv.h"
#include "picosam/Runtime/ConvF32.h"
#include "picosam/Runtime/CpuFeatures.h"
#include "picosam/Runtime/Threads.h"
#include "picosam/Runtime/Ukernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
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
/// (3x3 or 5x5), 3 dense of any small kernel.
Case makeCase(std::mt19937 &rng, int kind) {
  Case c;
  picosam_uk_conv2d &d = c.d;
  d.batch = pick(rng, {1, 1, 2});
  d.upsample = pick(rng, {1, 1, 2});
  d.in_height = std::uniform_int_distribution<int64_t>(1, 14)(rng);
  d.in_width = std::uniform_int_distribution<int64_t>(1, 40)(rng);
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
                  kernels::WorkspaceBuffer().get(kernels::conv2dWorkspaceBytes<float>(
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

TEST(ConvThreads, PicoSam3LayersAreSplitIdentically) {
  // enc2.pw, down1.conv and dec4.dw (upsampled) of PicoSAM3: the pool is
  // used, and every thread count gives the same bytes.
  struct Layer {
    int64_t inC, inH, outC, outH, k, stride, groups, upsample;
  };
  for (Layer layer : {Layer{48, 48, 96, 48, 1, 1, 1, 1},
                      Layer{48, 96, 48, 48, 3, 2, 1, 1},
                      Layer{80, 48, 80, 96, 3, 1, 80, 2}}) {
    std::mt19937 rng(5);
    Case c;
    picosam_uk_conv2d &d = c.d;
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
