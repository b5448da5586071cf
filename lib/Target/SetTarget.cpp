//===- SetTarget.cpp - record the device a module is compiled for ---------===//
#include "picosam/Target/Passes.h"

namespace picosam {
#define GEN_PASS_DEF_SETTARGET
#include "picosam/Target/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {

struct SetTargetPass : picosam::impl::SetTargetBase<SetTargetPass> {
  using SetTargetBase::SetTargetBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    TargetKind kind = target;
    TargetAttr defaults = TargetAttr::getDefault(&getContext(), kind);
    int64_t budgetBytes = budget == -1 ? defaults.getBudget() : budget;
    int64_t reservedBytes = reserved == -1 ? defaults.getReserved() : reserved;
    // The attribute's verifier says what is wrong, at the module.
    auto attr = TargetAttr::getChecked(
        [&] { return module.emitError("pico-set-target: "); }, &getContext(),
        kind, budgetBytes, reservedBytes);
    if (!attr)
      return signalPassFailure();
    module->setAttr(TargetAttr::attrName, attr);
  }
};

} // namespace
