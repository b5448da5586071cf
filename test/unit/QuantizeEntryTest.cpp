//===- QuantizeEntryTest.cpp - picosam_uk_quantize's vectors --------------===//
//
// picosam_uk_quantize quantizes a per-tensor tensor 16 elements at a time
// where it can and the rest one by one; both must give what
// include/picosam/Runtime/Ukernels.h defines: q = clamp(round_half_even(x /
// scale) + zero_point), in float, NaN as the zero point.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/Ukernels.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace {

int32_t expectedQuantized(float x, const picosam_uk_quantization &d) {
  double rounded = std::nearbyint(x / d.scale);
  double shifted = std::isnan(rounded) ? d.zero_point : rounded + d.zero_point;
  return static_cast<int32_t>(
      std::clamp<double>(shifted, d.storage_min, d.storage_max));
}

TEST(QuantizeEntryTest, VectorsAndTailFollowTheScalarRule) {
  std::mt19937 rng(3);
  const float inf = std::numeric_limits<float>::infinity();
  const float specials[] = {inf, -inf, std::nanf(""), 0.0f, -0.0f, 1e30f,
                            -1e30f, 3e9f, -3e9f};
  for (int trial = 0; trial < 200; ++trial) {
    picosam_uk_quantization d{};
    d.is_signed = trial % 2;
    d.storage_min = d.is_signed ? -128 : 0;
    d.storage_max = d.is_signed ? 127 : 255;
    d.zero_point = std::uniform_int_distribution<int32_t>(
        d.storage_min, d.storage_max)(rng);
    d.scale = std::uniform_real_distribution<float>(0.001f, 0.1f)(rng);
    d.count = std::uniform_int_distribution<int64_t>(0, 70)(rng);
    std::vector<float> x(d.count);
    for (int64_t i = 0; i < d.count; ++i) {
      // Exact halves of the scale (ties), values around the clamp, and
      // the specials.
      int kind = std::uniform_int_distribution<int>(0, 3)(rng);
      int32_t steps = std::uniform_int_distribution<int32_t>(-300, 300)(rng);
      x[i] = kind == 0   ? (steps + 0.5f) * d.scale
             : kind == 1 ? steps * d.scale * 1.01f
             : kind == 2 ? specials[std::uniform_int_distribution<int>(
                               0, std::size(specials) - 1)(rng)]
                         : std::uniform_real_distribution<float>(-3, 3)(rng);
    }
    std::vector<uint8_t> out(d.count + 1, 0xa5);
    picosam_uk_quantize(&d, x.data(), out.data());
    for (int64_t i = 0; i < d.count; ++i) {
      int32_t actual = d.is_signed ? int32_t(int8_t(out[i])) : out[i];
      ASSERT_EQ(actual, expectedQuantized(x[i], d))
          << "trial " << trial << " element " << i << " x " << x[i];
    }
    EXPECT_EQ(out[d.count], 0xa5) << "wrote past the end";
  }
}

} // namespace
