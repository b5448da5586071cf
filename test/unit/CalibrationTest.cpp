//===- CalibrationTest.cpp - thresholds and the calibration table ---------===//
#include "picosam/Quantization/Calibration.h"
#include "picosam/Quantization/CalibrationTable.h"

#include "gtest/gtest.h"

using namespace picosam;

namespace {
/// A histogram of `counts` over [0, counts.size()) (bins of width 1).
Histogram unitBins(std::vector<double> counts) {
  Histogram histogram;
  histogram.range = static_cast<double>(counts.size());
  histogram.counts = std::move(counts);
  return histogram;
}
} // namespace

TEST(CalibrationTest, StepsPerThreshold) {
  EXPECT_EQ(stepsPerThreshold(QuantizationProfile::Cpu, true), 255.0);
  EXPECT_EQ(stepsPerThreshold(QuantizationProfile::Cpu, false), 127.5);
  EXPECT_EQ(stepsPerThreshold(QuantizationProfile::Imx500, true), 256.0);
  EXPECT_EQ(stepsPerThreshold(QuantizationProfile::Imx500, false), 128.0);
}

TEST(CalibrationTest, QuantizationErrorByHand) {
  // Centres 0.5, 1.5 are below T = 2 (step 1: 1/12 each), 2.5 is clipped
  // by 0.5: 2/12 + 0.25.
  Histogram histogram = unitBins({2, 0, 1});
  EXPECT_DOUBLE_EQ(quantizationError(histogram, 2.0, 2.0), 2.0 / 12 + 0.25);
}

TEST(CalibrationTest, Percentile) {
  Histogram histogram = unitBins(std::vector<double>(100, 1.0));
  EXPECT_DOUBLE_EQ(percentileThreshold(histogram, 50.0), 50.0);
  EXPECT_DOUBLE_EQ(percentileThreshold(histogram, 99.5), 100.0);
  EXPECT_DOUBLE_EQ(percentileThreshold(histogram, 100.0), 100.0);
}

TEST(CalibrationTest, MseKeepsAUniformRangeAndClipsARareOutlier) {
  // Uniform: clipping costs more than the finer step saves, except the
  // last bin's half (its centre 255.5 is clipped by 0.5 at T = 255).
  Histogram uniform = unitBins(std::vector<double>(256, 1000.0));
  EXPECT_DOUBLE_EQ(mseThreshold(uniform, 127.5), 255.0);
  // One value at 10x the range: the best threshold clips it (its squared
  // error) rather than coarsen the step tenfold for everything else.
  std::vector<double> counts(2560, 0.0);
  for (int i = 0; i < 256; ++i)
    counts[i] = 1000.0;
  counts.back() = 1.0;
  Histogram outlier = unitBins(counts);
  double threshold = mseThreshold(outlier, 127.5);
  EXPECT_GE(threshold, 256.0);
  EXPECT_LT(threshold, 2559.0);
  EXPECT_LT(quantizationError(outlier, threshold, 127.5),
            quantizationError(outlier, 2560.0, 127.5));
}

TEST(CalibrationTest, KlClipsALongThinTail) {
  // A dense body over [0, 200) and a thin tail to 2048.
  std::vector<double> counts(2048, 1.0);
  for (int i = 0; i < 200; ++i)
    counts[i] = 10000.0;
  double threshold = klThreshold(unitBins(counts), 128.0);
  EXPECT_GE(threshold, 200.0);
  EXPECT_LT(threshold, 2048.0);
  // Without a tail nothing is clipped.
  EXPECT_DOUBLE_EQ(klThreshold(unitBins(std::vector<double>(2048, 5.0)), 128),
                   2048.0);
}

TEST(CalibrationTest, KlCollapseOnANarrowRangeFallsBackToMse) {
  // Uniform values in [0.18, 0.91], a squeeze-and-excitation gate's range:
  // 2048 bins over [0, 0.91], the values from bin 405 up.
  Histogram gates;
  gates.range = 0.91;
  gates.counts.assign(2048, 0.0);
  for (size_t i = 405; i < 2048; ++i)
    gates.counts[i] = 100.0;
  // TensorRT's search finds a divergence of 0 just above the lowest values:
  // clipped there, the histogram and its quantization are one bin each.
  double width = gates.binWidth();
  EXPECT_LE(klThreshold(gates, 255.0), 407 * width);
  // The guard: below the 90th percentile, the mse threshold is taken.
  ASSERT_GT(percentileThreshold(gates, kKlMinimumPercentile), 407 * width);
  CalibrationOptions options;
  options.method = CalibrationMethod::Kl;
  std::optional<double> collapsed;
  EXPECT_DOUBLE_EQ(chooseThreshold(gates, true, options, &collapsed),
                   mseThreshold(gates, 255.0));
  ASSERT_TRUE(collapsed.has_value());
  EXPECT_DOUBLE_EQ(*collapsed, klThreshold(gates, 255.0));
  EXPECT_GT(mseThreshold(gates, 255.0), 0.9);
  // A threshold that clips a thin tail is kl's own, with nothing reported.
  std::vector<double> counts(2048, 1.0);
  for (int i = 0; i < 200; ++i)
    counts[i] = 10000.0;
  Histogram tail = unitBins(counts);
  collapsed.reset();
  EXPECT_DOUBLE_EQ(chooseThreshold(tail, false, options, &collapsed),
                   klThreshold(tail, 127.5));
  EXPECT_FALSE(collapsed.has_value());
}

TEST(CalibrationTest, Imx500ThresholdsArePowersOfTwo) {
  Histogram histogram = unitBins(std::vector<double>(5, 100.0));
  CalibrationOptions options;
  options.profile = QuantizationProfile::Imx500;
  // minmax never clips: 5 -> 8.
  options.method = CalibrationMethod::MinMax;
  EXPECT_DOUBLE_EQ(chooseThreshold(histogram, true, options), 8.0);
  // Others take the power of two around the method's threshold with the
  // smaller error: for a uniform [0, 5), 4 clips a fifth of the values by
  // 0.5 on average, 8 only coarsens the step; 8 wins.
  options.method = CalibrationMethod::Mse;
  double threshold = chooseThreshold(histogram, true, options);
  EXPECT_TRUE(threshold == 4.0 || threshold == 8.0);
  EXPECT_EQ(threshold,
            quantizationError(histogram, 4.0, 256.0) <
                    quantizationError(histogram, 8.0, 256.0)
                ? 4.0
                : 8.0);
  // An all-zero tensor has threshold 0.
  EXPECT_EQ(chooseThreshold(Histogram{0.0, std::vector<double>(8, 0.0)}, true,
                            options),
            0.0);
}

TEST(CalibrationTest, TableRoundTrip) {
  llvm::Expected<CalibrationTable> table = CalibrationTable::parse(
      "# comment\n"
      "input -2.11790395 2.6400001 2.6400001\n"
      "\n"
      "a name with spaces\t0 1.5 1\n",
      "t.txt");
  ASSERT_TRUE(static_cast<bool>(table)) << llvm::toString(table.takeError());
  ASSERT_EQ(table->entries().size(), 2u);
  const CalibrationEntry *spaced = table->lookup("a name with spaces");
  ASSERT_NE(spaced, nullptr);
  EXPECT_EQ(spaced->max, 1.5f);
  EXPECT_EQ(table->lookup("missing"), nullptr);
  std::string text;
  llvm::raw_string_ostream os(text);
  table->print(os);
  llvm::Expected<CalibrationTable> again = CalibrationTable::parse(text, "u");
  ASSERT_TRUE(static_cast<bool>(again));
  for (const CalibrationEntry &entry : table->entries()) {
    const CalibrationEntry *other = again->lookup(entry.name);
    ASSERT_NE(other, nullptr);
    EXPECT_EQ(other->min, entry.min);
    EXPECT_EQ(other->max, entry.max);
    EXPECT_EQ(other->threshold, entry.threshold);
  }
  EXPECT_FALSE(table->add({"input", 0, 0, 0}));
}
