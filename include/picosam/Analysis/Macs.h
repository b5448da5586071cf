//===- Macs.h - multiply-accumulates of pico ops ----------------*- C++ -*-===//
#ifndef PICOSAM_ANALYSIS_MACS_H
#define PICOSAM_ANALYSIS_MACS_H

#include "mlir/IR/Operation.h"

namespace picosam {

/// Multiply-accumulates of `op` itself, not of the ops nested in it; 0 for
/// ops that do none. A convolution does output elements x C/group x Kh x Kw,
/// gemm and matmul output elements x K, channel attention its 1x1
/// convolution (C x C per image; the multiply that scales the input is not
/// a MAC, as the unfused graph's mul was not one).
int64_t countMacs(mlir::Operation *op);

} // namespace picosam

#endif // PICOSAM_ANALYSIS_MACS_H
