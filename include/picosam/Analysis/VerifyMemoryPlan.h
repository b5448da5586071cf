//===- VerifyMemoryPlan.h - a memory plan checked against its IR -*- C++ -*-===//
#ifndef PICOSAM_ANALYSIS_VERIFYMEMORYPLAN_H
#define PICOSAM_ANALYSIS_VERIFYMEMORYPLAN_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace picosam {

/// Checks the memory plan of `func` against its ops (the checks of
/// --pico-verify-memory-plan, see Passes.td): every buffer in the arena,
/// aligned, holding its tensor; lifetimes covering the steps that define
/// and read each tensor; no two live buffers sharing a byte unless the
/// planner's in-place rules allow it; the recorded lower bound, peak step
/// and tiled block count. Emits an error at the offending op, naming the
/// tensors, and fails on the first violation.
mlir::LogicalResult verifyMemoryPlan(mlir::func::FuncOp func);

} // namespace picosam

#endif // PICOSAM_ANALYSIS_VERIFYMEMORYPLAN_H
