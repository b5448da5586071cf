//===- PlanMemory.cpp - schedule and arena offsets of every activation ----===//
#include "Pico/PicoDialect.h"
#include "picosam/Analysis/MemoryPlanning.h"
#include "picosam/Analysis/MemoryReport.h"
#include "picosam/Analysis/Passes.h"
#include "picosam/Analysis/ReadMemoryPlan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace picosam {
#define GEN_PASS_DEF_PLANMEMORY
#include "picosam/Analysis/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

std::optional<MemoryBudget> picosam::getPlannedBudget(TargetAttr target,
                                                      int64_t budgetOption,
                                                      int64_t reservedOption) {
  // The options, for picosam-opt users, override the target's memory.
  MemoryBudget memory;
  memory.budgetBytes =
      budgetOption ? budgetOption : target ? target.getBudget() : 0;
  memory.reservedBytes =
      reservedOption ? reservedOption : target ? target.getReserved() : 0;
  if (memory.budgetBytes <= 0)
    return std::nullopt;
  return memory;
}

namespace {

struct PlanMemoryPass : picosam::impl::PlanMemoryBase<PlanMemoryPass> {
  using PlanMemoryBase::PlanMemoryBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (alignment < 1 || assumeElementBytes < 0 || scheduleBeamWidth < 0 ||
        budget < 0 || reserved < 0) {
      func.emitError("pico-plan-memory: alignment must be >= 1 and the other "
                     "options >= 0");
      return signalPassFailure();
    }
    MemoryPlanningOptions options;
    options.alignment = alignment;
    options.tileSeparableBlocks = tileSeparableBlocks;
    options.scheduleBeamWidth = scheduleBeamWidth;
    options.assumedElementBytes = assumeElementBytes;
    FailureOr<MemoryPlan> plan = planMemory(func, options);
    if (failed(plan))
      return signalPassFailure();
    if (!plan->searchExact)
      func.emitWarning("the schedule search kept only the best ")
          << options.scheduleBeamWidth
          << " partial schedules at some steps (schedule-beam-width): a "
             "lower peak may exist";
    applyMemoryPlan(func, *plan, options);
    std::optional<MemoryBudget> memory =
        getPlannedBudget(TargetAttr::lookup(func), budget, reserved);
    if (memory && failed(checkBudget(func, *memory)))
      return signalPassFailure();
  }

  /// Fails with an error at the op of the peak step, naming what is live
  /// there, when the plan `func` records does not fit `memory`.
  LogicalResult checkBudget(func::FuncOp func, const MemoryBudget &memory) {
    FailureOr<FunctionMemoryPlan> plan = readMemoryPlan(func);
    if (failed(plan))
      return failure();
    MemoryPlanAttr attr = plan->attr;
    int64_t total =
        attr.getWeights() + attr.getArena() + memory.reservedBytes;
    if (total <= memory.budgetBytes)
      return success();
    int64_t peakStep = attr.getPeakStep();
    Operation *peakOp = plan->steps.empty() ? func.getOperation()
                                            : plan->steps[peakStep];
    InFlightDiagnostic diagnostic = peakOp->emitError();
    diagnostic << "memory plan needs " << formatWithThousands(total)
               << " bytes (weights " << formatWithThousands(attr.getWeights())
               << " + arena " << formatWithThousands(attr.getArena())
               << " + reserved " << formatWithThousands(memory.reservedBytes)
               << "), over the budget of "
               << formatWithThousands(memory.budgetBytes) << " by "
               << formatWithThousands(total - memory.budgetBytes)
               << "; the peak is here, at step " << peakStep << ", with ";
    std::vector<LiveBuffer> live = plan->liveAt(peakStep);
    diagnostic << live.size() << " tensor(s) live:";
    for (auto [index, entry] : llvm::enumerate(live)) {
      const PlannedBuffer &buffer = plan->buffers[entry.buffer];
      diagnostic << (index ? ", '" : " '") << buffer.name << "' ("
                 << formatWithThousands(buffer.size()) << ")";
    }
    return failure();
  }
};

} // namespace
