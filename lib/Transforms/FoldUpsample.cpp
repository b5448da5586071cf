//===- FoldUpsample.cpp - convolutions read a nearest upsample's input ----===//
#include "Pico/PicoOps.h"
#include "picosam/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace picosam {
#define GEN_PASS_DEF_FOLDUPSAMPLE
#include "picosam/Transforms/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {

struct FoldUpsamplePattern : OpRewritePattern<ResizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ResizeOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<int64_t> factor = op.getNearestUpsampleFactor();
    if (!factor)
      return rewriter.notifyMatchFailure(
          op, "not a nearest upsample by an integer factor");
    Value upsampled = op.getOutput();
    // Every user must be a convolution that reads the upsampled tensor as
    // its input and nothing else (a weight, bias or residual cannot be
    // read through an upsample).
    SmallVector<Conv2DOp> convs;
    for (Operation *user : upsampled.getUsers()) {
      auto conv = dyn_cast<Conv2DOp>(user);
      if (!conv || conv.getInput() != upsampled ||
          llvm::count(conv->getOperands(), upsampled) != 1)
        return rewriter.notifyMatchFailure(
            op, "a user is not a convolution reading it as its input");
      convs.push_back(conv);
    }
    if (convs.empty())
      return rewriter.notifyMatchFailure(op, "no users");
    // Upsampling by f, then by u, reads input [(h / u) / f] = [h / (u f)].
    // The resize's name goes first: the names of a FusedLoc are in the
    // order the merged nodes ran, so the last one names the value.
    for (Conv2DOp conv : convs)
      rewriter.modifyOpInPlace(conv, [&] {
        conv.getInputMutable().assign(op.getInput());
        conv.setInputUpsample(conv.getInputUpsample() * *factor);
        conv->setLoc(rewriter.getFusedLoc({op.getLoc(), conv.getLoc()}));
      });
    rewriter.eraseOp(op);
    return success();
  }
};

struct FoldUpsamplePass : picosam::impl::FoldUpsampleBase<FoldUpsamplePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldUpsamplePattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
