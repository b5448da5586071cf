//===- QuantizePass.cpp - INT8 post-training quantization -----------------===//
//
// Turns a float function into the quantized graph of docs/quantization.md,
// op by op in program order: an op with integer semantics gets quantized
// operands (a pico.quantize of each float value it reads, typed from the
// value's calibration entry) and a quantized result; every other op, and
// every op named in float-layers, keeps float operands (a pico.dequantize
// of each quantized value it reads). An activation a clamp cannot apply
// (hard-swish, sigmoid, ...) fused into a convolution, add, sub or mul is
// split off first into its standalone table op, so both quantize. Under the
// imx500 profile an op without integer semantics is an error.
//
//===----------------------------------------------------------------------===//
#include "Pico/PicoOps.h"
#include "Pico/QuantizedArithmetic.h"
#include "picosam/Analysis/OpCost.h"
#include "picosam/Inference/Inference.h"
#include "picosam/Interpreter/ValueNames.h"
#include "picosam/Quantization/Calibration.h"
#include "picosam/Quantization/Quantize.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>
#include <type_traits>

namespace picosam {
#define GEN_PASS_DEF_QUANTIZE
#include "picosam/Quantization/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {

bool isQuantized(Value value) {
  return isa<quant::QuantizedType>(getElementTypeOrSelf(value.getType()));
}

/// The name picosam-run records `value` under (ignoring the "#k" it adds
/// to a repeated name, and an unnamed op's ordinal).
std::string valueName(Value value) {
  if (auto arg = dyn_cast<BlockArgument>(value))
    return argumentName(arg);
  auto result = cast<OpResult>(value);
  return resultName(result,
                    locationName(result.getOwner()->getLoc()).value_or(""));
}

/// The element types the profiles give (docs/quantization.md).
class TypeRules {
public:
  TypeRules(MLIRContext *context, QuantizationProfile profile)
      : profile(profile), f32(Float32Type::get(context)),
        i8(IntegerType::get(context, 8)), i32(IntegerType::get(context, 32)) {
  }

  /// A per-tensor activation type for values in [min, max] clipped at
  /// |x| <= threshold.
  quant::UniformQuantizedType activation(double min, double max,
                                         double threshold) const {
    if (profile == QuantizationProfile::Imx500) {
      // A power-of-two threshold (a table written for cpu, or edited, is
      // rounded up); unsigned when the tensor is never negative.
      double pot =
          threshold > 0.0 ? std::exp2(std::ceil(std::log2(threshold))) : 1.0;
      if (min >= 0.0)
        return quant::UniformQuantizedType::get(0, i8, f32, pot / 256.0, 0, 0,
                                                255);
      return quant::UniformQuantizedType::get(quant::QuantizationFlags::Signed,
                                              i8, f32, pot / 128.0, 0, -128,
                                              127);
    }
    // cpu: the observed range clipped at the threshold, widened to hold 0
    // (padding and ReLU produce exact zeros), over 255 steps.
    double low = std::min(std::max(min, -threshold), 0.0);
    double high = std::max(std::min(max, threshold), 0.0);
    double scale = high > low ? (high - low) / 255.0 : 1.0;
    int64_t zeroPoint =
        std::clamp<int64_t>(std::llround(-128.0 - low / scale), -128, 127);
    return quant::UniformQuantizedType::get(quant::QuantizationFlags::Signed,
                                            i8, f32, scale, zeroPoint, -128,
                                            127);
  }

  /// True when every op must compute in integers (the IMX500's).
  bool integerOnly() const { return profile == QuantizationProfile::Imx500; }

  /// Sigmoid outputs: [0, 1) in steps of 1/256.
  quant::UniformQuantizedType gate() const {
    if (profile == QuantizationProfile::Imx500)
      return quant::UniformQuantizedType::get(0, i8, f32, 1.0 / 256.0, 0, 0,
                                              255);
    return quant::UniformQuantizedType::get(quant::QuantizationFlags::Signed,
                                            i8, f32, 1.0 / 256.0, -128, -128,
                                            127);
  }

  /// Weights: int8 in [-127, 127] (or [-128, 127], `fullRange`, as MCT's
  /// thresholds give them), symmetric, per output channel.
  quant::UniformQuantizedPerAxisType weights(ArrayRef<double> scales,
                                             bool fullRange) const {
    SmallVector<int64_t> zeroPoints(scales.size(), 0);
    return quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, i8, f32, scales, zeroPoints, 0,
        fullRange ? -128 : -127, 127);
  }

  /// Biases: int32 at input scale x weight scale, per output channel.
  quant::UniformQuantizedPerAxisType bias(ArrayRef<double> scales) const {
    SmallVector<int64_t> zeroPoints(scales.size(), 0);
    return quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, i32, f32, scales, zeroPoints, 0,
        std::numeric_limits<int32_t>::min(),
        std::numeric_limits<int32_t>::max());
  }

private:
  QuantizationProfile profile;
  Type f32, i8, i32;
};

/// The f32 values of a pico.constant, or failure when `value` is not one.
FailureOr<Tensor> constantValues(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant || !getElementTypeOrSelf(value.getType()).isF32())
    return failure();
  return evaluateConstant(constant);
}

/// `shape` with element type `elementType`.
RankedTensorType withElementType(Value value, Type elementType) {
  return RankedTensorType::get(
      cast<ShapedType>(value.getType()).getShape(), elementType);
}

/// The elements of the weights and biases `op` and the ops in it read.
int64_t weightElementsOf(Operation *op) {
  int64_t elements = 0;
  op->walk([&](Operation *nested) {
    for (Value operand : nested->getOperands())
      if (operand.getDefiningOp<ConstantOp>())
        elements += cast<ShapedType>(operand.getType()).getNumElements();
  });
  return elements;
}

/// What leaving ops in float costs, for the report.
struct FallbackCost {
  SmallVector<std::string> floatLayers, unsupported;
  int64_t weightElements = 0, floatMacs = 0, totalMacs = 0, boundaries = 0;
};

/// Quantizes one function; see the file comment.
class FunctionQuantizer {
public:
  FunctionQuantizer(const CalibrationTable &table,
                    DictionaryAttr weightThresholds, const TypeRules &rules,
                    const llvm::StringSet<> &floatLayers,
                    llvm::StringSet<> &matchedFloatLayers, FallbackCost &cost)
      : table(table), weightThresholds(weightThresholds), rules(rules),
        floatLayers(floatLayers), matchedFloatLayers(matchedFloatLayers),
        cost(cost) {}

  LogicalResult quantizeBlock(Block &block);

private:
  bool isFloatLayer(Operation *op);
  LogicalResult splitTableActivations(Block &block);
  LogicalResult quantizeOp(Operation *op);
  FailureOr<quant::UniformQuantizedType> tableType(Operation *user,
                                                   Value value);
  FailureOr<quant::UniformQuantizedType>
  activationType(Operation *user, StringRef name, double min, double max,
                 double threshold);
  FailureOr<Value> quantizedOperand(Operation *user, Value value);
  Value dequantizedOperand(Value value);
  FailureOr<Value> quantizedWeights(Operation *op, Value weight,
                                    SmallVectorImpl<double> &scales);
  template <typename ConvOp> LogicalResult quantizeConvOperands(ConvOp conv);
  LogicalResult quantizeChannelAttention(ChannelAttentionOp op);

  const CalibrationTable &table;
  /// The weight thresholds of a model quantized elsewhere, by Conv node
  /// name (the module's pico.weight_thresholds), or null.
  DictionaryAttr weightThresholds;
  const TypeRules &rules;
  const llvm::StringSet<> &floatLayers;
  llvm::StringSet<> &matchedFloatLayers;
  FallbackCost &cost;
  /// The pico.quantize of each float value a quantized op reads, and the
  /// pico.dequantize of each quantized value a float op reads.
  DenseMap<Value, Value> quantized, dequantized;
  /// Ops kept in float because float-layers names them.
  llvm::SmallPtrSet<Operation *, 8> keptInFloat;
};

bool FunctionQuantizer::isFloatLayer(Operation *op) {
  SmallVector<std::string> names;
  collectLocationNames(op->getLoc(), names);
  if (std::optional<std::string> joined = locationName(op->getLoc()))
    names.push_back(*joined);
  bool found = false;
  for (const std::string &name : names)
    if (floatLayers.contains(name)) {
      matchedFloatLayers.insert(name);
      found = true;
    }
  for (Region &region : op->getRegions())
    for (Operation &nested : region.getOps())
      found |= isFloatLayer(&nested);
  return found;
}

/// True for the activations a quantized producer applies as a clamp.
bool isClampActivation(ActivationAttr activation) {
  return !activation || activation.isNone() ||
         activation.getKind() == ActivationKind::Relu ||
         activation.getKind() == ActivationKind::Clip;
}

/// Why an op computing with `weight` and `bias` (optional) stays in float:
/// quantizing rewrites them as constants.
std::optional<std::string> whyWeightsFloat(Value weight, Value bias) {
  if (failed(constantValues(weight)))
    return std::string("its weights are not a constant");
  if (bias && failed(constantValues(bias)))
    return std::string("its bias is not a constant");
  return std::nullopt;
}

/// Why `op` has no integer semantics, or nothing when it has. A fused
/// activation that is not a clamp is split off before this is asked.
std::optional<std::string> whyFloat(Operation *op) {
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return whyWeightsFloat(conv.getWeight(), conv.getBias());
  if (auto convTranspose = dyn_cast<ConvTranspose2DOp>(op))
    return whyWeightsFloat(convTranspose.getWeight(), convTranspose.getBias());
  if (auto attention = dyn_cast<ChannelAttentionOp>(op))
    return whyWeightsFloat(attention.getWeight(), attention.getBias());
  if (auto resize = dyn_cast<ResizeOp>(op)) {
    if (resize.getMode() == ResizeMode::Nearest)
      return std::nullopt;
    return ("only a nearest resize has integer semantics, and this one is " +
            stringifyResizeMode(resize.getMode()))
        .str();
  }
  if (auto reduce = dyn_cast<ReduceOp>(op)) {
    if (reduce.getKind() != ReduceKind::Sum)
      return std::nullopt;
    return std::string("a sum has no integer semantics (docs/quantization.md)");
  }
  if (auto block = dyn_cast<SeparableBlockOp>(op)) {
    for (Conv2DOp conv : {block.getDepthwise(), block.getPointwise()})
      if (std::optional<std::string> reason = whyFloat(conv))
        return "in its " +
               std::string(conv == block.getDepthwise() ? "depthwise"
                                                        : "pointwise") +
               " convolution, " + *reason;
    return std::nullopt;
  }
  if (isa<ActivationOpInterface, AddOp, SubOp, MulOp, GlobalAvgPoolOp,
          AvgPoolOp, MaxPoolOp, ConcatOp, ReshapeOp, TransposeOp, PadOp,
          SliceOp>(op))
    return std::nullopt;
  return std::string("it has no integer semantics (docs/quantization.md)");
}

/// The locations of an op with a fused activation split in two: the one of
/// the value before the activation (every name but the last) and the
/// activation's (the last name: fusion appends the activation's node), or
/// nothing when `loc` names no separate activation node.
std::optional<std::pair<Location, Location>>
splitActivationLocation(Location loc) {
  auto fused = dyn_cast<FusedLoc>(loc);
  if (!fused || fused.getLocations().size() < 2)
    return std::nullopt;
  ArrayRef<Location> parts = fused.getLocations();
  Location before =
      parts.size() == 2
          ? parts.front()
          : FusedLoc::get(parts.drop_back(), fused.getMetadata(),
                          loc.getContext());
  return std::make_pair(before, parts.back());
}

/// The fused activation of a convolution (or transposed one), add, sub or
/// mul that a clamp cannot apply, or null.
ActivationAttr tableActivationOf(Operation *op) {
  if (!isa<Conv2DOp, ConvTranspose2DOp, AddOp, SubOp, MulOp>(op))
    return {};
  auto activation = op->getAttrOfType<ActivationAttr>("activation");
  return isClampActivation(activation) ? ActivationAttr() : activation;
}

/// Moves the depthwise and pointwise convolutions of `block` out of it, in
/// front of it, and replaces the block by the pointwise result.
void dissolveSeparableBlock(SeparableBlockOp block) {
  Block &body = block.getBody().front();
  auto yield = cast<YieldOp>(body.getTerminator());
  body.getArgument(0).replaceAllUsesWith(block.getInput());
  block.getOutput().replaceAllUsesWith(yield.getValue());
  yield->erase();
  block->getBlock()->getOperations().splice(block->getIterator(),
                                            body.getOperations());
  block->erase();
}

LogicalResult FunctionQuantizer::splitTableActivations(Block &block) {
  // A separable block holds exactly its two convolutions: one with such an
  // activation leaves the block for the table op to follow it.
  SmallVector<SeparableBlockOp> blocks;
  for (auto separable : block.getOps<SeparableBlockOp>())
    if ((tableActivationOf(separable.getDepthwise()) ||
         tableActivationOf(separable.getPointwise())) &&
        !isFloatLayer(separable))
      blocks.push_back(separable);
  for (SeparableBlockOp separable : blocks)
    dissolveSeparableBlock(separable);

  SmallVector<Operation *> producers;
  for (Operation &op : block.without_terminator())
    if (tableActivationOf(&op) && !whyFloat(&op) && !isFloatLayer(&op))
      producers.push_back(&op);
  for (Operation *producer : producers) {
    ActivationAttr activation = tableActivationOf(producer);
    std::optional<std::pair<Location, Location>> locations =
        splitActivationLocation(producer->getLoc());
    if (!locations)
      return producer->emitOpError("fuses ")
             << stringifyActivationKind(activation.getKind())
             << ", which quantizes as a table op of its own, but its "
                "location does not name the activation's node apart (a "
                "fused location, as fusion writes it): the value before "
                "the activation has no name to calibrate it by";
    producer->removeAttr("activation");
    producer->setLoc(locations->first);
    Value result = producer->getResult(0);
    OpBuilder builder(producer->getContext());
    builder.setInsertionPointAfter(producer);
    Operation *table =
        createActivationOp(builder, locations->second, result, activation);
    result.replaceAllUsesExcept(table->getResult(0), table);
  }
  return success();
}

/// rules.activation, refused when its step is below float32's smallest
/// normal number: a tensor that is all but zero, whose subnormal (or
/// smaller) scale would write a type the quant dialect's parser rejects and
/// whose requantization ratios overflow.
FailureOr<quant::UniformQuantizedType>
FunctionQuantizer::activationType(Operation *user, StringRef name, double min,
                                  double max, double threshold) {
  quant::UniformQuantizedType type = rules.activation(min, max, threshold);
  if (type.getScale() >= std::numeric_limits<float>::min())
    return type;
  InFlightDiagnostic diag = user->emitOpError("'")
                            << name << "' has the range [" << min << ", " << max
                            << "] clipped at " << threshold
                            << ", a quantization step of " << type.getScale()
                            << ", below float32's smallest normal number "
                            << std::numeric_limits<float>::min();
  if (!table.source().empty())
    diag << " (in '" << table.source() << "')";
  diag << ": keep the op that computes it in float (float-layers)";
  return failure();
}

FailureOr<quant::UniformQuantizedType>
FunctionQuantizer::tableType(Operation *user, Value value) {
  std::string name = valueName(value);
  const CalibrationEntry *entry = table.lookup(name);
  // A fused op's value is the one its last merged node computed.
  SmallVector<std::string> parts;
  if (Operation *producer = value.getDefiningOp())
    collectLocationNames(producer->getLoc(), parts);
  if (!entry && parts.size() > 1)
    entry = table.lookup(parts.back());
  if (!entry) {
    InFlightDiagnostic diag = user->emitOpError("no calibration entry for '")
                              << name << "'";
    if (parts.size() > 1)
      diag << " (nor for '" << parts.back() << "')";
    if (!table.source().empty())
      diag << " in '" << table.source() << "'";
    diag << ": calibrate this model, or keep the op that computes it in "
            "float (float-layers)";
    return failure();
  }
  return activationType(user, entry->name, entry->min, entry->max,
                        entry->threshold);
}

FailureOr<Value> FunctionQuantizer::quantizedOperand(Operation *user,
                                                     Value value) {
  if (isQuantized(value))
    return value;
  if (Value cached = quantized.lookup(value))
    return cached;
  quant::UniformQuantizedType type;
  if (FailureOr<Tensor> values = constantValues(value); succeeded(values)) {
    // A constant read as an activation is quantized by its own range.
    auto [min, max] = std::minmax_element(values->floats().begin(),
                                          values->floats().end());
    double absMax = std::max(std::fabs(*min), std::fabs(*max));
    FailureOr<quant::UniformQuantizedType> fromValues =
        activationType(user, valueName(value), *min, *max, absMax);
    if (failed(fromValues))
      return failure();
    type = *fromValues;
  } else {
    FailureOr<quant::UniformQuantizedType> fromTable = tableType(user, value);
    if (failed(fromTable))
      return failure();
    type = *fromTable;
  }
  OpBuilder builder(user->getContext());
  builder.setInsertionPointAfterValue(value);
  Location loc = NameLoc::get(
      StringAttr::get(user->getContext(), valueName(value) + "/quantize"));
  Value result = QuantizeOp::create(builder, loc, withElementType(value, type),
                                    value);
  quantized[value] = result;
  if (Operation *producer = value.getDefiningOp();
      producer && keptInFloat.contains(producer))
    ++cost.boundaries;
  return result;
}

Value FunctionQuantizer::dequantizedOperand(Value value) {
  if (Value cached = dequantized.lookup(value))
    return cached;
  OpBuilder builder(value.getContext());
  builder.setInsertionPointAfterValue(value);
  Location loc = NameLoc::get(
      StringAttr::get(value.getContext(), valueName(value) + "/dequantize"));
  Value result = DequantizeOp::create(
      builder, loc,
      withElementType(value, Float32Type::get(value.getContext())), value);
  dequantized[value] = result;
  return result;
}

/// The pico.constant of `weight` quantized symmetric per output channel
/// (scale max |w| / 127), placed where the float one is (in the function
/// body, also for the convolutions of a separable block); `scales` receives
/// the channel scales. With `thresholds` (a model quantized elsewhere, one
/// per channel) a channel's scale is MCT's T / 128 with the range
/// [-128, 127], unless T is 128 max |w| / 127 rounded to f32, picosam's own
/// scale as the MCTQ export writes it, which is then read back exactly.
Value quantizeWeights(Value weight, const TypeRules &rules,
                      SmallVectorImpl<double> &scales,
                      ArrayRef<float> thresholds = {}) {
  Tensor values = *constantValues(weight);
  int64_t outChannels = values.shape()[0];
  int64_t perChannel = values.numElements() / outChannels;
  std::vector<int8_t> storage(values.numElements());
  bool fullRange = false;
  for (int64_t c = 0; c < outChannels; ++c) {
    const float *w = values.floats().data() + c * perChannel;
    double absMax = 0.0;
    for (int64_t i = 0; i < perChannel; ++i)
      absMax = std::max(absMax, std::fabs(static_cast<double>(w[i])));
    double scale = absMax > 0.0 ? absMax / 127.0 : 1.0;
    double lowest = -127.0;
    if (!thresholds.empty() &&
        static_cast<float>(128.0 * scale) != thresholds[c]) {
      scale = thresholds[c] / 128.0;
      lowest = -128.0;
      fullRange = true;
    }
    scales.push_back(scale);
    for (int64_t i = 0; i < perChannel; ++i)
      storage[c * perChannel + i] = static_cast<int8_t>(
          std::clamp(std::nearbyint(w[i] / scale), lowest, 127.0));
  }
  OpBuilder builder(weight.getDefiningOp());
  auto storageType =
      RankedTensorType::get(values.shape(), builder.getIntegerType(8));
  return ConstantOp::create(
      builder, weight.getLoc(),
      withElementType(weight, rules.weights(scales, fullRange)),
      DenseElementsAttr::get(storageType, ArrayRef(storage)));
}

/// The pico.constant of `bias` as int32 at the accumulator's scale,
/// inputScale * weightScales[c].
Value quantizeBias(Value bias, double inputScale,
                   ArrayRef<double> weightScales, const TypeRules &rules) {
  Tensor values = *constantValues(bias);
  SmallVector<double> scales;
  std::vector<int32_t> storage;
  for (auto [c, b] : llvm::enumerate(values.floats())) {
    scales.push_back(inputScale * weightScales[c]);
    double q = std::nearbyint(b / scales.back());
    storage.push_back(static_cast<int32_t>(
        std::clamp<double>(q, std::numeric_limits<int32_t>::min(),
                           std::numeric_limits<int32_t>::max())));
  }
  OpBuilder builder(bias.getDefiningOp());
  auto storageType =
      RankedTensorType::get(values.shape(), builder.getIntegerType(32));
  return ConstantOp::create(
      builder, bias.getLoc(), withElementType(bias, rules.bias(scales)),
      DenseElementsAttr::get(storageType, ArrayRef(storage)));
}

double scaleOf(Type type) {
  return cast<quant::UniformQuantizedType>(getElementTypeOrSelf(type))
      .getScale();
}

FailureOr<Value>
FunctionQuantizer::quantizedWeights(Operation *op, Value weight,
                                    SmallVectorImpl<double> &scales) {
  if (!weightThresholds)
    return quantizeWeights(weight, rules, scales);
  // The convolution keeps its ONNX Conv node's name through fusion.
  SmallVector<std::string> names;
  collectLocationNames(op->getLoc(), names);
  for (const std::string &name : names) {
    auto thresholds = weightThresholds.getAs<DenseF32ArrayAttr>(name);
    if (!thresholds)
      continue;
    int64_t outChannels = cast<ShapedType>(weight.getType()).getDimSize(0);
    if (thresholds.size() != outChannels)
      return op->emitOpError("the weight quantizer of '")
             << name << "' has " << thresholds.size() << " threshold"
             << (thresholds.size() == 1 ? "" : "s") << " for " << outChannels
             << " output channels";
    return quantizeWeights(weight, rules, scales, thresholds.asArrayRef());
  }
  return op->emitOpError("the model's quantizers give no weight thresholds "
                         "for '")
         << llvm::join(names, "+")
         << "': its Conv weights have no WeightsSymmetricQuantizer or "
            "WeightsPOTQuantizer";
}

template <typename ConvOp>
LogicalResult FunctionQuantizer::quantizeConvOperands(ConvOp conv) {
  FailureOr<Value> input = quantizedOperand(conv, conv.getInput());
  if (failed(input))
    return failure();
  conv.getInputMutable().assign(*input);
  if constexpr (std::is_same_v<ConvOp, Conv2DOp>) {
    if (Value residual = conv.getResidual()) {
      FailureOr<Value> quantizedResidual = quantizedOperand(conv, residual);
      if (failed(quantizedResidual))
        return failure();
      conv.getResidualMutable().assign(*quantizedResidual);
    }
  }
  SmallVector<double> scales;
  FailureOr<Value> weight = quantizedWeights(conv, conv.getWeight(), scales);
  if (failed(weight))
    return failure();
  conv.getWeightMutable().assign(*weight);
  if (Value bias = conv.getBias())
    conv.getBiasMutable().assign(
        quantizeBias(bias, scaleOf(input->getType()), scales, rules));
  return success();
}

LogicalResult
FunctionQuantizer::quantizeChannelAttention(ChannelAttentionOp op) {
  FailureOr<Value> input = quantizedOperand(op, op.getInput());
  if (failed(input))
    return failure();
  op.getInputMutable().assign(*input);
  // The intermediates are the values of the first two nodes it fused:
  // global_avg_pool's means and the 1x1 convolution's logits.
  SmallVector<std::string> names;
  collectLocationNames(op->getLoc(), names);
  SmallVector<quant::UniformQuantizedType, 2> intermediates;
  const char *const roles[] = {"means", "logits"};
  for (auto [index, what] : llvm::enumerate(roles)) {
    const CalibrationEntry *entry =
        index < names.size() ? table.lookup(names[index]) : nullptr;
    if (!entry || names.size() < 3)
      return op.emitOpError("needs calibration entries for its ")
             << what
             << " under the name of the node that computed them (the "
                "first two names of its location); calibrate the graph "
                "before fusion";
    FailureOr<quant::UniformQuantizedType> type = activationType(
        op, entry->name, entry->min, entry->max, entry->threshold);
    if (failed(type))
      return failure();
    intermediates.push_back(*type);
  }
  op.setMeanTypeAttr(TypeAttr::get(intermediates[0]));
  op.setLogitsTypeAttr(TypeAttr::get(intermediates[1]));
  SmallVector<double> scales;
  FailureOr<Value> weight = quantizedWeights(op, op.getWeight(), scales);
  if (failed(weight))
    return failure();
  op.getWeightMutable().assign(*weight);
  if (Value bias = op.getBias())
    op.getBiasMutable().assign(
        quantizeBias(bias, intermediates[0].getScale(), scales, rules));
  return success();
}

LogicalResult FunctionQuantizer::quantizeOp(Operation *op) {
  if (auto block = dyn_cast<SeparableBlockOp>(op)) {
    FailureOr<Value> input = quantizedOperand(op, block.getInput());
    if (failed(input))
      return failure();
    block.getInputMutable().assign(*input);
    Block &body = block.getBody().front();
    body.getArgument(0).setType(input->getType());
    if (failed(quantizeBlock(body)))
      return failure();
    block.getOutput().setType(
        cast<YieldOp>(body.getTerminator()).getValue().getType());
    return success();
  }

  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    if (failed(quantizeConvOperands(conv)))
      return failure();
  } else if (auto convTranspose = dyn_cast<ConvTranspose2DOp>(op)) {
    if (failed(quantizeConvOperands(convTranspose)))
      return failure();
  } else if (auto attention = dyn_cast<ChannelAttentionOp>(op)) {
    if (failed(quantizeChannelAttention(attention)))
      return failure();
  } else {
    for (OpOperand &operand : op->getOpOperands()) {
      FailureOr<Value> value = quantizedOperand(op, operand.get());
      if (failed(value))
        return failure();
      operand.set(*value);
    }
  }

  // The result: the input's type for ops that only move values, the
  // sigmoid's fixed [0, 1) type, else the calibration table's.
  Value result = op->getResult(0);
  Type elementType;
  auto reduce = dyn_cast<ReduceOp>(op);
  if (isa<ResizeOp, MaxPoolOp, ReshapeOp, TransposeOp, PadOp, SliceOp>(op) ||
      (reduce && reduce.getKind() == ReduceKind::Max)) {
    elementType = getElementTypeOrSelf(op->getOperand(0).getType());
  } else if (isa<SigmoidOp>(op)) {
    elementType = rules.gate();
  } else {
    FailureOr<quant::UniformQuantizedType> type = tableType(op, result);
    if (failed(type))
      return failure();
    elementType = *type;
  }
  result.setType(withElementType(result, elementType));
  return success();
}

LogicalResult FunctionQuantizer::quantizeBlock(Block &block) {
  if (failed(splitTableActivations(block)))
    return failure();
  SmallVector<Operation *> ops;
  for (Operation &op : block.without_terminator())
    ops.push_back(&op);
  bool refused = false;
  for (Operation *op : ops) {
    if (isa<ConstantOp, QuantizeOp, DequantizeOp>(op))
      continue;
    bool floatLayer = isFloatLayer(op);
    std::optional<std::string> reason = whyFloat(op);
    if (!floatLayer && !reason) {
      if (failed(quantizeOp(op)))
        return failure();
      continue;
    }
    // Kept in float: quantized operands are dequantized first.
    std::string name = locationName(op->getLoc()).value_or(
        op->getName().getStringRef().str());
    if (!floatLayer && rules.integerOnly()) {
      op->emitOpError("'")
          << name << "' cannot be quantized: " << *reason
          << "; the imx500 profile computes every op in integers (float-layers "
             "keeps an op in float on purpose, which the IMX500 cannot run)";
      refused = true;
      continue;
    }
    if (floatLayer) {
      keptInFloat.insert(op);
      cost.floatLayers.push_back(name);
      cost.floatMacs += countMacs(op);
      cost.weightElements += weightElementsOf(op);
    } else {
      cost.unsupported.push_back(name);
    }
    for (OpOperand &operand : op->getOpOperands())
      if (isQuantized(operand.get())) {
        operand.set(dequantizedOperand(operand.get()));
        if (floatLayer)
          ++cost.boundaries;
      }
  }
  if (refused)
    return failure();
  // The function keeps its float results.
  Operation *terminator = block.getTerminator();
  if (isa<func::ReturnOp>(terminator))
    for (OpOperand &operand : terminator->getOpOperands())
      if (isQuantized(operand.get()))
        operand.set(dequantizedOperand(operand.get()));
  return success();
}

void printFallbackCost(const FallbackCost &cost, llvm::raw_ostream &os) {
  if (!cost.unsupported.empty())
    os << "pico-quantize: kept in f32 (no integer semantics): "
       << llvm::join(cost.unsupported, ", ") << "\n";
  if (cost.floatLayers.empty())
    return;
  os << "pico-quantize: float fallback for " << cost.floatLayers.size()
     << " op" << (cost.floatLayers.size() == 1 ? "" : "s") << ": "
     << llvm::join(cost.floatLayers, ", ") << "\n";
  os << llvm::formatv("  weights kept in f32: {0} elements, {1} bytes ({2} "
                      "more than int8)\n",
                      cost.weightElements, 4 * cost.weightElements,
                      3 * cost.weightElements);
  double share = cost.totalMacs ? 100.0 * cost.floatMacs / cost.totalMacs : 0;
  os << llvm::formatv("  MACs in f32: {0} of {1} ({2:f1} %)\n",
                      cost.floatMacs, cost.totalMacs, share);
  os << "  quantize/dequantize ops at the float boundaries: "
     << cost.boundaries << "\n";
}

struct QuantizePass : picosam::impl::QuantizeBase<QuantizePass> {
  using QuantizeBase::QuantizeBase;
  QuantizePass(const QuantizeOptions &options, CalibrationTable table)
      : QuantizeBase(options), preloaded(std::move(table)) {}

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<QuantizationProfile> requestedProfile;
    if (!profile.empty()) {
      requestedProfile = parseQuantizationProfile(profile);
      if (!requestedProfile) {
        module.emitError("pico-quantize: unknown profile '")
            << profile << "' (expected cpu or imx500)";
        return signalPassFailure();
      }
    }
    llvm::Expected<QuantizationProfile> selectedProfile =
        selectQuantizationProfile(requestedProfile, TargetAttr::lookup(module));
    if (!selectedProfile) {
      module.emitError("pico-quantize: ")
          << llvm::toString(selectedProfile.takeError());
      return signalPassFailure();
    }
    // A model quantized elsewhere carries its thresholds (an MCTQ model's,
    // set by the importer); they replace calibration.
    std::optional<CalibrationTable> loaded = preloaded;
    std::optional<CalibrationTable> carried = getModuleCalibration(module);
    if (carried && !table.empty()) {
      module.emitError("pico-quantize: the module carries the thresholds of "
                       "the model's quantizer nodes (pico.calibration); it "
                       "takes no calibration table");
      return signalPassFailure();
    }
    if (!loaded && carried)
      loaded = std::move(carried);
    if (!loaded) {
      if (table.empty()) {
        module.emitError("pico-quantize needs a calibration table "
                         "(table=<file>; picosam-compile --calibration-data "
                         "makes one)");
        return signalPassFailure();
      }
      llvm::Expected<CalibrationTable> read = CalibrationTable::read(table);
      if (!read) {
        module.emitError("pico-quantize: ")
            << llvm::toString(read.takeError());
        return signalPassFailure();
      }
      loaded = std::move(*read);
    }

    llvm::StringSet<> floatLayerNames, matched;
    for (const std::string &name : floatLayers)
      floatLayerNames.insert(name);
    TypeRules rules(&getContext(), *selectedProfile);
    FallbackCost cost;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      cost.totalMacs += countMacs(func);
      FunctionQuantizer quantizer(*loaded,
                                  module->getAttrOfType<DictionaryAttr>(
                                      PicoDialect::kWeightThresholdsAttrName),
                                  rules, floatLayerNames, matched, cost);
      if (failed(quantizer.quantizeBlock(func.getBody().front())))
        return signalPassFailure();
      // The float weights the quantized ones replaced.
      SmallVector<ConstantOp> constants;
      func.walk([&](ConstantOp constant) { constants.push_back(constant); });
      for (ConstantOp constant : constants)
        if (constant->use_empty())
          constant->erase();
    }
    for (const std::string &name : floatLayers)
      if (!matched.contains(name)) {
        module.emitError("pico-quantize: float-layers names '")
            << name << "', but no op has that name";
        return signalPassFailure();
      }
    // The imported thresholds are the quantized types now.
    module->removeAttr(PicoDialect::kCalibrationAttrName);
    module->removeAttr(PicoDialect::kWeightThresholdsAttrName);
    printFallbackCost(cost, llvm::errs());
  }

  std::optional<CalibrationTable> preloaded;
};

} // namespace

std::unique_ptr<Pass>
picosam::createQuantizePass(const QuantizeOptions &options,
                            CalibrationTable table) {
  return std::make_unique<QuantizePass>(options, std::move(table));
}
