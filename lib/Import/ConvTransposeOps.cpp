//===- ConvTransposeOps.cpp - ONNX ConvTranspose --------------------------===//
//
// ConvTranspose (segmentation decoders' learned upsampling) becomes
// pico.conv_transpose2d: its pads and output padding resolved from
// `auto_pad` and `output_shape`, its weight transposed from ONNX's
// C x O/group x Kh x Kw to conv2d's O x C/group x Kh x Kw.
//
//===----------------------------------------------------------------------===//
#include "Folding.h"
#include "GraphImporter.h"

#include "Pico/PicoOps.h"
#include "picosam/Kernels/ConvTranspose.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace picosam;
using namespace picosam::onnx_import;
using llvm::Error;
using llvm::Expected;

/// Checks that attribute `name` has two values of at least `minimum`.
static Error checkPair(StringRef name, ArrayRef<int64_t> values, int64_t minimum) {
  if (values.size() != 2)
    return makeError("attribute '" + name + "' must have 2 values, got " +
                     Twine(values.size()));
  if (llvm::any_of(values, [&](int64_t v) { return v < minimum; }))
    return makeError("attribute '" + name + "' must be at least " + Twine(minimum) + ", got " +
                     formatInts(values));
  return Error::success();
}

/// The window of a ConvTranspose: its explicit pads ([top, left, bottom,
/// right], >= 0) and output padding.
struct TransposedWindow {
  SmallVector<int64_t, 4> strides, dilations, pads, outputPadding;
};

/// Reads strides, dilations, output_padding, pads, auto_pad and
/// output_shape for an input of spatial sizes `inputHW` and a kernel
/// `kernelHW`. An `output_shape` (or SAME auto_pad: input x stride) sets
/// the pads ONNX's rule derives from it, the odd one at the end for
/// SAME_UPPER, at the start otherwise; a negative end pad (a larger output
/// than the taps reach) becomes output padding.
static Expected<TransposedWindow> readTransposedWindow(NodeAttributes &attrs,
                                                       ArrayRef<int64_t> inputHW,
                                                       ArrayRef<int64_t> kernelHW) {
  TransposedWindow window;
  window.strides = attrs.getInts("strides", {1, 1});
  window.dilations = attrs.getInts("dilations", {1, 1});
  window.outputPadding = attrs.getInts("output_padding", {0, 0});
  if (Error err = checkPair("strides", window.strides, 1))
    return std::move(err);
  if (Error err = checkPair("dilations", window.dilations, 1))
    return std::move(err);
  if (Error err = checkPair("output_padding", window.outputPadding, 0))
    return std::move(err);
  std::string autoPad = attrs.getString("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return unsupportedValue("auto_pad", autoPad, "NOTSET, VALID, SAME_UPPER, SAME_LOWER");
  SmallVector<int64_t, 4> outputShape = attrs.getInts("output_shape", {});
  window.pads = attrs.getInts("pads", {0, 0, 0, 0});
  if (autoPad == "VALID")
    window.pads.assign(4, 0);
  if (outputShape.empty() && autoPad.rfind("SAME", 0) == 0)
    outputShape = {inputHW[0] * window.strides[0], inputHW[1] * window.strides[1]};
  if (outputShape.empty()) {
    if (window.pads.size() != 4)
      return makeError("attribute 'pads' must have 4 values, got " + Twine(window.pads.size()));
    if (llvm::any_of(window.pads, [](int64_t pad) { return pad < 0; }))
      return makeError("attribute 'pads' must not be negative, got " + formatInts(window.pads));
    return window;
  }
  // ONNX gives output_shape as the spatial sizes or as the whole shape.
  if (outputShape.size() == 4)
    outputShape.erase(outputShape.begin(), outputShape.begin() + 2);
  if (outputShape.size() != 2)
    return makeError("attribute 'output_shape' must have 2 spatial sizes, got " +
                     formatInts(outputShape));
  for (int64_t axis = 0; axis < 2; ++axis) {
    // The whole output without pads, then how much of it the pads crop.
    std::optional<int64_t> full = kernels::convTransposeOutputSize(
        inputHW[axis], kernelHW[axis], window.strides[axis], window.dilations[axis], 0, 0,
        window.outputPadding[axis]);
    if (!full)
      return makeError("the output along axis " + Twine(axis + 2) + " overflows int64_t");
    int64_t total = *full - outputShape[axis];
    int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2); // floor(total / 2)
    int64_t begin = autoPad == "SAME_UPPER" ? half : total - half;
    int64_t end = total - begin;
    if (begin < 0)
      return makeError("attribute 'output_shape' " + formatInts(outputShape) +
                       " needs the output to start before the first tap along axis " +
                       Twine(axis + 2) + " (a negative leading pad), which is not supported");
    if (end < 0) {
      window.outputPadding[axis] -= end;
      end = 0;
    }
    window.pads[axis] = begin;
    window.pads[axis + 2] = end;
  }
  window.pads.resize(4);
  return window;
}

Error GraphImporter::convertConvTranspose(NodeAttributes &attrs) {
  // The weight is read as a constant where it is one (only its transpose
  // enters the IR).
  Expected<Value> input = getInput(0);
  if (!input)
    return input.takeError();
  Expected<RankedTensorType> weightType = getInputType(1);
  if (!weightType)
    return weightType.takeError();
  Value bias;
  if (hasInput(2)) {
    Expected<Value> value = getInput(2);
    if (!value)
      return value.takeError();
    bias = *value;
  }
  ArrayRef<int64_t> inputShape = cast<RankedTensorType>(input->getType()).getShape();
  if (inputShape.size() != 4)
    return makeError("only 2-D transposed convolution (a 4-D NCHW input) is supported; the "
                     "input has rank " +
                     Twine(inputShape.size()));
  ArrayRef<int64_t> weightShape = weightType->getShape();
  if (weightShape.size() != 4)
    return makeError("the weight must be 4-D (C x O/group x Kh x Kw), got " +
                     formatShape(weightShape));
  ArrayRef<int64_t> kernel = weightShape.drop_front(2);
  if (attrs.getInts("kernel_shape", kernel) != kernel)
    return makeError("attribute 'kernel_shape' differs from the weight's kernel " +
                     formatShape(kernel));
  int64_t group = attrs.getInt("group", 1);
  if (group < 1 || inputShape[1] % group != 0 || weightShape[0] != inputShape[1])
    return makeError("the weight's " + Twine(weightShape[0]) + " input channels and group " +
                     Twine(group) + " do not fit the input's " + Twine(inputShape[1]) +
                     " channels");
  Expected<TransposedWindow> window =
      readTransposedWindow(attrs, inputShape.drop_front(2), kernel);
  if (!window)
    return window.takeError();

  // ONNX's weight [g * C/g + i][j] is output channel g * O/g + j's tap of
  // input channel i of its group: conv2d's [g * O/g + j][i].
  int64_t groupChannels = weightShape[0] / group, groupOutputs = weightShape[1];
  int64_t taps = kernel[0] * kernel[1];
  SmallVector<int64_t, 4> shape = {group * groupOutputs, groupChannels, kernel[0], kernel[1]};
  Value transposed;
  if (DenseElementsAttr constant = getConstantInput(1)) {
    std::vector<int64_t> sources;
    sources.reserve(constant.getNumElements());
    for (int64_t oc = 0; oc < shape[0]; ++oc)
      for (int64_t i = 0; i < groupChannels; ++i)
        for (int64_t tap = 0; tap < taps; ++tap)
          sources.push_back(((oc / groupOutputs * groupChannels + i) * groupOutputs +
                             oc % groupOutputs) *
                                taps +
                            tap);
    transposed = pico::ConstantOp::create(builder, namedLoc(node().input(1)),
                                          gatherElements(constant, shape, sources));
  } else if (group == 1) {
    Expected<Value> weight = getInput(1);
    if (!weight)
      return weight.takeError();
    Expected<Value> value = createInferred<pico::TransposeOp>(
        auxLoc("weight"), *weight, builder.getDenseI64ArrayAttr({1, 0, 2, 3}));
    if (!value)
      return value.takeError();
    transposed = *value;
  } else {
    return makeError("a grouped ConvTranspose's weight must be a constant (an initializer)");
  }
  return setOutput(0, createInferred<pico::ConvTranspose2DOp>(
                          nodeLoc(), *input, transposed, bias,
                          builder.getDenseI64ArrayAttr(window->strides),
                          builder.getDenseI64ArrayAttr(window->dilations),
                          builder.getDenseI64ArrayAttr(window->pads),
                          builder.getDenseI64ArrayAttr(window->outputPadding),
                          builder.getI64IntegerAttr(group), pico::ActivationAttr()));
}
