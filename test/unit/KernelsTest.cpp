//===- KernelsTest.cpp - the kernel library, on raw buffers ---------------===//
//
// The kernels as the CPU backend and the IMX500 simulator run them, with no
// MLIR in sight: a convolution computed band of rows by band of rows equals
// the whole one bit for bit (float and integer; strided, dilated, grouped,
// upsampled, with a residual), and both equal a direct loop written here;
// float sums run in double;
// the float and the integer epilogue share one window loop; pools, resize
// modes and requantization edge cases, against values computed by hand.
//
//===----------------------------------------------------------------------===//
#include "picosam/Kernels/ChannelAttention.h"
#include "picosam/Kernels/Conv.h"
#include "picosam/Kernels/Normalization.h"
#include "picosam/Kernels/Pool.h"
#include "picosam/Kernels/Requantization.h"
#include "picosam/Kernels/Resize.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace picosam::kernels;

namespace {

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

/// A convolution of two batches with symmetric padding; the output size
/// follows from the rest.
Conv2DGeometry makeGeometry(int64_t channels, int64_t height, int64_t width,
                            int64_t outChannels, int64_t kernel,
                            int64_t groups, int64_t stride, int64_t dilation,
                            int64_t pad, int64_t upsample) {
  Conv2DGeometry g;
  g.batch = 2;
  g.inChannels = channels;
  g.inHeight = height;
  g.inWidth = width;
  g.outChannels = outChannels;
  g.kernelHeight = g.kernelWidth = kernel;
  g.groups = groups;
  g.strideH = g.strideW = stride;
  g.dilationH = g.dilationW = dilation;
  g.padTop = g.padLeft = pad;
  g.upsample = upsample;
  int64_t extent = (kernel - 1) * dilation + 1;
  g.outHeight = (height * upsample + 2 * pad - extent) / stride + 1;
  g.outWidth = (width * upsample + 2 * pad - extent) / stride + 1;
  return g;
}

struct ConvCase {
  const char *name;
  Conv2DGeometry geometry;
  bool residual;
};

/// Every feature of the window loop, alone and together.
std::vector<ConvCase> convCases() {
  return {
      {"pointwise", makeGeometry(4, 6, 5, 3, 1, 1, 1, 1, 0, 1), false},
      {"strided", makeGeometry(3, 9, 8, 4, 3, 1, 2, 1, 1, 1), false},
      {"dilated", makeGeometry(3, 9, 7, 2, 3, 1, 1, 2, 2, 1), true},
      {"grouped", makeGeometry(4, 7, 6, 6, 3, 2, 1, 1, 1, 1), false},
      {"depthwise", makeGeometry(4, 7, 6, 4, 3, 4, 1, 1, 1, 1), true},
      {"upsampled", makeGeometry(3, 4, 3, 2, 3, 1, 1, 1, 1, 2), true},
      {"all_at_once", makeGeometry(4, 5, 6, 4, 3, 2, 2, 2, 2, 2), true},
  };
}

int64_t inputSize(const Conv2DGeometry &g) {
  return g.batch * g.inChannels * g.inHeight * g.inWidth;
}
int64_t weightSize(const Conv2DGeometry &g) {
  return g.outChannels * g.groupChannels() * g.kernelHeight * g.kernelWidth;
}
int64_t outputSize(const Conv2DGeometry &g) {
  return g.batch * g.outChannels * g.outHeight * g.outWidth;
}

template <typename T>
std::vector<T> randomValues(int64_t count, double low, double high,
                            unsigned seed) {
  std::mt19937 generator(seed);
  std::vector<T> values(count);
  for (T &value : values) {
    if constexpr (std::is_floating_point_v<T>)
      value = std::uniform_real_distribution<T>(low, high)(generator);
    else
      value = static_cast<T>(std::uniform_int_distribution<int>(
          static_cast<int>(low), static_cast<int>(high))(generator));
  }
  return values;
}

/// The convolution as a direct loop over every output element, the sums in
/// the order the kernels promise: `initial(oc)`, then by input channel,
/// kernel row and kernel column. `finish(oc, sum, index)` makes element
/// `index`'s output value of its sum.
template <typename Out, typename In, typename W, typename Initial,
          typename Load, typename Finish>
std::vector<Out> directConv(const Conv2DGeometry &g, const std::vector<In> &in,
                            const std::vector<W> &weight, Initial initial,
                            Load load, Finish finish) {
  std::vector<Out> out(outputSize(g));
  int64_t height = g.readHeight(), width = g.readWidth();
  int64_t perGroup = g.outChannels / g.groups, index = 0;
  for (int64_t b = 0; b < g.batch; ++b)
    for (int64_t oc = 0; oc < g.outChannels; ++oc)
      for (int64_t oh = 0; oh < g.outHeight; ++oh)
        for (int64_t ow = 0; ow < g.outWidth; ++ow, ++index) {
          auto sum = initial(oc);
          for (int64_t ic = 0; ic < g.groupChannels(); ++ic) {
            int64_t c = (oc / perGroup) * g.groupChannels() + ic;
            for (int64_t kh = 0; kh < g.kernelHeight; ++kh)
              for (int64_t kw = 0; kw < g.kernelWidth; ++kw) {
                int64_t h = oh * g.strideH - g.padTop + kh * g.dilationH;
                int64_t w = ow * g.strideW - g.padLeft + kw * g.dilationW;
                if (h < 0 || h >= height || w < 0 || w >= width)
                  continue;
                In x = in[((b * g.inChannels + c) * g.inHeight +
                           h / g.upsample) *
                              g.inWidth +
                          w / g.upsample];
                W k = weight[((oc * g.groupChannels() + ic) * g.kernelHeight +
                              kh) *
                                 g.kernelWidth +
                             kw];
                sum += static_cast<decltype(sum)>(k) * load(x);
              }
          }
          out[index] = finish(oc, sum, index);
        }
  return out;
}

/// Runs the convolution whole, then in bands of `band` rows, each into a
/// buffer holding only its rows (as a tiled execution keeps them), and
/// returns both results.
template <typename Out, typename In, typename W, typename Epilogue>
std::pair<std::vector<Out>, std::vector<Out>>
wholeAndBanded(const Conv2DGeometry &g, const std::vector<In> &input,
               const std::vector<W> &weight, const Epilogue &epilogue,
               int64_t band) {
  auto in = NCHWView<const In>::dense(input.data(), g.inChannels, g.inHeight,
                                      g.inWidth);
  // Each call gets exactly the workspace conv2dWorkspaceBytes asks for
  // (taking more asserts in a debug build).
  using Acc = typename Epilogue::Acc;
  WorkspaceBuffer buffer;
  auto workspace = [&](int64_t rows) {
    Workspace exact = buffer.get(conv2dWorkspaceBytes<Acc>(g, rows));
    exact.bytes = conv2dWorkspaceBytes<Acc>(g, rows);
    return exact;
  };
  std::vector<Out> whole(outputSize(g));
  conv2d(g, in, weight.data(),
         NCHWView<Out>::dense(whole.data(), g.outChannels, g.outHeight,
                              g.outWidth),
         0, g.outHeight, epilogue, workspace(g.outHeight));
  std::vector<Out> banded(outputSize(g));
  for (int64_t first = 0; first < g.outHeight; first += band) {
    int64_t rows = std::min(band, g.outHeight - first);
    std::vector<Out> buffer(g.batch * g.outChannels * rows * g.outWidth);
    NCHWView<Out> view{buffer.data(), g.outChannels * rows * g.outWidth,
                       rows * g.outWidth, g.outWidth, first};
    conv2d(g, in, weight.data(), view, first, first + rows, epilogue,
           workspace(rows));
    for (int64_t b = 0; b < g.batch; ++b)
      for (int64_t oc = 0; oc < g.outChannels; ++oc)
        for (int64_t oh = first; oh < first + rows; ++oh)
          std::copy(view.row(b, oc, oh), view.row(b, oc, oh) + g.outWidth,
                    banded.data() +
                        ((b * g.outChannels + oc) * g.outHeight + oh) *
                            g.outWidth);
  }
  return {whole, banded};
}

/// Random operands of a convolution: values of input, weight and bias in
/// [-range, range] for each, and a residual like the input.
template <typename In, typename W, typename Bias> struct ConvOperands {
  std::vector<In> input, residual;
  std::vector<W> weight;
  std::vector<Bias> bias;

  ConvOperands(const Conv2DGeometry &g, double inputRange, double weightRange,
               double biasRange, unsigned seed)
      : input(randomValues<In>(inputSize(g), -inputRange, inputRange, seed)),
        residual(randomValues<In>(outputSize(g), -inputRange, inputRange,
                                  seed + 1)),
        weight(randomValues<W>(weightSize(g), -weightRange, weightRange,
                               seed + 2)),
        bias(randomValues<Bias>(g.outChannels, -biasRange, biasRange,
                                seed + 3)) {}
};

template <typename T>
bool sameBits(const std::vector<T> &a, const std::vector<T> &b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

} // namespace

TEST(ConvKernelTest, FloatRowBandsEqualTheWholeConvolution) {
  for (const ConvCase &c : convCases()) {
    SCOPED_TRACE(c.name);
    const Conv2DGeometry &g = c.geometry;
    ConvOperands<float, float, float> operands(g, 2, 1, 1, 1);
    const auto &[input, residual, weight, bias] = operands;
    Activation leaky{ActivationKind::LeakyRelu, 0.1f};
    FloatConvEpilogue epilogue{bias.data(), {}, leaky};
    if (c.residual)
      epilogue.residual = NCHWView<const float>::dense(
          residual.data(), g.outChannels, g.outHeight, g.outWidth);

    // Summed in double, the residual too, then rounded once.
    std::vector<float> direct = directConv<float>(
        g, input, weight,
        [&](int64_t oc) { return static_cast<double>(operands.bias[oc]); },
        [](float x) { return static_cast<double>(x); },
        [&](int64_t, double sum, int64_t index) {
          return leaky.apply(static_cast<float>(
              c.residual ? sum + operands.residual[index] : sum));
        });
    for (int64_t band : {1, 2, 3, 100}) {
      SCOPED_TRACE(band);
      auto [whole, banded] =
          wholeAndBanded<float>(g, input, weight, epilogue, band);
      EXPECT_TRUE(sameBits(whole, direct));
      EXPECT_TRUE(sameBits(whole, banded));
    }
  }
}

TEST(ConvKernelTest, FloatSumsRunInDouble) {
  // 1e8 + 1 - 1e8 over three input channels of a 1x1 convolution: a float
  // accumulator loses the 1 (1e8 + 1 rounds to 1e8), a double keeps it; the
  // residual is added before the one rounding too.
  Conv2DGeometry g;
  g.inChannels = 3;
  g.outChannels = 1;
  g.inHeight = g.inWidth = g.outHeight = g.outWidth = 1;
  std::vector<float> input = {1e8f, 1.0f, 1e8f}, weight = {1.0f, 1.0f, -1.0f};
  float bias = 0.25f, residual = 0.5f, out = 0.0f;
  FloatConvEpilogue epilogue{&bias, NCHWView<const float>::dense(&residual, 1, 1, 1)};
  conv2d(g, NCHWView<const float>::dense(input.data(), 3, 1, 1), weight.data(),
         NCHWView<float>::dense(&out, 1, 1, 1), 0, 1, epilogue,
         WorkspaceBuffer().get(conv2dWorkspaceBytes<double>(g, 1)));
  EXPECT_EQ(out, 1.75f);
}

TEST(ConvKernelTest, Int8RowBandsEqualTheWholeConvolution) {
  TensorQuantization input{0.05, 3, -128, 127}, output{0.1, -5, -128, 127},
      residualQuantization{0.07, 2, -128, 127};
  for (const ConvCase &c : convCases()) {
    SCOPED_TRACE(c.name);
    const Conv2DGeometry &g = c.geometry;
    // int8 storage values, as a backend holds them.
    ConvOperands<int8_t, int8_t, int32_t> operands(g, 127, 127, 3000, 5);
    const auto &[in, residual, weight, bias] = operands;
    std::vector<double> weightScales;
    for (int64_t oc = 0; oc < g.outChannels; ++oc)
      weightScales.push_back(0.002 * (oc + 1));
    ConvRequantization params = makeConvRequantization(
        input, weightScales, output,
        c.residual ? std::optional(residualQuantization) : std::nullopt,
        *activationClamp({ActivationKind::Relu}, output));
    QuantizedConvEpilogue<int8_t, int32_t> epilogue{params.view(), bias.data()};
    if (c.residual)
      epilogue.residual = NCHWView<const int8_t>::dense(
          residual.data(), g.outChannels, g.outHeight, g.outWidth);

    std::vector<int8_t> direct = directConv<int8_t>(
        g, in, weight, [](int64_t) { return int32_t(0); },
        [&](int8_t x) { return int32_t(x) - input.zeroPoint; },
        [&](int64_t oc, int32_t sum, int64_t index) {
          int64_t total = int64_t(sum) + operands.bias[oc];
          if (c.residual)
            total += params.view().residualTerm(oc, operands.residual[index]);
          return static_cast<int8_t>(params.view().requantize(oc, total));
        });
    // The clamp of the fused relu is the output's zero point.
    EXPECT_TRUE(std::count(direct.begin(), direct.end(), -5) > 0);
    EXPECT_TRUE(std::count_if(direct.begin(), direct.end(),
                              [](int8_t q) { return q > -5; }) > 0);
    for (int64_t band : {1, 2, 3, 100}) {
      SCOPED_TRACE(band);
      auto [whole, banded] =
          wholeAndBanded<int8_t>(g, in, weight, epilogue, band);
      EXPECT_EQ(whole, direct);
      EXPECT_EQ(whole, banded);
    }
  }
}

TEST(ConvKernelTest, FloatAndIntegerEpiloguesShareTheWindowLoop) {
  // With every scale 1 and every zero point 0, requantization is exact, so
  // the integer convolution of small integers must give the float one's
  // values: the two differ only in their epilogues.
  TensorQuantization unit{1.0, 0, -128, 127};
  for (const ConvCase &c : convCases()) {
    SCOPED_TRACE(c.name);
    const Conv2DGeometry &g = c.geometry;
    ConvOperands<int8_t, int8_t, int32_t> operands(g, 3, 2, 5, 9);
    const auto &[in, residual, weight, bias] = operands;
    std::vector<double> weightScales(g.outChannels, 1.0);
    ConvRequantization params = makeConvRequantization(
        unit, weightScales, unit,
        c.residual ? std::optional(unit) : std::nullopt, storageBounds(unit));
    QuantizedConvEpilogue<int8_t, int32_t> integerEpilogue{params.view(),
                                                           bias.data()};
    std::vector<float> inF(in.begin(), in.end()),
        weightF(weight.begin(), weight.end()), biasF(bias.begin(), bias.end()),
        residualF(residual.begin(), residual.end());
    FloatConvEpilogue floatEpilogue{biasF.data()};
    if (c.residual) {
      integerEpilogue.residual = NCHWView<const int8_t>::dense(
          residual.data(), g.outChannels, g.outHeight, g.outWidth);
      floatEpilogue.residual = NCHWView<const float>::dense(
          residualF.data(), g.outChannels, g.outHeight, g.outWidth);
    }
    auto integer =
        wholeAndBanded<int8_t>(g, in, weight, integerEpilogue, 100).first;
    auto real = wholeAndBanded<float>(g, inF, weightF, floatEpilogue, 100).first;
    ASSERT_EQ(integer.size(), real.size());
    for (size_t i = 0; i < real.size(); ++i)
      ASSERT_EQ(static_cast<float>(integer[i]), real[i]) << "element " << i;
  }
}

TEST(ConvKernelTest, ChannelAttentionIsTheOpsItFuses) {
  // 2 batches of 3 channels of 2x2: means, gates = sigmoid(bias + w *
  // means), out = x * gate.
  int64_t batch = 2, channels = 3, plane = 4;
  auto in = randomValues<float>(batch * channels * plane, -2, 2, 13);
  auto weight = randomValues<float>(channels * channels, -1, 1, 14);
  auto bias = randomValues<float>(channels, -1, 1, 15);
  std::vector<float> out(in.size());
  channelAttention(in.data(), batch, channels, plane, weight.data(),
                   out.data(), FloatAverage{},
                   FloatConvEpilogue{bias.data(), {}, {ActivationKind::Sigmoid}},
                   [](float x, float gate) { return x * gate; },
                   WorkspaceBuffer().get(
                       channelAttentionWorkspaceBytes<float, double>(batch, channels)));
  Activation sigmoid{ActivationKind::Sigmoid};
  for (int64_t b = 0; b < batch; ++b) {
    std::vector<float> means(channels);
    for (int64_t c = 0; c < channels; ++c) {
      double sum = 0.0;
      for (int64_t j = 0; j < plane; ++j)
        sum += in[(b * channels + c) * plane + j];
      means[c] = static_cast<float>(sum / plane);
    }
    for (int64_t c = 0; c < channels; ++c) {
      double logit = bias[c];
      for (int64_t k = 0; k < channels; ++k)
        logit += static_cast<double>(weight[c * channels + k]) * means[k];
      float gate = sigmoid.apply(static_cast<float>(logit));
      for (int64_t j = 0; j < plane; ++j) {
        int64_t i = (b * channels + c) * plane + j;
        EXPECT_EQ(out[i], in[i] * gate) << "element " << i;
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// Pools
//===----------------------------------------------------------------------===//

TEST(PoolKernelTest, AveragePoolDivisors) {
  // 3x3 input 1..9, 2x2 windows, stride 1, padding 1: 4x4 windows.
  std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  PoolWindow window{2, 2, 1, 1, 1, 1, 1, 1, 1, 1};
  std::vector<float> excluded(16), included(16);
  averagePool(in.data(), 1, 3, 3, window, false, excluded.data(), 4, 4,
              FloatAverage{});
  averagePool(in.data(), 1, 3, 3, window, true, included.data(), 4, 4,
              FloatAverage{});
  // The corner window holds only input 1; the centre ones four inputs.
  EXPECT_EQ(excluded[0], 1.0f);
  EXPECT_EQ(included[0], 0.25f);
  EXPECT_EQ(excluded[5], 3.0f); // (1 + 2 + 4 + 5) / 4
  EXPECT_EQ(included[5], 3.0f);
  EXPECT_EQ(excluded[1], 1.5f); // (1 + 2) / 2
  EXPECT_EQ(included[1], 0.75f);

  // The same windows on storage values at zero point 10, requantized to a
  // zero point of -3 with every divisor's own multiplier.
  std::vector<int16_t> stored;
  for (float x : in)
    stored.push_back(static_cast<int16_t>(x + 10));
  AverageRequantization params = makeAverageRequantization(
      {1.0, 10, -128, 127}, {1.0, -3, -128, 127}, 1, 4);
  std::vector<int8_t> quantized(16);
  averagePool(stored.data(), 1, 3, 3, window, false, quantized.data(), 4, 4,
              QuantizedAverage{params});
  EXPECT_EQ(quantized[0], 1 - 3);
  EXPECT_EQ(quantized[5], 3 - 3);
  EXPECT_EQ(quantized[1], 2 - 3); // 1.5 rounds up
}

TEST(PoolKernelTest, GlobalAverageFloatAndInteger) {
  std::vector<float> in = {1, 2, 3, 4, -1, -2, -3, -5};
  std::vector<float> means(2);
  globalAveragePool(in.data(), 2, 4, means.data(), FloatAverage{});
  EXPECT_EQ(means, (std::vector<float>{2.5f, -2.75f}));
  // Scale 0.5 in, 0.25 out: the means of the reals, 2.5 and -2.75, are 10
  // and -11 at the output's scale.
  std::vector<int32_t> stored = {2, 4, 6, 8, -2, -4, -6, -10};
  AverageRequantization params = makeAverageRequantization(
      {0.5, 0, -128, 127}, {0.25, 0, -128, 127}, 4, 4);
  std::vector<int32_t> quantized(2);
  globalAveragePool(stored.data(), 2, 4, quantized.data(),
                    QuantizedAverage{params});
  EXPECT_EQ(quantized, (std::vector<int32_t>{10, -11}));
}

TEST(PoolKernelTest, MaxPoolPaddingNeverWins) {
  // 2x2 input; 1x1 windows at stride 2 with one row and column of padding
  // in front: window (0, 0) reads only padding, window (1, 1) input (1, 1).
  std::vector<float> in = {1, 2, 3, std::nanf("")};
  PoolWindow window{1, 1, 2, 2, 1, 1, 1, 1, 0, 0};
  std::vector<float> out(4);
  maxPool(in.data(), 1, 2, 2, window, out.data(), 2, 2, FloatMaximum{});
  EXPECT_EQ(out[0], -std::numeric_limits<float>::infinity());
  EXPECT_EQ(out[1], -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(out[3]));
  // 2x2 windows at stride 1: NaN propagates, -1 beats -2.
  std::vector<float> negatives = {-2, -1, -3, -4};
  PoolWindow whole{2, 2, 1, 1, 1, 1, 0, 0, 0, 0};
  float best;
  maxPool(negatives.data(), 1, 2, 2, whole, &best, 1, 1, FloatMaximum{});
  EXPECT_EQ(best, -1.0f);
  maxPool(in.data(), 1, 2, 2, whole, &best, 1, 1, FloatMaximum{});
  EXPECT_TRUE(std::isnan(best));

  // Storage values: a window in padding gives the storage minimum, moved
  // to the output's quantization (here: scale halved, zero point 0).
  std::vector<int8_t> stored = {1, 2, 3, 4};
  Rescale rescale = makeRescale({1.0, 0, -128, 127}, {2.0, 0, -128, 127});
  std::vector<int8_t> quantized(4);
  maxPool(stored.data(), 1, 2, 2, window, quantized.data(), 2, 2,
          QuantizedMaximum{rescale});
  EXPECT_EQ(quantized, (std::vector<int8_t>{-64, -64, -64, 2}));
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

namespace {
/// The input indices nearest resizing of an axis of 3 to 6 reads.
std::vector<int64_t> nearestIndices(CoordinateTransformMode coordinates,
                                    NearestMode rounding) {
  ResizeTaps taps = resizeTaps(ResizeMode::Nearest, coordinates, rounding,
                               {2.0f}, {3}, {6});
  std::vector<int64_t> indices;
  for (const AxisTap &tap : taps.taps[0]) {
    EXPECT_EQ(tap.low, tap.high);
    indices.push_back(tap.low);
  }
  EXPECT_TRUE(taps.interpolatedAxes.empty());
  return indices;
}
} // namespace

TEST(ResizeKernelTest, NearestIndexOfEveryMode) {
  using C = CoordinateTransformMode;
  using N = NearestMode;
  // The source coordinates of an axis of 3 resized to 6 (scale 2):
  //   half_pixel (and pytorch_half_pixel): -0.25 0.25 0.75 1.25 1.75 2.25
  //   asymmetric: 0 0.5 1 1.5 2 2.5
  //   align_corners: 0 0.4 0.8 1.2 1.6 2
  //   tf_half_pixel_for_nearest: 0.25 0.75 1.25 1.75 2.25 2.75
  struct {
    C coordinates;
    N rounding;
    std::vector<int64_t> indices;
  } cases[] = {
      {C::HalfPixel, N::RoundPreferFloor, {0, 0, 1, 1, 2, 2}},
      {C::PytorchHalfPixel, N::RoundPreferFloor, {0, 0, 1, 1, 2, 2}},
      {C::Asymmetric, N::Floor, {0, 0, 1, 1, 2, 2}},
      {C::Asymmetric, N::RoundPreferFloor, {0, 0, 1, 1, 2, 2}},
      {C::Asymmetric, N::RoundPreferCeil, {0, 1, 1, 2, 2, 2}},
      {C::Asymmetric, N::Ceil, {0, 1, 1, 2, 2, 2}},
      {C::AlignCorners, N::RoundPreferFloor, {0, 0, 1, 1, 2, 2}},
      {C::TfHalfPixelForNearest, N::Floor, {0, 0, 1, 1, 2, 2}},
      {C::TfHalfPixelForNearest, N::Ceil, {1, 1, 2, 2, 2, 2}},
  };
  for (const auto &c : cases)
    EXPECT_EQ(nearestIndices(c.coordinates, c.rounding), c.indices)
        << "modes " << static_cast<int>(c.coordinates) << ", "
        << static_cast<int>(c.rounding);
}

TEST(ResizeKernelTest, LinearInterpolatesScaledAxesOnly) {
  // [[0, 10], [20, 30]] to 2x4 (scales 1, 2), half_pixel: columns read
  // -0.25 0.25 0.75 1.25, clamped to [0, 1].
  std::vector<float> in = {0, 10, 20, 30};
  ResizeTaps taps =
      resizeTaps(ResizeMode::Linear, CoordinateTransformMode::HalfPixel,
                 NearestMode::RoundPreferFloor, {1.0f, 2.0f}, {2, 2}, {2, 4});
  EXPECT_EQ(taps.interpolatedAxes, (std::vector<int64_t>{1}));
  std::vector<float> out(8);
  resize(in.data(), {2, 2}, out.data(), {2, 4}, taps, FloatResize{});
  EXPECT_EQ(out, (std::vector<float>{0, 2.5f, 7.5f, 10, 20, 22.5f, 27.5f, 30}));
  // Both axes: the centre of the 2x2 cell is the mean of its corners.
  ResizeTaps both =
      resizeTaps(ResizeMode::Linear, CoordinateTransformMode::AlignCorners,
                 NearestMode::RoundPreferFloor, {1.5f, 1.5f}, {2, 2}, {3, 3});
  std::vector<float> grid(9);
  resize(in.data(), {2, 2}, grid.data(), {3, 3}, both, FloatResize{});
  EXPECT_EQ(grid[4], 15.0f);
  EXPECT_EQ(grid[0], 0.0f);
  EXPECT_EQ(grid[8], 30.0f);
}

TEST(ResizeKernelTest, IntegerNearestReadsWhatFloatReads) {
  std::vector<float> in = {-3, 1, 4, 1, 5, 9};
  std::vector<int8_t> stored(in.begin(), in.end());
  ResizeTaps taps =
      resizeTaps(ResizeMode::Nearest, CoordinateTransformMode::Asymmetric,
                 NearestMode::Floor, {1.0f, 2.0f, 2.0f}, {1, 2, 3},
                 {1, 4, 6});
  std::vector<float> real(24);
  resize(in.data(), {1, 2, 3}, real.data(), {1, 4, 6}, taps, FloatResize{});
  Rescale identity = makeRescale({0.5, 0, -128, 127}, {0.5, 0, -128, 127});
  std::vector<int8_t> integer(24);
  resize(stored.data(), {1, 2, 3}, integer.data(), {1, 4, 6}, taps,
         QuantizedNearestResize{identity});
  for (size_t i = 0; i < real.size(); ++i)
    EXPECT_EQ(static_cast<float>(integer[i]), real[i]) << "element " << i;
  EXPECT_EQ(real[7], -3.0f); // row 1 reads input row 0, column 1 column 0
}

//===----------------------------------------------------------------------===//
// Requantization
//===----------------------------------------------------------------------===//

TEST(RequantizationTest, RescaleRoundsAndSaturates) {
  TensorQuantization half{0.5, 0, -128, 127}, one{1.0, 0, -128, 127};
  Rescale down = makeRescale(half, one);
  // 1.5 -> 2; -1.5 -> -1: the high multiply sends ties towards +infinity.
  EXPECT_EQ(down.apply(3), 2);
  EXPECT_EQ(down.apply(-3), -1);
  Rescale up = makeRescale({4.0, 0, -128, 127}, one);
  EXPECT_EQ(up.apply(100), 127);
  EXPECT_EQ(up.apply(-100), -128);
  // Zero points: q - 5 at the input, + (-7) at the output, u8 -> i8.
  Rescale shifted = makeRescale({1.0, 5, 0, 255}, {1.0, -7, -128, 127});
  EXPECT_EQ(shifted.apply(255), 127);
  EXPECT_EQ(shifted.apply(5), -7);
  // The same quantization passes values unchanged, even outside a clamp.
  Rescale same = makeRescale(one, one);
  EXPECT_TRUE(same.isIdentity());
  EXPECT_EQ(same.apply(1000), 1000);
}

TEST(RequantizationTest, ActivationClamps) {
  TensorQuantization out{0.1, -128, -128, 127};
  ClampBounds none = *activationClamp({}, out);
  EXPECT_EQ(none.min, -128);
  EXPECT_EQ(none.max, 127);
  EXPECT_EQ(activationClamp({ActivationKind::Relu}, {0.1, 10, -128, 127})->min,
            10);
  // clip [0, 6] at scale 0.1: 0 -> -128, 6 -> 60 - 128.
  ClampBounds relu6 = *activationClamp({ActivationKind::Clip, 0.0f, 6.0f}, out);
  EXPECT_EQ(relu6.min, -128);
  EXPECT_EQ(relu6.max, -68);
  ClampBounds open = *activationClamp(
      {ActivationKind::Clip, 0.0f, std::numeric_limits<float>::infinity()},
      out);
  EXPECT_EQ(open.max, 127);
  EXPECT_EQ(relu6.apply(-100), -100);
  EXPECT_EQ(relu6.apply(0), -68);
  EXPECT_FALSE(activationClamp({ActivationKind::Sigmoid}, out));
}

TEST(RequantizationTest, QuantizeToStorageRoundsHalfToEven) {
  TensorQuantization q{0.5, 0, -128, 127};
  EXPECT_EQ(quantizeToStorage(0.25, q), 0);
  EXPECT_EQ(quantizeToStorage(0.75, q), 2);
  EXPECT_EQ(quantizeToStorage(-0.25, q), 0);
  EXPECT_EQ(quantizeToStorage(std::numeric_limits<double>::infinity(), q), 127);
  EXPECT_EQ(quantizeToStorage(-std::numeric_limits<double>::infinity(), q),
            -128);
}

TEST(RequantizationTest, SumsSaturateBeforeTheyAreScaled) {
  TensorQuantization out{1.0, 3, -128, 127};
  QuantizedMultiplier one = picosam::fixedpoint::quantizeMultiplier(1.0);
  EXPECT_EQ(requantizeSum(int64_t(1) << 40, one, out), 127);
  EXPECT_EQ(requantizeSum(-(int64_t(1) << 40), one, out), -128);
  EXPECT_EQ(requantizeSum(-5, one, out), -2);
  EXPECT_TRUE(sumFitsInt32(1 << 16, (1 << 15) - 1));
  EXPECT_FALSE(sumFitsInt32(int64_t(1) << 16, int64_t(1) << 15));
}

TEST(RequantizationTest, ConvolutionConstants) {
  TensorQuantization input{0.5, 0, -128, 127}, output{0.25, 0, -128, 127};
  std::vector<double> weightScales = {0.25, 0.0625};
  ConvRequantization params = makeConvRequantization(
      input, weightScales, output, std::nullopt, storageBounds(output));
  // One derivation for every channel: inScale * wScale[c] / outScale.
  EXPECT_EQ(params.multipliers,
            channelMultipliers(0.5, weightScales, 0.25));
  EXPECT_EQ(params.multipliers[0],
            picosam::fixedpoint::quantizeMultiplier(0.5));
  EXPECT_EQ(params.view().requantize(0, 7), 4); // 3.5 -> 4
  EXPECT_EQ(params.view().requantize(1, 8), 1); // 1
  EXPECT_FALSE(params.saturatingResidualChannel());
  // A residual whose multiplier shifts left so far that a storage value
  // could saturate: the channel is named.
  ConvRequantization huge = makeConvRequantization(
      input, {1.0, 1e-9}, output, TensorQuantization{1.0, 0, -128, 127},
      storageBounds(output));
  EXPECT_EQ(huge.saturatingResidualChannel(), std::optional<int64_t>(1));
}

TEST(RequantizationTest, AddAndMul) {
  TensorQuantization tenth{0.1, 0, -128, 127}, fifth{0.2, 0, -128, 127};
  AddRequantization add =
      makeAddRequantization(tenth, tenth, fifth, storageBounds(fifth), false);
  EXPECT_EQ(add.apply(1, 1), 1);     // 0.1 + 0.1 = 0.2
  EXPECT_EQ(add.apply(100, 100), 100);
  EXPECT_EQ(add.apply(127, 127), 127);
  AddRequantization sub =
      makeAddRequantization(tenth, tenth, fifth, storageBounds(fifth), true);
  EXPECT_EQ(sub.apply(10, 4), 3);    // 0.6 = 3 * 0.2
  MulRequantization mul =
      makeMulRequantization(tenth, tenth, tenth, storageBounds(tenth));
  EXPECT_EQ(mul.apply(20, 30), 60);  // 2 * 3 = 6
  EXPECT_EQ(mul.apply(-100, 100), -128);
}

TEST(RequantizationTest, ActivationTables) {
  TensorQuantization q{0.1, 10, -128, 127};
  ActivationTable relu = makeActivationTable({ActivationKind::Relu}, q, q);
  ASSERT_EQ(relu.entries.size(), 256u);
  for (int32_t x = -128; x <= 127; ++x)
    ASSERT_EQ(relu.lookup(x), std::max(x, 10)) << "input " << x;
  // The gate table: sigmoid from logits to u8 at 1/256.
  ActivationTable sigmoid = makeActivationTable(
      {ActivationKind::Sigmoid}, {0.5, 0, -128, 127}, {1.0 / 256, 0, 0, 255});
  EXPECT_EQ(sigmoid.lookup(0), 128);
  EXPECT_EQ(sigmoid.lookup(127), 255);
  EXPECT_EQ(sigmoid.lookup(-128), 0);
}

//===----------------------------------------------------------------------===//
// Normalisations
//===----------------------------------------------------------------------===//

TEST(NormalizationKernelTest, LogSoftmaxIsTheLogarithmOfSoftmax) {
  // 2 x 3 x 2, along the middle axis: exact in double, rounded once.
  std::vector<float> in = {1, -2, 0.5f, 3, 100, 4, -1, 0, 2, 1e-3f, 7, -7};
  std::vector<float> soft(in.size()), logSoft(in.size());
  softmax(in.data(), 2, 3, 2, soft.data());
  softmax(in.data(), 2, 3, 2, logSoft.data(), /*logarithm=*/true);
  for (int64_t o = 0; o < 2; ++o)
    for (int64_t i = 0; i < 2; ++i) {
      double maximum = -1e300, sum = 0.0;
      for (int64_t j = 0; j < 3; ++j)
        maximum = std::max<double>(maximum, in[o * 6 + j * 2 + i]);
      for (int64_t j = 0; j < 3; ++j)
        sum += std::exp(in[o * 6 + j * 2 + i] - maximum);
      for (int64_t j = 0; j < 3; ++j) {
        int64_t k = o * 6 + j * 2 + i;
        EXPECT_EQ(soft[k], static_cast<float>(std::exp(in[k] - maximum) / sum));
        EXPECT_EQ(logSoft[k], static_cast<float>(in[k] - maximum - std::log(sum)));
      }
    }
}

TEST(NormalizationKernelTest, InstanceNormUsesEachPlanesStatistics) {
  // Two planes of channel 0 and 1 (batch 1): a plane of a large offset
  // normalises as its centred values do (the variance in double, two
  // passes, loses nothing to the offset).
  std::vector<float> in = {1e6f + 1, 1e6f + 2, 1e6f + 3, 1e6f + 4, 1, 2, 3, 4};
  float scale[] = {2.0f, 2.0f}, bias[] = {0.5f, 0.5f};
  std::vector<float> out(in.size());
  instanceNorm(in.data(), 2, 2, 4, scale, bias, 1e-5f, out.data());
  double factor = 2.0 / std::sqrt(1.25 + 1e-5f);
  for (int64_t j = 0; j < 4; ++j) {
    auto want = static_cast<float>((j - 1.5) * factor + 0.5);
    EXPECT_EQ(out[j], want) << j;
    EXPECT_EQ(out[4 + j], want) << j;
  }
}
