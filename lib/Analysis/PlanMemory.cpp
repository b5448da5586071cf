//===- PlanMemory.cpp - schedule and arena offsets of every activation ----===//
#include "Pico/PicoDialect.h"
#include "picosam/Analysis/MemoryPlanning.h"
#include "picosam/Analysis/MemoryReport.h"
#include "picosam/Analysis/Passes.h"
#include "picosam/Analysis/ReadMemoryPlan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <limits>
#include <tuple>

namespace picosam {
#define GEN_PASS_DEF_PLANMEMORY
#include "picosam/Analysis/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

std::optional<std::string>
picosam::checkPlanningOption(PlanningOption option, llvm::StringRef name,
                             int64_t value) {
  int64_t min = 0, max = std::numeric_limits<int64_t>::max();
  switch (option) {
  case PlanningOption::Alignment:
    min = 1;
    max = int64_t(1) << 30;
    break;
  case PlanningOption::AssumedElementBytes:
    max = 8;
    break;
  case PlanningOption::ScheduleBeamWidth:
  case PlanningOption::TileMinBytes:
  case PlanningOption::Budget:
  case PlanningOption::Reserved:
    break;
  case PlanningOption::OutputChannelGroup:
    min = 1;
    max = int64_t(1) << 20;
    break;
  }
  if (min <= value && value <= max)
    return std::nullopt;
  return (name + " must be in [" + llvm::Twine(min) + ", " + llvm::Twine(max) +
          "], got " + llvm::Twine(value))
      .str();
}

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
    for (auto [option, name, value] :
         {std::make_tuple(PlanningOption::Alignment, "alignment",
                          alignment.getValue()),
          std::make_tuple(PlanningOption::AssumedElementBytes,
                          "assume-element-bytes", assumeElementBytes.getValue()),
          std::make_tuple(PlanningOption::ScheduleBeamWidth,
                          "schedule-beam-width", scheduleBeamWidth.getValue()),
          std::make_tuple(PlanningOption::TileMinBytes, "tile-min-bytes",
                          tileMinBytes.getValue()),
          std::make_tuple(PlanningOption::Budget, "budget", budget.getValue()),
          std::make_tuple(PlanningOption::Reserved, "reserved",
                          reserved.getValue()),
          std::make_tuple(PlanningOption::OutputChannelGroup,
                          "output-channel-group",
                          outputChannelGroup.getValue())})
      if (std::optional<std::string> error =
              checkPlanningOption(option, name, value)) {
        func.emitError("pico-plan-memory: ") << *error;
        return signalPassFailure();
      }
    MemoryPlanningOptions options;
    options.alignment = alignment;
    options.tileSeparableBlocks = tileSeparableBlocks;
    options.tileMinBytes = tileMinBytes;
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
