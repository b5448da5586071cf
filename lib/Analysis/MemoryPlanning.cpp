//===- MemoryPlanning.cpp - schedule, lifetimes and arena offsets ---------===//
//
// The function is modelled as units (its top-level ops but constants), each
// running one or more steps that read and define tensors. The schedule
// search orders units; the layout of one order numbers its steps, gives
// every tensor its lifetime, merges in-place tensors into one buffer, and
// packs the buffers.
//
//===----------------------------------------------------------------------===//
#include "picosam/Analysis/MemoryPlanning.h"

#include "Pico/PicoOps.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <algorithm>
#include <unordered_map>

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

int64_t picosam::elementBytesOf(Type elementType,
                                int64_t assumedElementBytes) {
  return assumedElementBytes > 0 ? assumedElementBytes
                                 : elementByteWidth(elementType);
}

namespace {

/// The unit that defines function arguments: none.
constexpr unsigned kNoUnit = ~0u;

struct TensorInfo {
  Value value;
  /// The op whose attribute records the tensor; null for an argument.
  Operation *owner = nullptr;
  int64_t bytes = 0;
  /// The bytes its buffer holds: `bytes`, or those of the larger tensor it
  /// is written over row by row.
  int64_t heldBytes = 0;
  /// A ring keeps `rows` rows of `rowBytes` bytes (`bytes` is their product).
  BufferKind kind = BufferKind::Whole;
  int64_t rows = 0;
  int64_t rowBytes = 0;
  bool isOutput = false;
  unsigned producer = kNoUnit;
  /// The units other than the producer that read the tensor.
  SmallVector<unsigned, 2> consumers;
};

/// One op run: the tensors it reads and defines, which defined tensor may
/// be written over which read one when that one dies there (`inPlace`),
/// and which is written over which, row by row, always (`overwrites`: the
/// read one dies there in every schedule).
struct Step {
  Operation *op = nullptr;
  SmallVector<unsigned, 4> reads;
  SmallVector<unsigned, 2> defines;
  SmallVector<std::pair<unsigned, unsigned>, 2> inPlace;
  SmallVector<std::pair<unsigned, unsigned>, 1> overwrites;
};

/// The top-level ops scheduled together (one, or a tiled separable block
/// and the conv its rows flow into) and the steps they run.
struct Unit {
  SmallVector<Operation *, 2> ops;
  SmallVector<Step, 2> steps;
  /// Units defining tensors this one reads.
  SmallVector<unsigned, 4> predecessors;
  /// For each tensor read here, the index of the last step reading it.
  DenseMap<unsigned, unsigned> lastReadStep;
};

} // namespace

SmallVector<Value, 2> picosam::inPlaceOperands(Operation *op) {
  if (isa<ActivationOpInterface, BatchNormOp, ReshapeOp, ChannelAttentionOp>(
          op))
    return {op->getOperand(0)};
  if (isa<AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp, PReluOp>(op))
    return {op->getOperand(0), op->getOperand(1)};
  if (auto conv = dyn_cast<Conv2DOp>(op))
    if (Value residual = conv.getResidual())
      return {residual};
  return {};
}

namespace {

/// The conv a tiled block's result rows can flow into as they are made: its
/// only user, reading it as the residual, one row per output row, so the
/// block's result never exists whole either.
Conv2DOp residualConsumer(SeparableBlockOp block) {
  Value result = block.getOutput();
  if (!result.hasOneUse())
    return {};
  auto conv = dyn_cast<Conv2DOp>(*result.getUsers().begin());
  if (!conv || conv.getResidual() != result ||
      conv->getBlock() != block->getBlock())
    return {};
  return conv;
}

} // namespace

bool picosam::overwritesInputByRows(Conv2DOp conv) {
  auto input = cast<RankedTensorType>(conv.getInput().getType());
  auto output = cast<RankedTensorType>(conv.getType());
  auto weight = cast<RankedTensorType>(conv.getWeight().getType());
  return input.getDimSize(0) == 1 && weight.getDimSize(2) == 1 &&
         weight.getDimSize(3) == 1 && conv.getInputUpsample() == 1 &&
         llvm::all_of(conv.getStrides(), [](int64_t s) { return s == 1; }) &&
         llvm::all_of(conv.getPads(), [](int64_t p) { return p == 0; }) &&
         input.getShape().drop_front(2) == output.getShape().drop_front(2) &&
         output.getDimSize(1) <= input.getDimSize(1) &&
         elementBytesOf(input.getElementType(), 0) ==
             elementBytesOf(output.getElementType(), 0);
}

namespace {

class Model {
public:
  static FailureOr<Model> build(func::FuncOp func,
                                const MemoryPlanningOptions &options);

  std::vector<TensorInfo> tensors;
  std::vector<Unit> units;
  int64_t weightsBytes = 0;
  int64_t tiledBlocks = 0;
  /// Bytes of the arguments live at step 0, and of those nothing reads
  /// (they die after it).
  int64_t argumentBytes = 0;
  int64_t unreadArgumentBytes = 0;

private:
  explicit Model(const MemoryPlanningOptions &options) : options(options) {}
  FailureOr<unsigned> addTensor(Value value, Operation *owner,
                                unsigned producer);
  /// The tensor `value` holds, or none for a constant (weights).
  std::optional<unsigned> tensorOf(Value value) const;
  LogicalResult addOp(Operation *op);
  /// Whether `block` runs row by row (MemoryPlanningOptions's tiling).
  bool isTiled(SeparableBlockOp block) const;
  LogicalResult addSeparableBlock(SeparableBlockOp block);
  LogicalResult addStreamedBlock(SeparableBlockOp block, Conv2DOp consumer);
  /// The tensor of a tiled block's `value` as a ring of `rows` rows.
  FailureOr<unsigned> addRing(Value value, Operation *owner, unsigned unit,
                              BufferKind kind, int64_t rows);
  /// Lets the block's body read its input's tensor through its argument.
  void mapBodyArgument(SeparableBlockOp block);
  void addReads(Step &step, ValueRange operands);
  void addInPlace(Step &step, Operation *op, unsigned defined);
  /// Keeps the row-by-row overwrites whose read tensor dies there in every
  /// schedule: every other unit reading it runs before in any order.
  void keepStructuralOverwrites();

  const MemoryPlanningOptions &options;
  DenseMap<Value, unsigned> tensorIds;
  /// The conv each streamed tiled block's rows flow into.
  DenseMap<Operation *, SeparableBlockOp> streamedBlocks;
};

} // namespace

FailureOr<unsigned> Model::addTensor(Value value, Operation *owner,
                                     unsigned producer) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape() ||
      !(type.getElementType().isIntOrFloat() ||
        isa<quant::QuantizedType>(type.getElementType()))) {
    Location loc = owner ? owner->getLoc() : value.getLoc();
    return emitError(loc, "memory planning needs statically shaped tensors of "
                          "integers, floats or quantized values, got ")
           << value.getType();
  }
  std::optional<int64_t> bytes =
      tensorByteSize(type, options.assumedElementBytes);
  if (!bytes)
    return emitError(owner ? owner->getLoc() : value.getLoc(),
                     "memory planning: a tensor of type ")
           << type << " holds more than 2^63-1 bytes";
  TensorInfo info;
  info.value = value;
  info.owner = owner;
  info.producer = producer;
  info.bytes = *bytes;
  info.heldBytes = info.bytes;
  tensors.push_back(info);
  tensorIds[value] = tensors.size() - 1;
  return tensors.size() - 1;
}

std::optional<unsigned> Model::tensorOf(Value value) const {
  auto it = tensorIds.find(value);
  if (it == tensorIds.end())
    return std::nullopt;
  return it->second;
}

void Model::addReads(Step &step, ValueRange operands) {
  for (Value operand : operands)
    if (std::optional<unsigned> tensor = tensorOf(operand))
      if (!llvm::is_contained(step.reads, *tensor))
        step.reads.push_back(*tensor);
}

void Model::addInPlace(Step &step, Operation *op, unsigned defined) {
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  for (Value operand : inPlaceOperands(op)) {
    std::optional<unsigned> tensor = tensorOf(operand);
    if (!tensor ||
        cast<RankedTensorType>(operand.getType()).getShape() !=
            resultType.getShape())
      continue;
    step.inPlace.push_back({defined, *tensor});
  }
}

LogicalResult Model::addOp(Operation *op) {
  if (auto block = dyn_cast<SeparableBlockOp>(op))
    return addSeparableBlock(block);
  if (op->getNumRegions() != 0)
    return op->emitOpError("has regions, which memory planning does not "
                           "handle (only pico.separable_block's)");
  if (SeparableBlockOp block = streamedBlocks.lookup(op))
    return addStreamedBlock(block, cast<Conv2DOp>(op));
  unsigned index = units.size();
  units.emplace_back();
  units.back().ops.push_back(op);
  Step step;
  step.op = op;
  addReads(step, op->getOperands());
  for (Value result : op->getResults()) {
    FailureOr<unsigned> tensor = addTensor(result, op, index);
    if (failed(tensor))
      return failure();
    step.defines.push_back(*tensor);
    if (op->getNumResults() == 1)
      addInPlace(step, op, *tensor);
  }
  units[index].steps.push_back(std::move(step));
  return success();
}

void Model::mapBodyArgument(SeparableBlockOp block) {
  // The body's argument is the block's input.
  if (std::optional<unsigned> input = tensorOf(block.getInput()))
    tensorIds[block.getBody().getArgument(0)] = *input;
}

FailureOr<unsigned> Model::addRing(Value value, Operation *owner,
                                   unsigned unit, BufferKind kind,
                                   int64_t rows) {
  FailureOr<unsigned> ring = addTensor(value, owner, unit);
  if (failed(ring))
    return failure();
  int64_t height = cast<RankedTensorType>(value.getType()).getDimSize(2);
  TensorInfo &info = tensors[*ring];
  info.kind = kind;
  info.rowBytes = info.bytes / height;
  info.rows = std::min(rows, height);
  info.bytes = info.heldBytes = info.rowBytes * info.rows;
  return ring;
}

int64_t picosam::intermediateRingRows(SeparableBlockOp block) {
  Conv2DOp pointwise = block.getPointwise();
  auto weight = cast<RankedTensorType>(pointwise.getWeight().getType());
  return (weight.getDimSize(2) - 1) * pointwise.getDilations()[0] + 1;
}

bool Model::isTiled(SeparableBlockOp block) const {
  if (!options.tileSeparableBlocks)
    return false;
  std::optional<int64_t> bytes = tensorByteSize(
      block.getDepthwise().getOutput().getType(), options.assumedElementBytes);
  return !bytes || *bytes >= options.tileMinBytes;
}

LogicalResult Model::addSeparableBlock(SeparableBlockOp block) {
  // A streamed block joins the unit of the conv its rows flow into.
  if (isTiled(block) && residualConsumer(block))
    return success();
  Conv2DOp depthwise = block.getDepthwise(), pointwise = block.getPointwise();
  unsigned index = units.size();
  units.emplace_back();
  units.back().ops.push_back(block);
  mapBodyArgument(block);

  if (!isTiled(block)) {
    // The intermediate exists whole between the two convolutions.
    Step first;
    first.op = depthwise;
    addReads(first, depthwise->getOperands());
    FailureOr<unsigned> intermediate =
        addTensor(depthwise.getOutput(), depthwise, index);
    if (failed(intermediate))
      return failure();
    first.defines.push_back(*intermediate);
    Step second;
    second.op = pointwise;
    addReads(second, pointwise->getOperands());
    FailureOr<unsigned> result = addTensor(block.getOutput(), block, index);
    if (failed(result))
      return failure();
    tensorIds[pointwise.getOutput()] = *result;
    second.defines.push_back(*result);
    addInPlace(second, pointwise, *result);
    units[index].steps.push_back(std::move(first));
    units[index].steps.push_back(std::move(second));
    return success();
  }

  // Tiled: each row of the pointwise result is computed as soon as the
  // depthwise rows it reads exist, so only those rows are kept: a ring of
  // the pointwise kernel's (dilated) height, across every channel and column
  // of the intermediate. The block's input stays whole.
  Step step;
  step.op = block;
  addReads(step, depthwise->getOperands());
  addReads(step, pointwise->getOperands());
  FailureOr<unsigned> ring =
      addRing(depthwise.getOutput(), depthwise, index, BufferKind::Ring,
              intermediateRingRows(block));
  if (failed(ring))
    return failure();
  step.defines.push_back(*ring);
  FailureOr<unsigned> result = addTensor(block.getOutput(), block, index);
  if (failed(result))
    return failure();
  tensorIds[pointwise.getOutput()] = *result;
  step.defines.push_back(*result);
  addInPlace(step, pointwise, *result);
  units[index].steps.push_back(std::move(step));
  ++tiledBlocks;
  return success();
}

LogicalResult Model::addStreamedBlock(SeparableBlockOp block,
                                     Conv2DOp consumer) {
  // One row loop: depthwise rows into their ring, pointwise rows into a
  // one-row ring that the consumer adds its own row to and writes out.
  Conv2DOp depthwise = block.getDepthwise(), pointwise = block.getPointwise();
  unsigned index = units.size();
  units.emplace_back();
  units.back().ops.append({block, consumer});
  mapBodyArgument(block);
  Step step;
  step.op = block;
  addReads(step, depthwise->getOperands());
  addReads(step, pointwise->getOperands());
  addReads(step, consumer->getOperands());
  FailureOr<unsigned> intermediate =
      addRing(depthwise.getOutput(), depthwise, index, BufferKind::Ring,
              intermediateRingRows(block));
  FailureOr<unsigned> blockRows = addRing(block.getOutput(), pointwise, index,
                                          BufferKind::Streamed, /*rows=*/1);
  if (failed(intermediate) || failed(blockRows))
    return failure();
  tensorIds[pointwise.getOutput()] = *blockRows;
  FailureOr<unsigned> result = addTensor(consumer.getOutput(), consumer, index);
  if (failed(result))
    return failure();
  step.defines.append({*intermediate, *blockRows, *result});
  // Writing over the block's input would destroy rows the depthwise conv
  // has yet to read.
  if (overwritesInputByRows(consumer) &&
      consumer.getInput() != block.getInput())
    if (std::optional<unsigned> input = tensorOf(consumer.getInput()))
      step.overwrites.push_back({*result, *input});
  units[index].steps.push_back(std::move(step));
  ++tiledBlocks;
  return success();
}

void Model::keepStructuralOverwrites() {
  // Units are numbered in program order, which is topological.
  std::vector<llvm::BitVector> ancestors(units.size(),
                                         llvm::BitVector(units.size()));
  for (auto [index, unit] : llvm::enumerate(units))
    for (unsigned predecessor : unit.predecessors) {
      ancestors[index] |= ancestors[predecessor];
      ancestors[index].set(predecessor);
    }
  // Not structured bindings: C++17 lambdas may not capture them.
  for (auto enumeratedUnit : llvm::enumerate(units)) {
    size_t index = enumeratedUnit.index();
    auto &unit = enumeratedUnit.value();
    for (auto enumeratedStep : llvm::enumerate(unit.steps)) {
      size_t stepIndex = enumeratedStep.index();
      llvm::erase_if(
          enumeratedStep.value().overwrites,
          [&](std::pair<unsigned, unsigned> pair) {
            const TensorInfo &read = tensors[pair.second];
            bool diesHere = !read.isOutput &&
                            unit.lastReadStep.lookup(pair.second) == stepIndex;
            for (unsigned consumer : read.consumers)
              diesHere &= consumer == index || ancestors[index].test(consumer);
            if (diesHere)
              tensors[pair.first].heldBytes = read.heldBytes;
            return !diesHere;
          });
    }
  }
}

FailureOr<Model> Model::build(func::FuncOp func,
                              const MemoryPlanningOptions &options) {
  if (func.isExternal() || !func.getBody().hasOneBlock())
    return func.emitError("memory planning needs a function with one block");
  Model model(options);
  Block &body = func.getBody().front();
  for (BlockArgument arg : body.getArguments())
    if (failed(model.addTensor(arg, nullptr, kNoUnit)))
      return failure();
  // Every byte count of the plan (offsets, the arena, live sums) is at
  // most the sum of the tensors' and weights' bytes with an alignment's
  // padding each: with that sum in int64_t, none of them overflows.
  std::optional<int64_t> totalBytes = 0;
  WalkResult weights = func.walk([&](Operation *op) {
    if (!op->hasTrait<mlir::OpTrait::ConstantLike>())
      return WalkResult::advance();
    for (Value result : op->getResults()) {
      std::optional<int64_t> bytes =
          tensorByteSize(result.getType(), options.assumedElementBytes);
      if (!bytes || !(totalBytes = llvm::checkedAdd(*totalBytes, *bytes))) {
        op->emitError("memory planning: the weights hold more than 2^63-1 "
                      "bytes");
        return WalkResult::interrupt();
      }
      model.weightsBytes += *bytes;
    }
    return WalkResult::advance();
  });
  if (weights.wasInterrupted())
    return failure();
  for (auto block : body.getOps<SeparableBlockOp>())
    if (model.isTiled(block))
      if (Conv2DOp consumer = residualConsumer(block))
        model.streamedBlocks[consumer] = block;
  for (Operation &op : body.without_terminator())
    if (!op.hasTrait<mlir::OpTrait::ConstantLike>() && failed(model.addOp(&op)))
      return failure();
  for (Value returned : body.getTerminator()->getOperands())
    if (std::optional<unsigned> tensor = model.tensorOf(returned))
      model.tensors[*tensor].isOutput = true;

  for (auto [index, unit] : llvm::enumerate(model.units)) {
    for (auto [stepIndex, step] : llvm::enumerate(unit.steps))
      for (unsigned tensor : step.reads) {
        unit.lastReadStep[tensor] = stepIndex;
        TensorInfo &info = model.tensors[tensor];
        if (info.producer == index)
          continue;
        if (!llvm::is_contained(info.consumers, index))
          info.consumers.push_back(index);
        if (info.producer != kNoUnit &&
            !llvm::is_contained(unit.predecessors, info.producer))
          unit.predecessors.push_back(info.producer);
      }
  }
  model.keepStructuralOverwrites();
  for (const TensorInfo &info : model.tensors)
    if (!(totalBytes = llvm::checkedAdd(*totalBytes, info.heldBytes)) ||
        !(totalBytes = llvm::checkedAdd(*totalBytes, options.alignment)))
      return func.emitError("memory planning: the tensors and weights, each "
                            "aligned to ")
             << options.alignment << " bytes, hold more than 2^63-1 bytes";
  for (const TensorInfo &info : model.tensors)
    if (info.producer == kNoUnit) {
      model.argumentBytes += info.bytes;
      if (info.consumers.empty() && !info.isOutput)
        model.unreadArgumentBytes += info.bytes;
    }
  return model;
}

//===----------------------------------------------------------------------===//
// Layout of one schedule
//===----------------------------------------------------------------------===//

namespace {
struct Layout {
  SmallVector<unsigned> order;
  SmallVector<Operation *> steps;
  SmallVector<int64_t> first, last, offsets;
  SmallVector<std::optional<unsigned>> reuses;
  LiveBytesPeak lowerBound;
  Packing packing;
};
} // namespace

/// The tensor at the start of `tensor`'s chain of in-place writes.
static unsigned bufferRoot(ArrayRef<std::optional<unsigned>> reuses,
                           unsigned tensor) {
  while (reuses[tensor])
    tensor = *reuses[tensor];
  return tensor;
}

static Layout layOut(const Model &model, ArrayRef<unsigned> order,
                     int64_t alignment) {
  Layout layout;
  layout.order.assign(order.begin(), order.end());
  size_t count = model.tensors.size();
  layout.first.assign(count, 0);
  layout.last.assign(count, 0);
  layout.reuses.assign(count, std::nullopt);
  for (unsigned unit : order)
    for (const Step &step : model.units[unit].steps) {
      int64_t now = layout.steps.size();
      layout.steps.push_back(step.op);
      for (unsigned tensor : step.reads)
        layout.last[tensor] = std::max(layout.last[tensor], now);
      for (unsigned tensor : step.defines)
        layout.first[tensor] = layout.last[tensor] = now;
    }
  int64_t finalStep = std::max<int64_t>(layout.steps.size(), 1) - 1;
  for (size_t tensor = 0; tensor < count; ++tensor)
    if (model.tensors[tensor].isOutput)
      layout.last[tensor] = finalStep;

  // In place: a defined tensor takes over a read one whose life ends here
  // and whose buffer has its size.
  int64_t now = 0;
  for (unsigned unit : order)
    for (const Step &step : model.units[unit].steps) {
      SmallVector<unsigned, 2> taken;
      for (auto [defined, read] : step.overwrites) {
        layout.reuses[defined] = read;
        taken.push_back(read);
      }
      for (auto [defined, read] : step.inPlace) {
        if (layout.reuses[defined] || layout.last[read] != now ||
            model.tensors[read].isOutput || llvm::is_contained(taken, read) ||
            model.tensors[read].heldBytes != model.tensors[defined].heldBytes)
          continue;
        layout.reuses[defined] = read;
        taken.push_back(read);
      }
      ++now;
    }

  // One interval per buffer: a chain of in-place tensors.
  SmallVector<LiveInterval> intervals;
  SmallVector<unsigned> bufferOf(count);
  DenseMap<unsigned, unsigned> intervalOfRoot;
  for (size_t tensor = 0; tensor < count; ++tensor) {
    unsigned root = bufferRoot(layout.reuses, tensor);
    auto [it, inserted] = intervalOfRoot.try_emplace(root, intervals.size());
    if (inserted)
      intervals.push_back({model.tensors[root].heldBytes, layout.first[tensor],
                           layout.last[tensor]});
    LiveInterval &interval = intervals[it->second];
    interval.first = std::min(interval.first, layout.first[tensor]);
    interval.last = std::max(interval.last, layout.last[tensor]);
    bufferOf[tensor] = it->second;
  }
  layout.lowerBound = peakLiveBytes(intervals);
  layout.packing = packIntervals(intervals, alignment);
  layout.offsets.resize(count);
  for (size_t tensor = 0; tensor < count; ++tensor)
    layout.offsets[tensor] = layout.packing.offsets[bufferOf[tensor]];
  return layout;
}

//===----------------------------------------------------------------------===//
// Schedule search
//===----------------------------------------------------------------------===//

namespace {
/// The set of units run so far, one bit each.
using UnitSet = std::vector<uint64_t>;

struct UnitSetHash {
  size_t operator()(const UnitSet &set) const {
    return llvm::hash_combine_range(set.begin(), set.end());
  }
};

bool contains(const UnitSet &set, unsigned unit) {
  return (set[unit / 64] >> (unit % 64)) & 1;
}

/// A partial schedule: the last unit run and the node before it.
struct SearchNode {
  unsigned parent;
  unsigned unit;
  /// The largest live total of any step so far, and the sum over steps
  /// (smaller means memory freed sooner: the tie-break).
  int64_t peak;
  int64_t area;
  /// Bytes live after the last step.
  int64_t live;
};

struct UnitCost {
  int64_t peak = 0;
  int64_t area = 0;
  int64_t liveAfter = 0;
};

class ScheduleSearch {
public:
  explicit ScheduleSearch(const Model &model) : model(model) {}

  /// The order with the smallest peak found keeping at most `beamWidth`
  /// partial schedules per step; `exact` tells whether none was dropped.
  SmallVector<unsigned> run(int64_t beamWidth, bool &exact);

private:
  bool isReady(const UnitSet &done, unsigned unit) const;
  /// The live totals while `unit` runs after the units in `done`, the same
  /// rules as layOut applies to a whole order.
  UnitCost cost(const UnitSet &done, int64_t liveBefore, unsigned unit) const;
  bool diesAt(const UnitSet &done, unsigned unit, unsigned step,
              unsigned tensor) const;

  const Model &model;
};
} // namespace

bool ScheduleSearch::isReady(const UnitSet &done, unsigned unit) const {
  return !contains(done, unit) &&
         llvm::all_of(model.units[unit].predecessors,
                      [&](unsigned p) { return contains(done, p); });
}

bool ScheduleSearch::diesAt(const UnitSet &done, unsigned unit, unsigned step,
                            unsigned tensor) const {
  const TensorInfo &info = model.tensors[tensor];
  if (info.isOutput)
    return false;
  auto lastRead = model.units[unit].lastReadStep.find(tensor);
  if (lastRead == model.units[unit].lastReadStep.end())
    // Defined here and read nowhere in the unit: dead at once unless another
    // unit reads it.
    return info.producer == unit && info.consumers.empty();
  return lastRead->second == step &&
         llvm::all_of(info.consumers, [&](unsigned consumer) {
           return consumer == unit || contains(done, consumer);
         });
}

UnitCost ScheduleSearch::cost(const UnitSet &done, int64_t liveBefore,
                              unsigned unit) const {
  UnitCost cost;
  int64_t live = liveBefore;
  bool firstUnit = llvm::all_of(done, [](uint64_t word) { return !word; });
  for (auto [index, step] : llvm::enumerate(model.units[unit].steps)) {
    SmallVector<unsigned, 2> taken;
    int64_t during = live;
    for (unsigned defined : step.defines) {
      bool inPlace = false;
      for (auto [candidate, read] : step.overwrites)
        if (candidate == defined) {
          taken.push_back(read);
          inPlace = true;
        }
      for (auto [candidate, read] : step.inPlace)
        if (!inPlace && candidate == defined &&
            !llvm::is_contained(taken, read) &&
            model.tensors[read].heldBytes ==
                model.tensors[defined].heldBytes &&
            diesAt(done, unit, index, read)) {
          taken.push_back(read);
          inPlace = true;
        }
      if (!inPlace)
        during += model.tensors[defined].heldBytes;
    }
    cost.peak = std::max(cost.peak, during);
    cost.area += during;
    live = during;
    for (unsigned read : step.reads)
      if (!llvm::is_contained(taken, read) && diesAt(done, unit, index, read))
        live -= model.tensors[read].heldBytes;
    for (unsigned defined : step.defines)
      if (diesAt(done, unit, index, defined))
        live -= model.tensors[defined].heldBytes;
    if (firstUnit && index == 0)
      live -= model.unreadArgumentBytes;
  }
  cost.liveAfter = live;
  return cost;
}

SmallVector<unsigned> ScheduleSearch::run(int64_t beamWidth, bool &exact) {
  size_t unitCount = model.units.size();
  size_t words = (unitCount + 63) / 64;
  std::vector<std::vector<SearchNode>> layers;
  layers.push_back({SearchNode{kNoUnit, kNoUnit, model.argumentBytes, 0,
                               model.argumentBytes}});
  std::vector<UnitSet> sets{UnitSet(words, 0)};
  exact = true;
  for (size_t depth = 0; depth < unitCount; ++depth) {
    std::vector<SearchNode> next;
    std::vector<UnitSet> nextSets;
    std::unordered_map<UnitSet, size_t, UnitSetHash> found;
    for (auto [index, node] : llvm::enumerate(layers.back())) {
      const UnitSet &done = sets[index];
      for (unsigned unit = 0; unit < unitCount; ++unit) {
        if (!isReady(done, unit))
          continue;
        UnitCost step = cost(done, node.live, unit);
        SearchNode child{static_cast<unsigned>(index), unit,
                         std::max(node.peak, step.peak),
                         node.area + step.area, step.liveAfter};
        UnitSet set = done;
        set[unit / 64] |= uint64_t(1) << (unit % 64);
        auto [it, inserted] = found.try_emplace(set, next.size());
        if (inserted) {
          next.push_back(child);
          nextSets.push_back(std::move(set));
        } else if (std::make_pair(child.peak, child.area) <
                   std::make_pair(next[it->second].peak,
                                  next[it->second].area)) {
          next[it->second] = child;
        }
      }
    }
    if (static_cast<int64_t>(next.size()) > beamWidth) {
      exact = false;
      SmallVector<size_t> ranked(next.size());
      for (size_t i = 0; i < ranked.size(); ++i)
        ranked[i] = i;
      auto key = [&](size_t i) {
        return std::make_tuple(next[i].peak, next[i].live, next[i].area, i);
      };
      std::partial_sort(ranked.begin(), ranked.begin() + beamWidth,
                        ranked.end(),
                        [&](size_t a, size_t b) { return key(a) < key(b); });
      ranked.resize(beamWidth);
      llvm::sort(ranked);
      std::vector<SearchNode> kept;
      std::vector<UnitSet> keptSets;
      for (size_t i : ranked) {
        kept.push_back(next[i]);
        keptSets.push_back(std::move(nextSets[i]));
      }
      next = std::move(kept);
      nextSets = std::move(keptSets);
    }
    layers.push_back(std::move(next));
    sets = std::move(nextSets);
  }
  // Every complete schedule runs the same set: one node is left.
  SmallVector<unsigned> order(unitCount);
  unsigned node = 0;
  for (size_t depth = unitCount; depth > 0; --depth) {
    const SearchNode &current = layers[depth][node];
    order[depth - 1] = current.unit;
    node = current.parent;
  }
  return order;
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

FailureOr<MemoryPlan> picosam::planMemory(func::FuncOp func,
                                          const MemoryPlanningOptions &options) {
  FailureOr<Model> model = Model::build(func, options);
  if (failed(model))
    return failure();
  SmallVector<unsigned> inputOrder(model->units.size());
  for (size_t i = 0; i < inputOrder.size(); ++i)
    inputOrder[i] = i;
  Layout inputLayout = layOut(*model, inputOrder, options.alignment);

  MemoryPlan plan;
  plan.inputOrderLowerBoundBytes = inputLayout.lowerBound.bytes;
  Layout chosen = std::move(inputLayout);
  if (options.scheduleBeamWidth > 0) {
    ScheduleSearch search(*model);
    SmallVector<unsigned> order =
        search.run(options.scheduleBeamWidth, plan.searchExact);
    Layout searched = layOut(*model, order, options.alignment);
    // The input order stays unless the search lowers the peak, or keeps it
    // and packs smaller.
    if (std::make_pair(searched.lowerBound.bytes,
                       searched.packing.arenaBytes) <
        std::make_pair(chosen.lowerBound.bytes, chosen.packing.arenaBytes))
      chosen = std::move(searched);
  }

  for (unsigned unit : chosen.order)
    plan.schedule.append(model->units[unit].ops);
  plan.steps = chosen.steps;
  for (auto [index, info] : llvm::enumerate(model->tensors)) {
    PlannedTensor tensor;
    tensor.value = info.value;
    tensor.owner = info.owner;
    tensor.bytes = info.bytes;
    tensor.first = chosen.first[index];
    tensor.last = chosen.last[index];
    tensor.offset = chosen.offsets[index];
    tensor.kind = info.kind;
    tensor.rows = info.rows;
    tensor.rowBytes = info.rowBytes;
    plan.tensors.push_back(tensor);
  }
  plan.arenaBytes = chosen.packing.arenaBytes;
  plan.lowerBoundBytes = chosen.lowerBound.bytes;
  plan.peakStep = chosen.lowerBound.step;
  plan.weightsBytes = model->weightsBytes;
  plan.tiledBlocks = model->tiledBlocks;
  return plan;
}

void picosam::applyMemoryPlan(func::FuncOp func, const MemoryPlan &plan,
                              const MemoryPlanningOptions &options) {
  Operation *terminator = func.getBody().front().getTerminator();
  for (Operation *op : plan.schedule)
    op->moveBefore(terminator);

  MLIRContext *context = func.getContext();
  func.walk([](Operation *op) { op->removeAttr(BufferAttr::attrName); });
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    func.removeArgAttr(i, BufferAttr::attrName);
  for (const PlannedTensor &tensor : plan.tensors) {
    auto buffer =
        BufferAttr::get(context, tensor.offset, tensor.bytes, tensor.first,
                        tensor.last, tensor.kind, tensor.rows, tensor.rowBytes);
    if (tensor.owner)
      tensor.owner->setAttr(BufferAttr::attrName, buffer);
    else
      func.setArgAttr(cast<BlockArgument>(tensor.value).getArgNumber(),
                      BufferAttr::attrName, buffer);
  }
  func->setAttr(MemoryPlanAttr::attrName,
                MemoryPlanAttr::get(context, plan.arenaBytes,
                                    plan.lowerBoundBytes, plan.peakStep,
                                    static_cast<int64_t>(plan.steps.size()),
                                    plan.inputOrderLowerBoundBytes,
                                    plan.weightsBytes, options.alignment,
                                    options.assumedElementBytes,
                                    plan.tiledBlocks));
}
