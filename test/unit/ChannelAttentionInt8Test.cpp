//===- ChannelAttentionInt8Test.cpp - the fast channel attention is exact -===//
//
// Each variant of the integer channel attention's fast path
// (ChannelAttentionInt8.h) this machine runs, against the reference the
// kernel entry runs with PICOSAM_INT8_CONV=reference: random shapes (plane
// sizes with odd tails), storage types, zero points, multipliers and
// gate tables, in place too.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/ChannelAttentionInt8.h"

#include "picosam/Kernels/FixedPoint.h"

#include "Int8ConvVariants.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

using namespace picosam;
using namespace picosam::runtime;

namespace {

/// One random integer channel attention: the descriptor with its table and
/// multipliers (as the compiler writes it), its weight, bias and input.
struct Case {
  std::vector<uint64_t> words;
  std::vector<int8_t> weight;
  std::vector<int32_t> bias;
  std::vector<uint8_t> input;

  const picosam_uk_channel_attention &d() const {
    return *reinterpret_cast<const picosam_uk_channel_attention *>(
        words.data());
  }
  picosam_uk_channel_attention &d() {
    return *reinterpret_cast<picosam_uk_channel_attention *>(words.data());
  }
  int32_t *table() {
    return reinterpret_cast<int32_t *>(reinterpret_cast<char *>(words.data()) +
                                       d().table_offset);
  }
};

Case randomCase(std::mt19937 &rng) {
  auto uniform = [&](int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(rng);
  };
  auto multiplier = [&](double lowLog2, double highLog2) {
    fixedpoint::QuantizedMultiplier m =
        fixedpoint::quantizeMultiplier(std::exp2(
            std::uniform_real_distribution<double>(lowLog2, highLog2)(rng)));
    return picosam_uk_multiplier{m.multiplier, m.shift};
  };
  auto storage = [&](picosam_uk_layout &layout) {
    layout.is_signed = int32_t(uniform(0, 1));
    int32_t low = layout.is_signed ? -128 : 0;
    layout.zero_point = int32_t(uniform(low, low + 255));
  };
  picosam_uk_channel_attention d{};
  d.batch = uniform(1, 2);
  d.channels = uniform(1, 48);
  d.plane_size = uniform(1, 300);
  storage(d.input);
  storage(d.output);
  d.has_bias = int32_t(uniform(0, 1));
  d.mean_zero_point = int32_t(uniform(-128, 127));
  d.mean_min = -128;
  d.mean_max = 127;
  d.logits_zero_point = int32_t(uniform(-128, 127));
  d.logits_min = -128;
  d.logits_max = 127;
  d.output_min = d.output.is_signed ? -128 : 0;
  d.output_max = d.output_min + 255;
  d.mean_multiplier = multiplier(-10, -2);
  d.output_multiplier = multiplier(-12, 0);
  d.table_min = -128;
  d.table_size = 256;
  int64_t header = (sizeof(d) + 7) / 8 * 8;
  d.table_offset = header;
  d.logit_multipliers_offset = header + 4 * d.table_size;
  Case c;
  c.words.resize((d.logit_multipliers_offset + 8 * d.channels + 7) / 8);
  std::memcpy(c.words.data(), &d, sizeof(d));
  // Gates as a sigmoid table at scale 1/256 has them, and beyond.
  for (int64_t i = 0; i < d.table_size; ++i)
    c.table()[i] = int32_t(uniform(0, uniform(0, 3) == 0 ? 20000 : 256));
  auto *logitMultipliers = reinterpret_cast<picosam_uk_multiplier *>(
      reinterpret_cast<char *>(c.words.data()) + d.logit_multipliers_offset);
  for (int64_t k = 0; k < d.channels; ++k)
    logitMultipliers[k] = multiplier(-12, -4);
  c.weight.resize(d.channels * d.channels);
  for (int8_t &w : c.weight)
    w = int8_t(uniform(-128, 127));
  for (int64_t k = 0; k < d.channels; ++k)
    c.bias.push_back(int32_t(uniform(-50000, 50000)));
  c.input.resize(d.batch * d.channels * d.plane_size);
  for (uint8_t &x : c.input)
    x = uint8_t(uniform(0, 255));
  return c;
}

class ChannelAttentionInt8Test
    : public ::testing::TestWithParam<Int8ConvVariant> {
protected:
  static void SetUpTestSuite() {
    // The kernel entry's variant, read once per process: the reference.
    setenv("PICOSAM_INT8_CONV", "reference", 1);
  }
  void SetUp() override {
    ASSERT_EQ(selectedInt8ConvVariant(), Int8ConvVariant::Reference);
    if (!isSupported(GetParam()))
      GTEST_SKIP() << "this machine lacks the CPU features of "
                   << nameOf(GetParam());
  }
};

/// `variant` computes case `c` (number `i`) as the reference does, into
/// another buffer and in place.
void expectReference(Int8ConvVariant variant, const Case &c, int i) {
  std::vector<uint8_t> expected(c.input.size(), 0x5a),
      actual(c.input.size(), 0x5a);
  std::vector<uint8_t> workspace(
      picosam_uk_channel_attention_workspace_bytes(&c.d()));
  picosam_uk_channel_attention_q8(&c.d(), c.input.data(), c.weight.data(),
                                  c.bias.data(), expected.data(),
                                  workspace.data());
  ASSERT_TRUE(channelAttentionInt8(variant, c.d(), c.input.data(),
                                   c.weight.data(), c.bias.data(),
                                   actual.data()));
  ASSERT_EQ(actual, expected) << "case " << i << ": " << c.d().batch << "x"
                              << c.d().channels << "x" << c.d().plane_size;
  // In place: the output over the input.
  std::vector<uint8_t> buffer = c.input;
  ASSERT_TRUE(channelAttentionInt8(variant, c.d(), buffer.data(),
                                   c.weight.data(), c.bias.data(),
                                   buffer.data()));
  ASSERT_EQ(buffer, expected) << "case " << i << " in place";
}

TEST_P(ChannelAttentionInt8Test, IsTheReference) {
  std::mt19937 rng(1);
  for (int i = 0; i < 300; ++i) {
    expectReference(GetParam(), randomCase(rng), i);
    if (HasFatalFailure())
      return;
  }
}

/// Gates past int16 whose tables' products (x - zp) * gate fit in int32.
TEST_P(ChannelAttentionInt8Test, GatesBeyondInt16AreExact) {
  std::mt19937 rng(2);
  for (int i = 0; i < 20; ++i) {
    Case c = randomCase(rng);
    for (int64_t k = 0; k < c.d().table_size; ++k)
      c.table()[k] = k % 2 ? 40000 : -8421504; // -INT32_MAX / 255
    expectReference(GetParam(), c, i);
    if (HasFatalFailure())
      return;
  }
}

TEST_P(ChannelAttentionInt8Test, GatesWhoseProductsPassInt32AreLeftToTheReference) {
  std::mt19937 rng(2);
  Case c = randomCase(rng);
  for (int64_t i = 0; i < c.d().table_size; ++i)
    c.table()[i] = 8421505; // INT32_MAX / 255 + 1
  std::vector<uint8_t> output(c.input.size(), 0x5a);
  EXPECT_FALSE(channelAttentionInt8(GetParam(), c.d(), c.input.data(),
                                    c.weight.data(), c.bias.data(),
                                    output.data()));
  EXPECT_EQ(output, std::vector<uint8_t>(c.input.size(), 0x5a));
}

INSTANTIATE_TEST_SUITE_P(Variants, ChannelAttentionInt8Test,
                         ::testing::ValuesIn(kFastInt8Variants),
                         [](const auto &info) {
                           return std::string(nameOf(info.param));
                         });

} // namespace
