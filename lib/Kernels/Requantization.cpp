//===- Requantization.cpp - integer constants of quantized kernels --------===//
#include "picosam/Kernels/Requantization.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

using namespace picosam::kernels;
using picosam::fixedpoint::multiplyByQuantizedMultiplier;
using picosam::fixedpoint::quantizeMultiplier;
using picosam::fixedpoint::saturateToInt32;

int64_t picosam::kernels::storageSpanOf(const TensorQuantization &quantization) {
  return std::max<int64_t>(
      std::abs(int64_t(quantization.storageMin) - quantization.zeroPoint),
      std::abs(int64_t(quantization.storageMax) - quantization.zeroPoint));
}

bool picosam::kernels::sumFitsInt32(int64_t terms, int64_t bound) {
  // terms * bound <= 2^31 - 1, without computing a product that may
  // overflow.
  return terms <= 0 || bound <= 0 ||
         terms <= std::numeric_limits<int32_t>::max() / bound;
}

int32_t picosam::kernels::quantizeToStorage(double x,
                                            const TensorQuantization &output) {
  double q = std::nearbyint(x / output.scale) + output.zeroPoint;
  return static_cast<int32_t>(
      std::clamp<double>(q, output.storageMin, output.storageMax));
}

ClampBounds picosam::kernels::storageBounds(const TensorQuantization &output) {
  return {output.storageMin, output.storageMax};
}

std::optional<ClampBounds>
picosam::kernels::activationClamp(const Activation &activation,
                                  const TensorQuantization &output) {
  ClampBounds bounds = storageBounds(output);
  switch (activation.kind) {
  case ActivationKind::None:
    return bounds;
  case ActivationKind::Relu:
    bounds.min = std::max(bounds.min, output.zeroPoint);
    return bounds;
  case ActivationKind::Clip:
    bounds.min = quantizeToStorage(activation.alpha, output);
    bounds.max =
        std::max(bounds.min, quantizeToStorage(activation.beta, output));
    return bounds;
  default:
    return std::nullopt;
  }
}

int32_t Rescale::apply(int32_t q) const {
  if (isIdentity())
    return q;
  return storageBounds(output).apply(saturateToInt32(
      int64_t(output.zeroPoint) +
      multiplyByQuantizedMultiplier(q - input.zeroPoint, multiplier)));
}

Rescale picosam::kernels::makeRescale(const TensorQuantization &input,
                                      const TensorQuantization &output) {
  return {input, output, quantizeMultiplier(input.scale / output.scale)};
}

std::vector<QuantizedMultiplier>
picosam::kernels::channelMultipliers(double inputScale,
                                     Span<double> weightScales,
                                     double outputScale) {
  std::vector<QuantizedMultiplier> multipliers;
  for (double weightScale : weightScales)
    multipliers.push_back(
        quantizeMultiplier(inputScale * weightScale / outputScale));
  return multipliers;
}

std::optional<int64_t> ConvRequantization::saturatingResidualChannel() const {
  if (!residual)
    return std::nullopt;
  int64_t span = storageSpanOf(*residual);
  for (size_t channel = 0; channel < residualMultipliers.size(); ++channel)
    if ((span << std::max(residualMultipliers[channel].shift, 0)) >
        std::numeric_limits<int32_t>::max())
      return static_cast<int64_t>(channel);
  return std::nullopt;
}

ConvRequantization picosam::kernels::makeConvRequantization(
    const TensorQuantization &input, Span<double> weightScales,
    const TensorQuantization &output,
    const std::optional<TensorQuantization> &residual, ClampBounds clamp) {
  ConvRequantization params;
  params.input = input;
  params.output = output;
  params.weightScales.assign(weightScales.begin(), weightScales.end());
  params.multipliers =
      channelMultipliers(input.scale, weightScales, output.scale);
  params.residual = residual;
  if (residual)
    for (double weightScale : weightScales)
      params.residualMultipliers.push_back(
          quantizeMultiplier(residual->scale / (input.scale * weightScale)));
  params.clamp = clamp;
  return params;
}

int32_t AddRequantization::apply(int32_t lhsValue, int32_t rhsValue) const {
  using fixedpoint::saturatingLeftShift;
  int32_t a = multiplyByQuantizedMultiplier(
      saturatingLeftShift(lhsValue - lhs.zeroPoint, kInputLeftShift),
      lhsMultiplier);
  int32_t b = multiplyByQuantizedMultiplier(
      saturatingLeftShift(rhsValue - rhs.zeroPoint, kInputLeftShift),
      rhsMultiplier);
  int32_t sum = saturateToInt32(subtract ? int64_t(a) - b : int64_t(a) + b);
  return clamp.apply(saturateToInt32(
      int64_t(output.zeroPoint) +
      multiplyByQuantizedMultiplier(sum, outputMultiplier)));
}

AddRequantization picosam::kernels::makeAddRequantization(
    const TensorQuantization &lhs, const TensorQuantization &rhs,
    const TensorQuantization &output, ClampBounds clamp, bool subtract) {
  AddRequantization params;
  params.lhs = lhs;
  params.rhs = rhs;
  params.output = output;
  params.subtract = subtract;
  double twiceMaxScale = 2.0 * std::max(lhs.scale, rhs.scale);
  params.lhsMultiplier = quantizeMultiplier(lhs.scale / twiceMaxScale);
  params.rhsMultiplier = quantizeMultiplier(rhs.scale / twiceMaxScale);
  params.outputMultiplier = quantizeMultiplier(
      twiceMaxScale /
      (std::ldexp(1.0, AddRequantization::kInputLeftShift) * output.scale));
  params.clamp = clamp;
  return params;
}

int32_t MulRequantization::apply(int32_t lhsValue, int32_t rhsValue) const {
  int32_t product = (lhsValue - lhs.zeroPoint) * (rhsValue - rhs.zeroPoint);
  return clamp.apply(saturateToInt32(
      int64_t(output.zeroPoint) +
      multiplyByQuantizedMultiplier(product, multiplier)));
}

MulRequantization
picosam::kernels::makeMulRequantization(const TensorQuantization &lhs,
                                        const TensorQuantization &rhs,
                                        const TensorQuantization &output,
                                        ClampBounds clamp) {
  MulRequantization params;
  params.lhs = lhs;
  params.rhs = rhs;
  params.output = output;
  params.multiplier = quantizeMultiplier(lhs.scale * rhs.scale / output.scale);
  params.clamp = clamp;
  return params;
}

ActivationTable
picosam::kernels::makeActivationTable(const Activation &function,
                                      const TensorQuantization &input,
                                      const TensorQuantization &output) {
  ActivationTable table;
  table.inputMin = input.storageMin;
  for (int32_t q = input.storageMin; q <= input.storageMax; ++q) {
    float x = static_cast<float>((q - input.zeroPoint) * input.scale);
    table.entries.push_back(quantizeToStorage(function.apply(x), output));
  }
  return table;
}

QuantizedMultiplier
picosam::kernels::averageMultiplier(const TensorQuantization &input,
                                    const TensorQuantization &output,
                                    int64_t count) {
  return quantizeMultiplier(input.scale /
                            (static_cast<double>(count) * output.scale));
}

AverageRequantization picosam::kernels::makeAverageRequantization(
    const TensorQuantization &input, const TensorQuantization &output,
    int64_t firstCount, int64_t lastCount) {
  AverageRequantization params;
  params.input = input;
  params.output = output;
  params.firstCount = firstCount;
  for (int64_t count = firstCount; count <= lastCount; ++count)
    params.multipliers.push_back(averageMultiplier(input, output, count));
  return params;
}

ChannelAttentionRequantization
picosam::kernels::makeChannelAttentionRequantization(
    const TensorQuantization &input, const TensorQuantization &mean,
    const TensorQuantization &logits, const TensorQuantization &output,
    Span<double> weightScales, int64_t planeSize) {
  ChannelAttentionRequantization params;
  params.means = makeAverageRequantization(input, mean, planeSize, planeSize);
  params.gates = makeConvRequantization(mean, weightScales, logits,
                                        std::nullopt, storageBounds(logits));
  params.gate = {1.0 / 256.0, 0, 0, 255};
  params.gateTable = makeActivationTable({ActivationKind::Sigmoid}, logits,
                                         params.gate);
  params.output = output;
  params.outputMultiplier =
      quantizeMultiplier(input.scale * params.gate.scale / output.scale);
  return params;
}
