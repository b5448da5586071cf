//===- MaterializeArena.h - a planned function over one arena ---*- C++ -*-===//
#ifndef PICOSAM_CONVERSION_MATERIALIZEARENA_H
#define PICOSAM_CONVERSION_MATERIALIZEARENA_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace picosam {

/// Rewrites the planned `func` over one `memref<arena x i8>` argument, as
/// --pico-materialize-arena describes (Passes.td), without first verifying
/// the plan: a plan that overlaps live tensors gives a function that
/// computes wrong numbers, which is how picosam-run --planned shows it.
/// Fails with an error at the function or op when the function has no plan,
/// a buffer leaves the arena or cannot hold its tensor at its type's width,
/// or an op cannot be materialised. Tiled blocks run in `rowBands` bands
/// of rows (see the pass's `row-bands`).
mlir::LogicalResult materializeArena(mlir::func::FuncOp func,
                                     int64_t rowBands = 1);

} // namespace picosam

#endif // PICOSAM_CONVERSION_MATERIALIZEARENA_H
