//===- LowerToKernelCalls.cpp - pico ops over the arena to kernel calls ---===//
//
// --pico-lower-to-kernel-calls (include/picosam/Conversion/Passes.td): the
// function --pico-materialize-arena produced, with each pico op a call of
// its kernel entry (include/picosam/Runtime/Ukernels.h) on pointers into the
// arena, constant weights and a constant descriptor.
//
//===----------------------------------------------------------------------===//
#include "Pico/PicoOps.h"
#include "Pico/QuantizedArithmetic.h"
#include "Pico/ShapeUtils.h"
#include "picosam/Analysis/OpCost.h"
#include "picosam/Analysis/ReadMemoryPlan.h"
#include "picosam/Conversion/Passes.h"
#include "picosam/Interpreter/ValueNames.h"
#include "picosam/Kernels/Indexing.h"
#include "picosam/Kernels/Workspace.h"
#include "picosam/Runtime/ConvInt8.h"
#include "picosam/Runtime/Profile.h"
#include "picosam/Runtime/Ukernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"

#include <cstring>

namespace picosam {
#define GEN_PASS_DEF_LOWERTOKERNELCALLS
#include "picosam/Conversion/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {

/// The bytes [first, second) of the arena that the view under `memref` (a
/// view of the arena, or a row band of one) covers, when its place is
/// constant.
std::optional<std::pair<int64_t, int64_t>> arenaBytesOf(Value memref) {
  if (!memref)
    return std::nullopt;
  if (auto subview = memref.getDefiningOp<memref::SubViewOp>())
    memref = subview.getSource();
  auto view = memref.getDefiningOp<memref::ViewOp>();
  if (!view || !view.getType().hasStaticShape())
    return std::nullopt;
  std::optional<int64_t> shift = getConstantIntValue(view.getByteShift());
  if (!shift)
    return std::nullopt;
  MemRefType type = view.getType();
  return std::make_pair(*shift, *shift + type.getNumElements() *
                                             type.getElementTypeBitWidth() / 8);
}

/// `operand` without the storage cast it may come through.
Value withoutStorageCast(Value operand) {
  if (auto cast = operand.getDefiningOp<quant::StorageCastOp>())
    return cast.getInput();
  return operand;
}

/// The arena view a tensor operand is read from, if it is one.
Value bufferOfOperand(Value operand) {
  if (auto read = withoutStorageCast(operand)
                      .getDefiningOp<bufferization::ToTensorOp>())
    return read.getBuffer();
  return {};
}

/// A descriptor's bytes: the struct, then its variable-length arrays, each
/// at an offset (from the descriptor's start) aligned for 8-byte reads.
class DescriptorBytes {
public:
  template <typename T> explicit DescriptorBytes(const T &header) {
    append(&header, sizeof(T));
  }
  /// Appends `values` and returns their offset.
  template <typename T> int64_t appendArray(ArrayRef<T> values) {
    bytes.resize(llvm::alignTo(bytes.size(), 8));
    int64_t offset = bytes.size();
    append(values.data(), values.size() * sizeof(T));
    return offset;
  }
  /// Rewrites the header, once the arrays' offsets are in it.
  template <typename T> void setHeader(const T &header) {
    std::memcpy(bytes.data(), &header, sizeof(T));
  }
  ArrayRef<char> get() const { return bytes; }

private:
  void append(const void *data, size_t size) {
    const char *begin = static_cast<const char *>(data);
    bytes.append(begin, begin + size);
  }
  SmallVector<char> bytes;
};

picosam_uk_multiplier toUk(fixedpoint::QuantizedMultiplier m) {
  return {m.multiplier, static_cast<int32_t>(m.shift)};
}

SmallVector<picosam_uk_multiplier>
toUk(ArrayRef<fixedpoint::QuantizedMultiplier> multipliers) {
  return llvm::map_to_vector(
      multipliers, [](fixedpoint::QuantizedMultiplier m) { return toUk(m); });
}

/// Lowers the ops of one materialised function.
class FunctionLowering {
public:
  FunctionLowering(func::FuncOp func, SymbolTable &symbols, bool profileHooks,
                   uint64_t cpuFeatures)
      : func(func), symbols(symbols), module(func->getParentOfType<ModuleOp>()),
        profileHooks(profileHooks), cpuFeatures(cpuFeatures) {}

  LogicalResult run();

private:
  LogicalResult rewriteSignature();
  LogicalResult lower(Operation *op);
  LogicalResult lower(Conv2DOp op);
  LogicalResult lower(ChannelAttentionOp op);
  LogicalResult lowerConversion(Operation *op, bool quantize);
  LogicalResult lowerPool(Operation *op);
  LogicalResult lower(GlobalAvgPoolOp op);
  LogicalResult lower(ResizeOp op);
  LogicalResult lower(ConcatOp op);
  LogicalResult lower(TransposeOp op);
  LogicalResult lower(MatMulOp op);
  LogicalResult lower(GemmOp op);
  LogicalResult lower(SoftmaxOp op);
  // Structural ops.
  LogicalResult lower(PadOp op);
  LogicalResult lower(SliceOp op);
  // Transposed convolution.
  LogicalResult lower(ConvTranspose2DOp op);
  // Reductions.
  LogicalResult lower(ReduceOp op);
  /// The pointers to `operands` (null for a null value: an absent optional
  /// operand) and, last, to `op`'s result, all dense tensors of rank at most
  /// PICOSAM_UK_MAX_RANK.
  FailureOr<SmallVector<Value>> densePointers(Operation *op,
                                              ArrayRef<Value> operands);
  /// An op on dense tensors: a call of `entry` with the descriptor and
  /// densePointers(op, operands).
  LogicalResult lowerDense(Operation *op, StringRef entry,
                           ArrayRef<char> descriptor, ArrayRef<Value> operands);
  /// A float op: lowerDense of all its operands; refused on quantized
  /// values.
  LogicalResult lowerFloat(Operation *op, StringRef entry,
                           ArrayRef<char> descriptor);
  /// An op of float or quantized values, by its float or its integer entry
  /// (`entry` + "_f32" or "_q8"): lowerDense of all its operands.
  LogicalResult lowerEither(Operation *op, StringRef entry,
                            ArrayRef<char> descriptor);

  /// The pointer to a tensor operand of `op`: where it is read from in the
  /// arena (through quant.scast and bufferization.to_tensor), or its
  /// constant's global (`layout`, when given, gets its strides).
  FailureOr<Value> pointerOfOperand(Operation *op, Value operand,
                                    StringRef role, picosam_uk_layout *layout);
  /// Where `op`'s result is written: the pointer to the destination view,
  /// and the one row of the result it keeps, if it keeps one row.
  struct Destination {
    Value pointer;
    /// The view of the arena written.
    Value buffer;
    Value row;
    picosam_uk_layout layout{};
  };
  /// Only a convolution computes one row of its result.
  FailureOr<Destination> destinationOf(Operation *op, bool rowsAllowed);

  /// The pointer to the first element of `memref`, a view of the arena or a
  /// subview of one, and its strides.
  FailureOr<Value> pointerInArena(Operation *op, Value memref, StringRef role,
                                  picosam_uk_layout *layout);
  Value pointerOfGlobal(memref::GlobalOp global);
  memref::GlobalOp weightGlobal(ConstantOp constant);
  memref::GlobalOp descriptorGlobal(Operation *op, ArrayRef<char> bytes);
  /// `op`'s profile record (Profile.h): the MACs of one call and its name.
  memref::GlobalOp profileRecordGlobal(Operation *op, int64_t callMacs);
  func::FuncOp entry(StringRef name, unsigned numArguments);
  /// Calls the entry `name` for `op`; a call computes `rowsPerCall` of
  /// `rows` rows of its result (what the profile record counts).
  void call(Operation *op, StringRef name, ArrayRef<Value> arguments,
            int64_t rowsPerCall = 1, int64_t rows = 1);
  Value indexConstant(int64_t value);
  Value nullPointer() { return indexConstant(0); }
  /// The pointer to the workspace, for a call that needs `bytes` of it.
  Value workspaceFor(int64_t bytes);

  func::FuncOp func;
  SymbolTable &symbols;
  ModuleOp module;
  bool profileHooks;
  /// The target CPU's features, for the conv descriptors.
  uint64_t cpuFeatures;
  OpBuilder builder{func.getContext()};
  Value arena;
  /// The arena's aligned pointer, computed once at the function's start.
  Value arenaPointer;
  /// The kernels' scratch: one region after the planned buffers, at
  /// `workspaceOffset`, as large as the largest call needs.
  Value workspacePointer;
  int64_t workspaceOffset = 0, workspaceBytes = 0;
  DenseMap<Operation *, memref::GlobalOp> weights;
  /// The ops rewritten, erased at the end with what only they used.
  SmallVector<Operation *> lowered;
};

Value FunctionLowering::indexConstant(int64_t value) {
  return arith::ConstantIndexOp::create(builder, func.getLoc(), value);
}

Value FunctionLowering::workspaceFor(int64_t bytes) {
  workspaceBytes = std::max(workspaceBytes, bytes);
  return workspacePointer;
}

FailureOr<Value> FunctionLowering::pointerInArena(Operation *op, Value memref,
                                                  StringRef role,
                                                  picosam_uk_layout *layout) {
  Location loc = op->getLoc();
  auto subview = memref.getDefiningOp<memref::SubViewOp>();
  Value viewValue = subview ? subview.getSource() : memref;
  auto view = viewValue.getDefiningOp<memref::ViewOp>();
  if (!view || view.getSource() != arena ||
      (subview && !llvm::all_of(subview.getStaticStrides(),
                                [](int64_t s) { return s == 1; })))
    return op->emitError("lower-to-kernel-calls: the ")
           << role << " is not a view of the arena or a row band of one";
  MemRefType viewType = view.getType();
  int64_t elementBytes = viewType.getElementTypeBitWidth() / 8;
  SmallVector<int64_t> strides(viewType.getRank(), 1);
  for (int64_t i = viewType.getRank() - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * viewType.getDimSize(i + 1);
  if (layout && viewType.getRank() == 4) {
    layout->batch_stride = strides[0];
    layout->channel_stride = strides[1];
    layout->row_stride = strides[2];
  }
  // The byte offset: its constant part folded here, a term per dynamic
  // index (a loop's row).
  int64_t constantOffset = 0;
  Value offset = arenaPointer;
  auto add = [&](OpFoldResult index, int64_t scale) {
    if (std::optional<int64_t> constant = getConstantIntValue(index)) {
      constantOffset += *constant * scale;
      return;
    }
    Value term = cast<Value>(index);
    if (scale != 1)
      term = arith::MulIOp::create(builder, loc, term, indexConstant(scale));
    offset = arith::AddIOp::create(builder, loc, offset, term);
  };
  add(view.getByteShift(), 1);
  if (subview)
    for (auto [i, index] : llvm::enumerate(subview.getMixedOffsets()))
      add(index, strides[i] * elementBytes);
  if (constantOffset == 0)
    return offset;
  return arith::AddIOp::create(builder, loc, offset,
                               indexConstant(constantOffset))
      .getResult();
}

Value FunctionLowering::pointerOfGlobal(memref::GlobalOp global) {
  Location loc = global.getLoc();
  Value memref = memref::GetGlobalOp::create(builder, loc, global.getType(),
                                             global.getSymName());
  return memref::ExtractAlignedPointerAsIndexOp::create(builder, loc, memref);
}

memref::GlobalOp FunctionLowering::weightGlobal(ConstantOp constant) {
  auto [it, inserted] = weights.try_emplace(constant);
  if (!inserted)
    return it->second;
  auto value = cast<DenseElementsAttr>(constant.getValue());
  auto type = MemRefType::get(value.getType().getShape(),
                              value.getType().getElementType());
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPoint(func);
  auto global = memref::GlobalOp::create(
      builder, constant.getLoc(), (func.getSymName() + "_weight").str(),
      builder.getStringAttr("private"), type, value, /*constant=*/true,
      builder.getI64IntegerAttr(64));
  symbols.insert(global);
  return it->second = global;
}

/// A private constant global of `bytes`, named `name` (made unique).
static memref::GlobalOp bytesGlobal(OpBuilder &builder, SymbolTable &symbols,
                                    func::FuncOp func, Location loc,
                                    StringRef name, ArrayRef<char> bytes) {
  auto type = RankedTensorType::get({int64_t(bytes.size())},
                                    builder.getIntegerType(8));
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPoint(func);
  auto global = memref::GlobalOp::create(
      builder, loc, name,
      builder.getStringAttr("private"),
      MemRefType::get(type.getShape(), type.getElementType()),
      DenseElementsAttr::getFromRawBuffer(type, bytes), /*constant=*/true,
      builder.getI64IntegerAttr(8));
  symbols.insert(global);
  return global;
}

memref::GlobalOp FunctionLowering::descriptorGlobal(Operation *op,
                                                    ArrayRef<char> bytes) {
  return bytesGlobal(
      builder, symbols, func, op->getLoc(),
      (func.getSymName() + "_" + op->getName().stripDialect() + "_descriptor")
          .str(),
      bytes);
}

memref::GlobalOp FunctionLowering::profileRecordGlobal(Operation *op,
                                                       int64_t callMacs) {
  picosam_profile_op record{callMacs};
  std::string name = locationName(op->getLoc())
                         .value_or(op->getName().getStringRef().str());
  SmallVector<char> bytes(sizeof(record));
  std::memcpy(bytes.data(), &record, sizeof(record));
  bytes.append(name.begin(), name.end());
  bytes.push_back('\0');
  return bytesGlobal(
      builder, symbols, func, op->getLoc(),
      (func.getSymName() + "_" + op->getName().stripDialect() + "_profile")
          .str(),
      bytes);
}

func::FuncOp FunctionLowering::entry(StringRef name, unsigned numArguments) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(module.getBody());
  SmallVector<Type> types(numArguments, builder.getIndexType());
  auto declaration = func::FuncOp::create(builder, module.getLoc(), name,
                                          builder.getFunctionType(types, {}));
  declaration.setPrivate();
  return declaration;
}

void FunctionLowering::call(Operation *op, StringRef name,
                            ArrayRef<Value> arguments, int64_t rowsPerCall,
                            int64_t rows) {
  func::FuncOp callee = entry(name, arguments.size());
  Value record;
  if (profileHooks) {
    record = pointerOfGlobal(
        profileRecordGlobal(op, countMacs(op) / rows * rowsPerCall));
    func::CallOp::create(builder, op->getLoc(),
                         entry("picosam_profile_begin", 1), record);
  }
  func::CallOp::create(builder, op->getLoc(), callee, arguments);
  if (profileHooks)
    func::CallOp::create(builder, op->getLoc(),
                         entry("picosam_profile_end", 1), record);
  lowered.push_back(op);
}

FailureOr<Value> FunctionLowering::pointerOfOperand(Operation *op,
                                                    Value operand,
                                                    StringRef role,
                                                    picosam_uk_layout *layout) {
  if (auto constant = withoutStorageCast(operand).getDefiningOp<ConstantOp>()) {
    if (!isa<DenseElementsAttr>(constant.getValue()))
      return op->emitError("lower-to-kernel-calls: the ")
             << role << " is a constant that is not dense";
    return pointerOfGlobal(weightGlobal(constant));
  }
  Value buffer = bufferOfOperand(operand);
  if (!buffer)
    return op->emitError("lower-to-kernel-calls: the ")
           << role << " is not read from the arena (run --pico-materialize-arena)";
  return pointerInArena(op, buffer, role, layout);
}

FailureOr<FunctionLowering::Destination>
FunctionLowering::destinationOf(Operation *op, bool rowsAllowed) {
  Value value = op->getResult(0);
  auto shape = cast<RankedTensorType>(value.getType()).getShape();
  Destination destination;
  while (value.hasOneUse()) {
    Operation *user = *value.getUsers().begin();
    if (auto cast = dyn_cast<quant::StorageCastOp>(user)) {
      value = cast.getResult();
      lowered.push_back(cast);
      continue;
    }
    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(user)) {
      // One row of an NCHW result, every other dimension whole.
      SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
      ArrayRef<int64_t> sizes = slice.getStaticSizes();
      if (!rowsAllowed || shape.size() != 4 || sizes.size() != 4 || sizes[2] != 1 ||
          sizes[0] != shape[0] || sizes[1] != shape[1] ||
          sizes[3] != shape[3] || !isConstantIntValue(offsets[0], 0) ||
          !isConstantIntValue(offsets[1], 0) ||
          !isConstantIntValue(offsets[3], 0))
        break;
      destination.row = isa<Value>(offsets[2])
                            ? cast<Value>(offsets[2])
                            : indexConstant(*getConstantIntValue(offsets[2]));
      value = slice.getResult();
      lowered.push_back(slice);
      continue;
    }
    if (auto write = dyn_cast<bufferization::MaterializeInDestinationOp>(user)) {
      FailureOr<Value> pointer = pointerInArena(op, write.getDest(), "result",
                                                &destination.layout);
      if (failed(pointer))
        return failure();
      destination.pointer = *pointer;
      destination.buffer = write.getDest();
      lowered.push_back(write);
      return destination;
    }
    break;
  }
  return op->emitError("lower-to-kernel-calls: the result is not written "
                       "into the arena (run --pico-materialize-arena)");
}

/// The signedness and zero point of `value`'s 8-bit quantized storage.
void setStorage(picosam_uk_layout &layout, Value value) {
  auto type = cast<quant::QuantizedType>(getElementTypeOrSelf(value.getType()));
  layout.is_signed = type.isSigned();
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(type))
    layout.zero_point = static_cast<int32_t>(uniform.getZeroPoint());
}

/// The bytes one element of `type` takes in memory (a quantized type's
/// storage; a byte per bool).
static int64_t elementBytes(Type type) {
  if (auto quantized = dyn_cast<quant::QuantizedType>(type))
    return quantized.getStorageTypeIntegralWidth() / 8;
  return llvm::divideCeil(type.getIntOrFloatBitWidth(), 8);
}

/// The quantization `q` of `value`, whose storage gives the signedness.
static picosam_uk_tensor_quantization toUk(const TensorQuantization &q,
                                           Value value) {
  picosam_uk_tensor_quantization r{};
  r.scale = q.scale;
  r.zero_point = q.zeroPoint;
  r.storage_min = q.storageMin;
  r.storage_max = q.storageMax;
  r.is_signed = cast<quant::QuantizedType>(getElementTypeOrSelf(value.getType()))
                    .isSigned();
  return r;
}

static picosam_uk_rescale toUk(const Rescale &rescale, Value input,
                               Value output) {
  return {toUk(rescale.input, input), toUk(rescale.output, output),
          toUk(rescale.multiplier)};
}

/// The bytes of descriptor `d` whose `average` member (picosam_uk_average)
/// holds `params`, the means of `op` from `input` to `output`, with the
/// multipliers after the struct.
template <typename T>
static DescriptorBytes withAverage(T d, picosam_uk_average T::*average,
                                   const AverageRequantization &params,
                                   Value input, Value output) {
  picosam_uk_average &a = d.*average;
  a.input = toUk(params.input, input);
  a.output = toUk(params.output, output);
  a.first_count = params.firstCount;
  DescriptorBytes bytes(d);
  a.multipliers_offset =
      bytes.appendArray<picosam_uk_multiplier>(toUk(params.multipliers));
  bytes.setHeader(d);
  return bytes;
}

/// The geometry conv2d's and conv_transpose2d's descriptors share (their
/// fields are named alike), and whether there is a bias.
template <typename Descriptor, typename ConvOp>
static void setConvGeometry(Descriptor &d, ConvOp op) {
  ArrayRef<int64_t> in = op.getInput().getType().getShape(),
                    w = op.getWeight().getType().getShape(),
                    out = op.getOutput().getType().getShape();
  d.batch = in[0];
  d.in_channels = in[1];
  d.in_height = in[2];
  d.in_width = in[3];
  d.out_channels = w[0];
  d.out_height = out[2];
  d.out_width = out[3];
  d.kernel_height = w[2];
  d.kernel_width = w[3];
  d.groups = static_cast<int64_t>(op.getGroup());
  d.stride_h = op.getStrides()[0];
  d.stride_w = op.getStrides()[1];
  d.dilation_h = op.getDilations()[0];
  d.dilation_w = op.getDilations()[1];
  d.pad_top = op.getPads()[0];
  d.pad_left = op.getPads()[1];
  d.has_bias = op.getBias() != nullptr;
}

/// A float convolution descriptor's fused activation, if any.
template <typename Descriptor>
static void setFloatActivation(Descriptor &d, ActivationAttr activation) {
  if (!activation)
    return;
  d.activation_kind = static_cast<int32_t>(activation.getKind());
  d.activation_alpha = activation.getAlpha().convertToFloat();
  d.activation_beta = activation.getBeta().convertToFloat();
}

/// The descriptor of a convolution or transposed one whose geometry `d`
/// holds. Quantized: the input's and result's storage, the clamp and the
/// multipliers after the header, then what `addQuantized(bytes, params)`
/// adds (conv2d's residual); float: the fused activation. The header is
/// written last.
template <typename Descriptor, typename ConvOp, typename AddQuantized>
static FailureOr<DescriptorBytes> convDescriptor(Descriptor &d, ConvOp op,
                                                 AddQuantized addQuantized) {
  if (!hasQuantizedValues(op)) {
    setFloatActivation(d, op.getActivationAttr());
    return DescriptorBytes(d);
  }
  FailureOr<ConvRequantization> params = getConvRequantization(op);
  if (failed(params))
    return failure();
  setStorage(d.input, op.getInput());
  setStorage(d.output, op.getOutput());
  d.clamp_min = params->clamp.min;
  d.clamp_max = params->clamp.max;
  DescriptorBytes bytes(d);
  d.multipliers_offset =
      bytes.appendArray<picosam_uk_multiplier>(toUk(params->multipliers));
  addQuantized(bytes, *params);
  bytes.setHeader(d);
  return bytes;
}

/// The values of a constant operand (through its storage cast), if it is
/// one.
static DenseElementsAttr constantValues(Value operand) {
  auto constant = withoutStorageCast(operand).getDefiningOp<ConstantOp>();
  return constant ? dyn_cast<DenseElementsAttr>(constant.getValue())
                  : DenseElementsAttr();
}

/// The zero-point offsets of a quantized conv2d with constant int8 weights
/// (and int32 bias), computed once here for the descriptor instead of on
/// every call; none where the kernels must compute them.
static std::optional<SmallVector<int32_t>>
zeroPointOffsets(Conv2DOp op, const picosam_uk_conv2d &d) {
  DenseElementsAttr weight = constantValues(op.getWeight());
  if (!weight || !weight.getElementType().isInteger(8))
    return std::nullopt;
  SmallVector<int8_t> weights(weight.getValues<int8_t>());
  SmallVector<int32_t> biases;
  if (op.getBias()) {
    DenseElementsAttr bias = constantValues(op.getBias());
    if (!bias || !bias.getElementType().isInteger(32))
      return std::nullopt;
    biases.assign(bias.getValues<int32_t>().begin(),
                  bias.getValues<int32_t>().end());
  }
  SmallVector<int32_t> offsets(d.out_channels);
  if (!runtime::conv2dZeroPointOffsets(
          d, weights.data(), op.getBias() ? biases.data() : nullptr,
          offsets.data()))
    return std::nullopt;
  return offsets;
}

LogicalResult FunctionLowering::lower(Conv2DOp op) {
  picosam_uk_conv2d d{};
  setConvGeometry(d, op);
  d.upsample = static_cast<int64_t>(op.getInputUpsample());
  d.has_residual = op.getResidual() != nullptr;
  d.cpu_features = cpuFeatures;

  FailureOr<Value> input = pointerOfOperand(op, op.getInput(), "input", &d.input);
  FailureOr<Value> weight = pointerOfOperand(op, op.getWeight(), "weight", nullptr);
  FailureOr<Value> bias = op.getBias() ? pointerOfOperand(op, op.getBias(), "bias", nullptr)
                                       : FailureOr<Value>(nullPointer());
  FailureOr<Value> residual =
      op.getResidual()
          ? pointerOfOperand(op, op.getResidual(), "residual", &d.residual)
          : FailureOr<Value>(nullPointer());
  if (failed(input) || failed(weight) || failed(bias) || failed(residual))
    return failure();
  FailureOr<Destination> destination = destinationOf(op, /*rowsAllowed=*/true);
  if (failed(destination))
    return failure();
  d.output = destination->layout;
  // Where the plan put rows of the result over the input, the reference
  // kernel loads the call's input rows before writing: a larger workspace.
  auto inputBytes = arenaBytesOf(bufferOfOperand(op.getInput())),
       outputBytes = arenaBytesOf(destination->buffer);
  bool inputMayOverlap = !inputBytes || !outputBytes ||
                         (inputBytes->first < outputBytes->second &&
                          outputBytes->first < inputBytes->second);

  bool quantized = hasQuantizedValues(op);
  FailureOr<DescriptorBytes> bytes = convDescriptor(
      d, op, [&](DescriptorBytes &bytes, const ConvRequantization &params) {
        if (op.getResidual())
          setStorage(d.residual, op.getResidual());
        if (params.residual)
          d.residual_multipliers_offset =
              bytes.appendArray<picosam_uk_multiplier>(
                  toUk(params.residualMultipliers));
        if (std::optional<SmallVector<int32_t>> offsets =
                zeroPointOffsets(op, d))
          d.offsets_offset = bytes.appendArray<int32_t>(*offsets);
      });
  if (failed(bytes))
    return failure();
  // The rows computed: all, or the one kept.
  Value row = destination->row;
  Value rowBegin = row ? row : indexConstant(0);
  Value rowEnd = row ? arith::AddIOp::create(builder, op.getLoc(), row,
                                             indexConstant(1))
                           .getResult()
                     : indexConstant(d.out_height);
  Value descriptor = pointerOfGlobal(descriptorGlobal(op, bytes->get()));
  call(op, quantized ? "picosam_uk_conv2d_q8" : "picosam_uk_conv2d_f32",
       {descriptor, *input, *weight, *bias, *residual, destination->pointer,
        rowBegin, rowEnd,
        workspaceFor(picosam_uk_conv2d_workspace_bytes(
            &d, row ? 1 : d.out_height, inputMayOverlap))},
       row ? 1 : d.out_height, d.out_height);
  return success();
}

LogicalResult FunctionLowering::lower(ChannelAttentionOp op) {
  ArrayRef<int64_t> shape = op.getInput().getType().getShape();
  picosam_uk_channel_attention d{};
  d.cpu_features = cpuFeatures;
  d.batch = shape[0];
  d.channels = shape[1];
  d.plane_size = shape[2] * shape[3];
  d.has_bias = op.getBias() != nullptr;
  FailureOr<Value> input = pointerOfOperand(op, op.getInput(), "input", &d.input);
  FailureOr<Value> weight = pointerOfOperand(op, op.getWeight(), "weight", nullptr);
  FailureOr<Value> bias = op.getBias() ? pointerOfOperand(op, op.getBias(), "bias", nullptr)
                                       : FailureOr<Value>(nullPointer());
  if (failed(input) || failed(weight) || failed(bias))
    return failure();
  FailureOr<Destination> destination = destinationOf(op, /*rowsAllowed=*/false);
  if (failed(destination))
    return failure();
  d.output = destination->layout;
  // The kernel reads and writes the planes whole.
  if (d.input.channel_stride != d.plane_size ||
      d.output.channel_stride != d.plane_size)
    return op.emitError("lower-to-kernel-calls: channel attention needs its "
                        "input and result whole, not in row bands");

  bool quantized = hasQuantizedValues(op);
  std::optional<DescriptorBytes> bytes;
  if (quantized) {
    FailureOr<ChannelAttentionRequantization> params =
        getChannelAttentionRequantization(op);
    if (failed(params))
      return failure();
    setStorage(d.input, op.getInput());
    setStorage(d.output, op.getOutput());
    d.mean_zero_point = params->means.output.zeroPoint;
    d.mean_min = params->means.output.storageMin;
    d.mean_max = params->means.output.storageMax;
    d.logits_zero_point = params->gates.output.zeroPoint;
    d.logits_min = params->gates.output.storageMin;
    d.logits_max = params->gates.output.storageMax;
    d.output_min = params->output.storageMin;
    d.output_max = params->output.storageMax;
    d.mean_multiplier = toUk(params->means.multipliers[d.plane_size - params->means.firstCount]);
    d.output_multiplier = toUk(params->outputMultiplier);
    d.table_min = params->gateTable.inputMin;
    d.table_size = params->gateTable.entries.size();
    bytes.emplace(d);
    d.table_offset =
        bytes->appendArray<int32_t>(params->gateTable.entries);
    d.logit_multipliers_offset = bytes->appendArray<picosam_uk_multiplier>(
        toUk(params->gates.multipliers));
    bytes->setHeader(d);
  } else {
    bytes.emplace(d);
  }
  Value descriptor = pointerOfGlobal(descriptorGlobal(op, bytes->get()));
  call(op,
       quantized ? "picosam_uk_channel_attention_q8"
                 : "picosam_uk_channel_attention_f32",
       {descriptor, *input, *weight, *bias, destination->pointer,
        workspaceFor(picosam_uk_channel_attention_workspace_bytes(&d))});
  return success();
}

LogicalResult FunctionLowering::lowerConversion(Operation *op, bool quantize) {
  Value quantizedValue = quantize ? op->getResult(0) : op->getOperand(0);
  auto tensorType = cast<RankedTensorType>(quantizedValue.getType());
  auto type = dyn_cast<quant::QuantizedType>(tensorType.getElementType());
  auto uniform = dyn_cast_or_null<quant::UniformQuantizedType>(type);
  auto perAxis = dyn_cast_or_null<quant::UniformQuantizedPerAxisType>(type);
  if ((!uniform && !perAxis) || type.getStorageTypeIntegralWidth() != 8)
    return op->emitError("lower-to-kernel-calls: only 8-bit uniform "
                         "quantization converts at the graph's boundary");
  picosam_uk_quantization d{};
  d.count = tensorType.getNumElements();
  d.storage_min = static_cast<int32_t>(type.getStorageTypeMin());
  d.storage_max = static_cast<int32_t>(type.getStorageTypeMax());
  d.is_signed = type.isSigned();
  std::optional<DescriptorBytes> bytes;
  if (uniform) {
    // In float, as the interpreter holds the scale.
    d.scale = static_cast<float>(uniform.getScale());
    d.zero_point = static_cast<int32_t>(uniform.getZeroPoint());
    bytes.emplace(d);
  } else {
    // Per axis, as QuantParams: the slot of element i is (i / stride) %
    // size along the quantized dimension.
    ArrayRef<int64_t> shape = tensorType.getShape();
    int64_t axis = perAxis.getQuantizedDimension();
    d.axis_size = shape[axis];
    d.axis_stride = kernels::numElements(shape.drop_front(axis + 1));
    bytes.emplace(d);
    d.scales_offset = bytes->appendArray<float>(llvm::map_to_vector(
        perAxis.getScales(), [](double s) { return static_cast<float>(s); }));
    d.zero_points_offset = bytes->appendArray<int32_t>(llvm::map_to_vector(
        perAxis.getZeroPoints(),
        [](int64_t z) { return static_cast<int32_t>(z); }));
    bytes->setHeader(d);
  }
  FailureOr<Value> input =
      pointerOfOperand(op, op->getOperand(0), "input", nullptr);
  if (failed(input))
    return failure();
  FailureOr<Destination> destination = destinationOf(op, /*rowsAllowed=*/false);
  if (failed(destination))
    return failure();
  Value descriptor = pointerOfGlobal(descriptorGlobal(op, bytes->get()));
  call(op, quantize ? "picosam_uk_quantize" : "picosam_uk_dequantize",
       {descriptor, *input, destination->pointer});
  return success();
}

/// The write of `op`'s result into the arena at the end of its chain of
/// storage casts and row slices, if any.
static bufferization::MaterializeInDestinationOp writeOf(Operation *op) {
  Value value = op->getResult(0);
  while (value.hasOneUse()) {
    Operation *user = *value.getUsers().begin();
    if (auto write = dyn_cast<bufferization::MaterializeInDestinationOp>(user))
      return write;
    if (!isa<quant::StorageCastOp, tensor::ExtractSliceOp>(user))
      break;
    value = user->getResult(0);
  }
  return nullptr;
}

FailureOr<SmallVector<Value>>
FunctionLowering::densePointers(Operation *op, ArrayRef<Value> operands) {
  SmallVector<Value> pointers;
  for (Value operand : operands) {
    if (!operand) {
      pointers.push_back(nullPointer());
      continue;
    }
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (!type || type.getRank() > PICOSAM_UK_MAX_RANK)
      return op->emitError("lower-to-kernel-calls: '")
             << op->getName() << "' needs tensors of rank at most "
             << PICOSAM_UK_MAX_RANK;
    FailureOr<Value> pointer = pointerOfOperand(op, operand, "operand", nullptr);
    if (failed(pointer))
      return failure();
    pointers.push_back(*pointer);
  }
  FailureOr<Destination> destination = destinationOf(op, /*rowsAllowed=*/false);
  if (failed(destination))
    return failure();
  // A row band of a tensor is not dense.
  if (auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
      !type || type.getRank() > PICOSAM_UK_MAX_RANK ||
      (type.getRank() == 4 &&
       destination->layout.channel_stride != type.getDimSize(2) * type.getDimSize(3)))
    return op->emitError("lower-to-kernel-calls: '")
           << op->getName() << "' needs its result whole, of rank at most "
           << PICOSAM_UK_MAX_RANK;
  pointers.push_back(destination->pointer);
  return pointers;
}

LogicalResult FunctionLowering::lowerDense(Operation *op, StringRef entry,
                                           ArrayRef<char> descriptorBytes,
                                           ArrayRef<Value> operands) {
  FailureOr<SmallVector<Value>> arguments = densePointers(op, operands);
  if (failed(arguments))
    return failure();
  arguments->insert(arguments->begin(),
                    pointerOfGlobal(descriptorGlobal(op, descriptorBytes)));
  call(op, entry, *arguments);
  return success();
}

LogicalResult FunctionLowering::lowerFloat(Operation *op, StringRef entry,
                                           ArrayRef<char> descriptorBytes) {
  if (hasQuantizedValues(op))
    return op->emitError("lower-to-kernel-calls: '")
           << op->getName() << "' on quantized values has no kernel to call";
  return lowerDense(op, entry, descriptorBytes,
                    SmallVector<Value>(op->getOperands()));
}

LogicalResult FunctionLowering::lowerEither(Operation *op, StringRef entry,
                                            ArrayRef<char> descriptorBytes) {
  return lowerDense(op,
                    (entry + (hasQuantizedValues(op) ? "_q8" : "_f32")).str(),
                    descriptorBytes, SmallVector<Value>(op->getOperands()));
}

/// The elements per (batch, channel) plane of an N x C x ... shape.
static int64_t planeSizeOf(ArrayRef<int64_t> shape) {
  int64_t size = 1;
  for (int64_t dim : shape.drop_front(2))
    size *= dim;
  return size;
}

/// `shape` into a descriptor's fixed array (rank checked by lowerFloat).
static void copyShape(ArrayRef<int64_t> shape, int64_t *out) {
  llvm::copy(shape.take_front(PICOSAM_UK_MAX_RANK), out);
}

static ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

LogicalResult FunctionLowering::lowerPool(Operation *op) {
  ArrayRef<int64_t> in = shapeOf(op->getOperand(0)),
                    out = shapeOf(op->getResult(0));
  if (in.size() != 4 || out.size() != 4)
    return op->emitError("lower-to-kernel-calls: '")
           << op->getName() << "' needs NCHW tensors";
  picosam_uk_pool d{};
  d.planes = in[0] * in[1];
  d.height = in[2];
  d.width = in[3];
  d.out_height = out[2];
  d.out_width = out[3];
  ArrayRef<int64_t> kernel, strides, pads;
  SmallVector<int64_t, 2> dilations = {1, 1};
  auto max = dyn_cast<MaxPoolOp>(op);
  if (max) {
    kernel = max.getKernelShape();
    strides = max.getStrides();
    pads = max.getPads();
    dilations.assign(max.getDilations().begin(), max.getDilations().end());
  } else {
    auto avg = cast<AvgPoolOp>(op);
    kernel = avg.getKernelShape();
    strides = avg.getStrides();
    pads = avg.getPads();
    d.count_include_pad = avg.getCountIncludePad();
  }
  d.kernel_h = kernel[0];
  d.kernel_w = kernel[1];
  d.stride_h = strides[0];
  d.stride_w = strides[1];
  d.dilation_h = dilations[0];
  d.dilation_w = dilations[1];
  d.pad_top = pads[0];
  d.pad_left = pads[1];
  d.pad_bottom = pads[2];
  d.pad_right = pads[3];
  Value input = op->getOperand(0), output = op->getResult(0);
  StringRef entry = max ? "picosam_uk_max_pool" : "picosam_uk_avg_pool";
  if (!hasQuantizedValues(op))
    return lowerEither(op, entry, DescriptorBytes(d).get());
  if (max) {
    FailureOr<std::vector<Rescale>> rescales = getInputRescales(op);
    if (failed(rescales))
      return failure();
    d.rescale = toUk(rescales->front(), input, output);
    return lowerEither(op, entry, DescriptorBytes(d).get());
  }
  FailureOr<AverageRequantization> params = getAverageRequantization(op);
  if (failed(params))
    return failure();
  return lowerEither(
      op, entry,
      withAverage(d, &picosam_uk_pool::average, *params, input, output).get());
}

LogicalResult FunctionLowering::lower(GlobalAvgPoolOp op) {
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  picosam_uk_global_avg_pool d{};
  d.planes = shape.size() >= 2 ? shape[0] * shape[1] : 1;
  d.plane_size = shape.size() >= 2 ? planeSizeOf(shape) : 1;
  if (!hasQuantizedValues(op))
    return lowerEither(op, "picosam_uk_global_avg_pool",
                       DescriptorBytes(d).get());
  FailureOr<AverageRequantization> params = getAverageRequantization(op);
  if (failed(params))
    return failure();
  return lowerEither(op, "picosam_uk_global_avg_pool",
                     withAverage(d, &picosam_uk_global_avg_pool::average,
                                 *params, op.getInput(), op.getOutput())
                         .get());
}

LogicalResult FunctionLowering::lower(ResizeOp op) {
  picosam_uk_resize d{};
  d.mode = static_cast<int32_t>(op.getMode());
  d.coordinate_transform =
      static_cast<int32_t>(op.getCoordinateTransformationMode());
  d.nearest_mode = static_cast<int32_t>(op.getNearestMode());
  d.rank = shapeOf(op.getInput()).size();
  llvm::copy(op.getScales().take_front(PICOSAM_UK_MAX_RANK), d.scales);
  copyShape(shapeOf(op.getInput()), d.input_shape);
  copyShape(shapeOf(op.getOutput()), d.output_shape);
  if (hasQuantizedValues(op)) {
    FailureOr<std::vector<Rescale>> rescales = getInputRescales(op);
    if (failed(rescales))
      return failure();
    d.rescale = toUk(rescales->front(), op.getInput(), op.getOutput());
  }
  return lowerEither(op, "picosam_uk_resize", DescriptorBytes(d).get());
}

LogicalResult FunctionLowering::lower(ConcatOp op) {
  ArrayRef<int64_t> out = shapeOf(op.getOutput());
  std::optional<int64_t> axis = normalizeAxis(op.getAxis(), out.size());
  if (!axis || out.size() > PICOSAM_UK_MAX_RANK)
    return op.emitError("lower-to-kernel-calls: 'pico.concat' needs tensors "
                        "of rank at most ")
           << PICOSAM_UK_MAX_RANK << " and an axis among theirs";
  picosam_uk_concat d{};
  d.count = op.getInputs().size();
  d.outer = kernels::numElements(out.take_front(*axis));
  SmallVector<int64_t> rowSizes;
  for (Value input : op.getInputs())
    rowSizes.push_back(kernels::numElements(shapeOf(input).drop_front(*axis)));
  bool quantized = hasQuantizedValues(op);
  SmallVector<picosam_uk_rescale> rescales;
  if (quantized) {
    FailureOr<std::vector<Rescale>> params = getInputRescales(op);
    if (failed(params))
      return failure();
    for (auto [input, rescale] : llvm::zip_equal(op.getInputs(), *params))
      rescales.push_back(toUk(rescale, input, op.getOutput()));
  }
  DescriptorBytes bytes(d);
  d.row_sizes_offset = bytes.appendArray<int64_t>(rowSizes);
  if (quantized)
    d.rescales_offset = bytes.appendArray<picosam_uk_rescale>(rescales);
  bytes.setHeader(d);

  FailureOr<SmallVector<Value>> pointers =
      densePointers(op, SmallVector<Value>(op.getInputs()));
  if (failed(pointers))
    return failure();
  Value output = pointers->pop_back_val();
  // The inputs' pointers, in an array on the stack.
  Location loc = op.getLoc();
  Value array = memref::AllocaOp::create(
      builder, loc, MemRefType::get({d.count}, builder.getIndexType()));
  for (auto [i, pointer] : llvm::enumerate(*pointers))
    memref::StoreOp::create(builder, loc, pointer, array,
                            ValueRange{indexConstant(i)});
  Value arrayPointer =
      memref::ExtractAlignedPointerAsIndexOp::create(builder, loc, array);
  Value descriptor = pointerOfGlobal(descriptorGlobal(op, bytes.get()));
  call(op, quantized ? "picosam_uk_concat_q8" : "picosam_uk_concat_f32",
       {descriptor, arrayPointer, output});
  return success();
}

LogicalResult FunctionLowering::lower(TransposeOp op) {
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  picosam_uk_transpose d{};
  d.rank = shape.size();
  d.element_bytes = elementBytes(getElementTypeOrSelf(op.getInput().getType()));
  if (d.element_bytes != 1 && d.element_bytes != 4)
    return op.emitError("lower-to-kernel-calls: 'pico.transpose' has no "
                        "kernel for elements of ")
           << d.element_bytes << " bytes";
  copyShape(shape, d.input_shape);
  llvm::copy(op.getPerm().take_front(PICOSAM_UK_MAX_RANK), d.perm);
  return lowerDense(op, "picosam_uk_transpose_elements",
                    DescriptorBytes(d).get(), {op.getInput()});
}

//===----------------------------------------------------------------------===//
// Structural ops
//===----------------------------------------------------------------------===//

LogicalResult FunctionLowering::lower(PadOp op) {
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  picosam_uk_pad d{};
  d.rank = shape.size();
  Type elementType = getElementTypeOrSelf(op.getInput().getType());
  d.element_bytes = elementBytes(elementType);
  if (d.element_bytes != 1 && d.element_bytes != 4)
    return op.emitError("lower-to-kernel-calls: 'pico.pad' has no kernel for "
                        "elements of ")
           << d.element_bytes << " bytes";
  d.mode = static_cast<int64_t>(op.getMode());
  copyShape(shape, d.input_shape);
  llvm::copy(op.getPads().take_front(2 * PICOSAM_UK_MAX_RANK), d.pads);
  // The fill's bytes as the element type holds them.
  double value = op.getStoragePadValue();
  if (isa<FloatType>(elementType)) {
    float real = static_cast<float>(value);
    std::memcpy(&d.value_bits, &real, sizeof(real));
  } else {
    d.value_bits = static_cast<uint32_t>(static_cast<int64_t>(value));
  }
  return lowerDense(op, "picosam_uk_pad_elements", DescriptorBytes(d).get(),
                    {op.getInput()});
}

LogicalResult FunctionLowering::lower(SliceOp op) {
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  picosam_uk_slice d{};
  d.rank = shape.size();
  d.element_bytes = elementBytes(getElementTypeOrSelf(op.getInput().getType()));
  if (d.element_bytes != 1 && d.element_bytes != 4)
    return op.emitError("lower-to-kernel-calls: 'pico.slice' has no kernel "
                        "for elements of ")
           << d.element_bytes << " bytes";
  copyShape(shape, d.input_shape);
  copyShape(op.getOffsets(), d.offsets);
  copyShape(op.getSizes(), d.sizes);
  copyShape(op.getStrides(), d.strides);
  return lowerDense(op, "picosam_uk_slice_elements", DescriptorBytes(d).get(),
                    {op.getInput()});
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

LogicalResult FunctionLowering::lower(ReduceOp op) {
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  picosam_uk_reduce d{};
  d.rank = shape.size();
  d.kind = static_cast<int64_t>(op.getKind());
  d.axis_count = op.getAxes().size();
  copyShape(shape, d.input_shape);
  copyShape(op.getAxes(), d.axes);
  if (!hasQuantizedValues(op))
    return lowerEither(op, "picosam_uk_reduce", DescriptorBytes(d).get());
  if (op.getKind() == ReduceKind::Max) {
    FailureOr<std::vector<Rescale>> rescales = getInputRescales(op);
    if (failed(rescales))
      return failure();
    d.rescale = toUk(rescales->front(), op.getInput(), op.getOutput());
    return lowerEither(op, "picosam_uk_reduce", DescriptorBytes(d).get());
  }
  FailureOr<AverageRequantization> params = getAverageRequantization(op);
  if (failed(params))
    return failure();
  return lowerEither(op, "picosam_uk_reduce",
                     withAverage(d, &picosam_uk_reduce::average, *params,
                                 op.getInput(), op.getOutput())
                         .get());
}

LogicalResult FunctionLowering::lower(MatMulOp op) {
  // As the interpreter: a 1-D lhs is a 1 x K row, a 1-D rhs a K x 1
  // column; the leading axes are the batch.
  SmallVector<int64_t, 4> lhs(shapeOf(op.getLhs())), rhs(shapeOf(op.getRhs()));
  ArrayRef<int64_t> out = shapeOf(op.getOutput());
  if (lhs.empty() || rhs.empty())
    return op.emitError("lower-to-kernel-calls: 'pico.matmul' needs "
                        "operands of rank >= 1");
  bool lhsVector = lhs.size() == 1, rhsVector = rhs.size() == 1;
  if (lhsVector)
    lhs.insert(lhs.begin(), 1);
  if (rhsVector)
    rhs.push_back(1);
  picosam_uk_matmul d{};
  d.m = lhs[lhs.size() - 2];
  d.k = lhs.back();
  d.n = rhs.back();
  ArrayRef<int64_t> lhsBatch = ArrayRef(lhs).drop_back(2),
                    rhsBatch = ArrayRef(rhs).drop_back(2),
                    batch = out.drop_back(int(!lhsVector) + int(!rhsVector));
  d.lhs_batch_rank = lhsBatch.size();
  d.rhs_batch_rank = rhsBatch.size();
  d.batch_rank = batch.size();
  copyShape(lhsBatch, d.lhs_batch);
  copyShape(rhsBatch, d.rhs_batch);
  copyShape(batch, d.batch);
  return lowerFloat(op, "picosam_uk_matmul_f32", DescriptorBytes(d).get());
}

LogicalResult FunctionLowering::lower(GemmOp op) {
  ArrayRef<int64_t> a = shapeOf(op.getA()), out = shapeOf(op.getOutput());
  picosam_uk_gemm d{};
  d.trans_a = op.getTransA();
  d.trans_b = op.getTransB();
  d.m = out[0];
  d.n = out[1];
  d.k = d.trans_a ? a[0] : a[1];
  d.alpha = op.getAlpha().convertToFloat();
  d.beta = op.getBeta().convertToFloat();
  if (ActivationAttr activation = op.getActivationAttr()) {
    d.activation_kind = static_cast<int32_t>(activation.getKind());
    d.activation_alpha = activation.getAlpha().convertToFloat();
    d.activation_beta = activation.getBeta().convertToFloat();
  }
  if (Value c = op.getC()) {
    d.has_c = 1;
    d.c_rank = shapeOf(c).size();
    llvm::copy(shapeOf(c), d.c_shape);
  }
  if (hasQuantizedValues(op))
    return op.emitError("lower-to-kernel-calls: 'pico.gemm' on quantized "
                        "values has no kernel to call");
  return lowerDense(op, "picosam_uk_gemm_f32", DescriptorBytes(d).get(),
                    {op.getA(), op.getB(), op.getC()});
}

LogicalResult FunctionLowering::lower(SoftmaxOp op) {
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  std::optional<int64_t> axis =
      normalizeAxis(static_cast<int64_t>(op.getAxis()), shape.size());
  if (!axis)
    return op.emitError("lower-to-kernel-calls: 'pico.softmax' has an axis "
                        "out of range");
  picosam_uk_softmax d{};
  d.outer = kernels::numElements(shape.take_front(*axis));
  d.length = shape[*axis];
  d.inner = kernels::numElements(shape.drop_front(*axis + 1));
  d.log = op.getLog();
  return lowerFloat(op, "picosam_uk_softmax_f32", DescriptorBytes(d).get());
}

LogicalResult FunctionLowering::lower(ConvTranspose2DOp op) {
  picosam_uk_conv_transpose2d d{};
  setConvGeometry(d, op);
  bool quantized = hasQuantizedValues(op);
  FailureOr<DescriptorBytes> bytes =
      convDescriptor(d, op, [](DescriptorBytes &, const ConvRequantization &) {});
  if (failed(bytes))
    return failure();
  // The kernel reads and writes whole dense tensors.
  FailureOr<SmallVector<Value>> arguments =
      densePointers(op, {op.getInput(), op.getWeight(), op.getBias()});
  if (failed(arguments))
    return failure();
  arguments->insert(arguments->begin(),
                    pointerOfGlobal(descriptorGlobal(op, bytes->get())));
  arguments->push_back(
      workspaceFor(picosam_uk_conv_transpose2d_workspace_bytes(&d)));
  call(op,
       quantized ? "picosam_uk_conv_transpose2d_q8"
                 : "picosam_uk_conv_transpose2d_f32",
       *arguments);
  return success();
}

LogicalResult FunctionLowering::lower(Operation *op) {
  // At the write: the destination's offset may be computed after the op.
  bufferization::MaterializeInDestinationOp write = writeOf(op);
  builder.setInsertionPoint(write ? write.getOperation() : op);
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return lower(conv);
  if (auto convTranspose = dyn_cast<ConvTranspose2DOp>(op))
    return lower(convTranspose);
  if (auto attention = dyn_cast<ChannelAttentionOp>(op))
    return lower(attention);
  if (isa<QuantizeOp>(op))
    return lowerConversion(op, /*quantize=*/true);
  if (isa<DequantizeOp>(op))
    return lowerConversion(op, /*quantize=*/false);
  if (auto activation = dyn_cast<ActivationOpInterface>(op)) {
    ActivationAttr function = activation.getActivationFunction();
    picosam_uk_activation d{};
    d.count = cast<RankedTensorType>(op->getResult(0).getType()).getNumElements();
    d.kind = static_cast<int32_t>(function.getKind());
    d.alpha = function.getAlpha().convertToFloat();
    d.beta = function.getBeta().convertToFloat();
    if (!hasQuantizedValues(op))
      return lowerFloat(op, "picosam_uk_activation_f32",
                        DescriptorBytes(d).get());
    FailureOr<ActivationTable> table = getActivationTable(op);
    FailureOr<TensorQuantization> input = getActivationQuantization(
        op, op->getOperand(0), "input");
    FailureOr<TensorQuantization> output = getActivationQuantization(
        op, op->getResult(0), "result");
    if (failed(table) || failed(input) || failed(output))
      return failure();
    d.input = toUk(*input, op->getOperand(0));
    d.output = toUk(*output, op->getResult(0));
    d.table_min = table->inputMin;
    DescriptorBytes bytes(d);
    d.table_offset = bytes.appendArray<int32_t>(table->entries);
    bytes.setHeader(d);
    return lowerEither(op, "picosam_uk_activation", bytes.get());
  }
  if (isa<AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp, PReluOp>(op)) {
    picosam_uk_binary d{};
    d.kind = isa<AddOp>(op)   ? PICOSAM_UK_ADD
             : isa<SubOp>(op) ? PICOSAM_UK_SUB
             : isa<MulOp>(op) ? PICOSAM_UK_MUL
             : isa<DivOp>(op) ? PICOSAM_UK_DIV
             : isa<MaxOp>(op) ? PICOSAM_UK_MAX
             : isa<MinOp>(op) ? PICOSAM_UK_MIN
                              : PICOSAM_UK_PRELU;
    if (auto activation = op->getAttrOfType<ActivationAttr>("activation")) {
      d.activation_kind = static_cast<int32_t>(activation.getKind());
      d.activation_alpha = activation.getAlpha().convertToFloat();
      d.activation_beta = activation.getBeta().convertToFloat();
    }
    // numpy broadcasting aligns shapes at the back: pad them with 1s.
    ArrayRef<int64_t> out = shapeOf(op->getResult(0));
    d.rank = out.size();
    auto padded = [&](Value value, int64_t *dims) {
      ArrayRef<int64_t> shape = shapeOf(value);
      std::fill(dims, dims + d.rank, 1);
      if (shape.size() <= out.size())
        llvm::copy(shape, dims + (d.rank - shape.size()));
    };
    padded(op->getOperand(0), d.lhs_shape);
    padded(op->getOperand(1), d.rhs_shape);
    copyShape(out, d.output_shape);
    if (!hasQuantizedValues(op) || isa<DivOp, MaxOp, MinOp, PReluOp>(op))
      return lowerFloat(op, "picosam_uk_binary_f32", DescriptorBytes(d).get());
    // What add's and mul's constants share: the quantizations and the clamp.
    auto setQuantizations = [&](const auto &params) {
      d.lhs = toUk(params.lhs, op->getOperand(0));
      d.rhs = toUk(params.rhs, op->getOperand(1));
      d.output = toUk(params.output, op->getResult(0));
      d.clamp_min = params.clamp.min;
      d.clamp_max = params.clamp.max;
    };
    if (auto mul = dyn_cast<MulOp>(op)) {
      FailureOr<MulRequantization> params = getMulRequantization(mul);
      if (failed(params))
        return failure();
      setQuantizations(*params);
      d.output_multiplier = toUk(params->multiplier);
    } else {
      FailureOr<AddRequantization> params = getAddRequantization(op);
      if (failed(params))
        return failure();
      setQuantizations(*params);
      d.lhs_multiplier = toUk(params->lhsMultiplier);
      d.rhs_multiplier = toUk(params->rhsMultiplier);
      d.output_multiplier = toUk(params->outputMultiplier);
    }
    return lowerEither(op, "picosam_uk_binary", DescriptorBytes(d).get());
  }
  if (auto pool = dyn_cast<GlobalAvgPoolOp>(op))
    return lower(pool);
  if (isa<AvgPoolOp, MaxPoolOp>(op))
    return lowerPool(op);
  if (auto resize = dyn_cast<ResizeOp>(op))
    return lower(resize);
  if (auto concat = dyn_cast<ConcatOp>(op))
    return lower(concat);
  if (isa<ReshapeOp>(op)) {
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    picosam_uk_copy d{};
    d.bytes = type.getNumElements() * elementBytes(type.getElementType());
    return lowerDense(op, "picosam_uk_copy_bytes", DescriptorBytes(d).get(),
                      {op->getOperand(0)});
  }
  if (auto transpose = dyn_cast<TransposeOp>(op))
    return lower(transpose);
  if (auto matmul = dyn_cast<MatMulOp>(op))
    return lower(matmul);
  if (auto gemm = dyn_cast<GemmOp>(op))
    return lower(gemm);
  if (auto softmax = dyn_cast<SoftmaxOp>(op))
    return lower(softmax);
  if (auto pad = dyn_cast<PadOp>(op))
    return lower(pad);
  if (auto slice = dyn_cast<SliceOp>(op))
    return lower(slice);
  if (auto reduce = dyn_cast<ReduceOp>(op))
    return lower(reduce);
  if (auto norm = dyn_cast<BatchNormOp>(op)) {
    ArrayRef<int64_t> shape = shapeOf(norm.getInput());
    picosam_uk_batch_norm d{};
    d.planes = shape.size() >= 2 ? shape[0] * shape[1] : 1;
    d.channels = shape.size() >= 2 ? shape[1] : 1;
    d.plane_size = shape.size() >= 2 ? planeSizeOf(shape) : 1;
    d.epsilon = norm.getEpsilon().convertToFloat();
    return lowerFloat(op, "picosam_uk_batch_norm_f32", DescriptorBytes(d).get());
  }
  if (auto norm = dyn_cast<InstanceNormOp>(op)) {
    ArrayRef<int64_t> shape = shapeOf(norm.getInput());
    picosam_uk_batch_norm d{};
    d.planes = shape[0] * shape[1];
    d.channels = shape[1];
    d.plane_size = planeSizeOf(shape);
    d.epsilon = norm.getEpsilon().convertToFloat();
    return lowerFloat(op, "picosam_uk_instance_norm_f32", DescriptorBytes(d).get());
  }
  return op->emitError("lower-to-kernel-calls: '")
         << op->getName() << "' has no kernel to call";
}

/// The memref a tensor of `type` crosses the function's boundary as:
/// quantized values as their storage integers.
static MemRefType boundaryType(RankedTensorType type) {
  Type element = type.getElementType();
  if (auto quantized = dyn_cast<quant::QuantizedType>(element))
    element = quantized.getStorageType();
  return MemRefType::get(type.getShape(), element);
}

LogicalResult FunctionLowering::rewriteSignature() {
  Block &body = func.front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  SmallVector<Type> inputs, outputs;
  for (BlockArgument argument : func.getArguments()) {
    if (argument == arena)
      continue;
    auto type = dyn_cast<RankedTensorType>(argument.getType());
    if (!type)
      return func.emitError("lower-to-kernel-calls: argument ")
             << argument.getArgNumber() << " is not a ranked tensor";
    inputs.push_back(boundaryType(type));
  }
  for (Type result : func.getResultTypes()) {
    auto type = dyn_cast<RankedTensorType>(result);
    if (!type)
      return func.emitError("lower-to-kernel-calls: a result is not a ranked "
                            "tensor");
    outputs.push_back(boundaryType(type));
  }

  // Copy each input into its view and each result out of its view.
  Location loc = func.getLoc();
  unsigned numOld = func.getNumArguments();
  SmallVector<BlockArgument> newInputs, newOutputs;
  for (Type type : inputs)
    newInputs.push_back(body.addArgument(type, loc));
  for (Type type : outputs)
    newOutputs.push_back(body.addArgument(type, loc));
  BlockArgument newArena = body.addArgument(arena.getType(), arena.getLoc());
  unsigned next = 0;
  for (unsigned i = 0; i < numOld; ++i) {
    BlockArgument argument = func.getArgument(i);
    if (argument == arena)
      continue;
    BlockArgument memref = newInputs[next++];
    for (Operation *user : llvm::make_early_inc_range(argument.getUsers())) {
      // A quantized input is written as its storage values.
      auto cast = dyn_cast<quant::StorageCastOp>(user);
      SmallVector<Operation *> writes;
      if (cast)
        writes.append(cast->user_begin(), cast->user_end());
      else
        writes.push_back(user);
      for (Operation *writer : writes) {
        auto write = dyn_cast<bufferization::MaterializeInDestinationOp>(writer);
        if (!write)
          return writer->emitError("lower-to-kernel-calls: an input is used "
                                   "other than copied into its view");
        builder.setInsertionPoint(write);
        memref::CopyOp::create(builder, write.getLoc(), memref,
                               write.getDest());
        write.erase();
      }
      if (cast)
        cast.erase();
    }
  }
  builder.setInsertionPoint(ret);
  for (auto [value, memref] : llvm::zip(ret.getOperands(), newOutputs)) {
    Value source = value;
    if (auto cast = source.getDefiningOp<quant::StorageCastOp>())
      source = cast.getInput();
    // A constant result (the planner gives it no view) is copied from its
    // global.
    if (auto constant = source.getDefiningOp<ConstantOp>();
        constant && isa<DenseElementsAttr>(constant.getValue())) {
      memref::GlobalOp global = weightGlobal(constant);
      Value data = memref::GetGlobalOp::create(builder, ret.getLoc(),
                                               global.getType(),
                                               global.getSymName());
      memref::CopyOp::create(builder, ret.getLoc(), data, memref);
      continue;
    }
    auto read = source.getDefiningOp<bufferization::ToTensorOp>();
    if (!read)
      return ret.emitError("lower-to-kernel-calls: a result is not read from "
                           "its view");
    memref::CopyOp::create(builder, ret.getLoc(), read.getBuffer(), memref);
  }
  func::ReturnOp::create(builder, ret.getLoc());
  ret.erase();
  arena.replaceAllUsesWith(newArena);
  arena = newArena;
  body.eraseArguments(0, numOld);

  SmallVector<Type> types(inputs);
  types.append(outputs);
  types.push_back(newArena.getType());
  auto argAttrs = SmallVector<DictionaryAttr>(types.size(),
                                              builder.getDictionaryAttr({}));
  func.setType(builder.getFunctionType(types, {}));
  // No argument keeps `pico.arena`: nothing in the function is pico's
  // any more (the plan stays, for the arena's size and alignment).
  func.setAllArgAttrs(argAttrs);
  func.setAllResultAttrs(ArrayRef<DictionaryAttr>{});
  return success();
}

LogicalResult FunctionLowering::run() {
  if (!isMaterialized(func))
    return func.emitError("lower-to-kernel-calls: @")
           << func.getSymName()
           << " is not materialised over an arena (run --pico-plan-memory "
              "and --pico-materialize-arena first)";
  for (BlockArgument argument : func.getArguments())
    if (func.getArgAttr(argument.getArgNumber(),
                        MemoryPlanAttr::arenaArgAttrName))
      arena = argument;
  if (failed(rewriteSignature()))
    return failure();
  builder.setInsertionPointToStart(&func.front());
  arenaPointer = memref::ExtractAlignedPointerAsIndexOp::create(
      builder, func.getLoc(), arena);
  workspaceOffset =
      llvm::alignTo(cast<MemRefType>(arena.getType()).getNumElements(),
                    kernels::kWorkspaceAlignment);
  workspacePointer = arith::AddIOp::create(builder, func.getLoc(), arenaPointer,
                                           indexConstant(workspaceOffset));

  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) {
    if (isa<PicoDialect>(op->getDialect()) && !isa<ConstantOp>(op))
      ops.push_back(op);
  });
  for (Operation *op : ops)
    if (failed(lower(op)))
      return failure();
  // The rewritten ops (last use first), then what only they used.
  for (Operation *op : lowered)
    op->dropAllReferences();
  for (Operation *op : lowered)
    op->erase();
  SmallVector<Operation *> dead;
  do {
    dead.clear();
    func.walk([&](Operation *op) {
      if (isa<bufferization::ToTensorOp, quant::StorageCastOp, ConstantOp,
              memref::ViewOp, memref::SubViewOp, tensor::ExtractSliceOp>(op) &&
          op->use_empty())
        dead.push_back(op);
    });
    for (Operation *op : dead)
      op->erase();
  } while (!dead.empty());
  // The arena grows by the workspace the calls need (the memory plan keeps
  // the planned size).
  if (workspaceBytes == 0) {
    Operation *offset = workspacePointer.getDefiningOp()->getOperand(1).getDefiningOp();
    workspacePointer.getDefiningOp()->erase();
    offset->erase();
  } else {
    arena.setType(MemRefType::get({workspaceOffset + workspaceBytes},
                                  builder.getIntegerType(8)));
    SmallVector<Type> types(func.getArgumentTypes());
    types.back() = arena.getType();
    func.setType(builder.getFunctionType(types, {}));
  }
  return success();
}

struct LowerToKernelCalls
    : public picosam::impl::LowerToKernelCallsBase<LowerToKernelCalls> {
  using LowerToKernelCallsBase::LowerToKernelCallsBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> funcs;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal())
        funcs.push_back(func);
    for (func::FuncOp func : funcs)
      if (failed(FunctionLowering(func, symbols, profileHooks, cpuFeatures)
                     .run()))
        return signalPassFailure();
  }
};

} // namespace
