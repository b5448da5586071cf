//===- OpCost.h - the arithmetic an op does ---------------------*- C++ -*-===//
#ifndef PICOSAM_ANALYSIS_OPCOST_H
#define PICOSAM_ANALYSIS_OPCOST_H

#include "mlir/IR/Operation.h"

namespace picosam {

/// Multiply-accumulates of `op` and the ops nested in it: a convolution's
/// output elements x (C / group) x Kh x Kw, a gemm's or matmul's output
/// elements x the reduced dimension, a channel attention's 1x1 convolution
/// (C x C per image; the multiply that scales the input is no MAC, as the
/// unfused graph's mul was none); 0 for other ops.
int64_t countMacs(mlir::Operation *op);

} // namespace picosam

#endif // PICOSAM_ANALYSIS_OPCOST_H
