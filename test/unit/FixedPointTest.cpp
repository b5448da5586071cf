//===- FixedPointTest.cpp - requantization rounding rules -----------------===//
//
// Edge cases of the fixed-point primitives: ties (away from zero), negative
// values, saturation, exponents 0 and 31, and TFLite's double rounding.
// Expected values are computed by hand from the definitions in
// docs/quantization.md.
//
//===----------------------------------------------------------------------===//
#include "picosam/Kernels/FixedPoint.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace picosam::fixedpoint;

namespace {
constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
constexpr int32_t kHalf = int32_t(1) << 30; // 0.5 as a Q31 mantissa
} // namespace

TEST(FixedPointTest, DoublingHighMulRoundsTiesUp) {
  // a * b / 2^31 = 0.5 and -0.5: ties go towards +infinity (the nudge for
  // negative products is 1 - 2^30, not -2^30).
  EXPECT_EQ(saturatingRoundingDoublingHighMul(1 << 15, 1 << 15), 1);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-(1 << 15), 1 << 15), 0);
  // Just below the tie: 0.49999... and -0.49999... round to zero.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kHalf - 1, 1), 0);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-(kHalf - 1), 1), 0);
  // 3 * 2^30 / 2^31 = 1.5 -> 2, -1.5 -> -1, -2.5 -> -2.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(3, kHalf), 2);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-3, kHalf), -1);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-5, kHalf), -2);
  // Not ties: -1.75 -> -2, -1.25 -> -1.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-7, kHalf / 2), -2);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-5, kHalf / 2), -1);
  // Exact products.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kHalf, kHalf), 1 << 29);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(0, kMax), 0);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(1, kMin), -1);
}

TEST(FixedPointTest, DoublingHighMulSaturatesOnlyMinTimesMin) {
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kMin, kMin), kMax);
  // (2^31 - 1)^2 / 2^31 = 2^31 - 2 + 2^-31 -> 2^31 - 2.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kMax, kMax), kMax - 1);
  // -2^31 * (2^31 - 1) / 2^31 is exact.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kMin, kMax), -kMax);
}

TEST(FixedPointTest, RoundingDivideByPOTTies) {
  EXPECT_EQ(roundingDivideByPOT(5, 1), 3);   // 2.5
  EXPECT_EQ(roundingDivideByPOT(-5, 1), -3); // -2.5
  EXPECT_EQ(roundingDivideByPOT(3, 1), 2);   // 1.5
  EXPECT_EQ(roundingDivideByPOT(-3, 1), -2); // -1.5
  EXPECT_EQ(roundingDivideByPOT(6, 2), 2);   // 1.5
  EXPECT_EQ(roundingDivideByPOT(-6, 2), -2); // -1.5
  EXPECT_EQ(roundingDivideByPOT(-1, 1), -1); // -0.5
  EXPECT_EQ(roundingDivideByPOT(1, 1), 1);   // 0.5
}

TEST(FixedPointTest, RoundingDivideByPOTNonTies) {
  EXPECT_EQ(roundingDivideByPOT(7, 2), 2);   // 1.75
  EXPECT_EQ(roundingDivideByPOT(-7, 2), -2); // -1.75
  EXPECT_EQ(roundingDivideByPOT(5, 2), 1);   // 1.25
  EXPECT_EQ(roundingDivideByPOT(-5, 2), -1); // -1.25
  EXPECT_EQ(roundingDivideByPOT(-4, 2), -1); // exact
}

TEST(FixedPointTest, RoundingDivideByPOTShiftZero) {
  for (int32_t x : {0, 1, -1, 12345, -12345, kMin, kMax})
    EXPECT_EQ(roundingDivideByPOT(x, 0), x);
}

TEST(FixedPointTest, RoundingDivideByPOTShift31) {
  EXPECT_EQ(roundingDivideByPOT(kMax, 31), 1); // 0.99999...
  EXPECT_EQ(roundingDivideByPOT(kMin, 31), -1);
  EXPECT_EQ(roundingDivideByPOT(kHalf, 31), 1);   // 0.5
  EXPECT_EQ(roundingDivideByPOT(-kHalf, 31), -1); // -0.5
  EXPECT_EQ(roundingDivideByPOT(kHalf - 1, 31), 0);
  EXPECT_EQ(roundingDivideByPOT(-(kHalf - 1), 31), 0);
  EXPECT_EQ(roundingDivideByPOT(0, 31), 0);
}

TEST(FixedPointTest, SaturatingLeftShift) {
  EXPECT_EQ(saturatingLeftShift(3, 0), 3);
  EXPECT_EQ(saturatingLeftShift(-3, 4), -48);
  EXPECT_EQ(saturatingLeftShift(kHalf, 1), kMax);
  EXPECT_EQ(saturatingLeftShift(-kHalf, 1), kMin); // -2^31 is representable
  EXPECT_EQ(saturatingLeftShift(-kHalf - 1, 1), kMin);
  EXPECT_EQ(saturatingLeftShift(1, 31), kMax);
  EXPECT_EQ(saturatingLeftShift(-1, 31), kMin);
  EXPECT_EQ(saturatingLeftShift(0, 31), 0);
  EXPECT_EQ(saturateToInt32(int64_t(kMax) + 1), kMax);
  EXPECT_EQ(saturateToInt32(int64_t(kMin) - 1), kMin);
  EXPECT_EQ(saturateToInt32(-7), -7);
}

TEST(FixedPointTest, QuantizeMultiplierPowersOfTwo) {
  EXPECT_EQ(quantizeMultiplier(0.0), (QuantizedMultiplier{0, 0}));
  EXPECT_EQ(quantizeMultiplier(0.5), (QuantizedMultiplier{kHalf, 0}));
  EXPECT_EQ(quantizeMultiplier(1.0), (QuantizedMultiplier{kHalf, 1}));
  EXPECT_EQ(quantizeMultiplier(0.25), (QuantizedMultiplier{kHalf, -1}));
  EXPECT_EQ(quantizeMultiplier(0.75), (QuantizedMultiplier{3 << 29, 0}));
}

TEST(FixedPointTest, QuantizeMultiplierRounding) {
  // 0.0123 = 0.7872 * 2^-6; 0.7872 * 2^31 = 1690499127.7056 -> ...128.
  EXPECT_EQ(quantizeMultiplier(0.0123), (QuantizedMultiplier{1690499128, -6}));
  // A mantissa that rounds up to 2^31 moves to the next exponent.
  EXPECT_EQ(quantizeMultiplier(1.0 - std::ldexp(1.0, -40)),
            (QuantizedMultiplier{kHalf, 1}));
  EXPECT_NEAR(quantizeMultiplier(0.0123).toDouble(), 0.0123, 1e-11);
}

TEST(FixedPointTest, QuantizeMultiplierRange) {
  // 2^-32 = 0.5 * 2^-31 is the smallest representable exponent.
  EXPECT_EQ(quantizeMultiplier(std::ldexp(1.0, -32)),
            (QuantizedMultiplier{kHalf, -31}));
  EXPECT_EQ(quantizeMultiplier(std::ldexp(1.0, -33)),
            (QuantizedMultiplier{0, 0}));
  // 2^30 = 0.5 * 2^31: above shift 30, saturated.
  EXPECT_EQ(quantizeMultiplier(std::ldexp(1.0, 29)),
            (QuantizedMultiplier{kHalf, 30}));
  EXPECT_EQ(quantizeMultiplier(std::ldexp(1.0, 31)),
            (QuantizedMultiplier{kMax, 30}));
}

TEST(FixedPointTest, MultiplyByQuantizedMultiplier) {
  QuantizedMultiplier m = quantizeMultiplier(0.0123);
  // 1000 * m / 2^31 = 787.2 -> 787; 787 / 2^6 = 12.30 -> 12.
  EXPECT_EQ(multiplyByQuantizedMultiplier(1000, m), 12);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-1000, m), -12);
  // Ties: with a multiplier in [0.5, 1) (shift 0) the high multiply rounds
  // and ties go up: 3 * 0.5 = 1.5 -> 2, -1.5 -> -1. With a right shift the
  // high multiply is exact here and the shift rounds ties away from zero:
  // 2 * 0.25 = 0.5 -> 1, -0.5 -> -1.
  EXPECT_EQ(multiplyByQuantizedMultiplier(3, quantizeMultiplier(0.5)), 2);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-3, quantizeMultiplier(0.5)), -1);
  EXPECT_EQ(multiplyByQuantizedMultiplier(2, quantizeMultiplier(0.25)), 1);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-2, quantizeMultiplier(0.25)), -1);
  // A multiplier of 1 is {2^30, 1}: exact for |x| < 2^30.
  for (int32_t x : {0, 1, -1, 127, -128, kHalf - 1, -kHalf})
    EXPECT_EQ(multiplyByQuantizedMultiplier(x, quantizeMultiplier(1.0)), x);
  // Multipliers above one shift left first: 100 * 6.5 = 650.
  EXPECT_EQ(multiplyByQuantizedMultiplier(100, quantizeMultiplier(6.5)), 650);
  EXPECT_EQ(multiplyByQuantizedMultiplier(5, QuantizedMultiplier{}), 0);
}

TEST(FixedPointTest, MultiplyByQuantizedMultiplierRoundsTwice) {
  // 0.43333 = 0.86666 * 2^-1, mantissa 1861138178. 3 * 0.43333 = 1.29999
  // exactly, but the high multiply rounds 2.59998 to 3 first and the shift
  // rounds 1.5 to 2: TFLite's double rounding, kept bit for bit.
  QuantizedMultiplier m = quantizeMultiplier(0.43333);
  EXPECT_EQ(m, (QuantizedMultiplier{1861138178, -1}));
  EXPECT_EQ(multiplyByQuantizedMultiplier(3, m), 2);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-3, m), -2);
}

TEST(FixedPointTest, MultiplyByQuantizedMultiplierSaturation) {
  // 2^29 * 4: the left shift saturates to 2^31 - 1 before the mantissa
  // (0.5) halves it, so the result is 2^30, not 2^31.
  EXPECT_EQ(multiplyByQuantizedMultiplier(1 << 29, quantizeMultiplier(4.0)),
            kHalf);
  EXPECT_EQ(multiplyByQuantizedMultiplier(kMin, quantizeMultiplier(4.0)),
            -kHalf);
  // The largest multiplier on the extremes.
  QuantizedMultiplier largest{kMax, 30};
  EXPECT_EQ(multiplyByQuantizedMultiplier(kMax, largest), kMax - 1);
  EXPECT_EQ(multiplyByQuantizedMultiplier(kMin, largest), -kMax);
}
