//===- ShapeInferenceTest.cpp - shape arithmetic of the pico ops ----------===//
#include "Pico/ShapeUtils.h"

#include "gtest/gtest.h"

#include <limits>

using namespace picosam::pico;
using Shape = llvm::SmallVector<int64_t, 4>;

namespace {
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
} // namespace

//===----------------------------------------------------------------------===//
// broadcastShapes
//===----------------------------------------------------------------------===//

TEST(BroadcastShapesTest, EqualShapes) {
  EXPECT_EQ(broadcastShapes({2, 3}, {2, 3}), Shape({2, 3}));
}

TEST(BroadcastShapesTest, OnesStretchInBothDirections) {
  EXPECT_EQ(broadcastShapes({1, 3, 1}, {4, 1, 5}), Shape({4, 3, 5}));
}

TEST(BroadcastShapesTest, ShorterShapeAlignsWithTheBack) {
  EXPECT_EQ(broadcastShapes({8, 1, 6, 1}, {7, 1, 5}), Shape({8, 7, 6, 5}));
  EXPECT_EQ(broadcastShapes({3}, {2, 4, 3}), Shape({2, 4, 3}));
  // A per-channel NCHW bias: [C, 1, 1] against [N, C, H, W].
  EXPECT_EQ(broadcastShapes({1, 16, 32, 32}, {16, 1, 1}),
            Shape({1, 16, 32, 32}));
}

TEST(BroadcastShapesTest, ScalarsBroadcastToAnything) {
  EXPECT_EQ(broadcastShapes({}, {2, 3}), Shape({2, 3}));
  EXPECT_EQ(broadcastShapes({2, 3}, {}), Shape({2, 3}));
  EXPECT_EQ(broadcastShapes({}, {}), Shape());
}

TEST(BroadcastShapesTest, ZeroSizesBroadcastOnlyAgainstOneOrZero) {
  EXPECT_EQ(broadcastShapes({0, 3}, {1, 3}), Shape({0, 3}));
  EXPECT_EQ(broadcastShapes({0}, {0}), Shape({0}));
  EXPECT_EQ(broadcastShapes({0}, {2}), std::nullopt);
}

TEST(BroadcastShapesTest, MismatchedSizesFail) {
  EXPECT_EQ(broadcastShapes({2, 3}, {3, 3}), std::nullopt);
  EXPECT_EQ(broadcastShapes({4}, {2, 3}), std::nullopt);
}

TEST(BroadcastShapesTest, DynamicOrNegativeSizesFail) {
  EXPECT_EQ(broadcastShapes({-1, 3}, {1, 3}), std::nullopt);
  EXPECT_EQ(broadcastShapes({2, 3}, {1, std::numeric_limits<int64_t>::min()}),
            std::nullopt);
  // Even where the other shape has no size to meet it.
  EXPECT_EQ(broadcastShapes({-1, 3}, {3}), std::nullopt);
}

//===----------------------------------------------------------------------===//
// numElements, normalizeAxis
//===----------------------------------------------------------------------===//

TEST(NumElementsTest, CountsAndOverflows) {
  EXPECT_EQ(numElements({}), 1);
  EXPECT_EQ(numElements({2, 3, 4}), 24);
  EXPECT_EQ(numElements({5, 0, 7}), 0);
  EXPECT_EQ(numElements({-1, 4}), std::nullopt);
  EXPECT_EQ(numElements({int64_t(1) << 62, 4}), std::nullopt);
}

TEST(NormalizeAxisTest, NegativeAxesCountFromTheBack) {
  EXPECT_EQ(normalizeAxis(0, 4), 0);
  EXPECT_EQ(normalizeAxis(3, 4), 3);
  EXPECT_EQ(normalizeAxis(-1, 4), 3);
  EXPECT_EQ(normalizeAxis(-4, 4), 0);
}

TEST(NormalizeAxisTest, OutOfRangeFails) {
  EXPECT_EQ(normalizeAxis(4, 4), std::nullopt);
  EXPECT_EQ(normalizeAxis(-5, 4), std::nullopt);
  EXPECT_EQ(normalizeAxis(0, 0), std::nullopt);
  EXPECT_EQ(normalizeAxis(-1, 0), std::nullopt);
}

//===----------------------------------------------------------------------===//
// convOutputSize (in, kernel, stride, dilation, padBegin, padEnd)
//===----------------------------------------------------------------------===//

TEST(ConvOutputSizeTest, ValidAndSamePadding) {
  EXPECT_EQ(convOutputSize(224, 3, 1, 1, 0, 0), 222);
  EXPECT_EQ(convOutputSize(224, 3, 1, 1, 1, 1), 224);
  EXPECT_EQ(convOutputSize(1, 1, 1, 1, 0, 0), 1);
}

TEST(ConvOutputSizeTest, StridesRoundDown) {
  // (224 + 2 - 3) / 2 + 1 = 111 + 1.
  EXPECT_EQ(convOutputSize(224, 3, 2, 1, 1, 1), 112);
  // (7 - 3) / 2 + 1 and (8 - 3) / 2 + 1: the last row of 8 is never used.
  EXPECT_EQ(convOutputSize(7, 3, 2, 1, 0, 0), 3);
  EXPECT_EQ(convOutputSize(8, 3, 2, 1, 0, 0), 3);
}

TEST(ConvOutputSizeTest, DilationWidensTheKernel) {
  // Extent (3 - 1) * 2 + 1 = 5.
  EXPECT_EQ(dilatedKernelExtent(3, 2), 5);
  EXPECT_EQ(convOutputSize(10, 3, 1, 2, 0, 0), 6);
  EXPECT_EQ(convOutputSize(10, 3, 1, 2, 2, 2), 10);
  EXPECT_EQ(convOutputSize(4, 3, 1, 2, 0, 0), std::nullopt);
}

TEST(ConvOutputSizeTest, AsymmetricPadding) {
  EXPECT_EQ(convOutputSize(5, 3, 2, 1, 0, 1), 2);
  EXPECT_EQ(convOutputSize(5, 3, 2, 1, 1, 0), 2);
  EXPECT_EQ(convOutputSize(6, 3, 2, 1, 0, 1), 3);
}

TEST(ConvOutputSizeTest, PaddingAloneCanFitTheKernel) {
  EXPECT_EQ(convOutputSize(1, 3, 1, 1, 1, 1), 1);
  EXPECT_EQ(convOutputSize(0, 3, 1, 1, 1, 2), 1);
}

TEST(ConvOutputSizeTest, KernelLargerThanPaddedInputFails) {
  EXPECT_EQ(convOutputSize(2, 3, 1, 1, 0, 0), std::nullopt);
  EXPECT_EQ(convOutputSize(2, 5, 1, 1, 1, 1), std::nullopt);
}

TEST(ConvOutputSizeTest, InvalidParametersFail) {
  EXPECT_EQ(convOutputSize(8, 0, 1, 1, 0, 0), std::nullopt);
  EXPECT_EQ(convOutputSize(8, 3, 0, 1, 0, 0), std::nullopt);
  EXPECT_EQ(convOutputSize(8, 3, 1, 0, 0, 0), std::nullopt);
  EXPECT_EQ(convOutputSize(8, 3, 1, 1, -1, 0), std::nullopt);
  EXPECT_EQ(convOutputSize(-1, 1, 1, 1, 0, 0), std::nullopt);
}

TEST(ConvOutputSizeTest, OverflowFails) {
  EXPECT_EQ(dilatedKernelExtent(3, kMax), std::nullopt);
  EXPECT_EQ(convOutputSize(8, 3, 1, kMax, 0, 0), std::nullopt);
  EXPECT_EQ(convOutputSize(kMax, 1, 1, 1, 1, 0), std::nullopt);
  // Huge but representable sizes still work.
  EXPECT_EQ(convOutputSize(kMax, 1, 1, 1, 0, 0), kMax);
  EXPECT_EQ(convOutputSize(kMax - 2, 1, kMax, 1, 1, 1), 1);
}

//===----------------------------------------------------------------------===//
// poolOutputSize (in, kernel, stride, dilation, padBegin, padEnd, ceilMode)
//===----------------------------------------------------------------------===//

TEST(PoolOutputSizeTest, FloorModeIsTheConvolutionRule) {
  EXPECT_EQ(poolOutputSize(112, 2, 2, 1, 0, 0, false), 56);
  EXPECT_EQ(poolOutputSize(7, 2, 2, 1, 0, 0, false), 3);
  EXPECT_EQ(poolOutputSize(112, 3, 2, 1, 1, 1, false), 56);
}

TEST(PoolOutputSizeTest, CeilModeRoundsUp) {
  // (7 - 2) / 2 = 2.5: floor gives 3 windows, ceil 4 (the last one starts
  // at 6, inside the input).
  EXPECT_EQ(poolOutputSize(7, 2, 2, 1, 0, 0, true), 4);
  // No rounding needed: both modes agree.
  EXPECT_EQ(poolOutputSize(8, 2, 2, 1, 0, 0, true), 4);
  EXPECT_EQ(poolOutputSize(8, 2, 2, 1, 0, 0, false), 4);
}

TEST(PoolOutputSizeTest, CeilModeDropsAWindowStartingInTheEndPadding) {
  // Padded size 7: ceil((7 - 2) / 2) + 1 = 4 windows starting at 0, 2, 4
  // and 6 (padded); 6 is input index 5, past the last one (4): dropped.
  EXPECT_EQ(poolOutputSize(5, 2, 2, 1, 1, 1, true), 3);
  EXPECT_EQ(poolOutputSize(5, 2, 2, 1, 1, 1, false), 3);
  // PyTorch's MaxPool2d(3, 2, padding=1, ceil_mode=True) on 6: 4 windows
  // would start at 0, 2, 4, 6 padded; 6 >= 6 + 1 is false, so 4 remain.
  EXPECT_EQ(poolOutputSize(6, 3, 2, 1, 1, 1, true), 4);
  // On 5 with the same pool: ceil(4 / 2) + 1 = 3, starts 0, 2, 4 padded.
  EXPECT_EQ(poolOutputSize(5, 3, 2, 1, 1, 1, true), 3);
  // Padding at the end only: windows at 0, 3, 6 of padded size 8; the one
  // at 6 starts in the end padding (input size 6).
  EXPECT_EQ(poolOutputSize(6, 3, 3, 1, 0, 2, true), 2);
}

TEST(PoolOutputSizeTest, DilatedPool) {
  // Extent 5: floor((9 - 5) / 2) + 1 = 3; ceil((10 - 5) / 2) + 1 = 4.
  EXPECT_EQ(poolOutputSize(9, 3, 2, 2, 0, 0, false), 3);
  EXPECT_EQ(poolOutputSize(10, 3, 2, 2, 0, 0, true), 4);
}

TEST(PoolOutputSizeTest, WindowLargerThanPaddedInputFails) {
  EXPECT_EQ(poolOutputSize(1, 2, 1, 1, 0, 0, false), std::nullopt);
  EXPECT_EQ(poolOutputSize(1, 2, 1, 1, 0, 0, true), std::nullopt);
}

TEST(PoolOutputSizeTest, CeilModeWithHugeStrideDoesNotOverflow) {
  EXPECT_EQ(poolOutputSize(kMax - 1, 1, kMax, 1, 0, 0, true), 1);
  EXPECT_EQ(poolOutputSize(kMax - 1, 1, kMax - 2, 1, 0, 0, true), 2);
}

//===----------------------------------------------------------------------===//
// resizeOutputSize, isResizeOutputSize
//===----------------------------------------------------------------------===//

TEST(ResizeOutputSizeTest, FloorOfTheScaledSize) {
  EXPECT_EQ(resizeOutputSize(16, 2.0f), 32);
  EXPECT_EQ(resizeOutputSize(5, 0.5f), 2);
  EXPECT_EQ(resizeOutputSize(3, 1.0f / 3.0f), 1);
  EXPECT_EQ(resizeOutputSize(7, 1.0f), 7);
}

TEST(ResizeOutputSizeTest, EmptyOrInvalidFails) {
  EXPECT_EQ(resizeOutputSize(1, 0.5f), std::nullopt);
  EXPECT_EQ(resizeOutputSize(4, 0.0f), std::nullopt);
  EXPECT_EQ(resizeOutputSize(4, -2.0f), std::nullopt);
  EXPECT_EQ(resizeOutputSize(4, std::numeric_limits<float>::infinity()),
            std::nullopt);
  EXPECT_EQ(resizeOutputSize(4, std::numeric_limits<float>::quiet_NaN()),
            std::nullopt);
  EXPECT_EQ(resizeOutputSize(kMax, 2.0f), std::nullopt);
}

TEST(ResizeOutputSizeTest, SizesWithinOneOfTheScaledSizeAreAccepted) {
  EXPECT_TRUE(isResizeOutputSize(32, 16, 2.0f));
  // 5 * 0.5 = 2.5: sizes 2 and 3 both round to scale 0.5.
  EXPECT_TRUE(isResizeOutputSize(2, 5, 0.5f));
  EXPECT_TRUE(isResizeOutputSize(3, 5, 0.5f));
  // 7 -> 10 gives the f32 scale 10/7, whose product with 7 is not exactly
  // 10.
  EXPECT_TRUE(isResizeOutputSize(10, 7, 10.0f / 7.0f));
  EXPECT_FALSE(isResizeOutputSize(33, 16, 2.0f));
  EXPECT_FALSE(isResizeOutputSize(31, 16, 2.0f));
  EXPECT_FALSE(isResizeOutputSize(0, 1, 0.5f));
  EXPECT_FALSE(
      isResizeOutputSize(2, 1, std::numeric_limits<float>::quiet_NaN()));
}
