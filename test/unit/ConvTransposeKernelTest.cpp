//===- ConvTransposeKernelTest.cpp - the transposed convolution's kernel --===//
//
// kernels::convTranspose2d (each output gathers its taps, weight output
// channel first) against the definition written the other way round: each
// input element scattered through ONNX's C x O/group x Kh x Kw weight into
// the uncropped output, which is then cropped by the pads and extended by
// the output padding. Float values are small integers, so every sum is
// exact and the results must be equal whatever the order.
//
//===----------------------------------------------------------------------===//
#include "picosam/Kernels/Conv.h"
#include "picosam/Kernels/ConvTranspose.h"
#include "picosam/Kernels/Requantization.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

using namespace picosam::kernels;

namespace {

struct Case {
  int64_t batch, channels, height, width, outChannels, group;
  int64_t kernelH, kernelW, strideH, strideW, dilationH, dilationW;
  int64_t top, left, bottom, right, outputPadH, outputPadW;
};

/// ONNX's weight layout: [input channel][output channel in its group][kh][kw].
int64_t onnxWeightIndex(const Case &c, int64_t ic, int64_t j, int64_t kh, int64_t kw) {
  return ((ic * (c.outChannels / c.group) + j) * c.kernelH + kh) * c.kernelW + kw;
}

/// The case's geometry, its output sizes by ONNX's formula.
Conv2DGeometry geometryOf(const Case &c) {
  int64_t outH = *convTransposeOutputSize(c.height, c.kernelH, c.strideH, c.dilationH, c.top,
                                          c.bottom, c.outputPadH);
  int64_t outW = *convTransposeOutputSize(c.width, c.kernelW, c.strideW, c.dilationW, c.left,
                                          c.right, c.outputPadW);
  return {c.batch,   c.channels,  c.height,  c.width,     c.outChannels, outH,
          outW,      c.kernelH,   c.kernelW, c.group,     c.strideH,     c.strideW,
          c.dilationH, c.dilationW, c.top,   c.left};
}

/// The weight in the kernel's layout: [output channel][input channel in
/// its group][kh][kw].
template <typename T> std::vector<T> transposed(const Case &c, const std::vector<T> &onnx) {
  int64_t groupChannels = c.channels / c.group, groupOutputs = c.outChannels / c.group;
  std::vector<T> weight;
  for (int64_t oc = 0; oc < c.outChannels; ++oc)
    for (int64_t i = 0; i < groupChannels; ++i)
      for (int64_t kh = 0; kh < c.kernelH; ++kh)
        for (int64_t kw = 0; kw < c.kernelW; ++kw)
          weight.push_back(onnx[onnxWeightIndex(c, oc / groupOutputs * groupChannels + i,
                                                oc % groupOutputs, kh, kw)]);
  return weight;
}

/// The sums by scattering: out[n][oc][oh][ow] (uncropped, int64) of
/// (x - zeroPoint) * w, then cropped to the geometry's output.
template <typename In, typename W>
std::vector<int64_t> scatteredSums(const Case &c, const Conv2DGeometry &g,
                                   const std::vector<In> &x, const std::vector<W> &onnxWeight,
                                   int64_t zeroPoint) {
  int64_t fullH = (c.height - 1) * c.strideH + (c.kernelH - 1) * c.dilationH + 1;
  int64_t fullW = (c.width - 1) * c.strideW + (c.kernelW - 1) * c.dilationW + 1;
  // Room for the output padding past the taps.
  int64_t rows = fullH + c.outputPadH, cols = fullW + c.outputPadW;
  std::vector<int64_t> full(c.batch * c.outChannels * rows * cols, 0);
  int64_t groupChannels = c.channels / c.group, groupOutputs = c.outChannels / c.group;
  for (int64_t n = 0; n < c.batch; ++n)
    for (int64_t ic = 0; ic < c.channels; ++ic)
      for (int64_t h = 0; h < c.height; ++h)
        for (int64_t w = 0; w < c.width; ++w) {
          int64_t value = int64_t(x[((n * c.channels + ic) * c.height + h) * c.width + w]) -
                          zeroPoint;
          for (int64_t j = 0; j < groupOutputs; ++j)
            for (int64_t kh = 0; kh < c.kernelH; ++kh)
              for (int64_t kw = 0; kw < c.kernelW; ++kw) {
                int64_t oc = ic / groupChannels * groupOutputs + j;
                int64_t row = h * c.strideH + kh * c.dilationH;
                int64_t col = w * c.strideW + kw * c.dilationW;
                full[((n * c.outChannels + oc) * rows + row) * cols + col] +=
                    value * int64_t(onnxWeight[onnxWeightIndex(c, ic, j, kh, kw)]);
              }
        }
  std::vector<int64_t> out;
  for (int64_t n = 0; n < c.batch; ++n)
    for (int64_t oc = 0; oc < c.outChannels; ++oc)
      for (int64_t oh = 0; oh < g.outHeight; ++oh)
        for (int64_t ow = 0; ow < g.outWidth; ++ow)
          out.push_back(full[((n * c.outChannels + oc) * rows + oh + c.top) * cols + ow + c.left]);
  return out;
}

const Case kCases[] = {
    // batch C H W O group  Kh Kw sh sw dh dw  pads t l b r  output padding
    {1, 3, 5, 4, 2, 1, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0},  // decoder k2 s2
    {1, 2, 3, 5, 3, 1, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0},  // k4 s2 p1
    {2, 4, 3, 3, 6, 2, 3, 2, 3, 2, 1, 1, 0, 0, 0, 0, 1, 1},  // groups, output padding
    {1, 3, 4, 3, 3, 3, 3, 3, 1, 1, 2, 1, 2, 0, 1, 3, 0, 0},  // depthwise, dilated, cropped
    {1, 1, 1, 1, 5, 1, 3, 1, 2, 5, 1, 1, 0, 0, 0, 0, 1, 4},  // a single input element
};

TEST(ConvTransposeKernelTest, OutputSizeIsOnnxFormula) {
  EXPECT_EQ(convTransposeOutputSize(3, 3, 3, 1, 0, 0, 1), 10);
  EXPECT_EQ(convTransposeOutputSize(3, 2, 1, 2, 0, 0, 0), 5);
  EXPECT_EQ(convTransposeOutputSize(1, 2, 1, 1, 1, 1, 0), std::nullopt);
  EXPECT_EQ(convTransposeOutputSize(INT64_MAX / 2, 1, 4, 1, 0, 0, 0), std::nullopt);
}

TEST(ConvTransposeKernelTest, FloatMatchesScatteredDefinition) {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> small(-4, 4);
  for (const Case &c : kCases) {
    Conv2DGeometry g = geometryOf(c);
    std::vector<float> x(c.batch * c.channels * c.height * c.width);
    std::vector<float> onnxWeight(c.channels * (c.outChannels / c.group) * c.kernelH * c.kernelW);
    std::vector<float> bias(c.outChannels);
    for (float &v : x)
      v = float(small(random));
    for (float &v : onnxWeight)
      v = float(small(random));
    for (float &v : bias)
      v = float(small(random));
    std::vector<float> weight = transposed(c, onnxWeight);
    std::vector<float> out(c.batch * c.outChannels * g.outHeight * g.outWidth, -99.0f);
    WorkspaceBuffer workspace;
    convTranspose2d(g, x.data(), weight.data(), out.data(),
                    FloatConvEpilogue{bias.data(), {}, Activation()},
                    workspace.get(convTranspose2dWorkspaceBytes<double>(g)));
    std::vector<int64_t> sums = scatteredSums(c, g, x, onnxWeight, 0);
    std::vector<float> expected;
    int64_t plane = g.outHeight * g.outWidth;
    for (size_t i = 0; i < sums.size(); ++i)
      expected.push_back(float(sums[i]) + bias[i / plane % c.outChannels]);
    EXPECT_EQ(out, expected) << "case with " << c.channels << " channels, group " << c.group;
  }
}

TEST(ConvTransposeKernelTest, FloatActivationIsLast) {
  // One input 1, weight -1 and 2, bias 0.5: relu(-0.5) = 0, relu(2.5).
  Case c{1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
  Conv2DGeometry g = geometryOf(c);
  std::vector<float> x = {1}, weight = {-1, 2}, bias = {0.5f}, out(2);
  WorkspaceBuffer workspace;
  convTranspose2d(g, x.data(), weight.data(), out.data(),
                  FloatConvEpilogue{bias.data(), {}, Activation{ActivationKind::Relu}},
                  workspace.get(convTranspose2dWorkspaceBytes<double>(g)));
  EXPECT_EQ(out, (std::vector<float>{0.0f, 2.5f}));
}

TEST(ConvTransposeKernelTest, Int8RequantizesExactSums) {
  std::mt19937 random(11);
  std::uniform_int_distribution<int> values(-128, 127);
  TensorQuantization input{0.05, 3, -128, 127}, output{0.2, -5, -128, 127};
  for (const Case &c : kCases) {
    Conv2DGeometry g = geometryOf(c);
    std::vector<int8_t> x(c.batch * c.channels * c.height * c.width);
    std::vector<int8_t> onnxWeight(c.channels * (c.outChannels / c.group) * c.kernelH *
                                   c.kernelW);
    std::vector<int32_t> bias(c.outChannels);
    std::vector<double> weightScales;
    for (int8_t &v : x)
      v = int8_t(values(random));
    for (int8_t &v : onnxWeight)
      v = int8_t(values(random));
    for (int32_t &v : bias)
      v = values(random) * 40;
    for (int64_t oc = 0; oc < c.outChannels; ++oc)
      weightScales.push_back(0.001 * double(oc + 1));
    ConvRequantization params =
        makeConvRequantization(input, weightScales, output, std::nullopt, ClampBounds{-100, 90});
    std::vector<int8_t> weight = transposed(c, onnxWeight);
    std::vector<int8_t> out(c.batch * c.outChannels * g.outHeight * g.outWidth);
    WorkspaceBuffer workspace;
    convTranspose2d(g, x.data(), weight.data(), out.data(),
                    QuantizedConvEpilogue<int8_t, int32_t>{params.view(), bias.data()},
                    workspace.get(convTranspose2dWorkspaceBytes<int32_t>(g)));
    std::vector<int64_t> sums = scatteredSums(c, g, x, onnxWeight, input.zeroPoint);
    std::vector<int8_t> expected;
    int64_t plane = g.outHeight * g.outWidth;
    for (size_t i = 0; i < sums.size(); ++i) {
      int64_t oc = i / plane % c.outChannels;
      int64_t scaled = picosam::fixedpoint::multiplyByQuantizedMultiplier(
          int32_t(sums[i] + bias[oc]), params.multipliers[oc]);
      expected.push_back(int8_t(std::clamp<int64_t>(output.zeroPoint + scaled, -100, 90)));
    }
    EXPECT_EQ(out, expected) << "case with " << c.channels << " channels, group " << c.group;
  }
}

} // namespace
