//===- FuseResidualAdd.cpp - add(conv(x), y) into conv with residual y ----===//
#include "Pico/PicoOps.h"
#include "picosam/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace picosam {
#define GEN_PASS_DEF_FUSERESIDUALADD
#include "picosam/Transforms/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {

struct FuseResidualAddPattern : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    // The residual is added element for element: no operand broadcasts.
    if (op.getLhs().getType() != op.getType() ||
        op.getRhs().getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "an operand broadcasts");
    for (auto [convResult, residual] :
         {std::pair(op.getLhs(), op.getRhs()),
          std::pair(op.getRhs(), op.getLhs())}) {
      auto conv = convResult.getDefiningOp<Conv2DOp>();
      if (!conv || !conv->hasOneUse() || conv.getActivation() ||
          conv.getResidual())
        continue;
      // Created at the add, where `residual` is defined already.
      auto fused = Conv2DOp::create(
          rewriter, rewriter.getFusedLoc({conv.getLoc(), op.getLoc()}),
          op.getType(), conv.getInput(), conv.getWeight(), conv.getBias(),
          residual, conv.getStridesAttr(), conv.getDilationsAttr(),
          conv.getPadsAttr(), conv.getGroupAttr(), op.getActivationAttr(),
          conv.getInputUpsampleAttr());
      rewriter.replaceOp(op, fused);
      rewriter.eraseOp(conv);
      return success();
    }
    return rewriter.notifyMatchFailure(
        op, "no operand is a convolution without activation, residual or "
            "other user");
  }
};

struct FuseResidualAddPass
    : picosam::impl::FuseResidualAddBase<FuseResidualAddPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseResidualAddPattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
