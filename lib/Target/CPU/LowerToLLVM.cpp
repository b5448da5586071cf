//===- LowerToLLVM.cpp - upstream dialects to the LLVM dialect ------------===//
//
// The CPU backend's conversion pipeline, as one pass. Only the conversion
// headers used are included: mlir/Conversion/Passes.h alone costs seconds.
//
//===----------------------------------------------------------------------===//
#include "picosam/Target/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

namespace picosam {
#define GEN_PASS_DEF_CPULOWERTOLLVM
#include "picosam/Target/Passes.h.inc"
} // namespace picosam

using namespace mlir;

void picosam::buildCpuLowerToLLVMPipeline(OpPassManager &pm) {
  // Structured ops and multi-dimensional vector transfers become loops
  // first, so the loop and memref lowerings below see everything.
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertVectorToSCFPass());
  // Views and subviews of the arena become pointer arithmetic (affine
  // expressions, lowered next) on one base pointer.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // convert-*-to-llvm leaves scf in place silently, so lower it first.
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(arith::createArithExpandOpsPass());
  // Math ops with an LLVM intrinsic use it; the rest call libm.
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  // Bare pointers: `void f(const float *in, float *out, void *arena)` in C,
  // and the same for calls to external kernels.
  ConvertFuncToLLVMPassOptions funcOptions;
  funcOptions.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcOptions));
  pm.addPass(createReconcileUnrealizedCastsPass());
  // The conversions rebuild memref descriptors op by op; folding them away
  // here leaves the translation (and the reader) a fraction of the ops.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

namespace {

struct CpuLowerToLLVM
    : public picosam::impl::CpuLowerToLLVMBase<CpuLowerToLLVM> {
  void getDependentDialects(DialectRegistry &registry) const override {
    CpuLowerToLLVMBase::getDependentDialects(registry);
    OpPassManager pipeline(ModuleOp::getOperationName());
    picosam::buildCpuLowerToLLVMPipeline(pipeline);
    pipeline.getDependentDialects(registry);
  }

  void runOnOperation() override {
    OpPassManager pipeline(ModuleOp::getOperationName());
    picosam::buildCpuLowerToLLVMPipeline(pipeline);
    if (failed(runPipeline(pipeline, getOperation())))
      return signalPassFailure();

    // A conversion leaves an op it has no pattern for in place; name each
    // such op here rather than let the translation stop at the first. The
    // casts left around them are their consequence, named only when alone.
    SmallVector<Operation *> leftovers, casts;
    getOperation().walk([&](Operation *op) {
      if (op == getOperation().getOperation() ||
          isa<LLVM::LLVMDialect>(op->getDialect()))
        return;
      (isa<UnrealizedConversionCastOp>(op) ? casts : leftovers).push_back(op);
    });
    for (Operation *op : leftovers.empty() ? casts : leftovers)
      op->emitError("'") << op->getName()
                         << "' cannot be lowered to the LLVM dialect by the "
                            "CPU backend";
    if (!leftovers.empty() || !casts.empty())
      signalPassFailure();
  }
};

} // namespace
