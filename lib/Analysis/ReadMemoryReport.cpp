//===- ReadMemoryReport.cpp - a planned function's memory report ----------===//
#include "picosam/Analysis/ReadMemoryPlan.h"

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

// The report's buffer layouts are #pico.buffer's kinds, in the same order.
static_assert(static_cast<int>(BufferLayout::Whole) ==
                  static_cast<int>(BufferKind::Whole) &&
              static_cast<int>(BufferLayout::Ring) ==
                  static_cast<int>(BufferKind::Ring) &&
              static_cast<int>(BufferLayout::Streamed) ==
                  static_cast<int>(BufferKind::Streamed));

FailureOr<MemoryReport>
picosam::readMemoryReport(func::FuncOp func,
                          const MemoryAccountingOptions &accounting) {
  FailureOr<FunctionMemoryPlan> plan = readMemoryPlan(func);
  if (failed(plan))
    return failure();
  MemoryPlanAttr attr = plan->attr;
  MemoryReport report;
  report.function = func.getSymName().str();
  report.arenaBytes = attr.getArena();
  report.lowerBoundBytes = attr.getLowerBound();
  report.peakStep = attr.getPeakStep();
  report.inputOrderLowerBoundBytes = attr.getInputOrderLowerBound();
  report.weightsBytes = attr.getWeights();
  report.alignment = attr.getAlignment();
  report.elementBytes = attr.getElementBytes();
  report.tiledBlocks = attr.getTiledBlocks();
  report.steps = attr.getSteps();
  for (const PlannedBuffer &buffer : plan->buffers) {
    BufferRecord record;
    record.name = buffer.name;
    record.kind = buffer.owner ? buffer.owner->getName().getStringRef().str()
                               : "argument";
    record.offset = buffer.offset();
    record.bytes = buffer.size();
    record.first = buffer.first();
    record.last = buffer.last();
    record.layout = static_cast<BufferLayout>(buffer.kind());
    record.rows = buffer.rows();
    record.rowBytes = buffer.rowBytes();
    report.buffers.push_back(std::move(record));
  }
  report.peakTensors = plan->liveAt(report.peakStep);
  report.memoryInputs = gatherMemoryInputs(*plan);
  report.accounting = accounting;
  report.count();
  return report;
}
