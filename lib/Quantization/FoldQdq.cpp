//===- FoldQdq.cpp - QuantizeLinear/DequantizeLinear pairs to quantized ops ===//
//
// A model quantized outside picosam (torch.ao FX, onnxruntime's tools)
// arrives as float ops between pico.dequantize and pico.quantize:
//
//   y = quantize(relu(conv(dequantize(x), dequantize(w), dequantize(b))))
//
// which becomes the quantized op picosam's own quantization makes, with the
// integer semantics of docs/quantization.md:
//
//   y = conv(x, w, b') {activation = relu}
//
// b' is the bias requantized to int32 at input scale x weight scale.
//
//===----------------------------------------------------------------------===//
#include "Pico/PicoOps.h"
#include "picosam/Inference/Inference.h"
#include "picosam/Support/Quant.h"
#include "picosam/Quantization/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <limits>

namespace picosam {
#define GEN_PASS_DEF_FOLDQDQ
#include "picosam/Quantization/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {

/// Whether tensors of `type` are activations for the integer semantics:
/// per-tensor 8-bit !quant.uniform.
bool isActivationType(Type type) {
  auto uniform =
      dyn_cast<quant::UniformQuantizedType>(getElementTypeOrSelf(type));
  return uniform && uniform.getStorageTypeIntegralWidth() == 8;
}

/// The quantized value `value` dequantizes, when it is a pico.dequantize
/// of a per-tensor 8-bit activation.
Value dequantizedActivation(Value value) {
  auto dequantize = value.getDefiningOp<DequantizeOp>();
  if (!dequantize || !isActivationType(dequantize.getInput().getType()))
    return {};
  return dequantize.getInput();
}

/// The quantized constant a weight operand dequantizes, when its type is
/// one the integer convolution takes: signed 8-bit, symmetric, per tensor
/// or per output channel.
Value dequantizedWeight(Value value) {
  auto dequantize = value.getDefiningOp<DequantizeOp>();
  if (!dequantize || !dequantize.getInput().getDefiningOp<ConstantOp>())
    return {};
  auto type = dyn_cast<quant::QuantizedType>(
      getElementTypeOrSelf(dequantize.getInput().getType()));
  if (!type || !type.isSigned() || type.getStorageTypeIntegralWidth() != 8)
    return {};
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type))
    return perTensor.getZeroPoint() == 0 ? dequantize.getInput() : Value();
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  if (!perAxis || perAxis.getQuantizedDimension() != 0 ||
      llvm::any_of(perAxis.getZeroPoints(), [](int64_t z) { return z != 0; }))
    return {};
  return dequantize.getInput();
}

/// The f32 values of a bias: a float constant, or a quantized constant
/// through its pico.dequantize. Failure for anything else.
FailureOr<Tensor> biasValues(Value bias) {
  if (auto dequantize = bias.getDefiningOp<DequantizeOp>()) {
    auto constant = dequantize.getInput().getDefiningOp<ConstantOp>();
    if (!constant)
      return failure();
    FailureOr<Tensor> storage = evaluateConstant(constant);
    if (failed(storage))
      return failure();
    llvm::Expected<QuantParams> params = QuantParams::get(
        getElementTypeOrSelf(constant.getType()), storage->shape());
    if (!params) {
      llvm::consumeError(params.takeError());
      return failure();
    }
    return params->dequantize(*storage);
  }
  auto constant = bias.getDefiningOp<ConstantOp>();
  if (!constant || !getElementTypeOrSelf(bias.getType()).isF32())
    return failure();
  return evaluateConstant(constant);
}

/// The scale of each output channel of a quantized weight type.
SmallVector<double> channelScales(Type weightType, int64_t channels) {
  Type element = getElementTypeOrSelf(weightType);
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(element))
    return SmallVector<double>(channels, perTensor.getScale());
  return SmallVector<double>(
      cast<quant::UniformQuantizedPerAxisType>(element).getScales());
}

/// `values` as an int32 constant at scales inputScale * weightScales[c],
/// per output channel: the bias the integer convolution adds.
Value requantizeBias(OpBuilder &builder, Location loc, const Tensor &values,
                     double inputScale, ArrayRef<double> weightScales) {
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints(weightScales.size(), 0);
  std::vector<int32_t> storage;
  for (auto [c, b] : llvm::enumerate(values.floats())) {
    scales.push_back(inputScale * weightScales[c]);
    storage.push_back(static_cast<int32_t>(std::clamp<double>(
        std::nearbyint(b / scales.back()),
        std::numeric_limits<int32_t>::min(),
        std::numeric_limits<int32_t>::max())));
  }
  auto type = quant::UniformQuantizedPerAxisType::get(
      quant::QuantizationFlags::Signed, builder.getIntegerType(32),
      builder.getF32Type(), scales, zeroPoints, 0,
      std::numeric_limits<int32_t>::min(),
      std::numeric_limits<int32_t>::max());
  auto storageType = RankedTensorType::get(values.shape(),
                                           builder.getIntegerType(32));
  return ConstantOp::create(builder, loc,
                            RankedTensorType::get(values.shape(), type),
                            DenseElementsAttr::get(storageType,
                                                   ArrayRef(storage)));
}

/// True for the ops whose quantized form has integer semantics and whose
/// operands are all activations.
bool isFoldableActivationOp(Operation *op) {
  if (auto resize = dyn_cast<ResizeOp>(op))
    return resize.getMode() == ResizeMode::Nearest;
  if (auto reduce = dyn_cast<ReduceOp>(op))
    return reduce.getKind() != ReduceKind::Sum;
  return isa<AddOp, SubOp, MulOp, ActivationOpInterface, GlobalAvgPoolOp,
             AvgPoolOp, MaxPoolOp, ConcatOp, ReshapeOp, TransposeOp, PadOp, SliceOp>(op);
}

/// The activation a standalone relu or clip applies, when it can become a
/// quantized producer's clamp.
ActivationAttr clampActivation(Operation *op) {
  if (!isa_and_nonnull<ReluOp, ClipOp>(op))
    return {};
  return cast<ActivationOpInterface>(op).getActivationFunction();
}

/// quantize(producer(dequantize(x), ...)), with a relu or clip between
/// them when the producer is a conv2d or an element-wise op: the producer
/// on the quantized values, with the activation and the quantize's result
/// type.
struct FoldQuantizeOfFloatOp : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    Operation *producer = quantize.getInput().getDefiningOp();
    if (!producer || !quantize.getInput().hasOneUse())
      return failure();
    // A relu or clip after a convolution or an add becomes its clamp.
    Operation *activationOp = nullptr;
    ActivationAttr activation = clampActivation(producer);
    if (activation) {
      Operation *inner = producer->getOperand(0).getDefiningOp();
      auto existing = inner ? inner->getAttrOfType<ActivationAttr>("activation")
                            : ActivationAttr();
      if (isa_and_nonnull<Conv2DOp, AddOp, SubOp, MulOp>(inner) && !existing &&
          producer->getOperand(0).hasOneUse()) {
        activationOp = producer;
        producer = inner;
      }
    }
    if (!activationOp)
      activation = {};
    if (producer->getNumResults() != 1 || producer->getNumRegions() != 0 ||
        !isActivationType(quantize.getType()))
      return failure();

    SmallVector<std::pair<unsigned, Value>> replacements;
    if (auto conv = dyn_cast<Conv2DOp>(producer)) {
      Value input = dequantizedActivation(conv.getInput());
      Value weight = dequantizedWeight(conv.getWeight());
      if (!input || !weight)
        return failure();
      if (conv.getResidual() && !dequantizedActivation(conv.getResidual()))
        return failure();
      FailureOr<Tensor> bias;
      if (conv.getBias() && failed(bias = biasValues(conv.getBias())))
        return failure();
      rewriter.setInsertionPointAfterValue(weight);
      for (OpOperand &operand : producer->getOpOperands()) {
        if (operand.get() == conv.getWeight())
          replacements.push_back({operand.getOperandNumber(), weight});
        else if (operand.get() == conv.getBias())
          replacements.push_back(
              {operand.getOperandNumber(),
               requantizeBias(
                   rewriter, conv.getBias().getLoc(), *bias,
                   cast<quant::UniformQuantizedType>(
                       getElementTypeOrSelf(input.getType()))
                       .getScale(),
                   channelScales(weight.getType(),
                                 cast<ShapedType>(weight.getType())
                                     .getDimSize(0)))});
        else
          replacements.push_back({operand.getOperandNumber(),
                                  dequantizedActivation(operand.get())});
      }
    } else if (isFoldableActivationOp(producer)) {
      for (OpOperand &operand : producer->getOpOperands()) {
        Value quantized = dequantizedActivation(operand.get());
        if (!quantized)
          return failure();
        replacements.push_back({operand.getOperandNumber(), quantized});
      }
      // A reshape, transpose, pad or slice moves storage values unchanged: its
      // result keeps the operand's type.
      if (isa<ReshapeOp, TransposeOp, PadOp, SliceOp>(producer) &&
          getElementTypeOrSelf(replacements.front().second.getType()) !=
              getElementTypeOrSelf(quantize.getType()))
        return failure();
    } else {
      return failure();
    }

    SmallVector<Location> names = {producer->getLoc()};
    if (activationOp)
      names.push_back(activationOp->getLoc());
    names.push_back(quantize.getLoc());
    rewriter.modifyOpInPlace(producer, [&] {
      for (auto [index, value] : replacements)
        producer->setOperand(index, value);
      if (activation)
        producer->setAttr("activation", activation);
      producer->getResult(0).setType(quantize.getType());
      producer->setLoc(rewriter.getFusedLoc(names));
    });
    rewriter.replaceOp(quantize, producer->getResult(0));
    if (activationOp)
      rewriter.eraseOp(activationOp);
    return success();
  }
};

struct FoldQdqPass : picosam::impl::FoldQdqBase<FoldQdqPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldQuantizeOfFloatOp>(&getContext());
    // Only the pattern rewrites: no folding or merging of constants. The
    // dequantize ops and float constants left unused are erased as dead.
    GreedyRewriteConfig config;
    config.setUseTopDownTraversal()
        .enableFolding(false)
        .enableConstantCSE(false)
        .setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config)))
      return signalPassFailure();
  }
};

} // namespace
