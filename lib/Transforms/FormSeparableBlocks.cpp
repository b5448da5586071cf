//===- FormSeparableBlocks.cpp - depthwise + pointwise into one block -----===//
#include "Pico/PicoOps.h"
#include "picosam/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace picosam {
#define GEN_PASS_DEF_FORMSEPARABLEBLOCKS
#include "picosam/Transforms/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {

/// Matches the pointwise convolution and moves it, with the depthwise one
/// it reads, into a new pico.separable_block.
struct FormSeparableBlockPattern : OpRewritePattern<Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2DOp pointwise,
                                PatternRewriter &rewriter) const override {
    // The convolutions of a block's body are already where they belong.
    if (isa<SeparableBlockOp>(pointwise->getParentOp()))
      return rewriter.notifyMatchFailure(pointwise, "already in a block");
    if (!pointwise.isPointwise())
      return rewriter.notifyMatchFailure(pointwise, "not pointwise");
    auto depthwise = pointwise.getInput().getDefiningOp<Conv2DOp>();
    if (!depthwise || !depthwise.isDepthwise() || depthwise.getResidual() ||
        !depthwise->hasOneUse())
      return rewriter.notifyMatchFailure(
          pointwise, "input is not a depthwise convolution without residual "
                     "and other users");

    Value input = depthwise.getInput();
    auto block = SeparableBlockOp::create(
        rewriter, rewriter.getFusedLoc({depthwise.getLoc(), pointwise.getLoc()}),
        pointwise.getType(), input);
    Block *body = rewriter.createBlock(&block.getBody(), {}, input.getType(),
                                       input.getLoc());
    // Only the depthwise convolution reads the block's argument: any other
    // use of the same value (say, as the pointwise residual) stays a
    // capture.
    IRMapping depthwiseOperands, pointwiseOperands;
    depthwiseOperands.map(input, body->getArgument(0));
    Operation *depthwiseInBlock = rewriter.clone(*depthwise, depthwiseOperands);
    pointwiseOperands.map(depthwise.getOutput(), depthwiseInBlock->getResult(0));
    Operation *pointwiseInBlock = rewriter.clone(*pointwise, pointwiseOperands);
    YieldOp::create(rewriter, pointwise.getLoc(),
                    pointwiseInBlock->getResult(0));
    rewriter.replaceOp(pointwise, block);
    rewriter.eraseOp(depthwise);
    return success();
  }
};

struct FormSeparableBlocksPass
    : picosam::impl::FormSeparableBlocksBase<FormSeparableBlocksPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FormSeparableBlockPattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
