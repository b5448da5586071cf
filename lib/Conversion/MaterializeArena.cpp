//===- MaterializeArena.cpp - a planned function over one arena -----------===//
//
// Every planned tensor becomes a view of the arena argument at its offset;
// every op reads its operands from their views just before it runs and
// writes its result into its view, so the function computes in exactly the
// bytes the plan gave it. Tiled separable blocks become row loops through
// their rings (see Passes.td).
//
//===----------------------------------------------------------------------===//
#include "picosam/Conversion/MaterializeArena.h"

#include "Pico/PicoInterfaces.h"
#include "Pico/PicoOps.h"
#include "picosam/Analysis/ReadMemoryPlan.h"
#include "picosam/Analysis/VerifyMemoryPlan.h"
#include "picosam/Conversion/Passes.h"
#include "picosam/Interpreter/ValueNames.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

#include <tuple>

namespace picosam {
#define GEN_PASS_DEF_MATERIALIZEARENA
#include "picosam/Conversion/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {

/// How one output row of a convolution is computed alone: from input rows
/// [firstRow, firstRow + rows) by the same convolution with unit vertical
/// stride and pads `padTop`/`padBottom`, which computes `computedRows` rows
/// of which row `pick` is the one wanted. Rows are counted before the
/// convolution's input upsample; with one, a window may start inside an
/// input row, and the rows before it are computed and dropped.
struct RowWindow {
  int64_t firstRow = 0;
  int64_t rows = 0;
  int64_t padTop = 0;
  int64_t padBottom = 0;
  int64_t computedRows = 0;
  int64_t pick = 0;
  /// The window starts in the top padding: `firstRow` and `pick` do not
  /// follow the interior rows' formulas (see rowFormulas).
  bool clamped = false;

  /// Rows whose keys are equal run the same loop body.
  std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t>
  key(int64_t row) const {
    return {rows, padTop, padBottom, computedRows, clamped ? row : -1};
  }
};

/// The window of output row `row` of `conv`, or none when it reads padding
/// only.
std::optional<RowWindow> rowWindow(Conv2DOp conv, int64_t row) {
  int64_t height = cast<RankedTensorType>(conv.getInput().getType()).getDimSize(2);
  int64_t kernel = cast<RankedTensorType>(conv.getWeight().getType()).getDimSize(2);
  int64_t upsample = conv.getInputUpsample();
  int64_t span = (kernel - 1) * conv.getDilations()[0] + 1;
  // The window's upsampled rows [top, top + span), clipped to the input.
  int64_t top = row * conv.getStrides()[0] - conv.getPads()[0];
  int64_t low = std::max<int64_t>(top, 0);
  int64_t high = std::min(top + span - 1, height * upsample - 1);
  if (low > high)
    return std::nullopt;
  RowWindow window;
  window.firstRow = low / upsample;
  window.rows = high / upsample - window.firstRow + 1;
  int64_t start = top - window.firstRow * upsample;
  window.padTop = std::max<int64_t>(0, -start);
  window.pick = start + window.padTop;
  window.padBottom = std::max<int64_t>(
      0, window.pick + span - window.rows * upsample - window.padTop);
  window.computedRows = window.rows * upsample + window.padTop +
                        window.padBottom - span + 1;
  window.clamped = top < 0;
  return window;
}

class ArenaMaterializer {
public:
  ArenaMaterializer(func::FuncOp func, const FunctionMemoryPlan &plan,
                    int64_t rowBands)
      : func(func), plan(plan), rowBands(rowBands), names(nameValues(func)),
        prologue(OpBuilder::atBlockBegin(&func.getBody().front())) {}

  LogicalResult run();

private:
  /// `loc`, wrapped in a NameLoc when it does not name `value` as
  /// picosam-run does (an unnamed op, a name taken twice).
  Location nameLoc(Value value, Location loc) const;
  /// An index constant, made once at the function's start.
  Value index(int64_t value);
  void createViews();

  /// The tensor a view holds (with the element type `elementType`), read
  /// now.
  Value load(OpBuilder &b, Location loc, Value view, Type elementType);
  /// `tensor` read now: from its view, or the constant itself.
  Value read(OpBuilder &b, Location loc, Value tensor);
  /// Rows [firstRow, firstRow + rows) of the NCHW `tensor`, read now.
  Value readRows(OpBuilder &b, Location loc, Value tensor,
                 OpFoldResult firstRow, int64_t rows);
  /// Row `row` of a view (a tensor's, or a ring's slot).
  Value rowOf(OpBuilder &b, Location loc, Value view, OpFoldResult row);
  void write(OpBuilder &b, Location loc, Value result, Value view);
  /// `op` cloned with `mapping`, its result of `resultType` (null: the
  /// same) named as `named`.
  Operation *clone(OpBuilder &b, Operation *op, IRMapping &mapping,
                   Value named, Type resultType = {});

  LogicalResult materializeOp(Operation &op);
  void materializeUntiledBlock(SeparableBlockOp block);
  LogicalResult materializeRowLoop(SeparableBlockOp block, Conv2DOp consumer);
  /// The offset of bands 1 to rowBands - 1's rings of a tiled block, `bytes`
  /// each: the lowest aligned one where they overlap no buffer live at the
  /// block's step, past the planned arena if need be (`arenaBytes` grows).
  int64_t bandRingsOffset(SeparableBlockOp block, int64_t bytes);
  /// One output row of `conv`, its input rows read from `input`: row
  /// `row`, a constant when `staticRow` is set, else a loop's induction
  /// variable.
  Value convRow(OpBuilder &b, Conv2DOp conv, Value input, Value row,
                std::optional<int64_t> staticRow, const RowWindow &window,
                IRMapping &mapping);

  func::FuncOp func;
  const FunctionMemoryPlan &plan;
  /// Bands a tiled block's rows are split into (scf.forall), each with its
  /// own rings.
  int64_t rowBands;
  /// The arena's bytes: the plan's, and the bands' rings past it.
  int64_t arenaBytes = 0;
  llvm::DenseMap<Value, std::string> names;
  OpBuilder prologue;
  Value arena;
  /// The view of each planned tensor.
  llvm::DenseMap<Value, Value> views;
  llvm::DenseMap<int64_t, Value> indices;
};

} // namespace

/// The element type a view of `type`'s elements holds: a quantized type's
/// storage integer.
static Type storageTypeOf(Type elementType) {
  if (auto quantized = dyn_cast<quant::QuantizedType>(elementType))
    return quantized.getStorageType();
  return elementType;
}

static RankedTensorType withShape(Type type, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape,
                               cast<RankedTensorType>(type).getElementType());
}

Location ArenaMaterializer::nameLoc(Value value, Location loc) const {
  std::string name = names.lookup(value);
  if (locationName(loc) == name)
    return loc;
  return NameLoc::get(StringAttr::get(loc.getContext(), name), loc);
}

Value ArenaMaterializer::index(int64_t value) {
  Value &constant = indices[value];
  if (!constant)
    constant = arith::ConstantIndexOp::create(prologue, func.getLoc(), value);
  return constant;
}

void ArenaMaterializer::createViews() {
  for (const PlannedBuffer &buffer : plan.buffers) {
    auto type = cast<RankedTensorType>(buffer.value.getType());
    SmallVector<int64_t, 4> shape(type.getShape());
    if (buffer.isRing())
      shape[2] = buffer.rows();
    auto viewType =
        MemRefType::get(shape, storageTypeOf(type.getElementType()));
    Value offset = index(buffer.offset());
    views[buffer.value] = memref::ViewOp::create(
        prologue, nameLoc(buffer.value, buffer.getLoc()), viewType, arena,
        offset, ValueRange());
  }
  // The caller's inputs go into the arena before anything runs.
  for (BlockArgument arg : func.getArguments())
    if (Value view = views.lookup(arg))
      write(prologue, arg.getLoc(), arg, view);
}

Value ArenaMaterializer::load(OpBuilder &b, Location loc, Value view,
                              Type elementType) {
  auto memrefType = cast<MemRefType>(view.getType());
  Value stored = bufferization::ToTensorOp::create(
      b, loc,
      RankedTensorType::get(memrefType.getShape(),
                            memrefType.getElementType()),
      view, /*restrict=*/true);
  if (!isa<quant::QuantizedType>(elementType))
    return stored;
  return quant::StorageCastOp::create(
      b, loc, RankedTensorType::get(memrefType.getShape(), elementType),
      stored);
}

Value ArenaMaterializer::read(OpBuilder &b, Location loc, Value tensor) {
  Value view = views.lookup(tensor);
  if (!view)
    return tensor;
  return load(b, loc, view,
              cast<RankedTensorType>(tensor.getType()).getElementType());
}

Value ArenaMaterializer::readRows(OpBuilder &b, Location loc, Value tensor,
                                  OpFoldResult firstRow, int64_t rows) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0), b.getIndexAttr(0),
                                       firstRow, b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes = {
      b.getIndexAttr(type.getDimSize(0)), b.getIndexAttr(type.getDimSize(1)),
      b.getIndexAttr(rows), b.getIndexAttr(type.getDimSize(3))};
  SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
  Value view = views.lookup(tensor);
  if (!view)
    return tensor::ExtractSliceOp::create(b, loc, tensor, offsets, sizes,
                                          strides);
  Value rowsView =
      memref::SubViewOp::create(b, loc, view, offsets, sizes, strides);
  return load(b, loc, rowsView, type.getElementType());
}

Value ArenaMaterializer::rowOf(OpBuilder &b, Location loc, Value view,
                               OpFoldResult row) {
  auto type = cast<MemRefType>(view.getType());
  SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0), b.getIndexAttr(0),
                                       row, b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes = {
      b.getIndexAttr(type.getDimSize(0)), b.getIndexAttr(type.getDimSize(1)),
      b.getIndexAttr(1), b.getIndexAttr(type.getDimSize(3))};
  SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
  return memref::SubViewOp::create(b, loc, view, offsets, sizes, strides);
}

void ArenaMaterializer::write(OpBuilder &b, Location loc, Value result,
                              Value view) {
  auto type = cast<RankedTensorType>(result.getType());
  if (isa<quant::QuantizedType>(type.getElementType()))
    result = quant::StorageCastOp::create(
        b, loc,
        RankedTensorType::get(type.getShape(),
                              storageTypeOf(type.getElementType())),
        result);
  bufferization::MaterializeInDestinationOp::create(
      b, loc, Type(), result, view, /*restrict=*/true, /*writable=*/true);
}

Operation *ArenaMaterializer::clone(OpBuilder &b, Operation *op,
                                    IRMapping &mapping, Value named,
                                    Type resultType) {
  Operation *copy = b.clone(*op, mapping);
  copy->removeAttr(BufferAttr::attrName);
  copy->setLoc(nameLoc(named, op->getLoc()));
  if (resultType)
    copy->getResult(0).setType(resultType);
  return copy;
}

LogicalResult ArenaMaterializer::materializeOp(Operation &op) {
  if (!isa<InferenceOpInterface>(op) || op.getNumRegions() != 0)
    return op.emitOpError("cannot be materialised over the arena: ")
           << (op.getNumRegions() ? "it has regions (only "
                                    "pico.separable_block's are handled)"
                                  : "it is not a pico op");
  OpBuilder b(&op);
  IRMapping mapping;
  for (Value operand : op.getOperands())
    if (!mapping.contains(operand))
      mapping.map(operand, read(b, op.getLoc(), operand));
  Operation *copy = clone(b, &op, mapping, op.getResult(0));
  write(b, op.getLoc(), copy->getResult(0), views.lookup(op.getResult(0)));
  return success();
}

void ArenaMaterializer::materializeUntiledBlock(SeparableBlockOp block) {
  Conv2DOp depthwise = block.getDepthwise(), pointwise = block.getPointwise();
  OpBuilder b(block);
  IRMapping mapping;
  mapping.map(depthwise.getInput(),
              read(b, block.getLoc(), block.getInput()));
  Operation *intermediate =
      clone(b, depthwise, mapping, depthwise.getOutput());
  write(b, depthwise.getLoc(), intermediate->getResult(0),
        views.lookup(depthwise.getOutput()));
  mapping.map(depthwise.getOutput(),
              read(b, pointwise.getLoc(), depthwise.getOutput()));
  if (Value residual = pointwise.getResidual())
    mapping.map(residual, read(b, pointwise.getLoc(), residual));
  Operation *result = clone(b, pointwise, mapping, pointwise.getOutput());
  write(b, pointwise.getLoc(), result->getResult(0),
        views.lookup(block.getOutput()));
}

Value ArenaMaterializer::convRow(OpBuilder &b, Conv2DOp conv, Value input,
                                 Value row, std::optional<int64_t> staticRow,
                                 const RowWindow &window, IRMapping &mapping) {
  Location loc = conv.getLoc();
  int64_t upsample = conv.getInputUpsample();
  // Interior rows: the window starts at upsampled row row * stride - pad,
  // inside input row (that / upsample), at row (that % upsample) of it.
  OpFoldResult firstRow = b.getIndexAttr(window.firstRow);
  OpFoldResult pick = b.getIndexAttr(window.pick);
  if (!staticRow) {
    Value top = row;
    if (int64_t stride = conv.getStrides()[0]; stride != 1)
      top = arith::MulIOp::create(b, loc, top, index(stride));
    if (int64_t pad = conv.getPads()[0])
      top = arith::SubIOp::create(b, loc, top, index(pad));
    firstRow = top;
    if (upsample != 1) {
      firstRow = arith::DivUIOp::create(b, loc, top, index(upsample)).getResult();
      if (window.computedRows > 1)
        pick = arith::RemUIOp::create(b, loc, top, index(upsample)).getResult();
    }
  }
  mapping.map(conv.getInput(), readRows(b, loc, input, firstRow, window.rows));
  auto resultType = cast<RankedTensorType>(conv.getType());
  SmallVector<int64_t, 4> shape(resultType.getShape());
  shape[2] = window.computedRows;
  auto band = cast<Conv2DOp>(
      clone(b, conv, mapping, conv.getOutput(), withShape(resultType, shape)));
  ArrayRef<int64_t> pads = conv.getPads();
  band.setPadsAttr(b.getDenseI64ArrayAttr(
      {window.padTop, pads[1], window.padBottom, pads[3]}));
  band.setStridesAttr(b.getDenseI64ArrayAttr({1, conv.getStrides()[1]}));
  if (window.computedRows == 1)
    return band.getOutput();
  SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0), b.getIndexAttr(0),
                                       pick, b.getIndexAttr(0)};
  shape[2] = 1;
  SmallVector<OpFoldResult> sizes;
  for (int64_t size : shape)
    sizes.push_back(b.getIndexAttr(size));
  SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(b, loc, band.getOutput(), offsets,
                                        sizes, strides);
}

LogicalResult ArenaMaterializer::materializeRowLoop(SeparableBlockOp block,
                                                    Conv2DOp consumer) {
  Conv2DOp depthwise = block.getDepthwise(), pointwise = block.getPointwise();
  int64_t height = cast<RankedTensorType>(pointwise.getType()).getDimSize(2);
  std::vector<RowWindow> depthwiseRows, consumerRows;
  for (int64_t row = 0; row < height; ++row) {
    std::optional<RowWindow> window = rowWindow(depthwise, row);
    if (!window)
      return depthwise.emitOpError("cannot be materialised row by row: row ")
             << row << " reads padding only";
    depthwiseRows.push_back(*window);
    if (!consumer)
      continue;
    window = rowWindow(consumer, row);
    if (!window || window->computedRows != 1)
      return consumer.emitOpError("cannot be materialised row by row with the "
                                  "block streaming into it: its row ")
             << row << (window ? " needs more than one row computed (its "
                                 "input is upsampled)"
                               : " reads padding only");
    consumerRows.push_back(*window);
  }
  auto key = [&](int64_t row) {
    return std::make_pair(depthwiseRows[row].key(row),
                          consumer ? consumerRows[row].key(row)
                                   : RowWindow().key(0));
  };

  Value ring = views.lookup(depthwise.getOutput());
  Value streamed = consumer ? views.lookup(block.getOutput()) : Value();
  Value output = views.lookup(consumer ? consumer.getOutput()
                                       : block.getOutput());
  auto slotOf = [&](OpBuilder &b, Value row, std::optional<int64_t> staticRow,
                    Value view) -> OpFoldResult {
    int64_t slots = cast<MemRefType>(view.getType()).getDimSize(2);
    if (staticRow)
      return b.getIndexAttr(*staticRow % slots);
    return arith::RemUIOp::create(b, block.getLoc(), row, index(slots))
        .getResult();
  };
  auto emitRow = [&](OpBuilder &b, Value row,
                     std::optional<int64_t> staticRow, int64_t first) {
    // The depthwise row, into its slot of the ring.
    IRMapping mapping;
    Value depthwiseRow = convRow(b, depthwise, block.getInput(), row,
                                 staticRow, depthwiseRows[first], mapping);
    Value slot = rowOf(b, depthwise.getLoc(), ring,
                       slotOf(b, row, staticRow, ring));
    write(b, depthwise.getLoc(), depthwiseRow, slot);
    // The pointwise row, from it.
    mapping.map(depthwise.getOutput(),
                load(b, pointwise.getLoc(), slot,
                     cast<RankedTensorType>(depthwise.getType())
                         .getElementType()));
    OpFoldResult rowIndex = staticRow ? OpFoldResult(b.getIndexAttr(*staticRow))
                                      : OpFoldResult(row);
    if (Value residual = pointwise.getResidual())
      mapping.map(residual,
                  readRows(b, pointwise.getLoc(), residual, rowIndex, 1));
    auto resultType = cast<RankedTensorType>(pointwise.getType());
    SmallVector<int64_t, 4> shape(resultType.getShape());
    shape[2] = 1;
    Value pointwiseRow = clone(b, pointwise, mapping, pointwise.getOutput(),
                               withShape(resultType, shape))
                             ->getResult(0);
    if (!consumer) {
      write(b, pointwise.getLoc(), pointwiseRow,
            rowOf(b, pointwise.getLoc(), output, rowIndex));
      return;
    }
    // Streamed: through its one-row ring into the conv's row.
    Value streamedRow = rowOf(b, pointwise.getLoc(), streamed,
                              slotOf(b, row, staticRow, streamed));
    write(b, pointwise.getLoc(), pointwiseRow, streamedRow);
    IRMapping consumerMapping;
    consumerMapping.map(block.getOutput(),
                        load(b, consumer.getLoc(), streamedRow,
                             resultType.getElementType()));
    Value consumerRow =
        convRow(b, consumer, consumer.getInput(), row, staticRow,
                consumerRows[first], consumerMapping);
    write(b, consumer.getLoc(), consumerRow,
          rowOf(b, consumer.getLoc(), output, rowIndex));
  };

  // Rows set up alike run in one loop; the others (the borders) alone; in
  // a band, only the band's rows [low, high) of each.
  Location loc = block.getLoc();
  auto emitRows = [&](OpBuilder &b, Value low, Value high) {
    for (int64_t first = 0, end; first < height; first = end) {
      for (end = first + 1; end < height && key(end) == key(first); ++end)
        ;
      if (!low && end - first == 1) {
        emitRow(b, index(first), first, first);
        continue;
      }
      Value begin = index(first), stop = index(end);
      if (low) {
        begin = arith::MaxUIOp::create(b, loc, begin, low);
        stop = arith::MinUIOp::create(b, loc, stop, high);
      }
      auto loop = scf::ForOp::create(b, loc, begin, stop, index(1));
      OpBuilder body = OpBuilder::atBlockTerminator(loop.getBody());
      if (end - first == 1)
        emitRow(body, index(first), first, first);
      else
        emitRow(body, loop.getInductionVar(), std::nullopt, first);
    }
  };
  OpBuilder b(block);
  if (rowBands == 1) {
    emitRows(b, Value(), Value());
    return success();
  }

  // Bands of rows, each through its own rings: band 0 through the planned
  // ones, the others through sets placed by bandRingsOffset.
  int64_t alignment = std::max<int64_t>(plan.attr.getAlignment(), 1);
  int64_t ringBytes =
      llvm::alignTo(plan.lookup(depthwise.getOutput())->size(), alignment);
  int64_t setBytes =
      ringBytes + (consumer ? llvm::alignTo(plan.lookup(block.getOutput())->size(),
                                            alignment)
                            : 0);
  int64_t bandRings = bandRingsOffset(block, (rowBands - 1) * setBytes);
  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(rowBands)}, ValueRange(),
      std::nullopt);
  OpBuilder body = OpBuilder::atBlockTerminator(forall.getBody());
  Value band = forall.getInductionVar(0);
  // Band i's rows: [height * i / bands, height * (i + 1) / bands).
  Value bandStart = arith::MulIOp::create(body, loc, band, index(height));
  Value low = arith::DivUIOp::create(body, loc, bandStart, index(rowBands));
  Value high = arith::DivUIOp::create(
      body, loc, arith::AddIOp::create(body, loc, bandStart, index(height)),
      index(rowBands));
  // Band i > 0's set at bandRings + (i - 1) x setBytes.
  Value isFirst = arith::CmpIOp::create(body, loc, arith::CmpIPredicate::eq,
                                        band, index(0));
  Value setOffset = arith::AddIOp::create(
      body, loc, index(bandRings),
      arith::MulIOp::create(body, loc,
                            arith::SubIOp::create(body, loc, band, index(1)),
                            index(setBytes)));
  auto bandView = [&](Value tensor, int64_t offsetInSet) {
    auto planned = views.lookup(tensor).getDefiningOp<memref::ViewOp>();
    Value bandOffset =
        offsetInSet == 0
            ? setOffset
            : arith::AddIOp::create(body, loc, setOffset, index(offsetInSet))
                  .getResult();
    Value offset = arith::SelectOp::create(
        body, loc, isFirst, index(plan.lookup(tensor)->offset()), bandOffset);
    return memref::ViewOp::create(body, planned.getLoc(), planned.getType(),
                                  arena, offset, ValueRange())
        .getResult();
  };
  ring = bandView(depthwise.getOutput(), 0);
  if (consumer)
    streamed = bandView(block.getOutput(), ringBytes);
  emitRows(body, low, high);
  return success();
}

int64_t ArenaMaterializer::bandRingsOffset(SeparableBlockOp block,
                                           int64_t bytes) {
  int64_t alignment = std::max<int64_t>(plan.attr.getAlignment(), 1);
  std::vector<std::pair<int64_t, int64_t>> live;
  for (LiveBuffer entry : plan.liveAt(*plan.stepOf(block))) {
    const PlannedBuffer &buffer = plan.buffers[entry.buffer];
    live.push_back({buffer.offset(), buffer.end()});
  }
  llvm::sort(live);
  int64_t offset = 0;
  for (auto [start, end] : live) {
    if (offset + bytes <= start)
      break;
    offset = std::max(offset, int64_t(llvm::alignTo(end, alignment)));
  }
  arenaBytes = std::max(arenaBytes, offset + bytes);
  return offset;
}

LogicalResult ArenaMaterializer::run() {
  Block &body = func.getBody().front();
  SmallVector<Operation *> original;
  for (Operation &op : body.without_terminator())
    if (!op.hasTrait<mlir::OpTrait::ConstantLike>())
      original.push_back(&op);

  MLIRContext *context = func.getContext();
  arenaBytes = plan.attr.getArena();
  auto arenaType =
      MemRefType::get({arenaBytes}, IntegerType::get(context, 8));
  unsigned arenaIndex = func.getNumArguments();
  if (failed(func.insertArgument(
          arenaIndex, arenaType,
          DictionaryAttr::get(
              context, {NamedAttribute(MemoryPlanAttr::arenaArgAttrName,
                                       UnitAttr::get(context))}),
          func.getLoc())))
    return failure();
  arena = func.getArgument(arenaIndex);
  createViews();

  llvm::DenseSet<Operation *> streamedConvs;
  for (auto [block, consumer] : plan.streamedInto)
    streamedConvs.insert(consumer);
  for (Operation *op : original) {
    // A conv a block streams into runs in the block's row loop.
    if (streamedConvs.contains(op))
      continue;
    auto block = dyn_cast<SeparableBlockOp>(op);
    if (!block) {
      if (failed(materializeOp(*op)))
        return failure();
      continue;
    }
    if (!plan.lookup(block.getDepthwise().getOutput())->isRing()) {
      materializeUntiledBlock(block);
      continue;
    }
    if (failed(materializeRowLoop(block, plan.streamedInto.lookup(block))))
      return failure();
  }

  // The bands' rings may lie past the planned arena.
  if (arenaBytes != plan.attr.getArena()) {
    arena.setType(
        MemRefType::get({arenaBytes}, IntegerType::get(context, 8)));
    SmallVector<Type> types(func.getArgumentTypes());
    types[arenaIndex] = arena.getType();
    func.setType(FunctionType::get(context, types, func.getResultTypes()));
  }

  // The results are read from the arena last.
  Operation *terminator = body.getTerminator();
  OpBuilder b(terminator);
  for (OpOperand &operand : terminator->getOpOperands())
    operand.set(read(b, terminator->getLoc(), operand.get()));
  for (Operation *op : llvm::reverse(original))
    op->erase();
  // The views hold the plan now.
  for (unsigned index = 0; index < arenaIndex; ++index)
    func.removeArgAttr(index, BufferAttr::attrName);
  return success();
}

LogicalResult picosam::materializeArena(func::FuncOp func, int64_t rowBands) {
  // Loaded here for callers outside a pass (the pass declares them).
  func.getContext()
      ->loadDialect<arith::ArithDialect, bufferization::BufferizationDialect,
                    memref::MemRefDialect, quant::QuantDialect,
                    scf::SCFDialect, tensor::TensorDialect>();
  FailureOr<FunctionMemoryPlan> plan = readMemoryPlan(func);
  if (failed(plan) || failed(checkBufferExtents(*plan, /*elementBytes=*/0)))
    return failure();
  if (rowBands < 1)
    return func.emitError("materialize-arena: row-bands must be at least 1, "
                          "not ")
           << rowBands;
  return ArenaMaterializer(func, *plan, rowBands).run();
}

namespace {
struct MaterializeArenaPass
    : picosam::impl::MaterializeArenaBase<MaterializeArenaPass> {
  using MaterializeArenaBase::MaterializeArenaBase;
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (failed(verifyMemoryPlan(func)) || failed(materializeArena(func, rowBands)))
      return signalPassFailure();
  }
};
} // namespace
