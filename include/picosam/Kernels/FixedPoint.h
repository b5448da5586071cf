//===- FixedPoint.h - integer requantization primitives ---------*- C++ -*-===//
//
// The fixed-point arithmetic every quantized op rescales with, exactly as
// gemmlowp and TFLite's reference kernels define it (docs/quantization.md
// gives the formulas). A real multiplier M > 0 is represented as an int32
// mantissa m in [2^30, 2^31) and an exponent e, M ~= m * 2^(e - 31), and
// x * M is computed in integers as
//
//   RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x * 2^max(e, 0), m),
//                       max(-e, 0))
//
// Both round to nearest: the high multiply sends ties towards +infinity,
// the division by a power of two sends them away from zero. The interpreter,
// the CPU backend and the IMX500 network all use these functions, so they
// agree bit for bit.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_FIXEDPOINT_H
#define PICOSAM_KERNELS_FIXEDPOINT_H

#include <cstdint>

namespace picosam::fixedpoint {

/// gemmlowp's SaturatingRoundingDoublingHighMul: the high 32 bits of 2*a*b,
/// i.e. a*b / 2^31 rounded to nearest with ties towards +infinity (1.5 -> 2,
/// -1.5 -> -1). The one case that overflows, a == b == INT32_MIN, saturates
/// to INT32_MAX.
int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b);

/// gemmlowp's RoundingDivideByPOT: x / 2^exponent rounded to nearest with
/// ties away from zero, for exponent in [0, 31].
int32_t roundingDivideByPOT(int32_t x, int exponent);

/// x * 2^exponent saturated to the int32 range, for exponent in [0, 31]
/// (gemmlowp's SaturatingRoundingMultiplyByPOT for a left shift; TFLite's
/// plain `x * (1 << shift)` is undefined where this saturates).
int32_t saturatingLeftShift(int32_t x, int exponent);

/// A non-negative real multiplier as TFLite's QuantizeMultiplier encodes it:
/// real ~= multiplier * 2^(shift - 31), with multiplier in [2^30, 2^31) and
/// shift in [-31, 30], or multiplier == 0 (then shift == 0) for reals below
/// 2^-32 that round to zero.
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int shift = 0;

  /// The real value the pair represents.
  double toDouble() const;
  bool operator==(const QuantizedMultiplier &other) const {
    return multiplier == other.multiplier && shift == other.shift;
  }
};

/// TFLite's QuantizeMultiplier: frexp(real) = q * 2^shift with q in
/// [0.5, 1), multiplier = round(q * 2^31) (ties away from zero; a result of
/// 2^31 becomes 2^30 with shift + 1). Reals too small for shift >= -31 give
/// {0, 0}; reals too large for shift <= 30 saturate to {2^31 - 1, 30}.
/// `real` must be finite and >= 0.
QuantizedMultiplier quantizeMultiplier(double real);

/// TFLite's MultiplyByQuantizedMultiplier (the double-rounding variant):
/// x * real, rounded as the file comment says.
int32_t multiplyByQuantizedMultiplier(int32_t x, QuantizedMultiplier m);

/// Saturates a wide intermediate value to the int32 range.
int32_t saturateToInt32(int64_t x);

} // namespace picosam::fixedpoint

#endif // PICOSAM_KERNELS_FIXEDPOINT_H
