//===- QuantizedArithmetic.cpp - integer constants of quantized ops -------===//
#include "Pico/QuantizedArithmetic.h"

#include "picosam/Kernels/Indexing.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;
using kernels::PreparedParams;

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

bool picosam::pico::movesValuesOnly(Operation *op) {
  return isa<ConstantOp, ConcatOp, ReshapeOp, TransposeOp, PadOp, SliceOp,
             SeparableBlockOp, QuantizeOp, DequantizeOp>(op);
}

Type picosam::pico::findUncomputableElementType(Operation *op) {
  if (movesValuesOnly(op))
    return {};
  for (TypeRange types : {TypeRange(op->getOperandTypes()),
                          TypeRange(op->getResultTypes())})
    for (Type type : types) {
      Type element = getElementTypeOrSelf(type);
      if (!element.isF32() && !isa<quant::QuantizedType>(element))
        return element;
    }
  return {};
}

static ArrayRef<int64_t> shapeOf(Value value) {
  return cast<ShapedType>(value.getType()).getShape();
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

LogicalResult picosam::pico::verifyAccumulatorBound(Operation *op,
                                                    int64_t terms,
                                                    int64_t termMagnitude,
                                                    StringRef what) {
  if (kernels::sumFitsInt32(terms, termMagnitude))
    return success();
  return op->emitOpError("sums ")
         << terms << " " << what << " of magnitude up to " << termMagnitude
         << ": the int32 accumulator could overflow (" << terms << " x "
         << termMagnitude << " > 2^31 - 1)";
}

FailureOr<ClampBounds>
picosam::pico::getActivationClamp(Operation *op, ActivationAttr activation,
                                  const TensorQuantization &output) {
  std::optional<ClampBounds> bounds = kernels::activationClamp(
      activation ? activation.getKernelActivation() : kernels::Activation(),
      output);
  if (!bounds)
    return op->emitOpError("fused activation ")
           << activation
           << " is not a clamp; a quantized op fuses only relu and clip "
              "(others are separate table ops)";
  return *bounds;
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

/// The rules of both convolutions: conv2d's and conv_transpose2d's sums
/// have the same terms (a transposed convolution's outputs have at most as
/// many products as its weight has per output channel).
static FailureOr<ConvRequantization>
getConvolutionRequantization(Operation *op, Value inputValue, Value weight,
                             Value bias, Value residualValue,
                             ActivationAttr activation) {
  FailureOr<TensorQuantization> input =
      getActivationQuantization(op, inputValue, "input");
  FailureOr<TensorQuantization> output =
      getActivationQuantization(op, op->getResult(0), "result");
  if (failed(input) || failed(output))
    return failure();
  ArrayRef<int64_t> weightShape = shapeOf(weight);
  FailureOr<SmallVector<double>> weightScales =
      getWeightScales(op, weight, weightShape[0]);
  // |x - inZp| <= span and |w| <= 128 for the products of one output.
  if (failed(weightScales) ||
      failed(verifyAccumulatorBound(
          op, kernels::numElements(weightShape.drop_front()),
          kernels::storageSpanOf(*input) * kMaxWeightMagnitude,
          "products per output")))
    return failure();
  if (bias &&
      failed(verifyBias(op, bias, input->scale, *weightScales, "input")))
    return failure();
  std::optional<TensorQuantization> residual;
  if (Value value = residualValue) {
    FailureOr<TensorQuantization> quantization =
        getActivationQuantization(op, value, "residual");
    if (failed(quantization))
      return failure();
    residual = *quantization;
  }
  ConvRequantization params = kernels::makeConvRequantization(
      *input, *weightScales, *output, residual, kernels::storageBounds(*output));
  if (std::optional<int64_t> channel = params.saturatingResidualChannel())
    return op->emitOpError("residual scale ")
           << residual->scale << " is too large for the accumulator scale "
           << input->scale * params.weightScales[*channel];
  FailureOr<ClampBounds> clamp =
      getActivationClamp(op, activation, *output);
  if (failed(clamp))
    return failure();
  params.clamp = *clamp;
  return params;
}

FailureOr<ConvRequantization> picosam::pico::getConvRequantization(Conv2DOp op) {
  return getConvolutionRequantization(op, op.getInput(), op.getWeight(),
                                      op.getBias(), op.getResidual(),
                                      op.getActivationAttr());
}

FailureOr<ConvRequantization>
picosam::pico::getConvRequantization(ConvTranspose2DOp op) {
  return getConvolutionRequantization(op, op.getInput(), op.getWeight(),
                                      op.getBias(), /*residualValue=*/Value(),
                                      op.getActivationAttr());
}

/// The quantization of each of `values`, in order; an error naming the
/// first that is not a per-tensor 8-bit activation by its role.
static FailureOr<SmallVector<TensorQuantization, 3>>
getQuantizations(Operation *op, ArrayRef<Value> values,
                 ArrayRef<std::string> roles) {
  SmallVector<TensorQuantization, 3> quantizations;
  for (auto [value, role] : llvm::zip_equal(values, roles)) {
    FailureOr<TensorQuantization> quantization =
        getActivationQuantization(op, value, role);
    if (failed(quantization))
      return failure();
    quantizations.push_back(*quantization);
  }
  return quantizations;
}

/// The quantization of a binary op's lhs, rhs and result.
static FailureOr<SmallVector<TensorQuantization, 3>>
getBinaryQuantizations(Operation *op) {
  return getQuantizations(
      op, {op->getOperand(0), op->getOperand(1), op->getResult(0)},
      {"lhs", "rhs", "result"});
}

/// The quantization of every operand ("input", or "input #i" among several)
/// and then of the result of an op whose values are all activations.
static FailureOr<SmallVector<TensorQuantization, 3>>
getActivationValues(Operation *op) {
  SmallVector<Value> values(op->getOperands());
  SmallVector<std::string> roles;
  for (unsigned index = 0; index < op->getNumOperands(); ++index)
    roles.push_back(op->getNumOperands() == 1
                        ? std::string("input")
                        : "input #" + std::to_string(index));
  values.push_back(op->getResult(0));
  roles.push_back("result");
  return getQuantizations(op, values, roles);
}

FailureOr<AddRequantization>
picosam::pico::getAddRequantization(Operation *op) {
  FailureOr<SmallVector<TensorQuantization, 3>> q =
      getBinaryQuantizations(op);
  if (failed(q))
    return failure();
  FailureOr<ClampBounds> clamp = getActivationClamp(
      op, op->getAttrOfType<ActivationAttr>("activation"), (*q)[2]);
  if (failed(clamp))
    return failure();
  return kernels::makeAddRequantization((*q)[0], (*q)[1], (*q)[2], *clamp,
                                        isa<SubOp>(op));
}

FailureOr<MulRequantization> picosam::pico::getMulRequantization(MulOp op) {
  FailureOr<SmallVector<TensorQuantization, 3>> q =
      getBinaryQuantizations(op);
  if (failed(q))
    return failure();
  FailureOr<ClampBounds> clamp =
      getActivationClamp(op, op.getActivationAttr(), (*q)[2]);
  if (failed(clamp))
    return failure();
  return kernels::makeMulRequantization((*q)[0], (*q)[1], (*q)[2], *clamp);
}

FailureOr<ActivationTable> picosam::pico::getActivationTable(Operation *op) {
  FailureOr<SmallVector<TensorQuantization, 3>> q = getActivationValues(op);
  if (failed(q))
    return failure();
  ActivationAttr function =
      cast<ActivationOpInterface>(op).getActivationFunction();
  return kernels::makeActivationTable(function.getKernelActivation(), (*q)[0],
                                      (*q)[1]);
}

FailureOr<AverageRequantization>
picosam::pico::getAverageRequantization(Operation *op) {
  FailureOr<SmallVector<TensorQuantization, 3>> q = getActivationValues(op);
  if (failed(q))
    return failure();
  // Every divisor a window can have: global pools divide by the plane;
  // avg_pool's windows at the border cover fewer elements than inside.
  int64_t firstCount, lastCount;
  if (auto pool = dyn_cast<AvgPoolOp>(op)) {
    firstCount = 1;
    lastCount = kernels::numElements(pool.getKernelShape());
  } else if (auto reduce = dyn_cast<ReduceOp>(op)) {
    // An empty reduction reads no multiplier.
    firstCount = lastCount = std::max<int64_t>(reduce.getReducedCount(), 1);
  } else {
    firstCount = lastCount =
        kernels::numElements(shapeOf(op->getOperand(0)).drop_front(2));
  }
  if (failed(verifyAccumulatorBound(op, lastCount,
                                    kernels::storageSpanOf((*q)[0]),
                                    "input values per average")))
    return failure();
  return kernels::makeAverageRequantization((*q)[0], (*q)[1], firstCount,
                                            lastCount);
}

FailureOr<std::vector<Rescale>>
picosam::pico::getInputRescales(Operation *op) {
  if (auto resize = dyn_cast<ResizeOp>(op);
      resize && resize.getMode() != ResizeMode::Nearest)
    return op->emitOpError("integer semantics are defined for nearest "
                           "resizing only");
  FailureOr<SmallVector<TensorQuantization, 3>> q = getActivationValues(op);
  if (failed(q))
    return failure();
  std::vector<Rescale> rescales;
  for (const TensorQuantization &input : ArrayRef(*q).drop_back())
    rescales.push_back(kernels::makeRescale(input, q->back()));
  return rescales;
}

FailureOr<ChannelAttentionRequantization>
picosam::pico::getChannelAttentionRequantization(ChannelAttentionOp op) {
  if (!op.getMeanType() || !op.getLogitsType())
    return op.emitOpError("a quantized channel_attention needs mean_type and "
                          "logits_type");
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
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  if (shape.size() != 4)
    return op.emitOpError("expects an NCHW input");
  int64_t channels = shape[1], planeSize = shape[2] * shape[3];
  FailureOr<SmallVector<double>> weightScales =
      getWeightScales(op, op.getWeight(), channels);
  if (failed(weightScales) ||
      failed(verifyAccumulatorBound(op, planeSize,
                                    kernels::storageSpanOf(*input),
                                    "input values per mean")) ||
      failed(verifyAccumulatorBound(
          op, channels, kernels::storageSpanOf(*mean) * kMaxWeightMagnitude,
          "products per logit")))
    return failure();
  if (Value bias = op.getBias();
      bias && failed(verifyBias(op, bias, mean->scale, *weightScales, "mean")))
    return failure();
  return kernels::makeChannelAttentionRequantization(
      *input, *mean, *logits, *output, *weightScales, planeSize);
}

//===----------------------------------------------------------------------===//
// The verifier's rules
//===----------------------------------------------------------------------===//

template <typename T>
static FailureOr<PreparedParams> asPrepared(FailureOr<T> params) {
  if (failed(params))
    return failure();
  return PreparedParams(std::move(*params));
}

FailureOr<PreparedParams> picosam::pico::getQuantizedConstants(Operation *op) {
  // (An if-chain, not a TypeSwitch: GCC 12 warns about the optional
  // TypeSwitch keeps a variant in.)
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return asPrepared(getConvRequantization(conv));
  if (auto convTranspose = dyn_cast<ConvTranspose2DOp>(op))
    return asPrepared(getConvRequantization(convTranspose));
  if (isa<AddOp, SubOp>(op))
    return asPrepared(getAddRequantization(op));
  if (auto mul = dyn_cast<MulOp>(op))
    return asPrepared(getMulRequantization(mul));
  if (auto attention = dyn_cast<ChannelAttentionOp>(op))
    return asPrepared(getChannelAttentionRequantization(attention));
  auto reduce = dyn_cast<ReduceOp>(op);
  if (isa<GlobalAvgPoolOp, AvgPoolOp>(op) ||
      (reduce && reduce.getKind() == ReduceKind::Mean))
    return asPrepared(getAverageRequantization(op));
  // Storage values are compared or copied, and rescaled to the result's
  // quantization when it differs.
  if (isa<MaxPoolOp, ResizeOp, ConcatOp>(op) ||
      (reduce && reduce.getKind() == ReduceKind::Max))
    return asPrepared(getInputRescales(op));
  if (isa<ActivationOpInterface>(op))
    return asPrepared(getActivationTable(op));
  // Storage values move unchanged (the element types are equal), which
  // keeps a quantization only when it is the same for every element; a
  // pad's new elements are its value's storage value, a slice reads some.
  if (isa<ReshapeOp, TransposeOp, PadOp, SliceOp>(op)) {
    Type elementType = getElementTypeOrSelf(op->getResult(0).getType());
    if (!isa<quant::UniformQuantizedType>(elementType))
      return op->emitOpError("moves storage values unchanged, which keeps a "
                             "per-tensor !quant.uniform only, got ")
             << elementType;
    return PreparedParams();
  }
  // Their own verifiers check them: constants and the float boundaries by
  // their types, a separable block by its two convolutions.
  if (isa<ConstantOp, QuantizeOp, DequantizeOp, SeparableBlockOp>(op))
    return PreparedParams();
  return op->emitOpError("has no integer semantics (docs/quantization.md): "
                         "its operands and results must be float; keep it "
                         "between pico.dequantize and pico.quantize");
}

LogicalResult picosam::pico::verifyIntegerSemantics(Operation *op) {
  if (!hasQuantizedValues(op))
    return success();
  return success(succeeded(getQuantizedConstants(op)));
}
