//===- FoldPad.cpp - constant pads become the window op's own pads --------===//
#include "Pico/PicoOps.h"
#include "Pico/ShapeUtils.h"
#include "picosam/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace picosam {
#define GEN_PASS_DEF_FOLDPAD
#include "picosam/Transforms/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {

/// True when every element of `value` is >= 0: a relu's result.
bool isNonNegative(Value value) {
  Operation *producer = value.getDefiningOp();
  if (isa_and_nonnull<ReluOp>(producer))
    return true;
  auto activation =
      producer ? producer->getAttrOfType<ActivationAttr>("activation") : nullptr;
  return activation && activation.getKind() == ActivationKind::Relu;
}

/// `pads` plus the pad's [top, left, bottom, right], or none when a sum
/// reaches `extents` (a pool window must cover an input element).
std::optional<SmallVector<int64_t, 4>>
addPads(ArrayRef<int64_t> pads, ArrayRef<int64_t> added,
        std::optional<ArrayRef<int64_t>> extents) {
  SmallVector<int64_t, 4> sum;
  for (int64_t i = 0; i < 4; ++i) {
    sum.push_back(pads[i] + added[i]);
    if (extents && sum.back() >= (*extents)[i % 2])
      return std::nullopt;
  }
  return sum;
}

struct FoldPadPattern : OpRewritePattern<PadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(PadOp pad,
                                PatternRewriter &rewriter) const override {
    ArrayRef<int64_t> pads = pad.getPads();
    if (pad.getMode() != PadMode::Constant || pads.size() != 8 ||
        pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0)
      return rewriter.notifyMatchFailure(
          pad, "not a constant pad of H and W of an NCHW tensor");
    SmallVector<int64_t, 4> added = {pads[2], pads[3], pads[6], pads[7]};
    float value = pad.getValue().convertToFloat();
    bool changed = false;
    for (Operation *user : llvm::make_early_inc_range(pad->getUsers())) {
      if (user->getOperand(0) != pad.getOutput() ||
          llvm::count(user->getOperands(), pad.getOutput()) != 1)
        continue;
      Location loc = rewriter.getFusedLoc({pad.getLoc(), user->getLoc()});
      auto fold = [&](auto op, ArrayRef<int64_t> newPads, auto &&update) {
        rewriter.modifyOpInPlace(op, [&] {
          op->setOperand(0, pad.getInput());
          op.setPads(newPads);
          update();
          op->setLoc(loc);
        });
        changed = true;
      };
      if (auto conv = dyn_cast<Conv2DOp>(user)) {
        // An upsampling convolution pads the upsampled input.
        if (value != 0.0f || conv.getInputUpsample() != 1)
          continue;
        fold(conv, *addPads(conv.getPads(), added, std::nullopt), [] {});
      } else if (auto pool = dyn_cast<AvgPoolOp>(user)) {
        // The zeros count in every window's divisor: count_include_pad,
        // which must then hold for the pool's own pads too. With ceil_mode
        // a last window may start in the pads, which pico drops.
        bool ownPads = llvm::any_of(pool.getPads(), [](int64_t p) { return p; });
        if (value != 0.0f || pool.getCeilMode() ||
            (ownPads && !pool.getCountIncludePad()))
          continue;
        std::optional<SmallVector<int64_t, 4>> sum =
            addPads(pool.getPads(), added, pool.getKernelShape());
        if (!sum)
          continue;
        fold(pool, *sum, [&] { pool.setCountIncludePad(true); });
      } else if (auto pool = dyn_cast<MaxPoolOp>(user)) {
        // A max pool's pads are -inf; zeros are too when no element is
        // below zero.
        bool neutral = (std::isinf(value) && value < 0) ||
                       (value == 0.0f && isNonNegative(pad.getInput()));
        if (!neutral || pool.getCeilMode())
          continue;
        SmallVector<int64_t, 2> extents;
        for (int64_t axis = 0; axis < 2; ++axis)
          extents.push_back(dilatedKernelExtent(pool.getKernelShape()[axis],
                                                pool.getDilations()[axis])
                                .value_or(INT64_MAX));
        std::optional<SmallVector<int64_t, 4>> sum =
            addPads(pool.getPads(), added, ArrayRef<int64_t>(extents));
        if (!sum)
          continue;
        fold(pool, *sum, [] {});
      }
    }
    if (!changed)
      return rewriter.notifyMatchFailure(pad, "no user takes the pads");
    if (pad->use_empty())
      rewriter.eraseOp(pad);
    return success();
  }
};

struct FoldPadPass : picosam::impl::FoldPadBase<FoldPadPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldPadPattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
