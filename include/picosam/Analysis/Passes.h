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

/// The budget --pico-plan-memory checks against: its `budget` and
/// `reserved` options when not 0, else those of the module's `target`;
/// none without a budget.
std::optional<MemoryBudget> getPlannedBudget(pico::TargetAttr target,
                                             int64_t budgetOption,
                                             int64_t reservedOption);

} // namespace picosam

#endif // PICOSAM_ANALYSIS_PASSES_H
