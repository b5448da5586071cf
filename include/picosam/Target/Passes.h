//===- Passes.h - the target, and code generation for it --------*- C++ -*-===//
#ifndef PICOSAM_TARGET_PASSES_H
#define PICOSAM_TARGET_PASSES_H

#include "Pico/PicoDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace picosam {

#define GEN_PASS_DECL
#include "picosam/Target/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "picosam/Target/Passes.h.inc"

/// Adds the conversions of --pico-cpu-lower-to-llvm, in order, to `pm` (on a
/// builtin.module); the pass runs them and then checks that only LLVM dialect
/// ops remain.
void buildCpuLowerToLLVMPipeline(mlir::OpPassManager &pm);

} // namespace picosam

#endif // PICOSAM_TARGET_PASSES_H
