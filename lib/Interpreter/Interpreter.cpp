//===- Interpreter.cpp - reference execution of pico functions ------------===//
#include "picosam/Interpreter/Interpreter.h"

#include "Pico/PicoInterfaces.h"
#include "Pico/PicoOps.h"
#include "picosam/Support/Quant.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace picosam;

/// True for the upstream ops a function materialised over its arena runs
/// (--pico-materialize-arena), in the forms it makes them: index arithmetic,
/// views and row subviews of the arena, reads and writes of them, row
/// slices of tensors, storage casts, loops over rows and over bands of rows
/// (run one band after the other).
static bool isMaterializedFormOp(Operation *op) {
  if (auto constant = dyn_cast<arith::ConstantOp>(op))
    return constant.getType().isIndex();
  if (isa<arith::AddIOp, arith::SubIOp, arith::MulIOp, arith::DivUIOp,
          arith::RemUIOp, arith::MaxUIOp, arith::MinUIOp, arith::SelectOp>(
          op))
    return op->getResult(0).getType().isIndex();
  if (auto compare = dyn_cast<arith::CmpIOp>(op))
    return compare.getPredicate() == arith::CmpIPredicate::eq &&
           compare.getLhs().getType().isIndex();
  if (auto bands = dyn_cast<scf::ForallOp>(op))
    return bands.getOutputs().empty() && bands.isNormalized() &&
           !ShapedType::isDynamicShape(bands.getStaticUpperBound());
  if (auto view = dyn_cast<memref::ViewOp>(op))
    return view.getType().hasStaticShape() &&
           elementKindOf(view.getType().getElementType()).has_value();
  if (auto subview = dyn_cast<memref::SubViewOp>(op))
    return subview.getType().getRank() == subview.getSourceType().getRank() &&
           !ShapedType::isDynamicShape(subview.getStaticSizes()) &&
           !ShapedType::isDynamicShape(subview.getStaticStrides());
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op))
    return slice.getType().getRank() == slice.getSourceType().getRank() &&
           !ShapedType::isDynamicShape(slice.getStaticSizes()) &&
           llvm::all_of(slice.getStaticStrides(),
                        [](int64_t stride) { return stride == 1; });
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return loop.getInitArgs().empty() && loop.getInductionVar().getType().isIndex();
  return isa<bufferization::ToTensorOp,
             bufferization::MaterializeInDestinationOp, quant::StorageCastOp,
             scf::YieldOp, scf::InParallelOp>(op);
}

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
  for (BlockArgument arg : body.getArguments()) {
    if (func.getArgAttr(arg.getArgNumber(),
                        pico::MemoryPlanAttr::arenaArgAttrName)) {
      interpreter.arenaArg = arg;
      continue;
    }
    if (!hostKind(arg.getType()))
      return emitError(arg.getLoc(), "argument #")
             << arg.getArgNumber() << " has type " << arg.getType()
             << "; picosam-run needs statically shaped tensors of f32, f64, "
                "i1, i8, ui8, i16, i32, i64 or !quant.uniform";
    interpreter.inputArguments.push_back(arg);
  }
  if (body.empty() || !isa<func::ReturnOp>(body.back()))
    return (body.empty() ? func.getOperation() : &body.back())
        ->emitOpError("cannot end a function picosam-run executes");
  bool materialized = interpreter.isMaterialized();
  for (Operation &op : body.without_terminator()) {
    WalkResult walk = op.walk<WalkOrder::PreOrder>([&](Operation *nested) {
      // Pico ops run their regions themselves.
      if (isa_and_nonnull<pico::PicoDialect>(nested->getDialect()))
        return succeeded(requireInference(nested)) ? WalkResult::skip()
                                                   : WalkResult::interrupt();
      if (materialized && isMaterializedFormOp(nested))
        return WalkResult::advance();
      nested->emitOpError("has no reference implementation; picosam-run "
                          "executes pico ops, and the upstream ops of a "
                          "function materialised over its arena "
                          "(--pico-materialize-arena)");
      return WalkResult::interrupt();
    });
    if (walk.wasInterrupted())
      return failure();
  }
  interpreter.names = nameValues(func);

  // Every op's constants, derived once for every run.
  FailureOr<PreparedKernels> prepared = PreparedKernels::prepare(func);
  if (failed(prepared))
    return failure();
  interpreter.prepared = std::move(*prepared);

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
      interpreter.unusedArgs.push_back(value);
  }
  return interpreter;
}

std::string Interpreter::nameOf(Value value) const {
  if (Operation *op = value.getDefiningOp())
    if (std::optional<std::string> name = locationName(op->getLoc()))
      return *name;
  return getName(value).str();
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

//===----------------------------------------------------------------------===//
// Execution
//===----------------------------------------------------------------------===//

namespace {
/// A memref value: elements of `kind` at `offset` bytes into the arena,
/// `strides` (in elements) apart along each axis of `shape`. `view` is the
/// memref.view it is (a part of), which names the tensor written there.
struct MemRefValue {
  int64_t offset = 0;
  SmallVector<int64_t, 4> shape;
  SmallVector<int64_t, 4> strides;
  ElementKind kind = ElementKind::I8;
  Value view;
};

/// A tensor recorded from its writes into the arena: the pieces (rows, or
/// the whole tensor) in the order they were written.
struct WrittenTensor {
  std::string name;
  std::vector<Tensor> pieces;
};

/// The state of one run: the host value of every SSA value computed so far
/// (tensors in `env`, indices, memrefs), the arena, and what the run
/// records.
class Execution {
public:
  Execution(const Interpreter &interpreter, NamedTensors *record)
      : interpreter(interpreter), record(record) {}

  /// Binds the arguments: `inputs` to the tensor arguments, a fresh arena
  /// (filled with a pattern no tensor computes: NaN as f32, -1 as i8) to
  /// the arena argument.
  LogicalResult bind(ArrayRef<Tensor> inputs, int64_t arenaBytes);
  /// Runs the ops of `block` but its terminator; at the top level, drops
  /// the values of the function's body after their last use.
  LogicalResult runBlock(Block &block, bool topLevel);
  const Tensor &tensor(Value value) const { return env.get(value); }
  /// Appends what the writes into the arena recorded.
  void finishRecord();

private:
  LogicalResult runOp(Operation &op);
  LogicalResult runPico(Operation &op);
  LogicalResult runFor(scf::ForOp loop);
  LogicalResult runForall(scf::ForallOp bands);
  /// Runs `body` once, its values then dropped.
  LogicalResult runIteration(Block &body);
  LogicalResult runView(memref::ViewOp view);
  LogicalResult runSubView(memref::SubViewOp subview);
  LogicalResult runExtractSlice(tensor::ExtractSliceOp slice);
  LogicalResult runIndexOp(Operation &op);
  Tensor load(const MemRefValue &memref) const;
  void store(const MemRefValue &memref, const Tensor &tensor);
  /// Records `written` (the value a materialize_in_destination writes into
  /// `memref`) under the names of the view and of the pico op computing it.
  void recordWrite(Value written, const Tensor &value, const MemRefValue &memref);
  void erase(Value value);

  const Interpreter &interpreter;
  NamedTensors *record;
  TensorEnvironment env;
  llvm::DenseMap<Value, int64_t> indices;
  llvm::DenseMap<Value, MemRefValue> memrefs;
  std::vector<char> arena;
  std::vector<WrittenTensor> written;
  llvm::StringMap<size_t> writtenIndex;
};
} // namespace

static constexpr char kPoisonByte = '\xff';

/// The bytes of `tensor` read as elements of `type`'s element type (a
/// storage cast between i8 and !quant.uniform<u8:...>: the same byte).
static Tensor reinterpreted(const Tensor &tensor, Type type) {
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  encodeLittleEndian(tensor, os);
  os.flush();
  Tensor result(*elementKindOf(getElementTypeOrSelf(type)), tensor.shape());
  decodeLittleEndian(bytes, result);
  return result;
}

/// Calls `run(byteOffset, bytes)` for each contiguous run of elements of
/// `memref` in row-major order.
static void forEachRun(const MemRefValue &memref,
                       llvm::function_ref<void(int64_t, int64_t)> run) {
  int64_t width = byteWidth(memref.kind);
  int64_t rank = memref.shape.size();
  if (numElementsOf(memref.shape) == 0)
    return;
  // The innermost axis is one run when its elements are adjacent.
  bool innerRun = rank > 0 && memref.strides[rank - 1] == 1;
  int64_t runLength = innerRun ? memref.shape[rank - 1] : 1;
  int64_t outerRank = innerRun ? rank - 1 : rank;
  SmallVector<int64_t, 4> position(outerRank, 0);
  while (true) {
    int64_t offset = memref.offset;
    for (int64_t axis = 0; axis < outerRank; ++axis)
      offset += position[axis] * memref.strides[axis] * width;
    run(offset, runLength * width);
    int64_t axis = outerRank - 1;
    for (; axis >= 0; --axis) {
      if (++position[axis] < memref.shape[axis])
        break;
      position[axis] = 0;
    }
    if (axis < 0)
      return;
  }
}

Tensor Execution::load(const MemRefValue &memref) const {
  std::string bytes;
  forEachRun(memref, [&](int64_t offset, int64_t size) {
    bytes.append(arena.data() + offset, size);
  });
  Tensor tensor(memref.kind, memref.shape);
  decodeLittleEndian(bytes, tensor);
  return tensor;
}

void Execution::store(const MemRefValue &memref, const Tensor &tensor) {
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  encodeLittleEndian(tensor, os);
  os.flush();
  const char *next = bytes.data();
  forEachRun(memref, [&](int64_t offset, int64_t size) {
    std::copy(next, next + size, arena.begin() + offset);
    next += size;
  });
}

void Execution::erase(Value value) {
  env.erase(value);
  indices.erase(value);
  memrefs.erase(value);
}

LogicalResult Execution::bind(ArrayRef<Tensor> inputs, int64_t arenaBytes) {
  for (auto [arg, input] : llvm::zip(interpreter.inputs(), inputs)) {
    if (llvm::Error error = interpreter.checkArgument(arg.getArgNumber(), input))
      return emitError(arg.getLoc()) << llvm::toString(std::move(error));
    // A materialised function records its arguments as it writes them into
    // the arena.
    if (record && !interpreter.isMaterialized())
      record->push_back(
          {interpreter.getName(arg).str(), recordedValue(arg, input)});
    env.set(arg, input);
  }
  for (Value arg : interpreter.unusedArguments())
    env.erase(arg);
  if (BlockArgument arenaArg = interpreter.arenaArgument()) {
    arena.assign(arenaBytes, kPoisonByte);
    memrefs[arenaArg] = {0, {arenaBytes}, {1}, ElementKind::I8, Value()};
  }
  return success();
}

LogicalResult Execution::runBlock(Block &block, bool topLevel) {
  for (Operation &op : block.without_terminator()) {
    if (failed(runOp(op)))
      return failure();
    if (topLevel)
      for (Value dead : interpreter.valuesDeadAfter(&op))
        erase(dead);
  }
  return success();
}

LogicalResult Execution::runOp(Operation &op) {
  if (isa<pico::InferenceOpInterface>(op))
    return runPico(op);
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return runFor(loop);
  if (auto bands = dyn_cast<scf::ForallOp>(op))
    return runForall(bands);
  if (auto view = dyn_cast<memref::ViewOp>(op))
    return runView(view);
  if (auto subview = dyn_cast<memref::SubViewOp>(op))
    return runSubView(subview);
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op))
    return runExtractSlice(slice);
  if (auto toTensor = dyn_cast<bufferization::ToTensorOp>(op)) {
    env.set(toTensor, load(memrefs.lookup(toTensor.getBuffer())));
    return success();
  }
  if (auto write = dyn_cast<bufferization::MaterializeInDestinationOp>(op)) {
    const MemRefValue &destination = memrefs.lookup(write.getDest());
    const Tensor &value = env.get(write.getSource());
    if (value.shape() != ArrayRef<int64_t>(destination.shape) ||
        value.kind() != destination.kind)
      return write.emitOpError("writes a ")
             << formatShape(value.shape()) << " "
             << stringifyElementKind(value.kind()) << " tensor into a "
             << formatShape(destination.shape) << " "
             << stringifyElementKind(destination.kind) << " memref";
    store(destination, value);
    if (record)
      recordWrite(write.getSource(), value, destination);
    return success();
  }
  if (auto cast = dyn_cast<quant::StorageCastOp>(op)) {
    env.set(cast, reinterpreted(env.get(cast.getInput()), cast.getType()));
    return success();
  }
  return runIndexOp(op);
}

LogicalResult Execution::runPico(Operation &op) {
  if (failed(cast<pico::InferenceOpInterface>(op).inference(
          env, interpreter.getPreparedKernels())))
    return failure();
  // Nested ops' results, which `op`'s inference left in the environment,
  // are checked and recorded before its own, then dropped. A materialised
  // function records what it writes into the arena instead.
  bool recording = record && !interpreter.isMaterialized();
  SmallVector<Operation *> computed;
  op.walk<WalkOrder::PreOrder>([&](Operation *nested) {
    if (nested != &op && !nested->hasTrait<OpTrait::IsTerminator>())
      computed.push_back(nested);
  });
  computed.push_back(&op);
  for (Operation *done : computed) {
    if (failed(checkResults(done, env)))
      return failure();
    if (recording && !done->hasTrait<OpTrait::ConstantLike>())
      for (Value result : done->getResults())
        record->push_back({interpreter.getName(result).str(),
                           recordedValue(result, env.get(result))});
  }
  computed.pop_back();
  for (Operation *nested : computed)
    for (Value result : nested->getResults())
      env.erase(result);
  return success();
}

LogicalResult Execution::runFor(scf::ForOp loop) {
  int64_t lower = indices.lookup(loop.getLowerBound()),
          upper = indices.lookup(loop.getUpperBound()),
          step = indices.lookup(loop.getStep());
  if (step <= 0)
    return loop.emitOpError("steps by ") << step << "; it must be positive";
  for (int64_t iteration = lower; iteration < upper; iteration += step) {
    indices[loop.getInductionVar()] = iteration;
    if (failed(runIteration(*loop.getBody())))
      return failure();
  }
  indices.erase(loop.getInductionVar());
  return success();
}

LogicalResult Execution::runForall(scf::ForallOp bands) {
  // Each index tuple in row-major order: the iterations may run in any
  // order, or at once, with the same results.
  ArrayRef<int64_t> counts = bands.getStaticUpperBound();
  SmallVector<int64_t> position(counts.size(), 0);
  if (llvm::is_contained(counts, 0))
    return success();
  for (;;) {
    for (auto [index, value] : llvm::zip(bands.getInductionVars(), position))
      indices[index] = value;
    if (failed(runIteration(*bands.getBody())))
      return failure();
    int64_t dim = counts.size() - 1;
    while (dim >= 0 && ++position[dim] == counts[dim])
      position[dim--] = 0;
    if (dim < 0)
      break;
  }
  for (Value index : bands.getInductionVars())
    indices.erase(index);
  return success();
}

LogicalResult Execution::runIteration(Block &body) {
  if (failed(runBlock(body, /*topLevel=*/false)))
    return failure();
  // An iteration's values die with it.
  for (Operation &op : body)
    for (Value result : op.getResults())
      erase(result);
  return success();
}

LogicalResult Execution::runView(memref::ViewOp view) {
  const MemRefValue &source = memrefs.lookup(view.getSource());
  MemRefType type = view.getType();
  MemRefValue result;
  result.offset = source.offset + indices.lookup(view.getByteShift());
  result.shape.assign(type.getShape().begin(), type.getShape().end());
  result.strides = rowMajorStrides(type.getShape());
  result.kind = *elementKindOf(type.getElementType());
  result.view = view;
  int64_t end = result.offset +
                numElementsOf(result.shape) * byteWidth(result.kind);
  if (result.offset < 0 || end > static_cast<int64_t>(arena.size()))
    return view.emitOpError("views bytes [")
           << result.offset << ", " << end << "), outside the arena of "
           << arena.size() << " bytes";
  memrefs[view] = std::move(result);
  return success();
}

LogicalResult Execution::runSubView(memref::SubViewOp subview) {
  const MemRefValue &source = memrefs.lookup(subview.getSource());
  MemRefValue result = source;
  int64_t width = byteWidth(source.kind);
  for (auto [axis, offset, size, stride] :
       llvm::enumerate(subview.getMixedOffsets(), subview.getStaticSizes(),
                       subview.getStaticStrides())) {
    int64_t first = isa<Attribute>(offset)
                        ? cast<IntegerAttr>(cast<Attribute>(offset)).getInt()
                        : indices.lookup(cast<Value>(offset));
    if (first < 0 || size < 1 || stride < 1 ||
        first + (size - 1) * stride >= source.shape[axis])
      return subview.emitOpError("takes ")
             << size << " elements from " << first << " by " << stride
             << " along axis " << axis << " of " << source.shape[axis];
    result.offset += first * source.strides[axis] * width;
    result.shape[axis] = size;
    result.strides[axis] = source.strides[axis] * stride;
  }
  memrefs[subview] = std::move(result);
  return success();
}

LogicalResult Execution::runExtractSlice(tensor::ExtractSliceOp slice) {
  const Tensor &source = env.get(slice.getSource());
  ArrayRef<int64_t> sizes = slice.getStaticSizes();
  SmallVector<int64_t, 4> first;
  for (auto [axis, offset] : llvm::enumerate(slice.getMixedOffsets())) {
    first.push_back(isa<Attribute>(offset)
                        ? cast<IntegerAttr>(cast<Attribute>(offset)).getInt()
                        : indices.lookup(cast<Value>(offset)));
    if (first.back() < 0 || first.back() + sizes[axis] > source.shape()[axis])
      return slice.emitOpError("takes ")
             << sizes[axis] << " elements from " << first.back()
             << " along axis " << axis << " of " << source.shape()[axis];
  }
  // Unit strides: create() accepts no others.
  Tensor result(source.kind(), sizes);
  SmallVector<int64_t, 4> sourceStrides = rowMajorStrides(source.shape());
  dispatchStorage(source.kind(), [&](auto zero) {
    using T = decltype(zero);
    const std::vector<T> &from = source.storage<T>();
    std::vector<T> &to = result.storage<T>();
    SmallVector<int64_t, 4> position(sizes.size(), 0);
    for (int64_t index = 0, count = result.numElements(); index < count;
         ++index) {
      int64_t at = 0;
      for (size_t axis = 0; axis < sizes.size(); ++axis)
        at += (first[axis] + position[axis]) * sourceStrides[axis];
      to[index] = from[at];
      for (int64_t axis = sizes.size() - 1; axis >= 0; --axis) {
        if (++position[axis] < sizes[axis])
          break;
        position[axis] = 0;
      }
    }
  });
  env.set(slice, std::move(result));
  return success();
}

LogicalResult Execution::runIndexOp(Operation &op) {
  if (auto constant = dyn_cast<arith::ConstantIndexOp>(op)) {
    indices[constant] = constant.value();
    return success();
  }
  if (auto select = dyn_cast<arith::SelectOp>(op)) {
    indices[select] = indices.lookup(select.getCondition())
                          ? indices.lookup(select.getTrueValue())
                          : indices.lookup(select.getFalseValue());
    return success();
  }
  int64_t lhs = indices.lookup(op.getOperand(0)),
          rhs = indices.lookup(op.getOperand(1));
  int64_t result;
  if (isa<arith::AddIOp>(op)) {
    result = lhs + rhs;
  } else if (isa<arith::SubIOp>(op)) {
    result = lhs - rhs;
  } else if (isa<arith::MulIOp>(op)) {
    result = lhs * rhs;
  } else if (isa<arith::MaxUIOp>(op)) {
    result = static_cast<int64_t>(std::max(uint64_t(lhs), uint64_t(rhs)));
  } else if (isa<arith::MinUIOp>(op)) {
    result = static_cast<int64_t>(std::min(uint64_t(lhs), uint64_t(rhs)));
  } else if (isa<arith::CmpIOp>(op)) {
    // eq, the one predicate of the materialised form (a band's index).
    result = lhs == rhs;
  } else {
    if (rhs == 0)
      return op.emitOpError("divides by zero");
    result = isa<arith::DivUIOp>(op)
                 ? static_cast<int64_t>(uint64_t(lhs) / uint64_t(rhs))
                 : static_cast<int64_t>(uint64_t(lhs) % uint64_t(rhs));
  }
  indices[op.getResult(0)] = result;
  return success();
}

/// The pico op that computed `value`, looking through the slices and
/// storage casts between it and a write, or null.
static Operation *computingOp(Value value) {
  Operation *op = value.getDefiningOp();
  while (op && isa<tensor::ExtractSliceOp, quant::StorageCastOp>(op))
    op = op->getOperand(0).getDefiningOp();
  return op && isa<pico::InferenceOpInterface>(op) ? op : nullptr;
}

void Execution::recordWrite(Value writtenValue, const Tensor &value,
                            const MemRefValue &destination) {
  // Recorded as the value before its storage cast: its element type says
  // how to dequantize it.
  Tensor piece = value;
  Value typed = writtenValue;
  if (auto cast = typed.getDefiningOp<quant::StorageCastOp>()) {
    typed = cast.getInput();
    piece = reinterpreted(value, typed.getType());
  }
  piece = recordedValue(typed, piece);
  SmallVector<std::string, 2> recordNames;
  if (Operation *op = computingOp(writtenValue))
    recordNames.push_back(interpreter.nameOf(op->getResult(0)));
  if (destination.view) {
    std::string viewName = interpreter.nameOf(destination.view);
    if (!llvm::is_contained(recordNames, viewName))
      recordNames.push_back(viewName);
  }
  for (const std::string &name : recordNames) {
    auto [it, inserted] = writtenIndex.try_emplace(name, written.size());
    if (inserted)
      written.push_back({name, {}});
    written[it->second].pieces.push_back(piece);
  }
}

/// The pieces of a tensor written row band by row band (NCHW), in order,
/// joined along the rows; a tensor written whole is its one piece.
static Tensor joinRows(std::vector<Tensor> &pieces) {
  if (pieces.size() == 1)
    return std::move(pieces.front());
  ArrayRef<int64_t> shape = pieces.front().shape();
  int64_t rows = 0;
  for (const Tensor &piece : pieces)
    rows += piece.shape()[2];
  Tensor joined(pieces.front().kind(), {shape[0], shape[1], rows, shape[3]});
  dispatchStorage(joined.kind(), [&](auto zero) {
    using T = decltype(zero);
    std::vector<T> &to = joined.storage<T>();
    int64_t planes = shape[0] * shape[1], width = shape[3], row = 0;
    for (const Tensor &piece : pieces) {
      const std::vector<T> &from = piece.storage<T>();
      int64_t height = piece.shape()[2];
      for (int64_t plane = 0; plane < planes; ++plane)
        std::copy(from.begin() + plane * height * width,
                  from.begin() + (plane + 1) * height * width,
                  to.begin() + (plane * rows + row) * width);
      row += height;
    }
  });
  return joined;
}

void Execution::finishRecord() {
  if (!record)
    return;
  for (WrittenTensor &tensor : written)
    record->push_back({tensor.name, joinRows(tensor.pieces)});
}

FailureOr<std::vector<Tensor>> Interpreter::run(ArrayRef<Tensor> inputs,
                                                NamedTensors *record) const {
  if (inputs.size() != inputArguments.size())
    return func.emitError("@")
           << func.getSymName() << " takes " << inputArguments.size()
           << " arguments, got " << inputs.size() << " tensors";
  Execution execution(*this, record);
  int64_t arenaBytes =
      arenaArg ? cast<MemRefType>(arenaArg.getType()).getDimSize(0) : 0;
  if (failed(execution.bind(inputs, arenaBytes)))
    return failure();
  Block &body = func.getBody().front();
  if (failed(execution.runBlock(body, /*topLevel=*/true)))
    return failure();
  std::vector<Tensor> outputs;
  for (Value returned : body.getTerminator()->getOperands())
    outputs.push_back(execution.tensor(returned));
  execution.finishRecord();
  return outputs;
}
