//===- Passes.h - analyses and memory planning ------------------*- C++ -*-===//
#ifndef PICOSAM_ANALYSIS_PASSES_H
#define PICOSAM_ANALYSIS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace picosam {

#define GEN_PASS_DECL
#include "picosam/Analysis/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "picosam/Analysis/Passes.h.inc"

} // namespace picosam

#endif // PICOSAM_ANALYSIS_PASSES_H
