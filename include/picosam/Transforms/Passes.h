//===- Passes.h - graph transformations -------------------------*- C++ -*-===//
#ifndef PICOSAM_TRANSFORMS_PASSES_H
#define PICOSAM_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace picosam {

#define GEN_PASS_DECL
#include "picosam/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "picosam/Transforms/Passes.h.inc"

/// Adds the fusion passes in order, then canonicalize and cse, nested on
/// every func.func of the module `pm` runs on.
void buildFusionPipeline(mlir::OpPassManager &pm);
/// Registers buildFusionPipeline as --pico-fusion-pipeline.
void registerFusionPipeline();

} // namespace picosam

#endif // PICOSAM_TRANSFORMS_PASSES_H
