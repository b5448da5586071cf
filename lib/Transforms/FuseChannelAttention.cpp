//===- FuseChannelAttention.cpp - ECA into pico.channel_attention ---------===//
#include "Pico/PicoOps.h"
#include "picosam/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace picosam {
#define GEN_PASS_DEF_FUSECHANNELATTENTION
#include "picosam/Transforms/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {

/// The ops computing the gate sigmoid(conv1x1(global_avg_pool(x))) that
/// multiplies `x`, in the order they run; `sigmoid` is null when the
/// convolution applies it as its activation.
struct ChannelGate {
  GlobalAvgPoolOp pool;
  Conv2DOp conv;
  SigmoidOp sigmoid;
};

bool hasSigmoidActivation(Conv2DOp conv) {
  ActivationAttr activation = conv.getActivationAttr();
  return activation && activation.getKind() == ActivationKind::Sigmoid;
}

/// The gate computation producing `gate` from `x`, each op of it used only
/// by the next, or none.
std::optional<ChannelGate> matchChannelGate(Value gate, Value x) {
  ChannelGate match;
  if ((match.sigmoid = gate.getDefiningOp<SigmoidOp>())) {
    if (!gate.hasOneUse())
      return std::nullopt;
    gate = match.sigmoid.getInput();
    match.conv = gate.getDefiningOp<Conv2DOp>();
    if (!match.conv || match.conv.getActivation())
      return std::nullopt;
  } else {
    match.conv = gate.getDefiningOp<Conv2DOp>();
    if (!match.conv || !hasSigmoidActivation(match.conv))
      return std::nullopt;
  }
  Conv2DOp conv = match.conv;
  auto channels = cast<RankedTensorType>(x.getType()).getDimSize(1);
  SmallVector<int64_t, 4> squareWeight = {channels, channels, 1, 1};
  if (!gate.hasOneUse() || !conv.isPointwise() || conv.getResidual() ||
      conv.getWeight().getType().getShape() != ArrayRef(squareWeight))
    return std::nullopt;
  match.pool = conv.getInput().getDefiningOp<GlobalAvgPoolOp>();
  if (!match.pool || match.pool.getInput() != x ||
      !match.pool.getOutput().hasOneUse())
    return std::nullopt;
  return match;
}

struct FuseChannelAttentionPattern : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getActivation())
      return rewriter.notifyMatchFailure(op, "the mul has an activation");
    for (auto [x, gate] : {std::pair(op.getLhs(), op.getRhs()),
                           std::pair(op.getRhs(), op.getLhs())}) {
      if (x.getType() != op.getType() ||
          cast<RankedTensorType>(x.getType()).getRank() != 4)
        continue;
      std::optional<ChannelGate> match = matchChannelGate(gate, x);
      if (!match)
        continue;
      SmallVector<Location, 4> merged = {match->pool.getLoc(),
                                         match->conv.getLoc()};
      if (match->sigmoid)
        merged.push_back(match->sigmoid.getLoc());
      merged.push_back(op.getLoc());
      auto fused = ChannelAttentionOp::create(
          rewriter, rewriter.getFusedLoc(merged), op.getType(), x,
          match->conv.getWeight(), match->conv.getBias());
      rewriter.replaceOp(op, fused);
      if (match->sigmoid)
        rewriter.eraseOp(match->sigmoid);
      rewriter.eraseOp(match->conv);
      rewriter.eraseOp(match->pool);
      return success();
    }
    return rewriter.notifyMatchFailure(
        op, "no operand is sigmoid(conv1x1(global_avg_pool(other operand)))");
  }
};

struct FuseChannelAttentionPass
    : picosam::impl::FuseChannelAttentionBase<FuseChannelAttentionPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseChannelAttentionPattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
