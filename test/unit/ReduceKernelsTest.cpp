//===- ReduceKernelsTest.cpp - the reductions' kernels --------------------===//
//
// Reductions over chosen axes against sums and maxima written out, float
// and integer (the pools' policies), and PRelu's element function.
//
//===----------------------------------------------------------------------===//
#include "picosam/Kernels/Elementwise.h"
#include "picosam/Kernels/Pool.h"
#include "picosam/Kernels/Reduce.h"
#include "picosam/Kernels/Requantization.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

using namespace picosam::kernels;

namespace {

// A 2 x 3 x 4 tensor holding 0, 1, ..., 23.
std::vector<float> iota24() {
  std::vector<float> values(24);
  for (int i = 0; i < 24; ++i)
    values[i] = static_cast<float>(i);
  return values;
}

TEST(ReduceKernelTest, GeometryOfNonAdjacentAxes) {
  std::vector<int64_t> shape = {2, 3, 4}, axes = {0, 2};
  ReductionGeometry geometry = reductionGeometry(shape, axes);
  EXPECT_EQ(geometry.bases, (std::vector<int64_t>{0, 4, 8}));
  EXPECT_EQ(geometry.offsets, (std::vector<int64_t>{0, 1, 2, 3, 12, 13, 14, 15}));
}

TEST(ReduceKernelTest, FloatMeanSumAndMax) {
  std::vector<float> in = iota24();
  std::vector<int64_t> shape = {2, 3, 4}, channels = {1}, all = {0, 1, 2};
  ReductionGeometry overChannels = reductionGeometry(shape, channels);
  std::vector<float> mean(8), sum(8), max(8);
  reduceMean(in.data(), overChannels, mean.data(), FloatAverage{});
  reduceSum(in.data(), overChannels, sum.data());
  reduceMax(in.data(), overChannels, max.data(), FloatMaximum{});
  // Output (n, w) reads n * 12 + w + {0, 4, 8}.
  EXPECT_EQ(mean, (std::vector<float>{4, 5, 6, 7, 16, 17, 18, 19}));
  EXPECT_EQ(sum, (std::vector<float>{12, 15, 18, 21, 48, 51, 54, 57}));
  EXPECT_EQ(max, (std::vector<float>{8, 9, 10, 11, 20, 21, 22, 23}));
  float total = 0;
  reduceSum(in.data(), reductionGeometry(shape, all), &total);
  EXPECT_EQ(total, 276.0f);
}

TEST(ReduceKernelTest, FloatSumRoundsOnce) {
  // In float, 1 + 2^-24 + 2^-24 stays 1; in double the halves add up first.
  std::vector<float> in = {1.0f, std::ldexp(1.0f, -24), std::ldexp(1.0f, -24)};
  std::vector<int64_t> shape = {3}, axes = {0};
  float sum = 0;
  reduceSum(in.data(), reductionGeometry(shape, axes), &sum);
  EXPECT_EQ(sum, 1.0f + std::ldexp(1.0f, -23));
}

TEST(ReduceKernelTest, FloatMaxPropagatesNaN) {
  std::vector<float> in = {1.0f, std::numeric_limits<float>::quiet_NaN(), 3.0f};
  std::vector<int64_t> shape = {3}, axes = {0};
  float max = 0;
  reduceMax(in.data(), reductionGeometry(shape, axes), &max, FloatMaximum{});
  EXPECT_TRUE(std::isnan(max));
}

TEST(ReduceKernelTest, IntegerMeanAndMaxAsThePools) {
  // The reduction over the spatial axes of N x C x H x W is the global pool.
  std::vector<int8_t> in(2 * 3 * 5);
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = static_cast<int8_t>(static_cast<int>(i * 37 % 251) - 125);
  TensorQuantization input{0.05, 3, -128, 127}, output{0.02, -7, -128, 127};
  AverageRequantization average = makeAverageRequantization(input, output, 15, 15);
  std::vector<int64_t> shape = {1, 2, 3, 5}, spatial = {2, 3};
  std::vector<int8_t> reduced(2), pooled(2);
  reduceMean(in.data(), reductionGeometry(shape, spatial), reduced.data(),
             QuantizedAverage{average});
  globalAveragePool(in.data(), 2, 15, pooled.data(), QuantizedAverage{average});
  EXPECT_EQ(reduced, pooled);

  // The maximum compares storage values, then rescales the largest.
  Rescale rescale = makeRescale(input, output);
  std::vector<int64_t> channels = {1};
  std::vector<int8_t> max(15);
  reduceMax(in.data(), reductionGeometry(shape, channels), max.data(),
            QuantizedMaximum{rescale});
  for (int64_t j = 0; j < 15; ++j)
    EXPECT_EQ(int32_t{max[j]}, rescale.apply(std::max(in[j], in[15 + j]))) << j;
}

TEST(PReluKernelTest, SlopeBelowZeroOnly) {
  EXPECT_EQ(prelu(2.0f, 0.25f), 2.0f);
  EXPECT_EQ(prelu(-2.0f, 0.25f), -0.5f);
  EXPECT_EQ(prelu(0.0f, 0.25f), 0.0f);
  EXPECT_TRUE(std::isnan(prelu(std::numeric_limits<float>::quiet_NaN(), 0.25f)));
}

} // namespace
