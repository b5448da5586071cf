//===- ConvInt8Test.cpp - the fast integer convolutions are exact ---------===//
//
// Each variant of the integer convolution's fast paths (ConvInt8.h) that
// this machine runs, against the reference: kernels::conv2d with
// QuantizedConvEpilogue, on random geometries, storage types, zero points,
// multipliers, strided views and row bands; and its requantization
// against fixedpoint's scalar functions over random and extreme values.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/ConvInt8.h"

#include "picosam/Kernels/Conv.h"
#include "picosam/Kernels/FixedPoint.h"
#include "picosam/Runtime/ConvInt8Kernels.h"
#include "picosam/Runtime/CpuFeatures.h"

#include "Int8ConvVariants.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace picosam;
using namespace picosam::runtime;

namespace {

/// An 8-bit tensor's storage: signedness and zero point.
struct Storage {
  bool isSigned;
  int32_t zeroPoint;
  int32_t min() const { return isSigned ? -128 : 0; }
  int32_t max() const { return min() + 255; }
};

Storage randomStorage(std::mt19937 &rng) {
  Storage s{std::uniform_int_distribution<int>(0, 1)(rng) == 1, 0};
  s.zeroPoint = std::uniform_int_distribution<int32_t>(s.min(), s.max())(rng);
  return s;
}

fixedpoint::QuantizedMultiplier
randomMultiplier(std::mt19937 &rng, double lowLog2, double highLog2) {
  return fixedpoint::quantizeMultiplier(std::exp2(
      std::uniform_real_distribution<double>(lowLog2, highLog2)(rng)));
}

/// One random integer convolution: geometry, operands and constants, with
/// strided views (rows padded) and the output rows [rowBegin, rowEnd).
struct Case {
  kernels::Conv2DGeometry g;
  Storage input, residual, output;
  bool hasBias = false, hasResidual = false;
  int32_t clampMin = 0, clampMax = 0;
  int64_t rowBegin = 0, rowEnd = 0;
  int64_t inRowStride = 0, outRowStride = 0;
  std::vector<uint8_t> in, res;
  std::vector<int8_t> weight;
  std::vector<int32_t> bias;
  std::vector<fixedpoint::QuantizedMultiplier> multipliers, residualMultipliers;
  /// Whether the descriptor carries the zero-point offsets, as the
  /// compiler writes them (else the kernels compute them).
  bool compiledOffsets = false;

  int64_t inPlane() const { return g.inHeight * inRowStride; }
  int64_t outPlane() const { return g.outHeight * outRowStride; }
  int64_t outSize() const { return g.batch * g.outChannels * outPlane(); }
  /// The output buffer holds rows [rowBegin, rowEnd) of each plane.
  int64_t bandPlane() const { return (rowEnd - rowBegin) * outRowStride; }

  picosam_uk_layout layout(const Storage &s, int64_t channels, int64_t plane,
                           int64_t rowStride) const {
    return {channels * plane, plane, rowStride, s.isSigned, s.zeroPoint};
  }

  /// The descriptor with its multiplier arrays (and the offsets when
  /// compiledOffsets), as the compiler writes it.
  std::vector<uint64_t> descriptor() const {
    picosam_uk_conv2d d{};
    d.batch = g.batch;
    d.in_channels = g.inChannels;
    d.in_height = g.inHeight;
    d.in_width = g.inWidth;
    d.out_channels = g.outChannels;
    d.out_height = g.outHeight;
    d.out_width = g.outWidth;
    d.kernel_height = g.kernelHeight;
    d.kernel_width = g.kernelWidth;
    d.groups = g.groups;
    d.stride_h = g.strideH;
    d.stride_w = g.strideW;
    d.dilation_h = g.dilationH;
    d.dilation_w = g.dilationW;
    d.pad_top = g.padTop;
    d.pad_left = g.padLeft;
    d.upsample = g.upsample;
    d.input = layout(input, g.inChannels, inPlane(), inRowStride);
    d.residual = layout(residual, g.outChannels, outPlane(), outRowStride);
    d.output = layout(output, g.outChannels, bandPlane(), outRowStride);
    d.has_bias = hasBias;
    d.has_residual = hasResidual;
    d.clamp_min = clampMin;
    d.clamp_max = clampMax;
    int64_t headerWords = (sizeof(d) + 7) / 8;
    d.multipliers_offset = headerWords * 8;
    d.residual_multipliers_offset = d.multipliers_offset + 8 * g.outChannels;
    std::vector<uint64_t> words(headerWords + 2 * g.outChannels +
                                (g.outChannels + 1) / 2);
    std::vector<int32_t> offsets(g.outChannels);
    if (compiledOffsets &&
        conv2dZeroPointOffsets(d, weight.data(),
                               hasBias ? bias.data() : nullptr,
                               offsets.data())) {
      d.offsets_offset = d.residual_multipliers_offset + 8 * g.outChannels;
      std::memcpy(reinterpret_cast<char *>(words.data()) + d.offsets_offset,
                  offsets.data(), 4 * g.outChannels);
    }
    std::memcpy(words.data(), &d, sizeof(d));
    auto *m = reinterpret_cast<picosam_uk_multiplier *>(
        reinterpret_cast<char *>(words.data()) + d.multipliers_offset);
    for (int64_t oc = 0; oc < g.outChannels; ++oc) {
      m[oc] = {multipliers[oc].multiplier, multipliers[oc].shift};
      m[g.outChannels + oc] = {residualMultipliers[oc].multiplier,
                               residualMultipliers[oc].shift};
    }
    return words;
  }

  template <typename In, typename Res, typename Out>
  void runReferenceTyped(std::vector<uint8_t> &out) const {
    kernels::ConvRequantization params;
    params.input = {1.0, input.zeroPoint, input.min(), input.max()};
    params.output = {1.0, output.zeroPoint, output.min(), output.max()};
    params.multipliers = multipliers;
    if (hasResidual) {
      params.residual = kernels::TensorQuantization{
          1.0, residual.zeroPoint, residual.min(), residual.max()};
      params.residualMultipliers = residualMultipliers;
    }
    params.clamp = {clampMin, clampMax};
    kernels::QuantizedConvEpilogue<In, int32_t, Res> epilogue{
        params.view(), hasBias ? bias.data() : nullptr,
        hasResidual
            ? kernels::NCHWView<const Res>{reinterpret_cast<const Res *>(
                                               res.data()),
                                           g.outChannels * outPlane(),
                                           outPlane(), outRowStride, 0}
            : kernels::NCHWView<const Res>()};
    kernels::WorkspaceBuffer workspace;
    kernels::conv2d(g,
                    kernels::NCHWView<const In>{
                        reinterpret_cast<const In *>(in.data()),
                        g.inChannels * inPlane(), inPlane(), inRowStride, 0},
                    weight.data(),
                    kernels::NCHWView<Out>{reinterpret_cast<Out *>(out.data()),
                                           g.outChannels * bandPlane(),
                                           bandPlane(), outRowStride, rowBegin},
                    rowBegin, rowEnd, epilogue,
                    workspace.get(kernels::conv2dWorkspaceBytes<int32_t>(
                        g, rowEnd - rowBegin)));
  }

  template <typename In, typename Res>
  void runReferenceOut(std::vector<uint8_t> &out) const {
    if (output.isSigned)
      runReferenceTyped<In, Res, int8_t>(out);
    else
      runReferenceTyped<In, Res, uint8_t>(out);
  }
  template <typename In> void runReferenceRes(std::vector<uint8_t> &out) const {
    if (residual.isSigned)
      runReferenceOut<In, int8_t>(out);
    else
      runReferenceOut<In, uint8_t>(out);
  }
  std::vector<uint8_t> runReference(uint8_t fill) const {
    std::vector<uint8_t> out(g.batch * g.outChannels * bandPlane(), fill);
    if (input.isSigned)
      runReferenceRes<int8_t>(out);
    else
      runReferenceRes<uint8_t>(out);
    return out;
  }

  /// The fast path's result; `covered` says whether it ran.
  std::vector<uint8_t> run(Int8ConvVariant variant, uint8_t fill,
                           bool &covered) const {
    std::vector<uint8_t> out(g.batch * g.outChannels * bandPlane(), fill);
    std::vector<uint64_t> d = descriptor();
    covered = conv2dInt8(
        variant, *reinterpret_cast<const picosam_uk_conv2d *>(d.data()),
        in.data(), weight.data(), hasBias ? bias.data() : nullptr,
        hasResidual ? res.data() : nullptr, out.data(), rowBegin, rowEnd);
    return out;
  }
};

enum class Shape { Dense, Pointwise, Depthwise, DepthwiseAnyKernel, Grouped };

Case randomCase(std::mt19937 &rng, Shape shape) {
  auto uniform = [&](int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(rng);
  };
  Case c;
  kernels::Conv2DGeometry &g = c.g;
  g.batch = uniform(1, 2);
  g.inChannels = uniform(1, 40);
  g.outChannels = uniform(1, 40);
  g.kernelHeight = g.kernelWidth = uniform(1, 3);
  if (uniform(0, 3) == 0)
    g.kernelWidth = uniform(1, 3);
  g.groups = 1;
  g.strideH = uniform(1, 2);
  g.strideW = uniform(1, 2);
  g.dilationH = uniform(1, 2);
  g.dilationW = uniform(1, 2);
  g.upsample = uniform(0, 3) == 0 ? 2 : 1;
  g.inHeight = uniform(1, 12);
  g.inWidth = uniform(1, 40);
  int64_t padBottom = uniform(0, 2), padRight = uniform(0, 2);
  g.padTop = uniform(0, 2);
  g.padLeft = uniform(0, 2);
  switch (shape) {
  case Shape::Pointwise:
    g.kernelHeight = g.kernelWidth = g.strideH = g.strideW = g.upsample = 1;
    g.padTop = g.padLeft = padBottom = padRight = 0;
    g.inChannels = uniform(1, 80);
    g.outChannels = uniform(1, 80);
    g.inWidth = uniform(1, 100);
    break;
  case Shape::Depthwise:
    g.kernelHeight = g.kernelWidth = 3;
    g.groups = g.outChannels = g.inChannels;
    break;
  case Shape::DepthwiseAnyKernel:
    // Kernel rows of several quads, the dilations the quads reach, nearest
    // upsamples by 3, rows of several vectors with odd tails.
    g.kernelHeight = uniform(1, 5);
    g.kernelWidth = uniform(1, 7);
    g.dilationW = uniform(1, g.strideW == 1 ? 4 : 3);
    g.upsample = uniform(1, 3);
    g.inWidth = uniform(1, 100);
    g.groups = g.outChannels = g.inChannels;
    break;
  case Shape::Grouped:
    g.groups = 2;
    g.inChannels = 2 * uniform(1, 8);
    g.outChannels = 2 * uniform(1, 8);
    break;
  case Shape::Dense:
    break;
  }
  auto outSize = [](int64_t in, int64_t k, int64_t s, int64_t d, int64_t p) {
    return (in + p - d * (k - 1) - 1) / s + 1;
  };
  g.outHeight = outSize(g.readHeight(), g.kernelHeight, g.strideH, g.dilationH,
                        g.padTop + padBottom);
  g.outWidth = outSize(g.readWidth(), g.kernelWidth, g.strideW, g.dilationW,
                       g.padLeft + padRight);
  if (g.outHeight < 1 || g.outWidth < 1) {
    // The window does not fit: a plain 1x1 of the same channels.
    g.kernelHeight = g.kernelWidth = g.dilationH = g.dilationW = 1;
    g.padTop = g.padLeft = 0;
    g.outHeight = outSize(g.readHeight(), 1, g.strideH, 1, 0);
    g.outWidth = outSize(g.readWidth(), 1, g.strideW, 1, 0);
  }
  c.inRowStride = g.inWidth + uniform(0, 3);
  c.outRowStride = g.outWidth + uniform(0, 3);
  c.rowBegin = uniform(0, g.outHeight - 1);
  c.rowEnd = uniform(c.rowBegin + 1, g.outHeight);
  if (uniform(0, 1))
    c.rowBegin = 0, c.rowEnd = g.outHeight;

  c.input = randomStorage(rng);
  c.output = randomStorage(rng);
  c.residual = randomStorage(rng);
  c.hasBias = uniform(0, 3) != 0;
  c.compiledOffsets = uniform(0, 1);
  c.hasResidual = uniform(0, 2) == 0;
  c.clampMin = int32_t(uniform(c.output.min(), c.output.max()));
  c.clampMax = int32_t(uniform(c.clampMin, c.output.max()));
  if (uniform(0, 1))
    c.clampMin = c.output.min(), c.clampMax = c.output.max();

  c.in.resize(g.batch * g.inChannels * c.inPlane());
  for (uint8_t &x : c.in)
    x = uint8_t(uniform(0, 255));
  c.res.resize(c.outSize());
  for (uint8_t &x : c.res)
    x = uint8_t(uniform(0, 255));
  c.weight.resize(g.outChannels * g.groupChannels() * g.kernelHeight *
                  g.kernelWidth);
  for (int8_t &w : c.weight)
    w = int8_t(uniform(-128, 127));
  int64_t depth = g.groupChannels() * g.kernelHeight * g.kernelWidth;
  int64_t sumBound = depth * 255 * 128;
  for (int64_t oc = 0; oc < g.outChannels; ++oc) {
    c.bias.push_back(int32_t(uniform(-sumBound, sumBound)));
    // Scales as a calibrated network has them, and extremes.
    c.multipliers.push_back(randomMultiplier(rng, -20, 1));
    c.residualMultipliers.push_back(randomMultiplier(rng, -4, 8));
  }
  return c;
}

class ConvInt8Test : public ::testing::TestWithParam<Int8ConvVariant> {
protected:
  void SetUp() override {
    if (!isSupported(GetParam()))
      GTEST_SKIP() << "this machine lacks the CPU features of "
                   << nameOf(GetParam());
  }

  /// Runs `cases` random convolutions of `shape`; expects every one to be
  /// covered when `allCovered`.
  void checkRandom(Shape shape, int cases, bool allCovered, unsigned seed) {
    std::mt19937 rng(seed);
    int covered = 0;
    for (int i = 0; i < cases; ++i) {
      Case c = randomCase(rng, shape);
      std::vector<uint8_t> expected = c.runReference(0x5a);
      bool ran = false;
      std::vector<uint8_t> actual = c.run(GetParam(), 0x5a, ran);
      covered += ran;
      if (!ran)
        continue;
      ASSERT_EQ(actual, expected)
          << "case " << i << ": " << c.g.inChannels << "->" << c.g.outChannels
          << " " << c.g.inHeight << "x" << c.g.inWidth << " k "
          << c.g.kernelHeight << "x" << c.g.kernelWidth << " s " << c.g.strideH
          << "," << c.g.strideW << " d " << c.g.dilationH << ","
          << c.g.dilationW << " p " << c.g.padTop << "," << c.g.padLeft
          << " up " << c.g.upsample << " rows [" << c.rowBegin << ", "
          << c.rowEnd << ") residual " << c.hasResidual;
    }
    if (allCovered) {
      EXPECT_EQ(covered, cases);
    }
  }
};

TEST_P(ConvInt8Test, DenseConvolutionsAreExact) {
  checkRandom(Shape::Dense, 300, /*allCovered=*/true, 1);
}

TEST_P(ConvInt8Test, PointwiseConvolutionsAreExact) {
  checkRandom(Shape::Pointwise, 300, /*allCovered=*/true, 2);
}

TEST_P(ConvInt8Test, DepthwiseConvolutionsAreExact) {
  checkRandom(Shape::Depthwise, 300, /*allCovered=*/true, 3);
}

TEST_P(ConvInt8Test, DepthwiseConvolutionsOfAnyKernelAreExact) {
  checkRandom(Shape::DepthwiseAnyKernel, 300, /*allCovered=*/true, 8);
}

TEST_P(ConvInt8Test, OtherGroupingsAreLeftToTheReference) {
  std::mt19937 rng(4);
  Case c = randomCase(rng, Shape::Grouped);
  bool ran = true;
  c.run(GetParam(), 0, ran);
  EXPECT_FALSE(ran);
}

TEST_P(ConvInt8Test, SumsThatCouldSaturateAreLeftToTheReference) {
  std::mt19937 rng(5);
  Case c = randomCase(rng, Shape::Pointwise);
  c.hasBias = true;
  c.bias[0] = std::numeric_limits<int32_t>::max() - 10;
  bool ran = true;
  c.run(GetParam(), 0, ran);
  EXPECT_FALSE(ran);
}

TEST_P(ConvInt8Test, PointwiseInPlaceReadsEachBlockBeforeWritingIt) {
  std::mt19937 rng(6);
  for (int i = 0; i < 20; ++i) {
    Case c = randomCase(rng, Shape::Pointwise);
    c.g.outChannels = std::min(c.g.outChannels, c.g.inChannels);
    c.outRowStride = c.inRowStride;
    c.rowBegin = 0;
    c.rowEnd = c.g.outHeight;
    c.hasResidual = false;
    c.multipliers.resize(c.g.outChannels);
    c.residualMultipliers.resize(c.g.outChannels);
    c.bias.resize(c.g.outChannels);
    c.weight.resize(c.g.outChannels * c.g.inChannels);
    c.output.isSigned = c.input.isSigned;
    c.clampMin = c.output.min();
    c.clampMax = c.output.max();
    // The output over the input, element for element: the result's
    // channels over the first input channels, the rest as they were.
    std::vector<uint8_t> result = c.runReference(0);
    std::vector<uint8_t> expected = c.in;
    int64_t plane = c.inPlane();
    for (int64_t b = 0; b < c.g.batch; ++b)
      for (int64_t oc = 0; oc < c.g.outChannels; ++oc)
        for (int64_t h = 0; h < c.g.outHeight; ++h)
          std::copy_n(result.begin() + (b * c.g.outChannels + oc) * plane +
                          h * c.outRowStride,
                      c.g.outWidth,
                      expected.begin() + (b * c.g.inChannels + oc) * plane +
                          h * c.inRowStride);
    std::vector<uint8_t> buffer = c.in;
    std::vector<uint64_t> d = c.descriptor();
    auto *descriptor = reinterpret_cast<picosam_uk_conv2d *>(d.data());
    descriptor->output = descriptor->input;
    descriptor->output.is_signed = c.output.isSigned;
    descriptor->output.zero_point = c.output.zeroPoint;
    ASSERT_TRUE(conv2dInt8(GetParam(), *descriptor, buffer.data(),
                           c.weight.data(), c.bias.data(), nullptr,
                           buffer.data(), c.rowBegin, c.rowEnd));
    ASSERT_EQ(buffer, expected) << "case " << i;
  }
}

TEST_P(ConvInt8Test, RequantizationIsTheScalarRule) {
  const int8::Kernels &kernels = *int8::kernelsOf(GetParam());
  std::mt19937 rng(7);
  auto uniform = [&](int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(rng);
  };
  constexpr int64_t n = 61;
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min(),
                    kMax = std::numeric_limits<int32_t>::max();
  const int32_t extremes[] = {kMin, kMin + 1, -(1 << 30), -1,  0,
                              1,    1 << 30,  kMax - 1,   kMax};
  for (int trial = 0; trial < 4000; ++trial) {
    int8::RowRequantization row;
    Storage out = randomStorage(rng), res = randomStorage(rng);
    row.outputZeroPoint = out.zeroPoint;
    row.outputSigned = out.isSigned;
    row.clampMin = int32_t(uniform(out.min(), out.max()));
    row.clampMax = int32_t(uniform(row.clampMin, out.max()));
    fixedpoint::QuantizedMultiplier m = randomMultiplier(rng, -40, 32);
    if (trial % 10 == 0)
      m = {int32_t(uniform(0, kMax)), int32_t(uniform(-31, 30))};
    row.multiplier = m.multiplier;
    row.shift = m.shift;
    bool withResidual = trial % 2 == 1;
    std::vector<uint8_t> residual(n);
    for (uint8_t &r : residual)
      r = uint8_t(uniform(0, 255));
    fixedpoint::QuantizedMultiplier rm = randomMultiplier(rng, -8, 8);
    // The residual's multipliers of every exponent, unnormalised ones, 2^30
    // and 0 (the kernels' 16-lane residual term covers exponents -15..0).
    if (trial % 7 == 0)
      rm = {int32_t(uniform(0, kMax)), int32_t(uniform(-20, 8))};
    else if (trial % 11 == 0)
      rm = {1 << 30, int32_t(uniform(-16, 0))};
    else if (trial % 13 == 0)
      rm = {0, 0};
    if (withResidual) {
      row.residual = residual.data();
      row.residualSigned = res.isSigned;
      row.residualZeroPoint = res.zeroPoint;
      row.residualMultiplier = rm.multiplier;
      row.residualShift = rm.shift;
    }
    // A scale of about 1 and small sums, so that an error of 1 in the
    // residual's term shows in the output.
    bool termShows = withResidual && trial % 4 == 1;
    if (termShows) {
      row.multiplier = std::numeric_limits<int32_t>::max();
      row.shift = 0;
      m = {row.multiplier, row.shift};
      row.clampMin = out.min();
      row.clampMax = out.max();
    }
    std::vector<int32_t> sums(n);
    for (int64_t i = 0; i < n; ++i) {
      // The residual term is at most 255 * 2^8 here: keep the sum in int32
      // (the drivers guarantee it).
      int64_t margin = withResidual ? 1 << 17 : 0;
      sums[i] = termShows        ? int32_t(uniform(-64, 64))
                : trial % 3 == 0 ? extremes[uniform(0, std::size(extremes) - 1)]
                                 : int32_t(uniform(-(1 << 24), 1 << 24));
      sums[i] =
          int32_t(std::clamp<int64_t>(sums[i], kMin + margin, kMax - margin));
    }
    // One row of a block.
    int32_t offset = 0;
    picosam_uk_multiplier multipliers[] = {{row.multiplier, row.shift}},
                          residualMultipliers[] = {
                              {row.residualMultiplier, row.residualShift}};
    int8::Requantization block;
    block.rows = 1;
    block.n = n;
    block.sums = sums.data();
    block.offsets = &offset;
    block.multipliers = multipliers;
    block.residualMultipliers = residualMultipliers;
    block.outputZeroPoint = row.outputZeroPoint;
    block.clampMin = row.clampMin;
    block.clampMax = row.clampMax;
    block.outputSigned = row.outputSigned;
    block.residual = row.residual;
    block.residualSigned = row.residualSigned;
    block.residualZeroPoint = row.residualZeroPoint;
    std::vector<uint8_t> actual(n), expected(n);
    block.out = actual.data();
    kernels.requantize(block);
    block.out = expected.data();
    int8::portableKernels().requantize(block);
    ASSERT_EQ(actual, expected) << "trial " << trial;
    // The portable kernel is the reference's arithmetic itself.
    for (int64_t i = 0; i < n; ++i) {
      int64_t sum = sums[i];
      if (withResidual)
        sum += fixedpoint::multiplyByQuantizedMultiplier(
            (res.isSigned ? int32_t(int8_t(residual[i])) : residual[i]) -
                res.zeroPoint,
            rm);
      int32_t value = std::clamp(
          fixedpoint::saturateToInt32(int64_t(out.zeroPoint) +
                                      fixedpoint::multiplyByQuantizedMultiplier(
                                          fixedpoint::saturateToInt32(sum), m)),
          row.clampMin, row.clampMax);
      ASSERT_EQ(expected[i], uint8_t(value)) << "trial " << trial;
    }
  }
}

// --cpu caps the variant (the descriptor's cpu_features), and a variant a
// CPU lacks falls back to the next slower one it has.
TEST(Int8ConvVariantTest, TheFastestVariantTheFeaturesAllow) {
  uint64_t avx2 = requiredFeatures(Int8ConvVariant::Avx2);
  uint64_t avx512 = requiredFeatures(Int8ConvVariant::Avx512Vnni);
  EXPECT_EQ(fastestInt8ConvVariant(Int8ConvVariant::Avx512Vnni, 0),
            Int8ConvVariant::Portable);
  EXPECT_EQ(fastestInt8ConvVariant(Int8ConvVariant::Avx512Vnni, avx2),
            Int8ConvVariant::Avx2);
  // AVX-512 without VNNI (x86-64-v4) runs the AVX2 kernels.
  EXPECT_EQ(fastestInt8ConvVariant(Int8ConvVariant::Avx512Vnni,
                                   avx2 | (avx512 & ~PICOSAM_CPU_FEATURE(
                                                        AVX512VNNI))),
            Int8ConvVariant::Avx2);
  EXPECT_EQ(fastestInt8ConvVariant(Int8ConvVariant::Avx512Vnni, avx2 | avx512),
            Int8ConvVariant::Avx512Vnni);
  EXPECT_EQ(fastestInt8ConvVariant(Int8ConvVariant::Avx2, avx2 | avx512),
            Int8ConvVariant::Avx2);
  EXPECT_EQ(fastestInt8ConvVariant(Int8ConvVariant::Reference, avx2 | avx512),
            Int8ConvVariant::Reference);
  EXPECT_EQ(fastestInt8ConvVariant(Int8ConvVariant::Portable, 0),
            Int8ConvVariant::Portable);
}

INSTANTIATE_TEST_SUITE_P(Variants, ConvInt8Test,
                         ::testing::ValuesIn(kFastInt8Variants),
                         [](const auto &info) {
                           return std::string(nameOf(info.param));
                         });

} // namespace
