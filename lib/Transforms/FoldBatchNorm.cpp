//===- FoldBatchNorm.cpp - batch_norm into the convolution before it ------===//
#include "Pico/PicoOps.h"
#include "picosam/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace picosam {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "picosam/Transforms/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {

/// The f32 elements of the constant defining `value`, or null.
DenseFPElementsAttr f32Constant(Value value) {
  DenseFPElementsAttr elements;
  if (value && matchPattern(value, m_Constant(&elements)) &&
      elements.getElementType().isF32())
    return elements;
  return {};
}

std::vector<float> floatsOf(DenseFPElementsAttr elements) {
  auto values = elements.getValues<float>();
  return std::vector<float>(values.begin(), values.end());
}

/// A pico.constant holding `values` in a tensor of `shape`.
Value createConstant(PatternRewriter &rewriter, Location loc,
                     ArrayRef<int64_t> shape, ArrayRef<float> values) {
  auto type = RankedTensorType::get(shape, rewriter.getF32Type());
  return ConstantOp::create(rewriter, loc,
                            DenseElementsAttr::get(type, values));
}

/// batch_norm as y = x * factor + shift per channel, in double.
struct ChannelAffine {
  std::vector<double> factor, shift;
};

std::optional<ChannelAffine> channelAffineOf(BatchNormOp op) {
  DenseFPElementsAttr scale = f32Constant(op.getScale()),
                      bias = f32Constant(op.getBias()),
                      mean = f32Constant(op.getMean()),
                      variance = f32Constant(op.getVariance());
  if (!scale || !bias || !mean || !variance)
    return std::nullopt;
  double epsilon = op.getEpsilon().convertToDouble();
  ChannelAffine affine;
  for (auto [gamma, beta, mu, sigma2] :
       llvm::zip_equal(scale.getValues<float>(), bias.getValues<float>(),
                       mean.getValues<float>(), variance.getValues<float>())) {
    double factor = gamma / std::sqrt(sigma2 + epsilon);
    affine.factor.push_back(factor);
    affine.shift.push_back(beta - mu * factor);
  }
  return affine;
}

/// Whether a convolution adds a residual before its result.
bool hasResidual(Conv2DOp conv) { return static_cast<bool>(conv.getResidual()); }
bool hasResidual(ConvTranspose2DOp) { return false; }

/// The convolution (conv2d or conv_transpose2d, both with weights O x ...)
/// a batch_norm folds into: its only user is the batch_norm, it applies
/// nothing after the bias, and its weights (and bias) are constants.
template <typename ConvOp> ConvOp foldableConvolution(BatchNormOp op) {
  auto conv = op.getInput().getDefiningOp<ConvOp>();
  if (!conv || !conv->hasOneUse() || conv.getActivation() ||
      hasResidual(conv) || !f32Constant(conv.getWeight()) ||
      (conv.getBias() && !f32Constant(conv.getBias())))
    return {};
  return conv;
}

/// `conv` with `weight` and `bias` instead of its own, of type `type`.
Value withWeightAndBias(PatternRewriter &rewriter, Location loc, Type type,
                        Conv2DOp conv, Value weight, Value bias) {
  return Conv2DOp::create(rewriter, loc, type, conv.getInput(), weight, bias,
                          /*residual=*/Value(), conv.getStridesAttr(),
                          conv.getDilationsAttr(), conv.getPadsAttr(),
                          conv.getGroupAttr(), /*activation=*/nullptr,
                          conv.getInputUpsampleAttr());
}
Value withWeightAndBias(PatternRewriter &rewriter, Location loc, Type type,
                        ConvTranspose2DOp conv, Value weight, Value bias) {
  return ConvTranspose2DOp::create(
      rewriter, loc, type, conv.getInput(), weight, bias, conv.getStridesAttr(),
      conv.getDilationsAttr(), conv.getPadsAttr(), conv.getOutputPaddingAttr(),
      conv.getGroupAttr(), /*activation=*/nullptr);
}

struct FoldBatchNormPattern : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getType().getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "not an f32 batch_norm");
    std::optional<ChannelAffine> affine = channelAffineOf(op);
    if (!affine)
      return rewriter.notifyMatchFailure(op, "parameters are not constants");
    if (auto conv = foldableConvolution<Conv2DOp>(op))
      return foldIntoConvolution(op, conv, *affine, rewriter);
    if (auto conv = foldableConvolution<ConvTranspose2DOp>(op))
      return foldIntoConvolution(op, conv, *affine, rewriter);
    return replaceByScaleShift(op, *affine, rewriter);
  }

  /// conv(x, w, b) -> batch_norm  =>  conv(x, w * f, b * f + shift).
  template <typename ConvOp>
  static LogicalResult foldIntoConvolution(BatchNormOp op, ConvOp conv,
                                           const ChannelAffine &affine,
                                           PatternRewriter &rewriter) {
    std::vector<float> weight = floatsOf(f32Constant(conv.getWeight()));
    int64_t channels = affine.factor.size();
    int64_t perChannel = weight.size() / channels;
    for (int64_t c = 0; c < channels; ++c)
      for (float &w : MutableArrayRef(weight).slice(c * perChannel, perChannel))
        w = static_cast<float>(w * affine.factor[c]);
    std::vector<float> bias =
        conv.getBias() ? floatsOf(f32Constant(conv.getBias()))
                       : std::vector<float>(channels, 0.0f);
    for (int64_t c = 0; c < channels; ++c)
      bias[c] = static_cast<float>(bias[c] * affine.factor[c] + affine.shift[c]);

    Location loc = rewriter.getFusedLoc({conv.getLoc(), op.getLoc()});
    Value newWeight = createConstant(
        rewriter, rewriter.getFusedLoc({conv.getWeight().getLoc(), op.getLoc()}),
        conv.getWeight().getType().getShape(), weight);
    Location biasLoc =
        conv.getBias()
            ? rewriter.getFusedLoc({conv.getBias().getLoc(), op.getLoc()})
            : op.getLoc();
    Value newBias = createConstant(rewriter, biasLoc, {channels}, bias);
    rewriter.replaceOp(op, withWeightAndBias(rewriter, loc, op.getType(), conv,
                                             newWeight, newBias));
    rewriter.eraseOp(conv);
    return success();
  }

  /// batch_norm(x) => x * f + shift per channel: one depthwise 1x1
  /// convolution for NCHW, a broadcast mul and add otherwise.
  static LogicalResult replaceByScaleShift(BatchNormOp op,
                                           const ChannelAffine &affine,
                                           PatternRewriter &rewriter) {
    std::vector<float> factor(affine.factor.begin(), affine.factor.end());
    std::vector<float> shift(affine.shift.begin(), affine.shift.end());
    ArrayRef<int64_t> shape = op.getType().getShape();
    auto channels = static_cast<int64_t>(factor.size());
    Location loc = op.getLoc();
    if (shape.size() == 4) {
      Value weight = createConstant(rewriter, loc, {channels, 1, 1, 1}, factor);
      Value bias = createConstant(rewriter, loc, {channels}, shift);
      rewriter.replaceOpWithNewOp<Conv2DOp>(
          op, op.getType(), op.getInput(), weight, bias, /*residual=*/Value(),
          /*strides=*/nullptr, /*dilations=*/nullptr, /*pads=*/nullptr,
          rewriter.getI64IntegerAttr(channels), /*activation=*/nullptr,
          /*input_upsample=*/nullptr);
      return success();
    }
    SmallVector<int64_t, 4> broadcastShape(shape.size(), 1);
    broadcastShape[1] = channels;
    Value scale = createConstant(rewriter, loc, broadcastShape, factor);
    Value offset = createConstant(rewriter, loc, broadcastShape, shift);
    Value scaled = MulOp::create(rewriter, loc, op.getType(), op.getInput(),
                                 scale, /*activation=*/nullptr);
    rewriter.replaceOpWithNewOp<AddOp>(op, op.getType(), scaled, offset,
                                       /*activation=*/nullptr);
    return success();
  }
};

struct FoldBatchNormPass
    : picosam::impl::FoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormPattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
