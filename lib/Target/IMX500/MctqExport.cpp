//===- MctqExport.cpp - the quantized model in Sony's MCTQ ONNX format ----===//
//
// The source ONNX model is rewritten, not regenerated from pico IR: its
// nodes, names and float weights are what MCT's exporter would write for
// the same network (MCT folds BatchNormalization, so a source holding one
// is refused). The quantized graph supplies the quantizers:
// - each value it quantizes, by the name of the ONNX node that computed it
//   (the last name of a fused op's location; a channel attention's mean,
//   logits and gate by the first three), gets an ActivationPOTQuantizer on
//   that node's output; the graph input's quantize one on the input. Ops
//   that keep their input's quantization (resize, max_pool, reshape,
//   transpose) get none, as in MCT;
// - each convolution's per-output-channel weight scales s_c become a
//   WeightsSymmetricQuantizer with thresholds T_c = 128 s_c (MCT's scale is
//   T / 2^(n-1)) on the weight input of its ONNX Conv node.
// The quantizer takes over the tensor's name (its producer's output is
// renamed "<tensor>/float"), so every reader, graph outputs included, reads
// the quantized tensor.
//
//===----------------------------------------------------------------------===//
#include "picosam/Target/IMX500/MctqExport.h"

#include "Pico/PicoOps.h"
#include "picosam/Import/OnnxModel.h"
#include "picosam/Interpreter/ValueNames.h"
#include "picosam/Support/Quant.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {

/// An ActivationPOTQuantizer's attributes.
struct ActivationQuantizer {
  float threshold;
  bool isSigned;
};

/// The quantizer of a value of `type`, which `op` computes: 8 bits, zero
/// point 0, a power-of-two threshold T = 2^(n-1) s (signed) or 2^n s.
FailureOr<ActivationQuantizer> getActivationQuantizer(Operation *op, Type type,
                                                      StringRef node) {
  auto quantized =
      dyn_cast<quant::UniformQuantizedType>(getElementTypeOrSelf(type));
  if (!quantized)
    return op->emitError("node '")
           << node
           << "' computes in float in the quantized graph; the MCTQ format "
              "quantizes every layer (no float fallback)";
  double threshold = quantized.getScale() * (quantized.isSigned() ? 128 : 256);
  if (quantized.getStorageTypeIntegralWidth() != 8 ||
      quantized.getZeroPoint() != 0 || !isPowerOfTwo(threshold))
    return op->emitError("node '")
           << node << "': " << quantized
           << " is not an ActivationPOTQuantizer's (8 bits, zero point 0, "
              "power-of-two threshold): quantize with the imx500 profile "
              "(--target=imx500)";
  return ActivationQuantizer{static_cast<float>(threshold),
                             quantized.isSigned()};
}

/// The quantizers the quantized graph asks for.
struct Quantizers {
  /// By the name of the ONNX node (or graph input) whose output they
  /// quantize.
  llvm::StringMap<ActivationQuantizer> activations;
  /// Per-output-channel thresholds, by Conv node name.
  llvm::StringMap<std::vector<float>> weights;
};

/// The ONNX node names of the source model, with their op types.
using NodeTypes = llvm::StringMap<std::string>;

LogicalResult collectQuantizers(func::FuncOp func, const NodeTypes &nodes,
                                Quantizers &quantizers) {
  auto record = [&](Operation *op, StringRef name, Type type) {
    FailureOr<ActivationQuantizer> quantizer =
        getActivationQuantizer(op, type, name);
    if (failed(quantizer))
      return failure();
    quantizers.activations[name] = *quantizer;
    return success();
  };
  auto recordWeights = [&](Operation *op, ArrayRef<std::string> names,
                           Value weight) -> LogicalResult {
    const std::string *conv = llvm::find_if(names, [&](const std::string &n) {
      auto found = nodes.find(n);
      return found != nodes.end() && found->second == "Conv";
    });
    auto type = dyn_cast<quant::UniformQuantizedPerAxisType>(
        getElementTypeOrSelf(weight.getType()));
    if (conv == names.end() || !type)
      return op->emitError("'")
             << llvm::join(names, "+")
             << "': no ONNX Conv node of the source model has quantized "
                "weights here";
    std::vector<float> &thresholds = quantizers.weights[*conv];
    for (double scale : type.getScales())
      thresholds.push_back(static_cast<float>(128.0 * scale));
    return success();
  };

  WalkResult walk = func.walk([&](Operation *op) -> WalkResult {
    if (isa<func::FuncOp, func::ReturnOp, ConstantOp, DequantizeOp,
            SeparableBlockOp, YieldOp>(op))
      return WalkResult::advance();
    SmallVector<std::string> names;
    collectLocationNames(op->getLoc(), names);
    if (auto quantize = dyn_cast<QuantizeOp>(op)) {
      // The graph input's; others quantize constants read as activations.
      auto argument = dyn_cast<BlockArgument>(quantize.getInput());
      if (argument &&
          failed(record(op, argumentName(argument), quantize.getType())))
        return WalkResult::interrupt();
      return WalkResult::advance();
    }
    std::string name =
        names.empty() ? op->getName().getStringRef().str() : names.back();
    FailureOr<ActivationQuantizer> result =
        getActivationQuantizer(op, op->getResult(0).getType(), name);
    if (failed(result))
      return WalkResult::interrupt();
    // These keep their input's quantization: no quantizer, as in MCT.
    auto reduce = dyn_cast<ReduceOp>(op);
    if (isa<ResizeOp, MaxPoolOp, ReshapeOp, TransposeOp, PadOp, SliceOp>(op) ||
        (reduce && reduce.getKind() == ReduceKind::Max))
      return WalkResult::advance();
    quantizers.activations[name] = *result;
    if (auto conv = dyn_cast<Conv2DOp>(op))
      if (failed(recordWeights(op, names, conv.getWeight())))
        return WalkResult::interrupt();
    if (auto attention = dyn_cast<ChannelAttentionOp>(op)) {
      // Its pool's means, its 1x1 convolution's logits, its sigmoid's
      // gates (u8 at 1/256: threshold 1, unsigned).
      if (names.size() < 4 || !attention.getMeanType() ||
          !attention.getLogitsType())
        return op->emitError("'")
               << name
               << "': a channel attention needs the names of its "
                  "GlobalAveragePool, Conv, Sigmoid and Mul nodes and its "
                  "quantized intermediates";
      if (failed(record(op, names[0], *attention.getMeanType())) ||
          failed(record(op, names[1], *attention.getLogitsType())) ||
          failed(recordWeights(op, names, attention.getWeight())))
        return WalkResult::interrupt();
      quantizers.activations[names[2]] = {1.0f, false};
    }
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

void addAttribute(onnx::NodeProto &node, StringRef name, int64_t value) {
  onnx::AttributeProto *attr = node.add_attribute();
  attr->set_name(name.str());
  attr->set_type(onnx::AttributeProto::INT);
  attr->set_i(value);
}

void addAttribute(onnx::NodeProto &node, StringRef name, float value) {
  onnx::AttributeProto *attr = node.add_attribute();
  attr->set_name(name.str());
  attr->set_type(onnx::AttributeProto::FLOAT);
  attr->set_f(value);
}

void addAttribute(onnx::NodeProto &node, StringRef name, StringRef value) {
  onnx::AttributeProto *attr = node.add_attribute();
  attr->set_name(name.str());
  attr->set_type(onnx::AttributeProto::STRING);
  attr->set_s(value.str());
}

onnx::NodeProto makeQuantizer(StringRef opType, StringRef name) {
  onnx::NodeProto node;
  node.set_op_type(opType.str());
  node.set_domain(kMctQuantizersDomain.str());
  node.set_name(name.str());
  return node;
}

onnx::NodeProto makeActivationQuantizer(StringRef name, StringRef input,
                                        StringRef output,
                                        const ActivationQuantizer &q) {
  onnx::NodeProto node = makeQuantizer(
      "ActivationPOTQuantizer", (name + "/ActivationPOTQuantizer").str());
  node.add_input(input.str());
  node.add_output(output.str());
  addAttribute(node, "threshold", q.threshold);
  addAttribute(node, "signed", static_cast<int64_t>(q.isSigned));
  addAttribute(node, "num_bits", static_cast<int64_t>(8));
  addAttribute(node, "mctq_version", kMctqVersion);
  return node;
}

/// Sets (or replaces) the model's metadata entry `key`.
void setMetadata(onnx::ModelProto &model, StringRef key, StringRef value) {
  for (onnx::StringStringEntryProto &entry : *model.mutable_metadata_props())
    if (entry.key() == key) {
      entry.set_value(value.str());
      return;
    }
  onnx::StringStringEntryProto *entry = model.add_metadata_props();
  entry->set_key(key.str());
  entry->set_value(value.str());
}

} // namespace

LogicalResult picosam::exportMctqOnnx(ModuleOp module, StringRef sourceModel,
                                      raw_ostream &os) {
  onnx::ModelProto model;
  if (llvm::Error error = loadOnnxModel(sourceModel, model))
    return module.emitError(llvm::toString(std::move(error)));
  onnx::GraphProto &graph = *model.mutable_graph();

  // Every node named (Sony's converter refuses empty names), as the
  // importer named it, so the names are those of the IR.
  NodeTypes nodes;
  for (auto [index, node] : llvm::enumerate(*graph.mutable_node())) {
    if (node.name().empty())
      node.set_name(node.op_type() + "_" + std::to_string(index));
    std::string what = "node '" + node.name() + "' (" + node.op_type() + "): ";
    if (node.domain() == kMctQuantizersDomain)
      return module.emitError(what + "the model is already an MCTQ model");
    if (node.op_type() == "BatchNormalization")
      return module.emitError(
          what + "the MCTQ format holds the weights the quantizers quantize, "
                 "which are folded with the BatchNormalization: export the "
                 "model with BatchNormalization folded (torch.onnx.export in "
                 "eval mode does)");
    nodes[node.name()] = node.op_type();
  }

  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func || func.isExternal())
    return module.emitError("the MCTQ export writes @main, which the module "
                            "does not define");
  Quantizers quantizers;
  if (failed(collectQuantizers(func, nodes, quantizers)))
    return failure();

  // The graph inputs' quantizers come first; their readers are rewired.
  std::vector<onnx::NodeProto> sourceNodes(graph.node().begin(),
                                           graph.node().end());
  graph.clear_node();
  for (const onnx::ValueInfoProto &input : graph.input()) {
    auto quantizer = quantizers.activations.find(input.name());
    if (quantizer == quantizers.activations.end())
      continue;
    std::string quantized = input.name() + "/quantized";
    *graph.add_node() = makeActivationQuantizer(input.name(), input.name(),
                                                quantized, quantizer->second);
    for (onnx::NodeProto &node : sourceNodes)
      for (std::string &name : *node.mutable_input())
        if (name == input.name())
          name = quantized;
    quantizers.activations.erase(quantizer);
  }
  for (onnx::NodeProto &node : sourceNodes) {
    auto weights = quantizers.weights.find(node.name());
    if (weights != quantizers.weights.end()) {
      std::string threshold = node.name() + "/weight_threshold";
      onnx::TensorProto *tensor = graph.add_initializer();
      tensor->set_name(threshold);
      tensor->set_data_type(onnx::TensorProto::FLOAT);
      tensor->add_dims(static_cast<int64_t>(weights->second.size()));
      for (float value : weights->second)
        tensor->add_float_data(value);
      onnx::NodeProto quantizer =
          makeQuantizer("WeightsSymmetricQuantizer",
                        node.name() + "/WeightsSymmetricQuantizer");
      quantizer.add_input(node.input(1));
      quantizer.add_input(threshold);
      quantizer.add_output(node.name() + "/quantized_weight");
      addAttribute(quantizer, "num_bits", static_cast<int64_t>(8));
      addAttribute(quantizer, "per_channel", static_cast<int64_t>(1));
      addAttribute(quantizer, "channel_axis", static_cast<int64_t>(0));
      addAttribute(quantizer, "signed", static_cast<int64_t>(1));
      addAttribute(quantizer, "mctq_version", kMctqVersion);
      *graph.add_node() = std::move(quantizer);
      node.set_input(1, node.name() + "/quantized_weight");
      quantizers.weights.erase(weights);
    }
    auto quantizer = quantizers.activations.find(node.name());
    if (quantizer == quantizers.activations.end()) {
      *graph.add_node() = std::move(node);
      continue;
    }
    std::string tensor = node.output(0);
    node.set_output(0, tensor + "/float");
    std::string name = node.name();
    *graph.add_node() = std::move(node);
    *graph.add_node() = makeActivationQuantizer(name, tensor + "/float", tensor,
                                                quantizer->second);
    quantizers.activations.erase(quantizer);
  }
  // Every quantizer found its node.
  if (!quantizers.activations.empty())
    return module.emitError("the quantized graph quantizes '")
           << quantizers.activations.begin()->getKey()
           << "', which is no node or graph input of " << sourceModel;
  if (!quantizers.weights.empty())
    return module.emitError("the quantized graph quantizes the weights of '")
           << quantizers.weights.begin()->getKey() << "', which is no node of "
           << sourceModel;

  bool hasDomain = llvm::any_of(model.opset_import(),
                                [](const onnx::OperatorSetIdProto &opset) {
                                  return opset.domain() == kMctQuantizersDomain;
                                });
  if (!hasDomain) {
    onnx::OperatorSetIdProto *opset = model.add_opset_import();
    opset->set_domain(kMctQuantizersDomain.str());
    opset->set_version(1);
  }
  // The metadata MCT's exporter adds (docs/imx500.md lists the values).
  setMetadata(model, "mct_version", "picosam (not MCT)");
  setMetadata(model, "mctq_version", kMctqVersion);
  setMetadata(model, "tpc_platform_type", "imx500");
  setMetadata(model, "tpc_name", "imx500_tpc");
  setMetadata(model, "tpc_minor_version", "1");
  setMetadata(model, "tpc_patch_version", "0");
  setMetadata(model, "tpc_schema", "v1");
  setMetadata(model, "onnx_version",
              "ir " + std::to_string(model.ir_version()));
  setMetadata(model, "python_version", "none (written by picosam)");

  std::string bytes;
  if (!model.SerializeToString(&bytes))
    return module.emitError("the MCTQ model could not be serialized");
  os.write(bytes.data(), bytes.size());
  return success();
}
