//===- Passes.h - conversions of planned pico IR ----------------*- C++ -*-===//
#ifndef PICOSAM_CONVERSION_PASSES_H
#define PICOSAM_CONVERSION_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace picosam {

#define GEN_PASS_DECL
#include "picosam/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "picosam/Conversion/Passes.h.inc"

} // namespace picosam

#endif // PICOSAM_CONVERSION_PASSES_H
