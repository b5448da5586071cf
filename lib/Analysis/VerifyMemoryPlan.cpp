//===- VerifyMemoryPlan.cpp - a memory plan checked against its IR --------===//
//
// Re-derives from the IR what the plan must satisfy (which step defines and
// reads each tensor, which tensors may share memory) and checks the plan's
// attributes against it, packing's conflict check deciding overlaps.
//
//===----------------------------------------------------------------------===//
#include "picosam/Analysis/VerifyMemoryPlan.h"

#include "picosam/Analysis/MemoryPacking.h"
#include "picosam/Analysis/MemoryPlanning.h"
#include "picosam/Analysis/Passes.h"
#include "picosam/Analysis/ReadMemoryPlan.h"

#include "llvm/ADT/EquivalenceClasses.h"

namespace picosam {
#define GEN_PASS_DEF_VERIFYMEMORYPLAN
#include "picosam/Analysis/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {
class PlanVerifier {
public:
  explicit PlanVerifier(const FunctionMemoryPlan &plan) : plan(plan) {}

  LogicalResult verify();

private:
  /// The step `op` runs at: its own, or its block's for a conv of a tiled
  /// separable block.
  int64_t stepOfNested(Operation *op) const;
  /// The op computing `buffer`'s tensor: a block's pointwise conv for the
  /// block's result.
  Operation *writerOf(const PlannedBuffer &buffer) const;
  /// The step at which `user` reads an operand.
  int64_t readStep(Operation *user) const;
  bool isReturned(Value value) const;
  /// True when `defined` is written over `read` at the step defining it,
  /// where `read` dies: the same offset, touching lifetimes.
  bool sharesInPlace(const PlannedBuffer &read,
                     const PlannedBuffer &defined) const;

  LogicalResult checkAlignment() const;
  LogicalResult checkLifetimes() const;
  /// Merges the buffers written in place over one another as the planner's
  /// rules allow, then checks that no two live at once share a byte.
  LogicalResult checkOverlaps(SmallVectorImpl<LiveInterval> &intervals) const;
  LogicalResult checkTotals(ArrayRef<LiveInterval> intervals) const;

  const FunctionMemoryPlan &plan;
};
} // namespace

int64_t PlanVerifier::stepOfNested(Operation *op) const {
  if (std::optional<int64_t> step = plan.stepOf(op))
    return *step;
  return *plan.stepOf(op->getParentOp());
}

Operation *PlanVerifier::writerOf(const PlannedBuffer &buffer) const {
  if (auto block = dyn_cast<SeparableBlockOp>(buffer.owner))
    return block.getPointwise();
  return buffer.owner;
}

int64_t PlanVerifier::readStep(Operation *user) const {
  if (isa<func::ReturnOp>(user))
    return plan.attr.getSteps() - 1;
  // A block reads its input in its depthwise conv's step.
  if (auto block = dyn_cast<SeparableBlockOp>(user))
    return stepOfNested(block.getDepthwise());
  return stepOfNested(user);
}

bool PlanVerifier::isReturned(Value value) const {
  return llvm::any_of(value.getUsers(), [](Operation *user) {
    return isa<func::ReturnOp>(user);
  });
}

bool PlanVerifier::sharesInPlace(const PlannedBuffer &read,
                                 const PlannedBuffer &defined) const {
  return !read.isRing() && read.offset() == defined.offset() &&
         read.last() == defined.first() && !isReturned(read.value);
}

LogicalResult PlanVerifier::checkAlignment() const {
  int64_t alignment = plan.attr.getAlignment();
  for (const PlannedBuffer &buffer : plan.buffers)
    if (buffer.offset() % alignment != 0)
      return emitError(buffer.getLoc(), "'")
             << buffer.name << "' is planned at offset " << buffer.offset()
             << ", not a multiple of the plan's alignment " << alignment;
  return success();
}

LogicalResult PlanVerifier::checkLifetimes() const {
  for (const PlannedBuffer &buffer : plan.buffers) {
    int64_t defined = buffer.owner ? stepOfNested(writerOf(buffer)) : 0;
    if (buffer.first() != defined)
      return emitError(buffer.getLoc(), "'")
             << buffer.name << "' is defined at step " << defined
             << " but its buffer is live from step " << buffer.first();
    for (OpOperand &use : buffer.value.getUses()) {
      if (use.getOwner()->hasTrait<mlir::OpTrait::IsTerminator>() &&
          !isa<func::ReturnOp>(use.getOwner()))
        continue;
      int64_t read = readStep(use.getOwner());
      if (read > buffer.last())
        return emitError(buffer.getLoc(), "'")
               << buffer.name << "' is read at step " << read
               << " but its buffer is live only to step " << buffer.last();
    }
  }
  return success();
}

LogicalResult
PlanVerifier::checkOverlaps(SmallVectorImpl<LiveInterval> &merged) const {
  const std::vector<PlannedBuffer> &buffers = plan.buffers;
  llvm::EquivalenceClasses<size_t> sameMemory;
  for (size_t index = 0; index < buffers.size(); ++index)
    sameMemory.insert(index);
  auto merge = [&](Value read, const PlannedBuffer &defined,
                   bool sizesMayDiffer) {
    const PlannedBuffer *over = plan.lookup(read);
    if (over && sharesInPlace(*over, defined) &&
        (sizesMayDiffer ? defined.size() <= over->size()
                        : defined.size() == over->size()))
      sameMemory.unionSets(plan.indexOf.lookup(read),
                           plan.indexOf.lookup(defined.value));
  };
  for (const PlannedBuffer &buffer : buffers) {
    if (!buffer.owner || buffer.isRing())
      continue;
    Operation *writer = writerOf(buffer);
    for (Value operand : inPlaceOperands(writer))
      merge(operand, buffer, /*sizesMayDiffer=*/false);
    // A conv a block streams into may write its rows over its input's.
    auto conv = dyn_cast<Conv2DOp>(writer);
    for (auto [block, consumer] : plan.streamedInto)
      if (consumer == conv && overwritesInputByRows(conv) &&
          conv.getInput() != cast<SeparableBlockOp>(block).getInput())
        merge(conv.getInput(), buffer, /*sizesMayDiffer=*/true);
  }

  SmallVector<LiveInterval> intervals;
  SmallVector<int64_t> offsets;
  for (const PlannedBuffer &buffer : buffers) {
    intervals.push_back({buffer.size(), buffer.first(), buffer.last()});
    offsets.push_back(buffer.offset());
  }
  std::optional<std::pair<size_t, size_t>> conflict =
      findConflict(intervals, offsets, [&](size_t a, size_t b) {
        return sameMemory.isEquivalent(a, b);
      });
  if (conflict) {
    // Reported where the later of the two is written.
    const PlannedBuffer &x = buffers[conflict->first],
                        &y = buffers[conflict->second];
    const PlannedBuffer &later = x.first() > y.first() ? x : y;
    const PlannedBuffer &earlier = &later == &x ? y : x;
    return emitError(later.getLoc(), "'")
           << later.name << "' (bytes [" << later.offset() << ", "
           << later.end() << "), steps " << later.first() << " to "
           << later.last() << ") overlaps '" << earlier.name << "' (bytes ["
           << earlier.offset() << ", " << earlier.end() << "), steps "
           << earlier.first() << " to " << earlier.last()
           << ") while both are live";
  }

  // One interval per memory, as the planner counts it: the union of the
  // lifetimes, the largest size.
  for (auto it = sameMemory.begin(); it != sameMemory.end(); ++it) {
    if (!(*it)->isLeader())
      continue;
    LiveInterval interval{0, std::numeric_limits<int64_t>::max(), 0};
    for (auto member = sameMemory.member_begin(**it);
         member != sameMemory.member_end(); ++member) {
      interval.bytes = std::max(interval.bytes, intervals[*member].bytes);
      interval.first = std::min(interval.first, intervals[*member].first);
      interval.last = std::max(interval.last, intervals[*member].last);
    }
    merged.push_back(interval);
  }
  return success();
}

LogicalResult PlanVerifier::checkTotals(ArrayRef<LiveInterval> intervals) const {
  LiveBytesPeak peak = peakLiveBytes(intervals);
  MemoryPlanAttr attr = plan.attr;
  if (peak.bytes != attr.getLowerBound() || peak.step != attr.getPeakStep())
    return emitError(static_cast<Operation *>(plan.func)->getLoc(),
                     "the memory plan records a lower bound of ")
           << attr.getLowerBound() << " bytes at step " << attr.getPeakStep()
           << "; its buffers give " << peak.bytes << " at step " << peak.step;
  int64_t rings = llvm::count_if(plan.buffers, [](const PlannedBuffer &buffer) {
    return buffer.kind() == BufferKind::Ring;
  });
  if (rings != attr.getTiledBlocks())
    return emitError(static_cast<Operation *>(plan.func)->getLoc(),
                     "the memory plan records ")
           << attr.getTiledBlocks() << " tiled blocks; its buffers have "
           << rings << " rings";
  return success();
}

LogicalResult PlanVerifier::verify() {
  SmallVector<LiveInterval> intervals;
  if (failed(checkBufferExtents(plan, plan.attr.getElementBytes())) ||
      failed(checkAlignment()) || failed(checkLifetimes()) ||
      failed(checkOverlaps(intervals)) || failed(checkTotals(intervals)))
    return failure();
  return success();
}

LogicalResult picosam::verifyMemoryPlan(func::FuncOp func) {
  FailureOr<FunctionMemoryPlan> plan = readMemoryPlan(func);
  if (failed(plan))
    return failure();
  return PlanVerifier(*plan).verify();
}

namespace {
struct VerifyMemoryPlanPass
    : picosam::impl::VerifyMemoryPlanBase<VerifyMemoryPlanPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (!func->hasAttr(MemoryPlanAttr::attrName) || isMaterialized(func))
      return markAllAnalysesPreserved();
    if (failed(verifyMemoryPlan(func)))
      return signalPassFailure();
    markAllAnalysesPreserved();
  }
};
} // namespace
