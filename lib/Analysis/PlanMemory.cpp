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

MemoryAccountingOptions picosam::getMemoryAccountingOptions(
    TargetAttr target, int64_t budgetOption, int64_t reservedOption,
    bool inputPersistent, int64_t outputChannelGroup) {
  // The options, for picosam-opt users, override the target's memory.
  MemoryAccountingOptions options;
  if (target && target.getKind() == TargetKind::Imx500)
    options.kind = MemoryAccountingKind::Imx500;
  options.totalBytes =
      budgetOption ? budgetOption : target ? target.getBudget() : 0;
  options.reservedBytes =
      reservedOption ? reservedOption : target ? target.getReserved() : 0;
  options.inputPersistent = inputPersistent;
  options.outputChannelGroup = outputChannelGroup;
  return options;
}

namespace {

struct PlanMemoryPass : picosam::impl::PlanMemoryBase<PlanMemoryPass> {
  using PlanMemoryBase::PlanMemoryBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (alignment < 1 || assumeElementBytes < 0 || scheduleBeamWidth < 0 ||
        budget < 0 || reserved < 0 || outputChannelGroup < 1) {
      func.emitError("pico-plan-memory: alignment and output-channel-group "
                     "must be >= 1 and the other options >= 0");
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
    MemoryAccountingOptions memory = getMemoryAccountingOptions(
        TargetAttr::lookup(func), budget, reserved, inputPersistent,
        outputChannelGroup);
    if (memory.totalBytes > 0 && failed(checkBudget(func, memory)))
      return signalPassFailure();
  }

  /// Fails with an error at the op of the peak step, naming what is live
  /// there, when the plan `func` records does not fit the memory.
  LogicalResult checkBudget(func::FuncOp func,
                            const MemoryAccountingOptions &memory) {
    FailureOr<FunctionMemoryPlan> plan = readMemoryPlan(func);
    if (failed(plan))
      return failure();
    MemoryAccount account = accountMemory(gatherMemoryInputs(*plan), memory);
    if (account.fits())
      return success();
    // The step whose tensors set the runtime memory: the arena's peak, or
    // the whole-tensor peak where that is larger.
    bool wholeTensorPeak = account.kind == MemoryAccountingKind::Imx500 &&
                           account.activationPeakBytes > account.arenaBytes;
    int64_t peakStep = wholeTensorPeak ? account.activationPeakStep
                                       : plan->attr.getPeakStep();
    Operation *peakOp = plan->steps.empty() ? func.getOperation()
                                            : plan->steps[peakStep];
    InFlightDiagnostic diagnostic = peakOp->emitError();
    diagnostic << "memory plan " << describeShortfall(account)
               << "; the peak is here, at step " << peakStep << ", with ";
    std::vector<LiveBuffer> live = plan->liveAt(peakStep);
    diagnostic << live.size() << " tensor(s) live:";
    int64_t named = 0;
    for (auto [index, entry] : llvm::enumerate(live)) {
      const PlannedBuffer &buffer = plan->buffers[entry.buffer];
      // The IMX500's count holds each tensor whole (a ring too).
      int64_t bytes = account.kind == MemoryAccountingKind::Imx500
                          ? tensorBytesOf(buffer.value.getType(),
                                          plan->attr.getElementBytes())
                          : buffer.size();
      named += bytes;
      diagnostic << (index ? ", '" : " '") << buffer.name << "' ("
                 << formatWithThousands(bytes) << ")";
    }
    if (wholeTensorPeak && account.activationPeakBytes > named)
      diagnostic << ", and "
                 << formatWithThousands(account.activationPeakBytes - named)
                 << " bytes of tensors fusion, tiling or writing in place "
                    "merged into these";
    return failure();
  }
};

} // namespace
