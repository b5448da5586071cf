//===- QuantizedArithmetic.cpp - integer constants of quantized ops -------===//
#include "Pico/QuantizedArithmetic.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;
using fixedpoint::QuantizedMultiplier;
using fixedpoint::quantizeMultiplier;

/// The largest |w| of a signed 8-bit weight: what a weight contributes to an
/// accumulator bound.
static constexpr int64_t kMaxWeightMagnitude = 128;

bool picosam::pico::hasQuantizedValues(Operation *op) {
  auto quantized = [](Type type) {
    return isa<quant::QuantizedType>(getElementTypeOrSelf(type));
  };
  return llvm::any_of(op->getOperandTypes(), quantized) ||
         llvm::any_of(op->getResultTypes(), quantized);
}

LogicalResult picosam::pico::verifyAccumulatorBound(Operation *op,
                                                    int64_t terms,
                                                    int64_t termMagnitude,
                                                    StringRef what) {
  std::optional<int64_t> bound = llvm::checkedMul(terms, termMagnitude);
  if (bound && *bound <= std::numeric_limits<int32_t>::max())
    return success();
  return op->emitOpError("sums ")
         << terms << " " << what << " of magnitude up to " << termMagnitude
         << ": the int32 accumulator could overflow (" << terms << " x "
         << termMagnitude << " > 2^31 - 1)";
}

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
/// relative 1e-6. `input` names what the weights multiply ("input",
/// "mean").
static LogicalResult verifyBias(Operation *op, Value bias, double inputScale,
                                ArrayRef<double> weightScales,
                                StringRef input) {
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
             << expected << " (" << input
             << " scale x weight scale) and zero point 0";
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
  ArrayRef<int64_t> weightShape =
      cast<ShapedType>(op.getWeight().getType()).getShape();
  FailureOr<SmallVector<double>> weightScales =
      getWeightScales(op, op.getWeight(), weightShape[0]);
  if (failed(weightScales) ||
      failed(verifyAccumulatorBound(
          op, weightShape[1] * weightShape[2] * weightShape[3],
          storageSpanOf(*input) * kMaxWeightMagnitude, "products per output")))
    return failure();
  params.weightScales = std::move(*weightScales);
  if (Value bias = op.getBias();
      bias &&
      failed(verifyBias(op, bias, input->scale, params.weightScales, "input")))
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
  if (failed(weightScales) ||
      failed(verifyAccumulatorBound(op, shape[2] * shape[3],
                                    storageSpanOf(*input),
                                    "input values per mean")) ||
      failed(verifyAccumulatorBound(op, shape[1],
                                    storageSpanOf(*mean) * kMaxWeightMagnitude,
                                    "products per logit")))
    return failure();
  params.weightScales = std::move(*weightScales);
  if (Value bias = op.getBias();
      bias &&
      failed(verifyBias(op, bias, mean->scale, params.weightScales, "mean")))
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

//===----------------------------------------------------------------------===//
// The verifier's rules
//===----------------------------------------------------------------------===//

/// Every operand and result of `op` is a per-tensor 8-bit activation.
static LogicalResult verifyActivationValues(Operation *op) {
  for (auto [index, operand] : llvm::enumerate(op->getOperands())) {
    std::string role = op->getNumOperands() == 1
                           ? std::string("input")
                           : "input #" + std::to_string(index);
    if (failed(getActivationQuantization(op, operand, role)))
      return failure();
  }
  return getActivationQuantization(op, op->getResult(0), "result");
}

/// An average of up to `count` input values (a pool's window): per-tensor
/// 8-bit values and an exact int32 sum.
static LogicalResult verifyAverage(Operation *op, int64_t count) {
  FailureOr<TensorQuantization> input =
      getActivationQuantization(op, op->getOperand(0), "input");
  if (failed(input) ||
      failed(getActivationQuantization(op, op->getResult(0), "result")))
    return failure();
  return verifyAccumulatorBound(op, count, storageSpanOf(*input),
                                "input values per average");
}

LogicalResult picosam::pico::verifyIntegerSemantics(Operation *op) {
  if (!hasQuantizedValues(op))
    return success();
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([](Conv2DOp conv) { return getConvRequantization(conv); })
      .Case<AddOp, SubOp>(
          [](Operation *op) { return getAddRequantization(op); })
      .Case([](MulOp mul) { return getMulRequantization(mul); })
      .Case([](ChannelAttentionOp attention) {
        return getChannelAttentionRequantization(attention);
      })
      .Case([](GlobalAvgPoolOp pool) {
        return verifyAverage(
            pool, ShapedType::getNumElements(
                      pool.getInput().getType().getShape().drop_front(2)));
      })
      .Case([](AvgPoolOp pool) {
        ArrayRef<int64_t> kernel = pool.getKernelShape();
        return verifyAverage(pool, kernel[0] * kernel[1]);
      })
      .Case([](ResizeOp resize) -> LogicalResult {
        if (resize.getMode() != ResizeMode::Nearest)
          return resize.emitOpError("integer semantics are defined for "
                                    "nearest resizing only");
        return verifyActivationValues(resize);
      })
      // Storage values are compared or copied, and rescaled to the result's
      // quantization when it differs.
      .Case<MaxPoolOp, ConcatOp, ActivationOpInterface>(
          [](Operation *op) { return verifyActivationValues(op); })
      // Storage values move unchanged (the element types are equal), which
      // keeps a quantization only when it is the same for every element.
      .Case<ReshapeOp, TransposeOp>([](Operation *op) -> LogicalResult {
        Type elementType = getElementTypeOrSelf(op->getResult(0).getType());
        if (!isa<quant::UniformQuantizedType>(elementType))
          return op->emitOpError("moves storage values unchanged, which keeps "
                                 "a per-tensor !quant.uniform only, got ")
                 << elementType;
        return success();
      })
      // Their own verifiers check them: constants and the float boundaries
      // by their types, a separable block by its two convolutions.
      .Case<ConstantOp, QuantizeOp, DequantizeOp, SeparableBlockOp>(
          [](Operation *) { return success(); })
      .Default([](Operation *op) {
        return op->emitOpError("has no integer semantics "
                               "(docs/quantization.md): its operands and "
                               "results must be float; keep it between "
                               "pico.dequantize and pico.quantize");
      });
}
