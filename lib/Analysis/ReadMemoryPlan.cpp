//===- ReadMemoryPlan.cpp - the one reader of a function's memory plan ----===//
#include "picosam/Analysis/ReadMemoryPlan.h"

#include "picosam/Analysis/MemoryPlanning.h"
#include "picosam/Interpreter/ValueNames.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>

#include <limits>

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

const PlannedBuffer *FunctionMemoryPlan::lookup(Value value) const {
  auto it = indexOf.find(value);
  return it == indexOf.end() ? nullptr : &buffers[it->second];
}

std::optional<int64_t> FunctionMemoryPlan::stepOf(Operation *op) const {
  auto it = stepIndex.find(op);
  if (it == stepIndex.end())
    return std::nullopt;
  return it->second;
}

std::vector<LiveBuffer> FunctionMemoryPlan::liveAt(int64_t step) const {
  std::vector<LiveBuffer> live;
  for (size_t index = 0; index < buffers.size(); ++index) {
    const PlannedBuffer &buffer = buffers[index];
    if (buffer.first() > step || buffer.last() < step)
      continue;
    // A tensor written in place over one that dies at this step shares its
    // memory: one entry, under the new tensor's name.
    auto over = llvm::find_if(live, [&](const LiveBuffer &entry) {
      const PlannedBuffer &other = buffers[entry.buffer];
      return other.offset() == buffer.offset() &&
             other.size() == buffer.size() && other.last() == step &&
             buffer.first() == step;
    });
    if (over != live.end()) {
      over->inPlaceOver = over->buffer;
      over->buffer = index;
      continue;
    }
    live.push_back({index, std::nullopt});
  }
  return live;
}

int64_t picosam::tensorBytesOf(Type type, int64_t elementBytes) {
  return tensorByteSize(type, elementBytes)
      .value_or(std::numeric_limits<int64_t>::max());
}

int64_t picosam::tensorRowBytesOf(Type type, int64_t elementBytes) {
  auto tensor = cast<RankedTensorType>(type);
  return tensorBytesOf(type, elementBytes) / tensor.getDimSize(2);
}

namespace {
/// Collects the buffers and steps of a function, checking that the
/// attributes describe the ops they sit on.
class PlanReader {
public:
  PlanReader(FunctionMemoryPlan &plan)
      : plan(plan), names(nameValues(plan.func)) {}

  LogicalResult readArguments();
  LogicalResult readOp(Operation &op);
  LogicalResult checkSteps();

private:
  /// Records `value`'s buffer, the `#pico.buffer` of `owner` (or of the
  /// argument); fails when there is none.
  FailureOr<BufferAttr> add(Value value, Operation *owner);
  LogicalResult readSeparableBlock(SeparableBlockOp block);
  void addStep(int64_t step, Operation *op) { steps.push_back({step, op}); }

  FunctionMemoryPlan &plan;
  llvm::DenseMap<Value, std::string> names;
  /// (step, op) in program order.
  SmallVector<std::pair<int64_t, Operation *>> steps;
  /// The streamed blocks' results, and the convs reading them.
  llvm::DenseMap<Operation *, SeparableBlockOp> streamedFrom;
};
} // namespace

FailureOr<BufferAttr> PlanReader::add(Value value, Operation *owner) {
  BufferAttr attr =
      owner ? owner->getAttrOfType<BufferAttr>(BufferAttr::attrName)
            : plan.func.getArgAttrOfType<BufferAttr>(
                  cast<BlockArgument>(value).getArgNumber(),
                  BufferAttr::attrName);
  std::string name = names.lookup(owner ? owner->getResult(0) : value);
  if (!attr)
    return emitError(owner ? owner->getLoc() : value.getLoc(), "'")
           << name << "' has no planned buffer; plan the function with "
           << "--pico-plan-memory first";
  if (attr.getFirst() >= plan.attr.getSteps() ||
      attr.getLast() >= plan.attr.getSteps())
    return emitError(owner ? owner->getLoc() : value.getLoc(), "'")
           << name << "' is live from step " << attr.getFirst() << " to "
           << attr.getLast() << ", past the plan's " << plan.attr.getSteps()
           << " steps";
  plan.buffers.push_back({value, owner, std::move(name), attr});
  return attr;
}

LogicalResult PlanReader::readArguments() {
  for (BlockArgument arg : plan.func.getArguments())
    if (failed(add(arg, nullptr)))
      return failure();
  return success();
}

LogicalResult PlanReader::readSeparableBlock(SeparableBlockOp block) {
  Conv2DOp depthwise = block.getDepthwise(), pointwise = block.getPointwise();
  FailureOr<BufferAttr> intermediate = add(depthwise.getOutput(), depthwise);
  if (failed(intermediate))
    return failure();
  bool tiled = intermediate->isRing();
  if (!block->hasAttr(BufferAttr::attrName) && tiled &&
      pointwise->hasAttr(BufferAttr::attrName)) {
    // Streamed: the result's rows flow into the conv reading it as its
    // residual, in the same step.
    Value result = block.getOutput();
    auto consumer = result.hasOneUse()
                        ? dyn_cast<Conv2DOp>(*result.getUsers().begin())
                        : Conv2DOp();
    if (!consumer || consumer.getResidual() != result ||
        consumer->getBlock() != block->getBlock())
      return block.emitOpError("streams its rows, so its result must be "
                               "read only as the residual of a conv");
    if (failed(add(result, pointwise)))
      return failure();
    plan.streamedInto[block] = consumer;
    streamedFrom[consumer] = block;
    addStep(intermediate->getFirst(), block);
    return success();
  }
  FailureOr<BufferAttr> result = add(block.getOutput(), block);
  if (failed(result))
    return failure();
  if (tiled) {
    addStep(result->getFirst(), block);
    return success();
  }
  addStep(intermediate->getFirst(), depthwise);
  addStep(result->getFirst(), pointwise);
  return success();
}

LogicalResult PlanReader::readOp(Operation &op) {
  if (op.hasTrait<mlir::OpTrait::ConstantLike>())
    return success();
  if (auto block = dyn_cast<SeparableBlockOp>(op))
    return readSeparableBlock(block);
  if (op.getNumResults() != 1)
    return op.emitOpError("has ")
           << op.getNumResults()
           << " results; memory plans cover ops with one result";
  FailureOr<BufferAttr> result = add(op.getResult(0), &op);
  if (failed(result))
    return failure();
  // A conv a block streams into runs in the block's step.
  if (!streamedFrom.contains(&op))
    addStep(result->getFirst(), &op);
  else
    plan.stepIndex[&op] = result->getFirst();
  return success();
}

LogicalResult PlanReader::checkSteps() {
  for (auto [expected, entry] : llvm::enumerate(steps)) {
    auto [step, op] = entry;
    if (step != static_cast<int64_t>(expected))
      return op->emitOpError("runs at step ")
             << step << " of the plan, but ops run their steps in program "
             << "order: step " << expected << " expected";
    plan.steps.push_back(op);
    plan.stepIndex[op] = step;
  }
  if (static_cast<int64_t>(steps.size()) != plan.attr.getSteps())
    return plan.func.emitError("the memory plan has ")
           << plan.attr.getSteps() << " steps but its ops run "
           << steps.size();
  // A streamed conv runs with its block.
  for (auto [consumer, block] : streamedFrom)
    if (plan.stepIndex.lookup(consumer) != plan.stepIndex.lookup(block))
      return consumer->emitOpError("runs at step ")
             << plan.stepIndex.lookup(consumer)
             << " but the block streaming into it at step "
             << plan.stepIndex.lookup(block);
  return success();
}

bool picosam::isMaterialized(func::FuncOp func) {
  for (unsigned index = 0; index < func.getNumArguments(); ++index)
    if (func.getArgAttr(index, MemoryPlanAttr::arenaArgAttrName))
      return true;
  return false;
}

FailureOr<FunctionMemoryPlan> picosam::readMemoryPlan(func::FuncOp func) {
  FunctionMemoryPlan plan;
  plan.func = func;
  plan.attr = func->getAttrOfType<MemoryPlanAttr>(MemoryPlanAttr::attrName);
  if (!plan.attr || func.isExternal())
    return func.emitError("@")
           << func.getSymName()
           << " has no memory plan; plan it with --pico-plan-memory first";
  if (!func.getBody().hasOneBlock())
    return func.emitError("memory plans cover functions with one block");
  if (isMaterialized(func))
    return func.emitError("@")
           << func.getSymName()
           << " is materialised over its arena already; its plan is in its "
              "views";
  PlanReader reader(plan);
  if (failed(reader.readArguments()))
    return failure();
  for (Operation &op : func.getBody().front().without_terminator())
    if (failed(reader.readOp(op)))
      return failure();
  if (failed(reader.checkSteps()))
    return failure();
  llvm::stable_sort(plan.buffers, [](const PlannedBuffer &a,
                                     const PlannedBuffer &b) {
    return std::make_pair(a.first(), a.offset()) <
           std::make_pair(b.first(), b.offset());
  });
  for (auto [index, buffer] : llvm::enumerate(plan.buffers))
    plan.indexOf[buffer.value] = index;
  return plan;
}

/// The rows the reader of a ring needs at once: the pointwise conv's kernel
/// height for a block's intermediate, one residual row per output row for a
/// streamed result.
static int64_t rowsReadAtOnce(const PlannedBuffer &buffer) {
  if (buffer.kind() == BufferKind::Streamed)
    return 1;
  return intermediateRingRows(
      cast<SeparableBlockOp>(buffer.owner->getParentOp()));
}

LogicalResult picosam::checkBufferExtents(const FunctionMemoryPlan &plan,
                                          int64_t elementBytes) {
  for (const PlannedBuffer &buffer : plan.buffers) {
    Type type = buffer.value.getType();
    if (!buffer.isRing()) {
      int64_t bytes = tensorBytesOf(type, elementBytes);
      if (bytes > buffer.size())
        return emitError(buffer.getLoc(), "'")
               << buffer.name << "' (" << type << ") takes " << bytes
               << " bytes; its planned buffer holds " << buffer.size();
      continue;
    }
    int64_t rowBytes = tensorRowBytesOf(type, elementBytes);
    if (rowBytes > buffer.rowBytes())
      return emitError(buffer.getLoc(), "'")
             << buffer.name << "' (" << type << ") has rows of " << rowBytes
             << " bytes; its planned ring's rows hold " << buffer.rowBytes();
    int64_t needed = rowsReadAtOnce(buffer);
    if (buffer.rows() < needed)
      return emitError(buffer.getLoc(), "'")
             << buffer.name << "' is a ring of " << buffer.rows()
             << " rows; its reader needs " << needed << " at once";
  }
  return success();
}
