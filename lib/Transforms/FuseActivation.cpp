//===- FuseActivation.cpp - activations into the op producing their input -===//
#include "Pico/PicoOps.h"
#include "picosam/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SmallSet.h"

namespace picosam {
#define GEN_PASS_DEF_FUSEACTIVATION
#include "picosam/Transforms/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {

/// The ops that apply an optional `activation` attribute (ODS's
/// Pico_OptionalActivation) to their result.
bool appliesActivation(Operation *op) {
  return isa<Conv2DOp, ConvTranspose2DOp, AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp, GemmOp>(op);
}

constexpr StringLiteral activationAttrName = "activation";

struct FuseActivationPattern
    : OpInterfaceRewritePattern<ActivationOpInterface> {
  FuseActivationPattern(MLIRContext *context,
                        const llvm::SmallSet<ActivationKind, 8> &allowed)
      : OpInterfaceRewritePattern(context), allowed(allowed) {}

  LogicalResult matchAndRewrite(ActivationOpInterface op,
                                PatternRewriter &rewriter) const override {
    ActivationAttr function = op.getActivationFunction();
    if (!allowed.contains(function.getKind()))
      return rewriter.notifyMatchFailure(op, "kind not in the allowed kinds");
    Value input = op->getOperand(0);
    Operation *producer = input.getDefiningOp();
    if (!producer || !appliesActivation(producer))
      return rewriter.notifyMatchFailure(op, "producer applies no activation");
    if (!input.hasOneUse() || producer->getAttr(activationAttrName))
      return rewriter.notifyMatchFailure(
          op, "producer has another user or an activation already");
    if (input.getType() != op->getResult(0).getType())
      return rewriter.notifyMatchFailure(op, "result type differs");
    rewriter.modifyOpInPlace(producer, [&] {
      producer->setAttr(activationAttrName, function);
      producer->setLoc(rewriter.getFusedLoc({producer->getLoc(), op.getLoc()}));
    });
    rewriter.replaceOp(op, input);
    return success();
  }

  llvm::SmallSet<ActivationKind, 8> allowed;
};

struct FuseActivationPass
    : picosam::impl::FuseActivationBase<FuseActivationPass> {
  using FuseActivationBase::FuseActivationBase;

  LogicalResult initialize(MLIRContext *context) override {
    if (kinds.empty()) {
      for (uint32_t value = 0; value <= getMaxEnumValForActivationKind();
           ++value)
        if (std::optional<ActivationKind> kind = symbolizeActivationKind(value);
            kind && *kind != ActivationKind::None)
          allowed.insert(*kind);
      return success();
    }
    for (const std::string &name : kinds) {
      std::optional<ActivationKind> kind = symbolizeActivationKind(name);
      if (!kind || *kind == ActivationKind::None)
        return emitError(UnknownLoc::get(context))
               << "pico-fuse-activation: unknown activation kind '" << name
               << "' in 'kinds'";
      allowed.insert(*kind);
    }
    return success();
  }

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseActivationPattern>(&getContext(), allowed);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }

  llvm::SmallSet<ActivationKind, 8> allowed;
};

} // namespace
