//===- MemoryAccountingTest.cpp - the memory count, without MLIR ----------===//
//
// The accounting links alone (PicoMemoryAccounting, no MLIR), as a tool
// reading a network file would use it; figures counted by hand.
//
//===----------------------------------------------------------------------===//
#include "picosam/Analysis/MemoryAccounting.h"

#include <gtest/gtest.h>

using namespace picosam;

namespace {

/// A depthwise 3x3 conv of 3 channels and a pointwise conv of 3 -> 48, an
/// arena of 1,000, a whole-tensor peak of 1,200, a 1x3x8x8 input.
MemoryInputs twoLayers() {
  MemoryInputs inputs;
  inputs.layers = {{"/dw", "pico.conv2d", 3, 9}, {"/pw", "pico.conv2d", 48, 3}};
  inputs.otherConstantBytes = 10;
  inputs.constantBytes = 3 * 9 + 48 * 3 + 4 * (3 + 48) + 10;
  inputs.arenaBytes = 1000;
  inputs.activationPeakBytes = 1200;
  inputs.activationPeakStep = 1;
  inputs.inputElements = 3 * 8 * 8;
  return inputs;
}

MemoryAccountingOptions imx500(int64_t total, int64_t group, bool persistent) {
  MemoryAccountingOptions options;
  options.kind = MemoryAccountingKind::Imx500;
  options.totalBytes = total;
  options.reservedBytes = 1024;
  options.outputChannelGroup = group;
  options.inputPersistent = persistent;
  return options;
}

TEST(MemoryAccounting, Imx500PadsOutputChannelsToTheGroup) {
  MemoryAccount account = accountMemory(twoLayers(), imx500(8388480, 32, true));
  ASSERT_EQ(account.layers.size(), 2u);
  // /dw: 3 channels padded to 32: 32 x 9 weights, 32 x 4 bias, 32 x 8.
  EXPECT_EQ(account.layers[0].paddedOutputChannels, 32);
  EXPECT_EQ(account.layers[0].weightBytes, 288);
  EXPECT_EQ(account.layers[0].biasBytes, 128);
  EXPECT_EQ(account.layers[0].quantizationBytes, 256);
  // /pw: 48 padded to 64: 64 x 3 + 256 + 512 = 960.
  EXPECT_EQ(account.layers[1].paddedOutputChannels, 64);
  EXPECT_EQ(account.layers[1].bytes(), 960);
  EXPECT_EQ(account.modelBytes, 672 + 960 + 10);
  // max(1,000, 1,200) + 192 input bytes.
  EXPECT_EQ(account.runtimeBytes, 1200 + 192);
  EXPECT_EQ(account.usageBytes(), 1642 + 1392 + 1024);
  EXPECT_TRUE(account.fits());
  EXPECT_NEAR(account.utilizationPercent(), 100.0 * 4058 / 8388480, 1e-12);
}

TEST(MemoryAccounting, Imx500OptionsChangeWhatTheySay) {
  MemoryAccount account = accountMemory(twoLayers(), imx500(4058, 1, false));
  // Groups of 1 pad nothing: /dw 27 + 12 + 24, /pw 144 + 192 + 384.
  EXPECT_EQ(account.modelBytes, 63 + 720 + 10);
  EXPECT_EQ(account.runtimeBytes, 1200);
  EXPECT_FALSE(account.inputPersistent);
  EXPECT_EQ(account.usageBytes(), 793 + 1200 + 1024);
  EXPECT_TRUE(account.fits());
}

TEST(MemoryAccounting, ArenaCountsWhenAboveTheWholeTensorPeak) {
  MemoryInputs inputs = twoLayers();
  inputs.arenaBytes = 5000;
  EXPECT_EQ(accountMemory(inputs, imx500(0, 32, false)).runtimeBytes, 5000);
}

TEST(MemoryAccounting, AsPlannedIsWeightsAndArena) {
  MemoryAccountingOptions options;
  options.totalBytes = 1500;
  options.reservedBytes = 100;
  MemoryAccount account = accountMemory(twoLayers(), options);
  EXPECT_EQ(account.modelBytes, twoLayers().constantBytes);
  EXPECT_EQ(account.runtimeBytes, 1000);
  EXPECT_TRUE(account.layers.empty());
  EXPECT_EQ(account.usageBytes(), 385 + 1000 + 100);
  EXPECT_TRUE(account.fits());
  options.totalBytes = 1484;
  account = accountMemory(twoLayers(), options);
  EXPECT_FALSE(account.fits());
  EXPECT_EQ(describeShortfall(account),
            "needs 1,485 bytes, 1,484 available (weights 385 + arena 1,000 + "
            "reserved 100; over by 1)");
}

TEST(MemoryAccounting, NoLimitAlwaysFits) {
  MemoryAccount account = accountMemory(twoLayers(), imx500(0, 32, true));
  EXPECT_FALSE(account.hasLimit());
  EXPECT_TRUE(account.fits());
  EXPECT_EQ(account.utilizationPercent(), 0);
}

TEST(MemoryAccounting, Imx500Shortfall) {
  MemoryAccount account = accountMemory(twoLayers(), imx500(4000, 32, true));
  EXPECT_EQ(describeShortfall(account),
            "needs 4,058 bytes, 4,000 available (model memory 1,642 + runtime "
            "memory 1,392 + reserved 1,024; over by 58)");
}

TEST(MemoryAccounting, ThousandsSeparators) {
  EXPECT_EQ(formatWithThousands(0), "0");
  EXPECT_EQ(formatWithThousands(999), "999");
  EXPECT_EQ(formatWithThousands(1548288), "1,548,288");
  EXPECT_EQ(formatWithThousands(-1000), "-1,000");
}

} // namespace
