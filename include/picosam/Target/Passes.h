//===- Passes.h - the target a module is compiled for -----------*- C++ -*-===//
#ifndef PICOSAM_TARGET_PASSES_H
#define PICOSAM_TARGET_PASSES_H

#include "Pico/PicoDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace picosam {

#define GEN_PASS_DECL
#include "picosam/Target/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "picosam/Target/Passes.h.inc"

} // namespace picosam

#endif // PICOSAM_TARGET_PASSES_H
