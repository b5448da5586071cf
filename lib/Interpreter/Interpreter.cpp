//===- Interpreter.cpp - reference execution of pico functions ------------===//
#include "picosam/Interpreter/Interpreter.h"

#include "Pico/PicoInterfaces.h"
#include "Pico/PicoOps.h"
#include "picosam/Support/Quant.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace picosam;

/// The element kind and static shape a value of `type` has on the host, or
/// none when the interpreter cannot hold it.
static std::optional<ElementKind> hostKind(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return std::nullopt;
  return elementKindOf(tensor.getElementType());
}

FailureOr<Interpreter> Interpreter::create(func::FuncOp func) {
  if (func.isExternal())
    return func.emitError("function @")
           << func.getSymName() << " has no body to run";
  if (!func.getBody().hasOneBlock())
    return func.emitError("picosam-run executes single-block functions; @")
           << func.getSymName() << " has " << func.getBody().getBlocks().size();
  Interpreter interpreter(func);
  Block &body = func.getBody().front();
  for (BlockArgument arg : body.getArguments())
    if (!hostKind(arg.getType()))
      return emitError(arg.getLoc(), "argument #")
             << arg.getArgNumber() << " has type " << arg.getType()
             << "; picosam-run needs statically shaped tensors of f32, f64, "
                "i1, i8, ui8, i16, i32, i64 or !quant.uniform";
  for (Operation &op : body) {
    if (&op == body.getTerminator()) {
      if (!isa<func::ReturnOp>(op))
        return op.emitOpError("cannot end a function picosam-run executes");
      continue;
    }
    if (!isa<pico::InferenceOpInterface>(op))
      return op.emitOpError("has no reference implementation; picosam-run "
                            "executes pico ops");
  }
  interpreter.names = nameValues(func);

  // Liveness: a value dies after the last op of the block that uses it or
  // holds (in a region) an op that does. The results of nested ops are
  // dropped with the op that holds them.
  for (auto &[value, name] : interpreter.names) {
    Operation *definingOp = value.getDefiningOp();
    if (definingOp && definingOp->getBlock() != &body)
      continue;
    Operation *last = definingOp;
    for (Operation *user : value.getUsers()) {
      Operation *holder = body.findAncestorOpInBlock(*user);
      if (!last || last->isBeforeInBlock(holder))
        last = holder;
    }
    if (last)
      interpreter.deadAfter[last].push_back(value);
    else
      interpreter.unusedArguments.push_back(value);
  }
  return interpreter;
}

StringRef Interpreter::getName(Value value) const {
  auto it = names.find(value);
  assert(it != names.end() && "value is not part of the function");
  return it->second;
}

llvm::Error Interpreter::checkArgument(unsigned index,
                                       const Tensor &tensor) const {
  BlockArgument arg = func.getArgument(index);
  auto type = cast<RankedTensorType>(arg.getType());
  ElementKind kind = *hostKind(type);
  if (tensor.kind() == kind && tensor.shape() == type.getShape())
    return llvm::Error::success();
  return llvm::createStringError(llvm::formatv(
      "argument #{0} ('{1}') is {2}: expected {3} {4} values, got {5} {6}",
      index, getName(arg), type, formatShape(type.getShape()),
      stringifyElementKind(kind), formatShape(tensor.shape()),
      stringifyElementKind(tensor.kind())));
}

/// `tensor` as it is recorded: quantized storage values dequantized.
static Tensor recordedValue(Value value, const Tensor &tensor) {
  Type elementType = getElementTypeOrSelf(value.getType());
  if (!isa<quant::QuantizedType>(elementType))
    return tensor;
  llvm::Expected<QuantParams> params =
      QuantParams::get(elementType, tensor.shape());
  if (!params) {
    // The type has no per-element parameters the interpreter knows (an op
    // using it failed already): record the storage values.
    llvm::consumeError(params.takeError());
    return tensor;
  }
  return params->dequantize(tensor);
}

/// Checks that `op`'s inference stored a value of the right kind and shape
/// for each result, so a wrong implementation is an error, not a crash
/// further down.
static LogicalResult checkResults(Operation *op, const TensorEnvironment &env) {
  for (OpResult result : op->getResults()) {
    if (!env.contains(result))
      return op->emitOpError("inference did not compute result #")
             << result.getResultNumber();
    const Tensor &tensor = env.get(result);
    auto type = cast<RankedTensorType>(result.getType());
    std::optional<ElementKind> kind = elementKindOf(type.getElementType());
    if (!kind || tensor.kind() != *kind || tensor.shape() != type.getShape())
      return op->emitOpError("inference computed a ")
             << formatShape(tensor.shape()) << " "
             << stringifyElementKind(tensor.kind()) << " value for result #"
             << result.getResultNumber() << " of type " << type;
  }
  return success();
}

FailureOr<std::vector<Tensor>> Interpreter::run(ArrayRef<Tensor> inputs,
                                                NamedTensors *record) const {
  if (inputs.size() != func.getNumArguments())
    return func.emitError("@")
           << func.getSymName() << " takes " << func.getNumArguments()
           << " arguments, got " << inputs.size() << " tensors";
  TensorEnvironment env;
  for (auto [index, input] : llvm::enumerate(inputs)) {
    if (llvm::Error error = checkArgument(index, input))
      return emitError(func.getArgument(index).getLoc())
             << llvm::toString(std::move(error));
    Value arg = func.getArgument(index);
    if (record)
      record->push_back({names.lookup(arg), recordedValue(arg, input)});
    env.set(arg, input);
  }
  for (Value arg : unusedArguments)
    env.erase(arg);

  Block &body = func.getBody().front();
  for (Operation &op : body.without_terminator()) {
    if (failed(cast<pico::InferenceOpInterface>(op).inference(env)))
      return failure();
    // Nested ops' results, which `op`'s inference left in the environment,
    // are checked and recorded before its own, then dropped.
    SmallVector<Operation *> computed;
    op.walk<WalkOrder::PreOrder>([&](Operation *nested) {
      if (nested != &op && !nested->hasTrait<OpTrait::IsTerminator>())
        computed.push_back(nested);
    });
    computed.push_back(&op);
    for (Operation *done : computed) {
      if (failed(checkResults(done, env)))
        return failure();
      if (record && !done->hasTrait<OpTrait::ConstantLike>())
        for (Value result : done->getResults())
          record->push_back(
              {names.lookup(result), recordedValue(result, env.get(result))});
    }
    computed.pop_back();
    for (Operation *nested : computed)
      for (Value result : nested->getResults())
        env.erase(result);
    for (Value dead : deadAfter.lookup(&op))
      env.erase(dead);
  }
  std::vector<Tensor> outputs;
  for (Value returned : body.getTerminator()->getOperands())
    outputs.push_back(env.get(returned));
  return outputs;
}

//===----------------------------------------------------------------------===//
// Planned execution
//===----------------------------------------------------------------------===//

namespace {
/// The one block of memory a planned function's activations live in, and
/// where each lives.
class Arena {
public:
  /// Reads the plan of `func` and checks that every activation has a buffer
  /// inside the arena that holds it, or a ring of its rows for a tiled
  /// block's intermediate and a streamed block's result.
  static FailureOr<Arena> create(func::FuncOp func,
                                 llvm::function_ref<StringRef(Value)> nameOf);

  /// True when `value` is stored in the arena: planned, and not a ring.
  bool holds(Value value) const {
    return buffers.contains(value) && !rings.contains(value);
  }
  bool isRing(Value value) const { return rings.contains(value); }
  void store(Value value, const Tensor &tensor);
  Tensor load(Value value) const;
  /// Overwrites the ring of `value` with a pattern no tensor computes
  /// here: NaN for floats, -1 for integers.
  void poison(Value value);

private:
  llvm::DenseMap<Value, pico::BufferAttr> buffers;
  llvm::DenseSet<Value> rings;
  std::vector<char> bytes;
};
} // namespace

static constexpr char kPoisonByte = '\xff';

/// Bytes `value` takes packed in the arena.
static int64_t packedBytes(Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  return type.getNumElements() *
         byteWidth(*elementKindOf(type.getElementType()));
}

FailureOr<Arena> Arena::create(func::FuncOp func,
                               llvm::function_ref<StringRef(Value)> nameOf) {
  auto plan =
      func->getAttrOfType<pico::MemoryPlanAttr>(pico::MemoryPlanAttr::attrName);
  if (!plan)
    return func.emitError("@") << func.getSymName()
                               << " has no memory plan to run with; plan it "
                                  "with --pico-plan-memory first";
  Arena arena;
  arena.bytes.assign(plan.getArena(), kPoisonByte);
  // Each planned value and the op holding its buffer: a block's result is
  // the block's, or the pointwise conv's when only a ring of it is planned.
  SmallVector<std::pair<Value, Operation *>> planned;
  Block &body = func.getBody().front();
  for (BlockArgument arg : body.getArguments())
    planned.push_back({arg, nullptr});
  for (Operation &op : body.without_terminator()) {
    if (op.hasTrait<OpTrait::ConstantLike>())
      continue;
    auto block = dyn_cast<pico::SeparableBlockOp>(op);
    if (!block) {
      for (Value result : op.getResults())
        planned.push_back({result, &op});
      continue;
    }
    planned.push_back({block.getDepthwise().getOutput(), block.getDepthwise()});
    bool resultIsRing = !block->hasAttr(pico::BufferAttr::attrName) &&
                        block.getPointwise()->hasAttr(pico::BufferAttr::attrName);
    planned.push_back(
        {block.getOutput(), resultIsRing ? block.getPointwise() : block});
  }
  for (auto [value, owner] : planned) {
    pico::BufferAttr buffer =
        owner ? owner->getAttrOfType<pico::BufferAttr>(
                    pico::BufferAttr::attrName)
              : func.getArgAttrOfType<pico::BufferAttr>(
                    cast<BlockArgument>(value).getArgNumber(),
                    pico::BufferAttr::attrName);
    Location loc = owner ? owner->getLoc() : value.getLoc();
    if (!buffer)
      return emitError(loc, "'")
             << nameOf(value) << "' has no planned buffer; plan the function "
             << "with --pico-plan-memory first";
    if (packedBytes(value) > buffer.getSize()) {
      // Inside a block, the plan may keep a ring of the value's rows.
      if (!owner || !isa<pico::SeparableBlockOp>(owner->getParentOp()))
        return emitError(loc, "'")
               << nameOf(value) << "' (" << value.getType() << ") takes "
               << packedBytes(value) << " bytes; its planned buffer holds "
               << buffer.getSize();
      arena.rings.insert(value);
    }
    arena.buffers[value] = buffer;
  }
  return arena;
}

void Arena::store(Value value, const Tensor &tensor) {
  std::string packed;
  llvm::raw_string_ostream os(packed);
  encodeLittleEndian(tensor, os);
  os.flush();
  pico::BufferAttr buffer = buffers.lookup(value);
  std::copy(packed.begin(), packed.end(), bytes.begin() + buffer.getOffset());
}

Tensor Arena::load(Value value) const {
  auto type = cast<RankedTensorType>(value.getType());
  Tensor tensor(*elementKindOf(type.getElementType()), type.getShape());
  pico::BufferAttr buffer = buffers.lookup(value);
  decodeLittleEndian(
      StringRef(bytes.data() + buffer.getOffset(), packedBytes(value)),
      tensor);
  return tensor;
}

void Arena::poison(Value value) {
  pico::BufferAttr buffer = buffers.lookup(value);
  std::fill(bytes.begin() + buffer.getOffset(), bytes.begin() + buffer.getEnd(),
            kPoisonByte);
}

FailureOr<std::vector<Tensor>>
Interpreter::runPlanned(ArrayRef<Tensor> inputs, NamedTensors *record) const {
  if (inputs.size() != func.getNumArguments())
    return func.emitError("@")
           << func.getSymName() << " takes " << func.getNumArguments()
           << " arguments, got " << inputs.size() << " tensors";
  FailureOr<Arena> arena =
      Arena::create(func, [&](Value value) { return getName(value); });
  if (failed(arena))
    return failure();
  for (auto [index, input] : llvm::enumerate(inputs)) {
    if (llvm::Error error = checkArgument(index, input))
      return emitError(func.getArgument(index).getLoc())
             << llvm::toString(std::move(error));
    Value arg = func.getArgument(index);
    if (record)
      record->push_back({names.lookup(arg), recordedValue(arg, input)});
    arena->store(arg, input);
  }

  // Constants stay in the environment; every other value is there only
  // while the op reading or computing it runs, or, for a streamed block's
  // result (a ring), until the conv its rows flow into has run.
  TensorEnvironment env;
  auto runOp = [&](Operation &op) -> LogicalResult {
    // What the op (and the body of a block) reads from outside itself.
    SmallVector<Value, 4> loaded;
    op.walk([&](Operation *user) {
      for (Value operand : user->getOperands())
        if (!op.isAncestor(operand.getParentBlock()->getParentOp()) &&
            arena->holds(operand) && !env.contains(operand)) {
          env.set(operand, arena->load(operand));
          loaded.push_back(operand);
        }
    });
    if (failed(cast<pico::InferenceOpInterface>(op).inference(env)))
      return failure();
    // As in `run`: nested results are checked and recorded first, then
    // dropped.
    SmallVector<Operation *> computed;
    op.walk<WalkOrder::PreOrder>([&](Operation *nested) {
      if (nested != &op && !nested->hasTrait<OpTrait::IsTerminator>())
        computed.push_back(nested);
    });
    computed.push_back(&op);
    for (Operation *done : computed) {
      if (failed(checkResults(done, env)))
        return failure();
      if (record && !done->hasTrait<OpTrait::ConstantLike>())
        for (Value result : done->getResults())
          record->push_back(
              {names.lookup(result), recordedValue(result, env.get(result))});
    }
    computed.pop_back();
    for (Operation *nested : computed)
      for (Value result : nested->getResults())
        env.erase(result);
    for (Value result : op.getResults())
      if (arena->holds(result)) {
        arena->store(result, env.get(result));
        env.erase(result);
      }
    for (Value operand : loaded)
      env.erase(operand);
    return success();
  };

  // The rings of a tiled block are overwritten before it reads its
  // operands and after its result (or the conv its rows flow into) is
  // stored: a ring overlapping any tensor live then corrupts it, as writing
  // rows there would.
  SmallVector<Value, 2> pendingRings;
  Value streamedResult;
  Block &body = func.getBody().front();
  for (Operation &op : body.without_terminator()) {
    auto block = dyn_cast<pico::SeparableBlockOp>(op);
    if (!block) {
      if (failed(runOp(op)))
        return failure();
      if (streamedResult && llvm::is_contained(op.getOperands(),
                                               streamedResult)) {
        env.erase(streamedResult);
        streamedResult = nullptr;
      }
      if (!streamedResult) {
        for (Value ring : pendingRings)
          arena->poison(ring);
        pendingRings.clear();
      }
      continue;
    }
    Value intermediate = block.getDepthwise().getOutput();
    if (arena->isRing(intermediate)) {
      pendingRings = {intermediate};
      if (arena->isRing(block.getOutput())) {
        pendingRings.push_back(block.getOutput());
        streamedResult = block.getOutput();
      }
      for (Value ring : pendingRings)
        arena->poison(ring);
      if (failed(runOp(op)))
        return failure();
      if (!streamedResult) {
        arena->poison(intermediate);
        pendingRings.clear();
      }
      continue;
    }
    // An untiled block runs its convolutions as two ops: the intermediate
    // is stored in the arena between them, the pointwise result is stored
    // as the block's.
    Value input = block.getBody().getArgument(0);
    env.set(input, arena->holds(block.getInput())
                       ? arena->load(block.getInput())
                       : env.get(block.getInput()));
    if (failed(runOp(*block.getDepthwise())))
      return failure();
    env.erase(input);
    pico::Conv2DOp pointwise = block.getPointwise();
    if (failed(runOp(*pointwise)))
      return failure();
    Tensor result = env.get(pointwise);
    env.erase(pointwise);
    if (record)
      record->push_back({names.lookup(block.getOutput()),
                         recordedValue(block.getOutput(), result)});
    arena->store(block.getOutput(), result);
  }
  std::vector<Tensor> outputs;
  for (Value returned : body.getTerminator()->getOperands())
    outputs.push_back(arena->holds(returned) ? arena->load(returned)
                                             : env.get(returned));
  return outputs;
}
