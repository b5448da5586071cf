//===- Passes.h - target passes ---------------------------------*- C++ -*-===//
#ifndef PICOSAM_TARGET_PASSES_H
#define PICOSAM_TARGET_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace picosam {

#define GEN_PASS_DECL
#include "picosam/Target/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "picosam/Target/Passes.h.inc"

} // namespace picosam

#endif // PICOSAM_TARGET_PASSES_H
