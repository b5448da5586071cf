//===- FixedPoint.cpp - integer requantization primitives -----------------===//
#include "picosam/Kernels/FixedPoint.h"

#include <cassert>
#include <cmath>
#include <limits>

using namespace picosam::fixedpoint;

static constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();
static constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();

int32_t picosam::fixedpoint::saturatingRoundingDoublingHighMul(int32_t a,
                                                               int32_t b) {
  if (a == kInt32Min && b == kInt32Min)
    return kInt32Max;
  int64_t product = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  // Adding 2^30 (1 - 2^30 for negative products) before the division,
  // which truncates towards zero, rounds to nearest with ties towards
  // +infinity.
  int64_t nudge = product >= 0 ? (int64_t(1) << 30) : 1 - (int64_t(1) << 30);
  return static_cast<int32_t>((product + nudge) / (int64_t(1) << 31));
}

int32_t picosam::fixedpoint::roundingDivideByPOT(int32_t x, int exponent) {
  assert(exponent >= 0 && exponent <= 31 && "exponent out of range");
  int32_t mask = static_cast<int32_t>((int64_t(1) << exponent) - 1);
  int32_t remainder = x & mask;
  // The arithmetic shift floors; one is added when the remainder exceeds
  // half, or reaches it for non-negative x (ties away from zero).
  int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t picosam::fixedpoint::saturatingLeftShift(int32_t x, int exponent) {
  assert(exponent >= 0 && exponent <= 31 && "exponent out of range");
  return saturateToInt32(static_cast<int64_t>(x) * (int64_t(1) << exponent));
}

int32_t picosam::fixedpoint::saturateToInt32(int64_t x) {
  if (x < kInt32Min)
    return kInt32Min;
  if (x > kInt32Max)
    return kInt32Max;
  return static_cast<int32_t>(x);
}

double QuantizedMultiplier::toDouble() const {
  return std::ldexp(static_cast<double>(multiplier), shift - 31);
}

QuantizedMultiplier picosam::fixedpoint::quantizeMultiplier(double real) {
  assert(std::isfinite(real) && real >= 0.0 && "multiplier must be finite "
                                               "and non-negative");
  if (real == 0.0)
    return {};
  int shift;
  double mantissa = std::frexp(real, &shift);
  // std::round rounds ties away from zero, as TfLiteRound does.
  auto fixed = static_cast<int64_t>(std::round(mantissa * (int64_t(1) << 31)));
  if (fixed == (int64_t(1) << 31)) {
    fixed /= 2;
    ++shift;
  }
  if (shift < -31)
    return {};
  if (shift > 30)
    return {kInt32Max, 30};
  return {static_cast<int32_t>(fixed), shift};
}

int32_t picosam::fixedpoint::multiplyByQuantizedMultiplier(
    int32_t x, QuantizedMultiplier m) {
  int leftShift = m.shift > 0 ? m.shift : 0;
  int rightShift = m.shift > 0 ? 0 : -m.shift;
  return roundingDivideByPOT(
      saturatingRoundingDoublingHighMul(saturatingLeftShift(x, leftShift),
                                        m.multiplier),
      rightShift);
}
