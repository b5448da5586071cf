//===- MctqOps.cpp - MCT's quantizer nodes (domain mct_quantizers) --------===//
//
// An MCTQ model (what Sony's Model Compression Toolkit exports,
// docs/imx500.md) is the float graph with quantizer nodes in the
// `mct_quantizers` domain. Each quantizer imports as an identity of its
// input; its thresholds are kept and become the module's pico.calibration
// (the calibration table the activation quantizers amount to) and
// pico.weight_thresholds (per output channel, by Conv node), which
// --pico-quantize uses instead of calibrating. Only what picosam's INT8
// arithmetic can hold is accepted: 8 bits, signed per-channel weights along
// the output channels, power-of-two activation thresholds.
//
//===----------------------------------------------------------------------===//
#include "GraphImporter.h"

#include "Pico/PicoDialect.h"
#include "picosam/Support/Quant.h"

#include "llvm/Support/Format.h"

#include <cmath>

using namespace mlir;
using namespace picosam;
using namespace picosam::onnx_import;
using llvm::Error;

const llvm::StringMap<ConvertFn> &onnx_import::getMctqConverters() {
  static const llvm::StringMap<ConvertFn> converters = {
      {"ActivationPOTQuantizer", &GraphImporter::convertActivationPOTQuantizer},
      {"WeightsPOTQuantizer", &GraphImporter::convertWeightsPOTQuantizer},
      {"WeightsSymmetricQuantizer",
       &GraphImporter::convertWeightsSymmetricQuantizer},
  };
  return converters;
}

/// `value` as messages print it: the float's shortest faithful decimal.
static std::string formatThreshold(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.9g", value);
  return text;
}

/// Reads the required INT attribute `name`.
static llvm::Expected<int64_t> requireInt(NodeAttributes &attrs,
                                          StringRef name) {
  if (!attrs.has(name))
    return makeError("attribute '" + name + "' is missing");
  return attrs.getInt(name, 0);
}

/// Reads the required num_bits, which must be 8: picosam's INT8 arithmetic.
static Error requireEightBits(NodeAttributes &attrs, StringRef what) {
  llvm::Expected<int64_t> numBits = requireInt(attrs, "num_bits");
  if (!numBits)
    return numBits.takeError();
  if (*numBits == 8)
    return Error::success();
  return makeError("num_bits is " + Twine(*numBits) + "; picosam quantizes " +
                   what + " to 8 bits");
}

Error GraphImporter::convertActivationPOTQuantizer(NodeAttributes &attrs) {
  attrs.ignore("mctq_version");
  if (!attrs.has("threshold"))
    return makeError("attribute 'threshold' is missing");
  float threshold = attrs.getFloat("threshold", 0.0f);
  llvm::Expected<int64_t> isSigned = requireInt(attrs, "signed");
  if (!isSigned)
    return isSigned.takeError();
  if (Error err = requireEightBits(attrs, "activations"))
    return err;
  if (!std::isfinite(threshold) || threshold <= 0.0f)
    return makeError("threshold " + formatThreshold(threshold) +
                     " is not a positive finite number");
  if (!isPowerOfTwo(threshold))
    return makeError("threshold " + formatThreshold(threshold) +
                     " is not a power of two, which ActivationPOTQuantizer "
                     "requires");
  if (Error err = checkOutputCount(1, "a quantizer has one output"))
    return err;
  llvm::Expected<Value> input = getInput(0);
  if (!input)
    return input.takeError();
  ActivationThreshold entry{threshold, *isSigned != 0, currentName};
  auto [it, inserted] = activationThresholds.insert({*input, entry});
  if (!inserted && (it->second.threshold != threshold ||
                    it->second.isSigned != entry.isSigned))
    return makeError("tensor '" + node().input(0) +
                     "' is already quantized by node '" + it->second.node +
                     "' with threshold " +
                     formatThreshold(it->second.threshold) +
                     (it->second.isSigned ? " (signed)" : " (unsigned)"));
  return aliasOutput(0, 0);
}

Error GraphImporter::convertWeightsSymmetricQuantizer(NodeAttributes &attrs) {
  return convertWeightsQuantizer(attrs, /*powerOfTwo=*/false);
}

Error GraphImporter::convertWeightsPOTQuantizer(NodeAttributes &attrs) {
  return convertWeightsQuantizer(attrs, /*powerOfTwo=*/true);
}

Error GraphImporter::convertWeightsQuantizer(NodeAttributes &attrs,
                                             bool powerOfTwo) {
  attrs.ignore("mctq_version");
  if (Error err = requireEightBits(attrs, "weights"))
    return err;
  llvm::Expected<int64_t> perChannel = requireInt(attrs, "per_channel");
  if (!perChannel)
    return perChannel.takeError();
  int64_t channelAxis = attrs.getInt("channel_axis", 0);
  int64_t isSigned = attrs.getInt("signed", 1);
  if (isSigned == 0)
    return makeError("signed is 0; picosam's weights are signed");
  if (*perChannel != 0 && channelAxis != 0)
    return makeError("channel_axis is " + Twine(channelAxis) +
                     "; picosam quantizes weights per output channel (axis 0)");
  if (Error err = checkOutputCount(1, "a quantizer has one output"))
    return err;

  llvm::Expected<DenseElementsAttr> weight = requireConstantInput(0, "weight");
  if (!weight)
    return weight.takeError();
  llvm::Expected<DenseElementsAttr> thresholds =
      requireConstantInput(1, "threshold");
  if (!thresholds)
    return thresholds.takeError();
  auto weightType = cast<RankedTensorType>(weight->getType());
  if (!weightType.getElementType().isF32() || weightType.getRank() == 0)
    return makeError("the weight '" + node().input(0) + "' is " +
                     formatType(weightType) +
                     "; a quantizer's weight is a float32 tensor");
  if (!isa<FloatType>(thresholds->getElementType()))
    return makeError("the threshold '" + node().input(1) +
                     "' is not a float tensor");

  int64_t outChannels = weightType.getDimSize(0);
  int64_t expected = *perChannel != 0 ? outChannels : 1;
  int64_t given = thresholds->getNumElements();
  if (given != expected) {
    std::string why = *perChannel != 0
                          ? "the weight '" + node().input(0) + "' (" +
                                formatShape(weightType.getShape()) + ") has " +
                                std::to_string(outChannels) + " output channels"
                          : "a per-tensor quantizer (per_channel = 0) has one";
    return makeError("'" + node().input(1) + "' holds " + Twine(given) +
                     " threshold" + (given == 1 ? "" : "s") + ", but " + why);
  }
  std::vector<float> values;
  for (const llvm::APFloat &value : thresholds->getValues<llvm::APFloat>()) {
    double threshold = value.convertToDouble();
    std::string which = "threshold #" + std::to_string(values.size()) + " (" +
                        formatThreshold(threshold) + ")";
    if (!std::isfinite(threshold) || threshold <= 0.0)
      return makeError(which + " is not a positive finite number");
    if (powerOfTwo && !isPowerOfTwo(threshold))
      return makeError(which +
                       " is not a power of two, which WeightsPOTQuantizer "
                       "requires");
    values.push_back(static_cast<float>(threshold));
  }
  if (*perChannel == 0)
    values.assign(outChannels, values.front());
  if (hasOutput(0))
    weightThresholds[node().output(0)] = std::move(values);
  return aliasOutput(0, 0);
}

Error GraphImporter::attachImportedQuantization(ModuleOp module) {
  if (activationThresholds.empty() && weightThresholds.empty())
    return Error::success();
  // Each quantized weight is a Conv's weight input: its thresholds go by
  // that node's name, which the convolution keeps through fusion.
  SmallVector<NamedAttribute> weights;
  for (auto [index, node] : llvm::enumerate(model.graph().node()))
    for (auto [inputIndex, input] : llvm::enumerate(node.input())) {
      auto found = weightThresholds.find(input);
      if (found == weightThresholds.end())
        continue;
      std::string name = node.name().empty()
                             ? node.op_type() + "_" + std::to_string(index)
                             : node.name();
      if (node.op_type() != "Conv" || inputIndex != 1)
        return makeError("node '" + name + "' (" + node.op_type() +
                         "): reads the quantized weights '" + input +
                         "' as input #" + Twine(inputIndex) +
                         "; picosam takes quantized weights as a Conv's "
                         "weight input (#1) only");
      weights.push_back(builder.getNamedAttr(
          name, builder.getDenseF32ArrayAttr(found->second)));
    }
  // The calibration table the activation quantizers amount to: range
  // [-T, T] (signed) or [0, T] (unsigned) with threshold T, under the
  // name the quantized value has.
  SmallVector<NamedAttribute> calibration;
  for (const auto &[value, entry] : activationThresholds) {
    Location loc = value.getDefiningOp() ? value.getDefiningOp()->getLoc()
                                         : cast<BlockArgument>(value).getLoc();
    float min = entry.isSigned ? -entry.threshold : 0.0f;
    calibration.push_back(builder.getNamedAttr(
        cast<NameLoc>(loc).getName(),
        builder.getDenseF32ArrayAttr({min, entry.threshold, entry.threshold})));
  }
  module->setAttr(pico::PicoDialect::kCalibrationAttrName,
                  builder.getDictionaryAttr(calibration));
  module->setAttr(pico::PicoDialect::kWeightThresholdsAttrName,
                  builder.getDictionaryAttr(weights));
  return Error::success();
}
