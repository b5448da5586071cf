//===- Passes.h - quantization passes ---------------------------*- C++ -*-===//
#ifndef PICOSAM_QUANTIZATION_PASSES_H
#define PICOSAM_QUANTIZATION_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace picosam {

#define GEN_PASS_DECL
#include "picosam/Quantization/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "picosam/Quantization/Passes.h.inc"

} // namespace picosam

#endif // PICOSAM_QUANTIZATION_PASSES_H
