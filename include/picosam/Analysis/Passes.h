//===- Passes.h - analyses and memory planning ------------------*- C++ -*-===//
#ifndef PICOSAM_ANALYSIS_PASSES_H
#define PICOSAM_ANALYSIS_PASSES_H

#include "Pico/PicoDialect.h"
#include "picosam/Analysis/MemoryReport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace picosam {

#define GEN_PASS_DECL
#include "picosam/Analysis/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "picosam/Analysis/Passes.h.inc"

/// How --pico-plan-memory counts a plan against the device's memory: the
/// IMX500's accounting when the module's `target` is the IMX500 (with
/// `inputPersistent` and `outputChannelGroup`), weights + arena otherwise;
/// the total and reserved bytes are the `budget` and `reserved` options
/// when not 0, else the target's (no limit without either).
MemoryAccountingOptions getMemoryAccountingOptions(pico::TargetAttr target,
                                                   int64_t budgetOption,
                                                   int64_t reservedOption,
                                                   bool inputPersistent,
                                                   int64_t outputChannelGroup);

} // namespace picosam

#endif // PICOSAM_ANALYSIS_PASSES_H
