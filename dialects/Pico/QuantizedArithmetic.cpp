//===- QuantizedArithmetic.cpp - integer constants of quantized ops -------===//
#include "Pico/QuantizedArithmetic.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/TypeUtilities.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;
using fixedpoint::QuantizedMultiplier;
using fixedpoint::quantizeMultiplier;

/// The quantization of element (or shaped) type `type`; see
/// getActivationQuantization.
static FailureOr<TensorQuantization>
getTypeQuantization(Operation *op, Type type, StringRef role) {
  Type elementType = getElementTypeOrSelf(type);
  auto uniform = dyn_cast<quant::UniformQuantizedType>(elementType);
  if (!uniform || uniform.getStorageTypeIntegralWidth() != 8)
    return op->emitOpError("integer semantics need a per-tensor 8-bit "
                           "!quant.uniform ")
           << role << ", got " << type;
  TensorQuantization quantization;
  quantization.scale = uniform.getScale();
  quantization.zeroPoint = static_cast<int32_t>(uniform.getZeroPoint());
  quantization.storageMin = static_cast<int32_t>(uniform.getStorageTypeMin());
  quantization.storageMax = static_cast<int32_t>(uniform.getStorageTypeMax());
  return quantization;
}

FailureOr<TensorQuantization>
picosam::pico::getActivationQuantization(Operation *op, Value value,
                                         StringRef role) {
  return getTypeQuantization(op, value.getType(), role);
}

int64_t picosam::pico::storageSpanOf(const TensorQuantization &quantization) {
  return std::max<int64_t>(
      std::abs(int64_t(quantization.storageMin) - quantization.zeroPoint),
      std::abs(int64_t(quantization.storageMax) - quantization.zeroPoint));
}

/// `x` quantized as pico.quantize does (round half to even), clamped to
/// the storage range; infinite bounds give the range's ends.
static int32_t quantizeBound(double x, const TensorQuantization &output) {
  double q = std::nearbyint(x / output.scale) + output.zeroPoint;
  return static_cast<int32_t>(
      std::clamp<double>(q, output.storageMin, output.storageMax));
}

FailureOr<ClampBounds>
picosam::pico::getActivationClamp(Operation *op, ActivationAttr activation,
                                  const TensorQuantization &output) {
  ClampBounds bounds{output.storageMin, output.storageMax};
  if (!activation || activation.isNone())
    return bounds;
  switch (activation.getKind()) {
  case ActivationKind::Relu:
    bounds.min = std::max(bounds.min, output.zeroPoint);
    return bounds;
  case ActivationKind::Clip:
    bounds.min =
        quantizeBound(activation.getAlpha().convertToDouble(), output);
    bounds.max = std::max(
        bounds.min,
        quantizeBound(activation.getBeta().convertToDouble(), output));
    return bounds;
  default:
    return op->emitOpError("fused activation ")
           << activation
           << " is not a clamp; a quantized op fuses only relu and clip "
              "(others are separate table ops)";
  }
}

int32_t Rescale::apply(int32_t q) const {
  return clamp.apply(fixedpoint::saturateToInt32(
      int64_t(outputZeroPoint) +
      fixedpoint::multiplyByQuantizedMultiplier(q - inputZeroPoint,
                                                multiplier)));
}

Rescale picosam::pico::getRescale(const TensorQuantization &input,
                                  const TensorQuantization &output) {
  Rescale rescale;
  rescale.inputZeroPoint = input.zeroPoint;
  rescale.outputZeroPoint = output.zeroPoint;
  rescale.multiplier = quantizeMultiplier(input.scale / output.scale);
  rescale.clamp = {output.storageMin, output.storageMax};
  return rescale;
}

FailureOr<SmallVector<double>>
picosam::pico::getWeightScales(Operation *op, Value weight,
                               int64_t outChannels) {
  Type elementType = getElementTypeOrSelf(weight.getType());
  auto quantized = dyn_cast<quant::QuantizedType>(elementType);
  auto fail = [&](StringRef reason) {
    return op->emitOpError("weight ")
           << weight.getType() << ": " << reason;
  };
  if (!quantized || !quantized.isSigned() ||
      quantized.getStorageTypeIntegralWidth() != 8)
    return fail("integer semantics need signed 8-bit !quant.uniform "
                "weights");
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(quantized)) {
    if (perTensor.getZeroPoint() != 0)
      return fail("weights are symmetric (zero point 0)");
    return SmallVector<double>(outChannels, perTensor.getScale());
  }
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(quantized);
  if (!perAxis || perAxis.getQuantizedDimension() != 0 ||
      static_cast<int64_t>(perAxis.getScales().size()) != outChannels)
    return fail("weights are quantized per tensor or per output channel "
                "(axis 0)");
  if (llvm::any_of(perAxis.getZeroPoints(),
                   [](int64_t zeroPoint) { return zeroPoint != 0; }))
    return fail("weights are symmetric (zero points 0)");
  return SmallVector<double>(perAxis.getScales());
}

/// Checks that `bias` holds int32 values at scale inputScale *
/// weightScales[c] with zero point 0: it is added to the accumulator as is.
/// Scales computed in float32 elsewhere (QDQ models) are accepted within a
/// relative 1e-6.
static LogicalResult verifyBias(Operation *op, Value bias, double inputScale,
                                ArrayRef<double> weightScales) {
  Type elementType = getElementTypeOrSelf(bias.getType());
  auto quantized = dyn_cast<quant::QuantizedType>(elementType);
  if (!quantized || !quantized.isSigned() ||
      quantized.getStorageTypeIntegralWidth() != 32)
    return op->emitOpError("bias ")
           << bias.getType()
           << ": integer semantics need a signed 32-bit !quant.uniform bias";
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(quantized)) {
    scales.assign(weightScales.size(), perTensor.getScale());
    zeroPoints.assign(weightScales.size(), perTensor.getZeroPoint());
  } else if (auto perAxis =
                 dyn_cast<quant::UniformQuantizedPerAxisType>(quantized);
             perAxis && perAxis.getQuantizedDimension() == 0 &&
             perAxis.getScales().size() == weightScales.size()) {
    scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
    zeroPoints.assign(perAxis.getZeroPoints().begin(),
                      perAxis.getZeroPoints().end());
  } else {
    return op->emitOpError("bias ")
           << bias.getType() << " must be quantized per tensor or along axis 0";
  }
  for (auto [channel, scale] : llvm::enumerate(scales)) {
    double expected = inputScale * weightScales[channel];
    if (zeroPoints[channel] != 0 ||
        std::abs(scale - expected) > 1e-6 * expected)
      return op->emitOpError("bias channel ")
             << channel << " has scale " << scale << " and zero point "
             << zeroPoints[channel] << "; the accumulator needs scale "
             << expected << " (input scale x weight scale) and zero point 0";
  }
  return success();
}

int32_t ConvRequantization::residualTerm(int64_t channel, int32_t r) const {
  return fixedpoint::multiplyByQuantizedMultiplier(
      r - residual->zeroPoint, residualMultipliers[channel]);
}

int32_t ConvRequantization::requantize(int64_t channel,
                                       int64_t accumulator) const {
  int32_t scaled = fixedpoint::multiplyByQuantizedMultiplier(
      fixedpoint::saturateToInt32(accumulator), multipliers[channel]);
  return clamp.apply(
      fixedpoint::saturateToInt32(int64_t(output.zeroPoint) + scaled));
}

FailureOr<ConvRequantization> picosam::pico::getConvRequantization(Conv2DOp op) {
  ConvRequantization params;
  FailureOr<TensorQuantization> input =
      getActivationQuantization(op, op.getInput(), "input");
  FailureOr<TensorQuantization> output =
      getActivationQuantization(op, op.getOutput(), "result");
  if (failed(input) || failed(output))
    return failure();
  params.input = *input;
  params.output = *output;
  int64_t outChannels =
      cast<ShapedType>(op.getWeight().getType()).getDimSize(0);
  FailureOr<SmallVector<double>> weightScales =
      getWeightScales(op, op.getWeight(), outChannels);
  if (failed(weightScales))
    return failure();
  params.weightScales = std::move(*weightScales);
  if (Value bias = op.getBias();
      bias && failed(verifyBias(op, bias, input->scale, params.weightScales)))
    return failure();
  for (double weightScale : params.weightScales)
    params.multipliers.push_back(
        quantizeMultiplier(input->scale * weightScale / output->scale));
  if (Value residual = op.getResidual()) {
    FailureOr<TensorQuantization> quantization =
        getActivationQuantization(op, residual, "residual");
    if (failed(quantization))
      return failure();
    params.residual = *quantization;
    for (double weightScale : params.weightScales) {
      QuantizedMultiplier multiplier =
          quantizeMultiplier(quantization->scale / (input->scale * weightScale));
      // MBQM's left shift must not saturate for any residual value.
      if ((storageSpanOf(*quantization) << std::max(multiplier.shift, 0)) >
          std::numeric_limits<int32_t>::max())
        return op.emitOpError("residual scale ")
               << quantization->scale << " is too large for the accumulator "
               << "scale " << input->scale * weightScale;
      params.residualMultipliers.push_back(multiplier);
    }
  }
  FailureOr<ClampBounds> clamp =
      getActivationClamp(op, op.getActivationAttr(), *output);
  if (failed(clamp))
    return failure();
  params.clamp = *clamp;
  return params;
}

int32_t AddRequantization::apply(int32_t lhsValue, int32_t rhsValue) const {
  using namespace fixedpoint;
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

FailureOr<AddRequantization>
picosam::pico::getAddRequantization(Operation *op) {
  AddRequantization params;
  FailureOr<TensorQuantization> lhs =
      getActivationQuantization(op, op->getOperand(0), "lhs");
  FailureOr<TensorQuantization> rhs =
      getActivationQuantization(op, op->getOperand(1), "rhs");
  FailureOr<TensorQuantization> output =
      getActivationQuantization(op, op->getResult(0), "result");
  if (failed(lhs) || failed(rhs) || failed(output))
    return failure();
  params.lhs = *lhs;
  params.rhs = *rhs;
  params.output = *output;
  params.subtract = isa<SubOp>(op);
  double twiceMaxScale = 2.0 * std::max(lhs->scale, rhs->scale);
  params.lhsMultiplier = quantizeMultiplier(lhs->scale / twiceMaxScale);
  params.rhsMultiplier = quantizeMultiplier(rhs->scale / twiceMaxScale);
  params.outputMultiplier = quantizeMultiplier(
      twiceMaxScale /
      (std::ldexp(1.0, AddRequantization::kInputLeftShift) * output->scale));
  auto activation = op->getAttrOfType<ActivationAttr>("activation");
  FailureOr<ClampBounds> clamp = getActivationClamp(op, activation, *output);
  if (failed(clamp))
    return failure();
  params.clamp = *clamp;
  return params;
}

int32_t MulRequantization::apply(int32_t lhsValue, int32_t rhsValue) const {
  int32_t product = (lhsValue - lhs.zeroPoint) * (rhsValue - rhs.zeroPoint);
  return clamp.apply(fixedpoint::saturateToInt32(
      int64_t(output.zeroPoint) +
      fixedpoint::multiplyByQuantizedMultiplier(product, multiplier)));
}

FailureOr<MulRequantization> picosam::pico::getMulRequantization(MulOp op) {
  MulRequantization params;
  FailureOr<TensorQuantization> lhs =
      getActivationQuantization(op, op.getLhs(), "lhs");
  FailureOr<TensorQuantization> rhs =
      getActivationQuantization(op, op.getRhs(), "rhs");
  FailureOr<TensorQuantization> output =
      getActivationQuantization(op, op.getOutput(), "result");
  if (failed(lhs) || failed(rhs) || failed(output))
    return failure();
  params.lhs = *lhs;
  params.rhs = *rhs;
  params.output = *output;
  params.multiplier =
      quantizeMultiplier(lhs->scale * rhs->scale / output->scale);
  FailureOr<ClampBounds> clamp =
      getActivationClamp(op, op.getActivationAttr(), *output);
  if (failed(clamp))
    return failure();
  params.clamp = *clamp;
  return params;
}

ActivationTable
picosam::pico::getActivationTable(ActivationAttr function,
                                  const TensorQuantization &input,
                                  const TensorQuantization &output) {
  ActivationTable table;
  table.inputMin = input.storageMin;
  for (int32_t q = input.storageMin; q <= input.storageMax; ++q) {
    float x = static_cast<float>((q - input.zeroPoint) * input.scale);
    table.entries.push_back(quantizeBound(function.apply(x), output));
  }
  return table;
}

QuantizedMultiplier
picosam::pico::getAverageMultiplier(const TensorQuantization &input,
                                    const TensorQuantization &output,
                                    int64_t count) {
  return quantizeMultiplier(input.scale /
                            (static_cast<double>(count) * output.scale));
}

FailureOr<ChannelAttentionRequantization>
picosam::pico::getChannelAttentionRequantization(ChannelAttentionOp op) {
  if (!op.getMeanType() || !op.getLogitsType())
    return op.emitOpError("a quantized channel_attention needs mean_type and "
                          "logits_type");
  ChannelAttentionRequantization params;
  FailureOr<TensorQuantization> input =
      getActivationQuantization(op, op.getInput(), "input");
  FailureOr<TensorQuantization> mean =
      getTypeQuantization(op, *op.getMeanType(), "mean_type");
  FailureOr<TensorQuantization> logits =
      getTypeQuantization(op, *op.getLogitsType(), "logits_type");
  FailureOr<TensorQuantization> output =
      getActivationQuantization(op, op.getOutput(), "result");
  if (failed(input) || failed(mean) || failed(logits) || failed(output))
    return failure();
  params.input = *input;
  params.mean = *mean;
  params.logits = *logits;
  params.gate = {1.0 / 256.0, 0, 0, 255};
  params.output = *output;
  ArrayRef<int64_t> shape = cast<ShapedType>(op.getInput().getType()).getShape();
  if (shape.size() != 4)
    return op.emitOpError("expects an NCHW input");
  params.meanMultiplier = getAverageMultiplier(*input, *mean, shape[2] * shape[3]);
  FailureOr<SmallVector<double>> weightScales =
      getWeightScales(op, op.getWeight(), shape[1]);
  if (failed(weightScales))
    return failure();
  params.weightScales = std::move(*weightScales);
  if (Value bias = op.getBias();
      bias && failed(verifyBias(op, bias, mean->scale, params.weightScales)))
    return failure();
  for (double weightScale : params.weightScales)
    params.logitMultipliers.push_back(
        quantizeMultiplier(mean->scale * weightScale / logits->scale));
  params.gateTable = getActivationTable(
      ActivationAttr::get(op.getContext(), ActivationKind::Sigmoid), *logits,
      params.gate);
  params.outputMultiplier =
      quantizeMultiplier(input->scale * params.gate.scale / output->scale);
  return params;
}
