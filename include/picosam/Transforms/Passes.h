//===- Passes.h - picosam passes --------------------------------*- C++ -*-===//
#ifndef PICOSAM_TRANSFORMS_PASSES_H
#define PICOSAM_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace picosam {

#define GEN_PASS_DECL
#include "picosam/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "picosam/Transforms/Passes.h.inc"

} // namespace picosam

#endif // PICOSAM_TRANSFORMS_PASSES_H
