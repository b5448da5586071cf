//===- NetworkWriter.cpp - planned pico IR -> IMX500 network file ---------===//
#include "picosam/Target/IMX500/NetworkWriter.h"

#include "Pico/QuantizedArithmetic.h"
#include "picosam/Analysis/ReadMemoryPlan.h"
#include "picosam/InitAllDialects.h"
#include "picosam/Analysis/Passes.h"
#include "picosam/Interpreter/ValueNames.h"
#include "picosam/Runtime/Prompt.h"
#include "picosam/Target/IMX500/LatencyModel.h"
#include "picosam/Target/IMX500/NetworkFile.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Tools/mlir-translate/Translation.h"

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;
namespace fb = picosam::imx500::fb;
using flatbuffers::Offset;

// The file's fused activations and buffer kinds are #pico.act's and
// #pico.buffer's, in the same order.
static_assert(static_cast<int>(fb::Activation::None) ==
                  static_cast<int>(ActivationKind::None) &&
              static_cast<int>(fb::Activation::Tanh) ==
                  static_cast<int>(ActivationKind::Tanh));
static_assert(static_cast<int>(fb::BufferKind::Whole) ==
                  static_cast<int>(BufferKind::Whole) &&
              static_cast<int>(fb::BufferKind::Ring) ==
                  static_cast<int>(BufferKind::Ring) &&
              static_cast<int>(fb::BufferKind::Streamed) ==
                  static_cast<int>(BufferKind::Streamed));

namespace {

/// "node '<name>' (<op>)", how every error names the op it is about.
std::string nodeText(Operation *op) {
  std::optional<std::string> name = locationName(op->getLoc());
  return (name ? "node '" + *name + "'" : std::string("node without a name")) +
         " (" + op->getName().getStringRef().str() + ")";
}

class NetworkWriter {
public:
  NetworkWriter(const FunctionMemoryPlan &plan, const MemoryReport &report)
      : plan(plan), report(report), func(plan.func), names(nameValues(func)),
        channelGroup(report.accounting.outputChannelGroup) {}

  LogicalResult write(llvm::raw_ostream &os);

private:
  /// A value as the plan holds it: a separable block's region argument is
  /// the block's operand, its pointwise conv's result the block's result.
  Value planned(Value value) const;
  FailureOr<fb::ElementType> elementTypeOf(Operation *op, Value value);
  Offset<fb::Quantization> quantizationOf(quant::QuantizedType type);
  FailureOr<Offset<fb::Quantization>> quantizationOf(Operation *op,
                                                     Value value);
  /// The index of the tensor of `value` (an activation at its planned
  /// buffer, or a constant with its buffer in the device layout), added on
  /// first use; -1 for a null value.
  FailureOr<int32_t> tensorOf(Operation *user, Value value);
  Offset<fb::Requantization>
  requantization(ArrayRef<fixedpoint::QuantizedMultiplier> multipliers);

  LogicalResult addOperator(Operation *op, int64_t step);
  LogicalResult addConv(Conv2DOp conv, int64_t step);
  LogicalResult addChannelAttention(ChannelAttentionOp op, int64_t step);
  LogicalResult addInput(QuantizeOp quantize);
  LogicalResult addOutputs();
  Offset<fb::Memory> memory();

  const FunctionMemoryPlan &plan;
  const MemoryReport &report;
  func::FuncOp func;
  llvm::DenseMap<Value, std::string> names;
  int64_t channelGroup;
  flatbuffers::FlatBufferBuilder builder;
  llvm::DenseMap<Value, int32_t> tensorIndex;
  std::vector<Offset<fb::Tensor>> tensors;
  std::vector<Offset<fb::Buffer>> buffers;
  std::vector<Offset<fb::Operator>> operators;
  std::vector<int32_t> inputs, outputs;
  std::vector<Offset<fb::InputNormalization>> normalizations;
};

Value NetworkWriter::planned(Value value) const {
  auto block = dyn_cast_or_null<SeparableBlockOp>(
      value.getParentRegion()->getParentOp());
  if (!block)
    return value;
  if (auto argument = dyn_cast<BlockArgument>(value))
    return block->getOperand(argument.getArgNumber());
  if (value == block.getPointwise().getOutput())
    return block.getOutput();
  return value;
}

/// The error for an op that computes in float (a graph not quantized, or
/// a --float-layers fallback).
static LogicalResult refuseFloat(Operation *op, Type elementType) {
  return op->emitError(nodeText(op))
         << ": the IMX500 network computes with integers only; this op "
            "computes in "
         << elementType << " (quantize the graph: --calibration-data)";
}

FailureOr<fb::ElementType> NetworkWriter::elementTypeOf(Operation *op,
                                                        Value value) {
  Type elementType = cast<ShapedType>(value.getType()).getElementType();
  auto type = dyn_cast<quant::QuantizedType>(elementType);
  if (!type)
    return refuseFloat(op, elementType);
  unsigned width = type.getStorageTypeIntegralWidth();
  if (width == 8)
    return type.isSigned() ? fb::ElementType::Int8 : fb::ElementType::UInt8;
  if (width == 32 && type.isSigned())
    return fb::ElementType::Int32;
  return op->emitError(nodeText(op))
         << ": the IMX500 network file holds int8, uint8 and int32 tensors; "
            "this one is stored as "
         << type.getStorageType();
}

Offset<fb::Quantization>
NetworkWriter::quantizationOf(quant::QuantizedType type) {
  std::vector<double> scales;
  std::vector<int64_t> zeroPoints;
  int32_t axis = -1;
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
    zeroPoints.assign(perAxis.getZeroPoints().begin(),
                      perAxis.getZeroPoints().end());
    axis = perAxis.getQuantizedDimension();
  } else {
    auto uniform = cast<quant::UniformQuantizedType>(type);
    scales.push_back(uniform.getScale());
    zeroPoints.push_back(uniform.getZeroPoint());
  }
  return fb::CreateQuantizationDirect(
      builder, &scales, &zeroPoints, axis, type.getStorageTypeMin(),
      type.getStorageTypeMax());
}

FailureOr<Offset<fb::Quantization>>
NetworkWriter::quantizationOf(Operation *op, Value value) {
  auto type = dyn_cast<quant::QuantizedType>(
      cast<ShapedType>(value.getType()).getElementType());
  if (!isa_and_nonnull<quant::UniformQuantizedType,
                       quant::UniformQuantizedPerAxisType>(type))
    return op->emitError(nodeText(op))
           << ": the IMX500 network file holds uniform quantized tensors; "
              "this one is "
           << value.getType();
  return quantizationOf(type);
}

FailureOr<int32_t> NetworkWriter::tensorOf(Operation *user, Value value) {
  if (!value)
    return -1;
  value = planned(value);
  if (auto found = tensorIndex.find(value); found != tensorIndex.end())
    return found->second;
  FailureOr<fb::ElementType> elementType = elementTypeOf(user, value);
  if (failed(elementType))
    return failure();
  FailureOr<Offset<fb::Quantization>> quantization =
      quantizationOf(user, value);
  if (failed(quantization))
    return failure();
  auto type = cast<RankedTensorType>(value.getType());
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());

  // The fields of the tensor, from the schema's defaults.
  fb::TensorT fields;
  fields.type = *elementType;
  std::string name;
  if (auto constant = value.getDefiningOp<ConstantOp>()) {
    // The storage values, row-major, axis 0 padded with zeros to the
    // device's output-channel group.
    auto values = constant.getValue().tryGetValues<llvm::APInt>();
    if (!values)
      return constant.emitError(nodeText(constant))
             << ": a quantized constant holds integer storage values";
    int64_t bytes = imx500::elementBytes(*elementType);
    std::vector<uint8_t> data(
        imx500::deviceElements(shape, channelGroup) * bytes);
    uint8_t *at = data.data();
    for (const llvm::APInt &element : *values) {
      uint64_t raw = element.getZExtValue();
      for (int64_t i = 0; i < bytes; ++i)
        *at++ = static_cast<uint8_t>(raw >> (8 * i));
    }
    builder.ForceVectorAlignment(data.size(), 1, 16);
    buffers.push_back(fb::CreateBufferDirect(builder, &data));
    fields.buffer = static_cast<int32_t>(buffers.size() - 1);
    name = names.lookup(value);
  } else {
    const PlannedBuffer *buffer = plan.lookup(value);
    if (!buffer)
      return user->emitError(nodeText(user))
             << ": an operand or result has no planned buffer (plan the "
                "function: --pico-plan-memory)";
    fields.arena_offset = buffer->offset();
    fields.arena_size = buffer->size();
    fields.kind = static_cast<fb::BufferKind>(buffer->kind());
    fields.rows = buffer->isRing() ? buffer->rows() : 0;
    fields.row_bytes = buffer->isRing() ? buffer->rowBytes() : 0;
    fields.first_step = buffer->first();
    fields.last_step = buffer->last();
    name = buffer->name;
  }
  tensors.push_back(fb::CreateTensor(
      builder, builder.CreateString(name), builder.CreateVector(shape),
      fields.type, *quantization, fields.buffer, fields.arena_offset,
      fields.arena_size, fields.kind, fields.rows, fields.row_bytes,
      fields.first_step, fields.last_step));
  int32_t index = static_cast<int32_t>(tensors.size() - 1);
  tensorIndex[value] = index;
  return index;
}

Offset<fb::Requantization> NetworkWriter::requantization(
    ArrayRef<fixedpoint::QuantizedMultiplier> multipliers) {
  std::vector<int32_t> values, shifts;
  for (const fixedpoint::QuantizedMultiplier &m : multipliers) {
    values.push_back(m.multiplier);
    shifts.push_back(m.shift);
  }
  return fb::CreateRequantizationDirect(builder, &values, &shifts);
}

LogicalResult NetworkWriter::addConv(Conv2DOp conv, int64_t step) {
  if (!hasQuantizedValues(conv))
    return refuseFloat(conv, conv.getOutput().getType().getElementType());
  FailureOr<ConvRequantization> params = getConvRequantization(conv);
  if (failed(params))
    return failure();
  std::vector<int32_t> operands;
  for (Value operand : {conv.getInput(), conv.getWeight(), conv.getBias(),
                        conv.getResidual(), conv.getOutput()}) {
    FailureOr<int32_t> index = tensorOf(conv, operand);
    if (failed(index))
      return failure();
    operands.push_back(*index);
  }
  int32_t output = operands.back();
  operands.pop_back();
  ActivationAttr activation = conv.getActivationAttr();
  Offset<fb::Requantization> residual;
  if (conv.getResidual())
    residual = requantization(params->residualMultipliers);
  auto options = fb::CreateConv2D(
      builder, builder.CreateVector(conv.getStrides().vec()),
      builder.CreateVector(conv.getPads().vec()),
      builder.CreateVector(conv.getDilations().vec()), conv.getGroup(),
      conv.getInputUpsample(),
      activation ? static_cast<fb::Activation>(activation.getKind())
                 : fb::Activation::None,
      activation ? activation.getAlpha().convertToFloat() : 0.0f,
      activation ? activation.getBeta().convertToFloat() : 0.0f,
      params->clamp.min, params->clamp.max,
      requantization(params->multipliers), residual);
  std::vector<int32_t> results{output};
  operators.push_back(fb::CreateOperatorDirect(
      builder, names.lookup(conv.getOutput()).c_str(), step,
      &operands, &results, fb::OperatorOptions::Conv2D, options.Union()));
  return success();
}

LogicalResult NetworkWriter::addChannelAttention(ChannelAttentionOp op,
                                                 int64_t step) {
  if (!hasQuantizedValues(op))
    return refuseFloat(op, op.getOutput().getType().getElementType());
  FailureOr<ChannelAttentionRequantization> params =
      getChannelAttentionRequantization(op);
  if (failed(params))
    return failure();
  std::vector<int32_t> operands;
  for (Value operand :
       {op.getInput(), op.getWeight(), op.getBias(), op.getOutput()}) {
    FailureOr<int32_t> index = tensorOf(op, operand);
    if (failed(index))
      return failure();
    operands.push_back(*index);
  }
  std::vector<int32_t> results{operands.back()};
  operands.pop_back();
  auto perTensor = [&](const TensorQuantization &q) {
    std::vector<double> scale{q.scale};
    std::vector<int64_t> zeroPoint{q.zeroPoint};
    return fb::CreateQuantizationDirect(builder, &scale, &zeroPoint, -1,
                                        q.storageMin, q.storageMax);
  };
  std::vector<int32_t> table(params->gateTable.entries.begin(),
                             params->gateTable.entries.end());
  auto options = fb::CreateChannelAttentionDirect(
      builder, perTensor(params->means.output), perTensor(params->gates.output),
      perTensor(params->gate), requantization(params->means.multipliers),
      requantization(params->gates.multipliers), params->gateTable.inputMin,
      &table, requantization(params->outputMultiplier));
  operators.push_back(fb::CreateOperatorDirect(
      builder, names.lookup(op.getOutput()).c_str(), step, &operands,
      &results, fb::OperatorOptions::ChannelAttention, options.Union()));
  return success();
}

LogicalResult NetworkWriter::addInput(QuantizeOp quantize) {
  auto argument = dyn_cast<BlockArgument>(quantize.getInput());
  auto type = dyn_cast<quant::UniformQuantizedType>(
      quantize.getOutput().getType().getElementType());
  ArrayRef<int64_t> shape = quantize.getOutput().getType().getShape();
  if (!argument || argument.getOwner() != &func.getBody().front() ||
      !type || shape.size() != 4 || shape[1] != 3)
    return quantize.emitError(nodeText(quantize))
           << ": the IMX500 network starts where the sensor's normalisation "
              "ends: a per-tensor quantize of a 3-channel NCHW input of the "
              "function";
  FailureOr<int32_t> index = tensorOf(quantize, quantize.getOutput());
  if (failed(index))
    return failure();
  inputs.push_back(*index);
  // The float input is models/data.py's `normalize` of uint8 RGB; the
  // sensor computes it and the quantize in one fixed-point step.
  imx500::FixedPointNormalization normalization =
      imx500::getFixedPointNormalization(
          std::vector<float>(std::begin(runtime::kNormalizeMean),
                             std::end(runtime::kNormalizeMean)),
          std::vector<float>(std::begin(runtime::kNormalizeStd),
                             std::end(runtime::kNormalizeStd)),
          type.getScale(), type.getZeroPoint());
  normalizations.push_back(fb::CreateInputNormalizationDirect(
      builder, &normalization.gain, &normalization.offset,
      normalization.shift));
  return success();
}

LogicalResult NetworkWriter::addOperator(Operation *op, int64_t step) {
  if (auto quantize = dyn_cast<QuantizeOp>(op))
    return addInput(quantize);
  // The application dequantizes the outputs (addOutputs).
  if (isa<DequantizeOp>(op))
    return success();
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return addConv(conv, step);
  if (auto block = dyn_cast<SeparableBlockOp>(op)) {
    // A tiled block: both convs (and the conv it streams into) run in its
    // step, row by row.
    if (failed(addConv(block.getDepthwise(), step)) ||
        failed(addConv(block.getPointwise(), step)))
      return failure();
    if (auto into = plan.streamedInto.find(op); into != plan.streamedInto.end())
      return addConv(into->second, step);
    return success();
  }
  if (auto attention = dyn_cast<ChannelAttentionOp>(op))
    return addChannelAttention(attention, step);
  return op->emitError(nodeText(op))
         << ": the IMX500 network file has no operator for this op";
}

LogicalResult NetworkWriter::addOutputs() {
  Operation *terminator = func.getBody().front().getTerminator();
  for (Value result : terminator->getOperands()) {
    Operation *producer = result.getDefiningOp();
    if (auto dequantize = dyn_cast_or_null<DequantizeOp>(producer))
      result = dequantize.getInput();
    FailureOr<int32_t> index =
        tensorOf(producer ? producer : terminator, result);
    if (failed(index))
      return failure();
    outputs.push_back(*index);
  }
  return success();
}

Offset<fb::Memory> NetworkWriter::memory() {
  std::vector<Offset<fb::PlannedBuffer>> planned;
  for (const BufferRecord &buffer : report.buffers)
    planned.push_back(fb::CreatePlannedBufferDirect(
        builder, buffer.name.c_str(), buffer.kind.c_str(), buffer.offset,
        buffer.bytes, buffer.first, buffer.last,
        static_cast<fb::BufferKind>(buffer.layout), buffer.rows,
        buffer.rowBytes));
  std::vector<int32_t> peakBuffers, peakInPlaceOver;
  for (const LiveBuffer &entry : report.peakTensors) {
    peakBuffers.push_back(static_cast<int32_t>(entry.buffer));
    peakInPlaceOver.push_back(
        entry.inPlaceOver ? static_cast<int32_t>(*entry.inPlaceOver) : -1);
  }
  auto memoryPlan = fb::CreateMemoryPlanDirect(
      builder, report.function.c_str(), report.lowerBoundBytes,
      report.peakStep, report.inputOrderLowerBoundBytes, report.weightsBytes,
      report.alignment, report.elementBytes, report.tiledBlocks, &planned,
      &peakBuffers, &peakInPlaceOver);

  const MemoryInputs &inputs = report.memoryInputs;
  std::vector<Offset<fb::WeightedLayer>> layers;
  for (const WeightedLayer &layer : inputs.layers)
    layers.push_back(fb::CreateWeightedLayerDirect(
        builder, layer.name.c_str(), layer.op.c_str(), layer.outputChannels,
        layer.weightsPerOutputChannel));
  auto accounting = fb::CreateMemoryAccountingDirect(
      builder, &layers, inputs.otherConstantBytes, inputs.constantBytes,
      inputs.activationPeakBytes, inputs.activationPeakStep,
      inputs.inputElements, report.accounting.totalBytes,
      report.accounting.reservedBytes, report.accounting.inputPersistent);

  Offset<fb::LatencyEstimate> latency;
  if (report.latency) {
    std::vector<Offset<fb::LayerLatency>> estimates;
    for (const LayerLatency &layer : report.latency->layers)
      estimates.push_back(fb::CreateLayerLatencyDirect(
          builder, layer.name.c_str(), layer.op.c_str(), layer.macs,
          layer.cycles, layer.microseconds));
    latency = fb::CreateLatencyEstimateDirect(
        builder, report.latency->model.c_str(), &estimates);
  }
  return fb::CreateMemory(builder, memoryPlan, accounting, latency);
}

LogicalResult NetworkWriter::write(llvm::raw_ostream &os) {
  for (auto [step, op] : llvm::enumerate(plan.steps))
    if (failed(addOperator(op, step)))
      return failure();
  if (failed(addOutputs()))
    return failure();
  if (inputs.empty())
    return func.emitError("the IMX500 network needs a quantized input: "
                               "@main has no pico.quantize of an argument");
  std::string version = "picosam " PICOSAM_VERSION;
  Offset<fb::Memory> memoryReport = memory();
  auto network = fb::CreateNetworkDirect(
      builder, static_cast<uint32_t>(fb::Version::Schema), version.c_str(),
      static_cast<int32_t>(channelGroup), plan.attr.getArena(),
      plan.attr.getSteps(), &tensors, &operators, &buffers, &inputs,
      &normalizations, &outputs, memoryReport);
  fb::FinishNetworkBuffer(builder, network);
  os.write(reinterpret_cast<const char *>(builder.GetBufferPointer()),
           builder.GetSize());
  return success();
}

} // namespace

llvm::Expected<MemoryReport>
picosam::buildMemoryReport(ModuleOp module, const PlanMemoryOptions &planning) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func || !func->hasAttr(MemoryPlanAttr::attrName))
    return llvm::createStringError("the module has no planned @main to report");
  TargetAttr target = TargetAttr::lookup(module);
  FailureOr<MemoryReport> report = readMemoryReport(
      func, getMemoryAccountingOptions(target, planning.budget,
                                       planning.reserved,
                                       planning.inputPersistent,
                                       planning.outputChannelGroup));
  if (failed(report))
    return llvm::createStringError("the memory plan of @main does not read");
  if (target && target.getKind() == TargetKind::Imx500)
    report->latency = imx500::estimateLatency(func);
  return std::move(*report);
}

LogicalResult picosam::writeImx500Network(ModuleOp module,
                                          const PlanMemoryOptions &planning,
                                          llvm::raw_ostream &os) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func || func.isExternal())
    return module.emitError("the IMX500 network is @main, which ")
           << (func ? "has no body" : "does not exist");
  if (isMaterialized(func))
    return func.emitError("the IMX500 network is written from the planned "
                          "function, before --pico-materialize-arena");
  if (!func->hasAttr(MemoryPlanAttr::attrName))
    return func.emitError("the IMX500 network needs a memory plan: plan the "
                          "function first (--pico-plan-memory, "
                          "picosam-compile --to=planned)");
  FailureOr<FunctionMemoryPlan> plan = readMemoryPlan(func);
  if (failed(plan))
    return failure();
  llvm::Expected<MemoryReport> report = buildMemoryReport(module, planning);
  if (!report)
    return func.emitError(llvm::toString(report.takeError()));
  // The file is the IMX500's: its report counts as Sony's converter does
  // whatever target the module names.
  report->accounting.kind = MemoryAccountingKind::Imx500;
  report->count();
  return NetworkWriter(*plan, *report).write(os);
}

void picosam::registerToImx500NetworkTranslation() {
  TranslateFromMLIRRegistration registration(
      "pico-to-imx500-network",
      "a planned, quantized module -> the IMX500 network file "
      "(docs/imx500.md)",
      [](ModuleOp module, llvm::raw_ostream &os) {
        return writeImx500Network(module, PlanMemoryOptions(), os);
      },
      registerAllPicosamDialects);
}
