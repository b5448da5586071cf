//===- GatherMemoryInputs.cpp - what the accounting counts, from a plan ---===//
#include "picosam/Analysis/MemoryPlanning.h"
#include "picosam/Analysis/ReadMemoryPlan.h"
#include "picosam/Interpreter/ValueNames.h"

#include "llvm/ADT/DenseSet.h"

#include <algorithm>

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

/// The layer `op` is when it holds constant weights (recording the
/// constants it holds in `held`), or none.
static std::optional<WeightedLayer>
getWeightedLayer(Operation *op, llvm::DenseSet<Value> &held) {
  auto isConstant = [](Value value) {
    return value && value.getDefiningOp<ConstantOp>();
  };
  // (weights, bias, output channels, weights per output channel)
  Value weight, bias;
  int64_t outputs = 0;
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    weight = conv.getWeight();
    bias = conv.getBias();
    outputs = cast<ShapedType>(weight.getType()).getDimSize(0);
  } else if (auto convTranspose = dyn_cast<ConvTranspose2DOp>(op)) {
    weight = convTranspose.getWeight();
    bias = convTranspose.getBias();
    outputs = cast<ShapedType>(weight.getType()).getDimSize(0);
  } else if (auto attention = dyn_cast<ChannelAttentionOp>(op)) {
    weight = attention.getWeight();
    bias = attention.getBias();
    outputs = cast<ShapedType>(weight.getType()).getDimSize(0);
  } else if (auto gemm = dyn_cast<GemmOp>(op)) {
    weight = gemm.getB();
    bias = gemm.getC();
    outputs = cast<ShapedType>(weight.getType())
                  .getDimSize(gemm.getTransB() ? 0 : 1);
  } else if (auto matmul = dyn_cast<MatMulOp>(op)) {
    weight = matmul.getRhs();
    outputs = cast<ShapedType>(weight.getType()).getShape().back();
  }
  if (!isConstant(weight) || outputs <= 0)
    return std::nullopt;
  held.insert(weight);
  if (isConstant(bias))
    held.insert(bias);
  WeightedLayer layer;
  layer.op = op->getName().getStringRef().str();
  layer.outputChannels = outputs;
  layer.weightsPerOutputChannel =
      cast<ShapedType>(weight.getType()).getNumElements() / outputs;
  return layer;
}

/// Bytes of the tensors the fused `op` stands for and never holds: a
/// convolution's upsampled input and its result before the residual add,
/// channel attention's per-channel means, logits and gates.
static int64_t fusedIntermediateBytes(Operation *op, int64_t elementBytes) {
  int64_t bytes = 0;
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    int64_t factor = conv.getInputUpsample();
    if (factor > 1)
      bytes = addBytes(
          bytes, multiplyBytes(multiplyBytes(tensorBytesOf(
                                                 conv.getInput().getType(),
                                                 elementBytes),
                                             factor),
                               factor));
    if (conv.getResidual())
      bytes = addBytes(bytes,
                       tensorBytesOf(conv.getOutput().getType(), elementBytes));
  } else if (auto attention = dyn_cast<ChannelAttentionOp>(op)) {
    auto type = cast<RankedTensorType>(attention.getOutput().getType());
    // Means, logits and gates: one per image and channel each.
    bytes = addBytes(bytes, multiplyBytes(3, tensorBytesOf(
                                                 RankedTensorType::get(
                                                     type.getShape().take_front(2),
                                                     type.getElementType()),
                                                 elementBytes)));
  }
  return bytes;
}

/// The bytes live at `step` when every tensor is whole and nothing is
/// fused, tiled or computed in place (MemoryInputs::activationPeakBytes).
static int64_t wholeTensorBytesAt(const FunctionMemoryPlan &plan,
                                  int64_t step, int64_t elementBytes) {
  auto whole = [&](Value value) {
    return tensorBytesOf(value.getType(), elementBytes);
  };
  Operation *op = plan.steps[step];
  auto block = dyn_cast<SeparableBlockOp>(op);
  Conv2DOp streamedInto;
  if (auto it = plan.streamedInto.find(op); it != plan.streamedInto.end())
    streamedInto = it->second;
  // The whole buffers live at the step, each on its own (a tensor written
  // in place over another is a second tensor); a tiled block's result and
  // its conv's are counted below, in the parts of the step that hold them.
  int64_t live = 0;
  for (const PlannedBuffer &buffer : plan.buffers)
    if (buffer.kind() == BufferKind::Whole && buffer.first() <= step &&
        step <= buffer.last() &&
        !(block && (buffer.value == block.getResult() ||
                    (streamedInto && buffer.value == streamedInto.getOutput()))))
      live = addBytes(live, whole(buffer.value));
  if (!block)
    return addBytes(live, fusedIntermediateBytes(op, elementBytes));
  // A tiled block's step is the depthwise conv, the pointwise conv and the
  // conv it streams into, run one after the other: the largest of them,
  // with the ring and the streamed rows as whole tensors.
  Conv2DOp depthwise = block.getDepthwise(), pointwise = block.getPointwise();
  int64_t intermediate = whole(depthwise.getOutput());
  int64_t result = whole(block.getResult());
  int64_t local = std::max(
      addBytes(intermediate, fusedIntermediateBytes(depthwise, elementBytes)),
      addBytes(addBytes(intermediate, result),
               fusedIntermediateBytes(pointwise, elementBytes)));
  if (streamedInto)
    local = std::max(
        local, addBytes(addBytes(result, whole(streamedInto.getOutput())),
                        fusedIntermediateBytes(streamedInto, elementBytes)));
  return addBytes(live, local);
}

MemoryInputs picosam::gatherMemoryInputs(const FunctionMemoryPlan &plan) {
  MemoryInputs inputs;
  int64_t elementBytes = plan.attr.getElementBytes();
  inputs.constantBytes = plan.attr.getWeights();
  inputs.arenaBytes = plan.attr.getArena();

  func::FuncOp func = plan.func;
  llvm::DenseMap<Value, std::string> names = nameValues(func);
  llvm::DenseSet<Value> held;
  func.walk([&](Operation *op) {
    if (std::optional<WeightedLayer> layer = getWeightedLayer(op, held)) {
      layer->name = names.lookup(op->getResult(0));
      inputs.layers.push_back(std::move(*layer));
    }
  });
  func.walk([&](ConstantOp constant) {
    if (!held.contains(constant.getResult()))
      inputs.otherConstantBytes = addBytes(
          inputs.otherConstantBytes,
          tensorBytesOf(constant.getResult().getType(), elementBytes));
  });

  for (BlockArgument argument : func.getArguments())
    inputs.inputElements = addBytes(
        inputs.inputElements, tensorBytesOf(argument.getType(), 1));

  for (int64_t step = 0; step < static_cast<int64_t>(plan.steps.size());
       ++step) {
    int64_t live = wholeTensorBytesAt(plan, step, elementBytes);
    if (live > inputs.activationPeakBytes) {
      inputs.activationPeakBytes = live;
      inputs.activationPeakStep = step;
    }
  }
  return inputs;
}
