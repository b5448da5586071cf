//===- ImportOps.cpp - ONNX nodes that become pico ops --------------------===//
//
// One converter per ONNX op type. Each reads the node's inputs and
// attributes, rejects what pico cannot express with a message naming the
// attribute and value, and creates the pico op, typed by its own inference
// (InferTypeOpInterface) unless the model gives the type. Data-movement ops
// (Concat, Reshape, Transpose, ...) and arithmetic on constants are folded,
// since exporters use them on constant shape tensors.
//
//===----------------------------------------------------------------------===//
#include "Folding.h"
#include "GraphImporter.h"

#include "Pico/PicoOps.h"
#include "Pico/ShapeUtils.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <cstdio>
#include <limits>

using namespace mlir;
using namespace picosam;
using namespace picosam::onnx_import;
using llvm::Error;
using llvm::Expected;

static Type getElementTypeOf(Value value) {
  return cast<ShapedType>(value.getType()).getElementType();
}

static Error checkAttributeSize(StringRef attribute, ArrayRef<int64_t> values,
                                size_t expected) {
  if (values.size() == expected)
    return Error::success();
  return makeError("attribute '" + attribute + "' must have " + Twine(expected) +
                   " values, got " + Twine(values.size()));
}

/// A float as %g prints it.
static std::string formatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

/// Explicit [top, left, bottom, right] pads from ONNX's `pads` or `auto_pad`
/// for a 2-D window (Conv, AveragePool, MaxPool).
static Expected<SmallVector<int64_t, 4>>
resolvePads(NodeAttributes &attrs, ArrayRef<int64_t> inputHW, ArrayRef<int64_t> kernelHW,
            ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  std::string autoPad = attrs.getString("auto_pad", "NOTSET");
  SmallVector<int64_t, 4> pads = attrs.getInts("pads", {0, 0, 0, 0});
  auto isPositive = [](int64_t value) { return value >= 1; };
  if (!llvm::all_of(strides, isPositive) || !llvm::all_of(dilations, isPositive) ||
      !llvm::all_of(kernelHW, isPositive))
    return makeError("attributes 'strides', 'dilations' and the kernel size must be at "
                     "least 1");
  if (autoPad == "NOTSET") {
    if (Error err = checkAttributeSize("pads", pads, 4))
      return std::move(err);
    if (llvm::any_of(pads, [](int64_t pad) { return pad < 0; }))
      return makeError("attribute 'pads' must not be negative");
    return pads;
  }
  if (autoPad == "VALID")
    return SmallVector<int64_t, 4>{0, 0, 0, 0};
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return unsupportedValue("auto_pad", autoPad,
                            "NOTSET, VALID, SAME_UPPER, SAME_LOWER");
  // SAME: the output has ceil(in / stride) elements; the padding that takes
  // is split evenly, the odd element at the end (UPPER) or start (LOWER).
  for (size_t axis = 0; axis < 2; ++axis) {
    int64_t input = inputHW[axis], stride = strides[axis];
    // ceil(input / stride), and the extent the windows cover, checked:
    // the attributes may be anything up to 2^63-1.
    int64_t output = input / stride + (input % stride != 0);
    std::optional<int64_t> window =
        pico::dilatedKernelExtent(kernelHW[axis], dilations[axis]);
    std::optional<int64_t> covered =
        window ? llvm::checkedMulAdd(output - 1, stride, *window) : std::nullopt;
    if (input < 0 || !covered)
      return makeError("auto_pad " + autoPad + ": the windows along axis " +
                       Twine(axis + 2) + " (size " + Twine(input) + ", kernel " +
                       Twine(kernelHW[axis]) + ", stride " + Twine(stride) +
                       ", dilation " + Twine(dilations[axis]) +
                       ") cover more than 2^63-1 elements");
    int64_t total = std::max<int64_t>(0, *covered - input);
    int64_t smaller = total / 2, larger = total - smaller;
    pads[axis] = autoPad == "SAME_UPPER" ? smaller : larger;
    pads[axis + 2] = autoPad == "SAME_UPPER" ? larger : smaller;
  }
  return pads;
}

/// The sliding window of Conv, AveragePool and MaxPool.
struct picosam::onnx_import::Window {
  SmallVector<int64_t, 4> kernel, strides, dilations, pads;
};

/// The window's strides, dilations and explicit pads from the node's
/// attributes, for a 4-D NCHW `input` and a 2-D `kernel`.
static Expected<Window> readWindow(NodeAttributes &attrs, Value input,
                                   ArrayRef<int64_t> kernel) {
  Window window;
  window.kernel.assign(kernel.begin(), kernel.end());
  window.strides = attrs.getInts("strides", {1, 1});
  window.dilations = attrs.getInts("dilations", {1, 1});
  if (Error err = checkAttributeSize("strides", window.strides, 2))
    return std::move(err);
  if (Error err = checkAttributeSize("dilations", window.dilations, 2))
    return std::move(err);
  ArrayRef<int64_t> inputHW = cast<RankedTensorType>(input.getType()).getShape().drop_front(2);
  Expected<SmallVector<int64_t, 4>> pads =
      resolvePads(attrs, inputHW, window.kernel, window.strides, window.dilations);
  if (!pads)
    return pads.takeError();
  window.pads = *pads;
  return window;
}

/// Checks that a windowed op's input is a 4-D NCHW tensor.
static Error checkImageInput(Value input, StringRef what) {
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  if (rank == 4)
    return Error::success();
  return makeError("only 2-D " + what + " (a 4-D NCHW input) is supported; the input has rank " +
                   Twine(rank));
}

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

Error GraphImporter::convertRelu(NodeAttributes &) { return convertUnary<pico::ReluOp>(); }
Error GraphImporter::convertSigmoid(NodeAttributes &) {
  return convertUnary<pico::SigmoidOp>();
}
Error GraphImporter::convertTanh(NodeAttributes &) { return convertUnary<pico::TanhOp>(); }
Error GraphImporter::convertHardSwish(NodeAttributes &) {
  return convertUnary<pico::HardSwishOp>();
}
Error GraphImporter::convertGlobalAveragePool(NodeAttributes &) {
  return convertUnary<pico::GlobalAvgPoolOp>();
}

Error GraphImporter::convertLeakyRelu(NodeAttributes &attrs) {
  return convertUnary<pico::LeakyReluOp>(
      builder.getF32FloatAttr(attrs.getFloat("alpha", 0.01f)));
}

Error GraphImporter::convertHardSigmoid(NodeAttributes &attrs) {
  return convertUnary<pico::HardSigmoidOp>(
      builder.getF32FloatAttr(attrs.getFloat("alpha", 0.2f)),
      builder.getF32FloatAttr(attrs.getFloat("beta", 0.5f)));
}

Error GraphImporter::convertClip(NodeAttributes &attrs) {
  // Before opset 11 the bounds are attributes, their defaults the lowest
  // and largest finite floats.
  if (opset < 11)
    return convertUnary<pico::ClipOp>(
        builder.getF32FloatAttr(attrs.getFloat("min", std::numeric_limits<float>::lowest())),
        builder.getF32FloatAttr(attrs.getFloat("max", std::numeric_limits<float>::max())));
  // From opset 11 the bounds are optional inputs; pico.clip holds them as
  // attributes, so they must be constants.
  float bounds[2] = {-std::numeric_limits<float>::infinity(),
                     std::numeric_limits<float>::infinity()};
  const char *roles[2] = {"min", "max"};
  for (int index : {1, 2}) {
    Expected<DenseElementsAttr> bound = getOptionalConstantInput(index, roles[index - 1]);
    if (!bound)
      return bound.takeError();
    if (!*bound)
      continue;
    if (bound->getNumElements() != 1)
      return makeError("input '" + Twine(roles[index - 1]) + "' must hold one value, got " +
                       formatShape(bound->getType().getShape()));
    bounds[index - 1] = static_cast<float>(getFloatValues(*bound).front());
  }
  return convertUnary<pico::ClipOp>(builder.getF32FloatAttr(bounds[0]),
                                    builder.getF32FloatAttr(bounds[1]));
}

Error GraphImporter::checkLegacyBroadcast(NodeAttributes &attrs, ArrayRef<int64_t> lhsShape,
                                          ArrayRef<int64_t> rhsShape) {
  std::string prefix = node().op_type() + " before opset 7 ";
  std::string shapes = ", got A " + formatShape(lhsShape) + " and B " + formatShape(rhsShape);
  if (attrs.getInt("broadcast", 0) == 0) {
    attrs.ignore("axis"); // Only read with `broadcast` set.
    if (lhsShape != rhsShape)
      return makeError(prefix + "without 'broadcast' needs operands of one shape" + shapes);
    return Error::success();
  }
  // With `broadcast`, B holds one value or equals A's dimensions from `axis`
  // on (suffix matching by default). Numpy broadcasting agrees with both,
  // except for B aligned before A's last dimensions.
  int64_t suffixAxis = lhsShape.size() - rhsShape.size();
  if (suffixAxis < 0)
    return makeError(prefix + "broadcasts B to A's shape: B must not have a higher rank" +
                     shapes);
  int64_t axis = attrs.getInt("axis", suffixAxis);
  if (llvm::all_of(rhsShape, [](int64_t size) { return size == 1; }))
    return Error::success();
  if (axis < 0 || axis > suffixAxis || lhsShape.slice(axis, rhsShape.size()) != rhsShape)
    return makeError(prefix + "with 'broadcast' needs B's shape to equal A's dimensions from "
                     "axis " + Twine(axis) + shapes);
  if (axis != suffixAxis)
    return makeError(prefix + "with B aligned at axis " + Twine(axis) +
                     " rather than with A's last dimensions is not supported" + shapes);
  return Error::success();
}

template <typename OpTy>
Error GraphImporter::convertBinary(NodeAttributes &attrs,
                                   bool (*foldInt)(int64_t, int64_t, int64_t &),
                                   double (*foldFloat)(double, double)) {
  DenseElementsAttr lhsConstant = getConstantInput(0);
  DenseElementsAttr rhsConstant = getConstantInput(1);
  Expected<RankedTensorType> lhsType = getInputType(0);
  if (!lhsType)
    return lhsType.takeError();
  Expected<RankedTensorType> rhsType = getInputType(1);
  if (!rhsType)
    return rhsType.takeError();
  if (opset < 7)
    if (Error error = checkLegacyBroadcast(attrs, lhsType->getShape(), rhsType->getShape()))
      return error;
  if (lhsType->getElementType() != rhsType->getElementType())
    return makeError("operand element types differ: " +
                     formatType(lhsType->getElementType()) + " and " +
                     formatType(rhsType->getElementType()));
  if (lhsConstant && rhsConstant) {
    if (std::optional<SmallVector<int64_t, 4>> shape = pico::broadcastShapes(
            lhsType->getShape(), rhsType->getShape()))
      if (Error error = checkFoldedShape(*shape))
        return error;
    Expected<DenseElementsAttr> folded =
        foldBinary(lhsConstant, rhsConstant, foldInt, foldFloat);
    if (!folded)
      return folded.takeError();
    return setConstantOutput(0, *folded);
  }
  Expected<std::array<Value, 2>> operands = getInputs<2>();
  if (!operands)
    return operands.takeError();
  auto [lhs, rhs] = *operands;
  return setOutput(0, createInferred<OpTy>(nodeLoc(), lhs, rhs, pico::ActivationAttr()));
}

Error GraphImporter::convertAdd(NodeAttributes &attrs) {
  return convertBinary<pico::AddOp>(
      attrs,
      [](int64_t a, int64_t b, int64_t &r) { return !__builtin_add_overflow(a, b, &r); },
      [](double a, double b) { return a + b; });
}

Error GraphImporter::convertSub(NodeAttributes &attrs) {
  return convertBinary<pico::SubOp>(
      attrs,
      [](int64_t a, int64_t b, int64_t &r) { return !__builtin_sub_overflow(a, b, &r); },
      [](double a, double b) { return a - b; });
}

Error GraphImporter::convertMul(NodeAttributes &attrs) {
  return convertBinary<pico::MulOp>(
      attrs,
      [](int64_t a, int64_t b, int64_t &r) { return !__builtin_mul_overflow(a, b, &r); },
      [](double a, double b) { return a * b; });
}

Error GraphImporter::convertDiv(NodeAttributes &attrs) {
  return convertBinary<pico::DivOp>(
      attrs,
      [](int64_t a, int64_t b, int64_t &r) {
        // Integer Div truncates toward zero, as in C and onnxruntime.
        if (b == 0 || (a == std::numeric_limits<int64_t>::min() && b == -1))
          return false;
        r = a / b;
        return true;
      },
      [](double a, double b) { return a / b; });
}

//===----------------------------------------------------------------------===//
// Convolution, normalization, pooling
//===----------------------------------------------------------------------===//

Error GraphImporter::convertConv(NodeAttributes &attrs) {
  Expected<std::array<Value, 3>> inputs = getInputs<3>(/*numRequired=*/2);
  if (!inputs)
    return inputs.takeError();
  auto [input, weight, bias] = *inputs;
  if (Error err = checkImageInput(input, "convolution"))
    return err;
  ArrayRef<int64_t> weightShape = cast<RankedTensorType>(weight.getType()).getShape();
  if (weightShape.size() != 4)
    return makeError("the weight must be 4-D (OIHW), got " + formatShape(weightShape));
  ArrayRef<int64_t> kernel = weightShape.drop_front(2);
  if (attrs.getInts("kernel_shape", kernel) != kernel)
    return makeError("attribute 'kernel_shape' differs from the weight's kernel " +
                     formatShape(kernel));
  Expected<Window> window = readWindow(attrs, input, kernel);
  if (!window)
    return window.takeError();
  return setOutput(0, createInferred<pico::Conv2DOp>(
                          nodeLoc(), input, weight, bias,
                          /*residual=*/Value(), builder.getDenseI64ArrayAttr(window->strides),
                          builder.getDenseI64ArrayAttr(window->dilations),
                          builder.getDenseI64ArrayAttr(window->pads),
                          builder.getI64IntegerAttr(attrs.getInt("group", 1)),
                          pico::ActivationAttr(), /*input_upsample=*/IntegerAttr()));
}

Error GraphImporter::convertBatchNormalization(NodeAttributes &attrs) {
  // Inference only: momentum only updates running statistics. Before opset
  // 9, `spatial` 0 would normalise per element (statistics of shape C x D1
  // x ...), which pico.batch_norm does not; opset 6's `is_test` names the
  // mode the outputs give (one output: inference, as from opset 7 on).
  attrs.ignore("momentum");
  attrs.ignore("is_test");
  if (int64_t spatial = attrs.getInt("spatial", 1); spatial != 1)
    return unsupportedValue("spatial", Twine(spatial), "1");
  if (int64_t training = attrs.getInt("training_mode", 0))
    return unsupportedValue("training_mode", Twine(training), "0");
  if (Error err = checkOutputCount(1, "the running statistics are training outputs"))
    return err;
  Expected<std::array<Value, 5>> inputs = getInputs<5>();
  if (!inputs)
    return inputs.takeError();
  auto [input, scale, bias, mean, variance] = *inputs;
  return setOutput(0, createInferred<pico::BatchNormOp>(
                          nodeLoc(), input, scale, bias, mean, variance,
                          builder.getF32FloatAttr(attrs.getFloat("epsilon", 1e-5f))));
}

struct picosam::onnx_import::PoolWindow : Window {
  Value input;
  bool ceilMode;
};

Expected<PoolWindow> GraphImporter::readPoolWindow(NodeAttributes &attrs) {
  SmallVector<int64_t, 4> kernel = attrs.getInts("kernel_shape", {});
  bool ceilMode = attrs.getInt("ceil_mode", 0) != 0;
  Expected<Value> input = getInput(0);
  if (!input)
    return input.takeError();
  if (Error err = checkImageInput(*input, "pooling"))
    return std::move(err);
  if (Error err = checkAttributeSize("kernel_shape", kernel, 2))
    return std::move(err);
  Expected<Window> window = readWindow(attrs, *input, kernel);
  if (!window)
    return window.takeError();
  return PoolWindow{std::move(*window), *input, ceilMode};
}

Error GraphImporter::convertAveragePool(NodeAttributes &attrs) {
  Expected<PoolWindow> window = readPoolWindow(attrs);
  if (!window)
    return window.takeError();
  // Dilations arrived in opset 19; pico.avg_pool has none.
  if (window->dilations != ArrayRef<int64_t>{1, 1})
    return unsupportedValue("dilations", llvm::join(llvm::map_range(window->dilations,
                                                                    [](int64_t d) {
                                                                      return std::to_string(d);
                                                                    }),
                                                    ","),
                            "1,1");
  return setOutput(0, createInferred<pico::AvgPoolOp>(
                          nodeLoc(), window->input,
                          builder.getDenseI64ArrayAttr(window->kernel),
                          builder.getDenseI64ArrayAttr(window->strides),
                          builder.getDenseI64ArrayAttr(window->pads),
                          builder.getBoolAttr(attrs.getInt("count_include_pad", 0) != 0),
                          builder.getBoolAttr(window->ceilMode)));
}

Error GraphImporter::convertMaxPool(NodeAttributes &attrs) {
  // storage_order only lays out the Indices output, which is rejected below.
  attrs.ignore("storage_order");
  if (Error err = checkOutputCount(1, "MaxPool's Indices output"))
    return err;
  Expected<PoolWindow> window = readPoolWindow(attrs);
  if (!window)
    return window.takeError();
  return setOutput(0, createInferred<pico::MaxPoolOp>(
                          nodeLoc(), window->input,
                          builder.getDenseI64ArrayAttr(window->kernel),
                          builder.getDenseI64ArrayAttr(window->strides),
                          builder.getDenseI64ArrayAttr(window->pads),
                          builder.getDenseI64ArrayAttr(window->dilations),
                          builder.getBoolAttr(window->ceilMode)));
}

//===----------------------------------------------------------------------===//
// Resize and Upsample
//===----------------------------------------------------------------------===//

Error GraphImporter::convertResize(NodeAttributes &attrs) {
  Expected<Value> input = getInput(0);
  if (!input)
    return input.takeError();
  ArrayRef<int64_t> inputShape = cast<RankedTensorType>(input->getType()).getShape();
  int64_t rank = inputShape.size();

  std::string modeName = attrs.getString("mode", "nearest");
  std::optional<pico::ResizeMode> mode = pico::symbolizeResizeMode(modeName);
  if (!mode)
    return unsupportedValue("mode", modeName, "nearest, linear");
  std::string transformName =
      attrs.getString("coordinate_transformation_mode", "half_pixel");
  std::optional<pico::CoordinateTransformMode> transform =
      pico::symbolizeCoordinateTransformMode(transformName);
  if (!transform)
    return unsupportedValue("coordinate_transformation_mode", transformName,
                            "half_pixel, pytorch_half_pixel, align_corners, "
                            "asymmetric, tf_half_pixel_for_nearest");
  std::string nearestName = attrs.getString("nearest_mode", "round_prefer_floor");
  std::optional<pico::NearestMode> nearest = pico::symbolizeNearestMode(nearestName);
  if (!nearest)
    return unsupportedValue("nearest_mode", nearestName,
                            "round_prefer_floor, round_prefer_ceil, floor, ceil");
  // Only cubic reads cubic_coeff_a; only tf_crop_and_resize (rejected above)
  // reads extrapolation_value.
  attrs.ignore("cubic_coeff_a");
  attrs.ignore("extrapolation_value");
  if (int64_t exclude = attrs.getInt("exclude_outside", 0))
    return unsupportedValue("exclude_outside", Twine(exclude), "0");
  if (int64_t antialias = attrs.getInt("antialias", 0))
    return unsupportedValue("antialias", Twine(antialias), "0");
  std::string policy = attrs.getString("keep_aspect_ratio_policy", "stretch");
  if (policy != "stretch")
    return unsupportedValue("keep_aspect_ratio_policy", policy, "stretch");

  // Opset 18's `axes` restricts scales/sizes to some axes.
  SmallVector<int64_t, 4> axes;
  for (int64_t axis : attrs.getInts("axes", {})) {
    Expected<int64_t> normalized = normalizeAxis(axis, rank, "axis");
    if (!normalized)
      return normalized.takeError();
    if (llvm::is_contained(axes, *normalized))
      return makeError("axis " + Twine(axis) + " is given twice");
    axes.push_back(*normalized);
  }
  if (axes.empty())
    axes = llvm::to_vector<4>(llvm::seq<int64_t>(0, rank));

  // roi (input 1) only matters for tf_crop_and_resize. Exactly one of scales
  // (input 2) and sizes (input 3) is given; opsets 11-12 pass an empty
  // tensor for the unused one.
  Expected<DenseElementsAttr> scalesInput = getOptionalConstantInput(2, "scales");
  if (!scalesInput)
    return scalesInput.takeError();
  Expected<DenseElementsAttr> sizesInput = getOptionalConstantInput(3, "sizes");
  if (!sizesInput)
    return sizesInput.takeError();
  auto nullIfEmpty = [](DenseElementsAttr attr) {
    return attr && attr.getNumElements() > 0 ? attr : DenseElementsAttr();
  };
  DenseElementsAttr scalesAttr = nullIfEmpty(*scalesInput);
  DenseElementsAttr sizesAttr = nullIfEmpty(*sizesInput);
  if (bool(scalesAttr) == bool(sizesAttr))
    return makeError("exactly one of the inputs 'scales' and 'sizes' must be given");
  DenseElementsAttr given = scalesAttr ? scalesAttr : sizesAttr;
  if (given.getNumElements() != static_cast<int64_t>(axes.size()))
    return makeError("input '" + Twine(scalesAttr ? "scales" : "sizes") + "' has " +
                     Twine(given.getNumElements()) + " values for " +
                     Twine(axes.size()) + " axes");

  SmallVector<float, 4> scales(rank, 1.0f);
  SmallVector<int64_t, 4> outputShape(inputShape);
  if (scalesAttr) {
    if (!isa<FloatType>(scalesAttr.getElementType()))
      return makeError("input 'scales' must be a floating-point tensor");
    for (auto [axis, scale] : llvm::zip(axes, getFloatValues(scalesAttr))) {
      scales[axis] = static_cast<float>(scale);
      std::optional<int64_t> size = pico::resizeOutputSize(inputShape[axis], scales[axis]);
      if (!size)
        return makeError("input 'scales' resizes axis " + Twine(axis) + " of size " +
                         Twine(inputShape[axis]) + " by " + formatNumber(scale) +
                         ", which gives no valid size");
      outputShape[axis] = *size;
    }
  } else {
    if (!isa<IntegerType>(sizesAttr.getElementType()))
      return makeError("input 'sizes' must be an integer tensor");
    for (auto [axis, size] : llvm::zip(axes, getIntValues(sizesAttr))) {
      if (size <= 0 || inputShape[axis] == 0)
        return makeError("cannot resize axis " + Twine(axis) + " of size " +
                         Twine(inputShape[axis]) + " to " + Twine(size));
      outputShape[axis] = size;
      scales[axis] = static_cast<float>(size) / static_cast<float>(inputShape[axis]);
    }
  }

  return setOutput(0, createWithType<pico::ResizeOp>(
                          nodeLoc(), RankedTensorType::get(outputShape, getElementTypeOf(*input)),
                          *input, pico::ResizeModeAttr::get(context, *mode),
                          pico::CoordinateTransformModeAttr::get(context, *transform),
                          pico::NearestModeAttr::get(context, *nearest),
                          builder.getDenseF32ArrayAttr(scales)));
}

Error GraphImporter::convertUpsample(NodeAttributes &attrs) {
  // Upsample (deprecated since opset 10) is Resize with asymmetric
  // coordinates and floor rounding.
  std::string modeName = attrs.getString("mode", "nearest");
  std::optional<pico::ResizeMode> mode = pico::symbolizeResizeMode(modeName);
  if (!mode)
    return unsupportedValue("mode", modeName, "nearest, linear");
  Expected<Value> input = getInput(0);
  if (!input)
    return input.takeError();
  ArrayRef<int64_t> inputShape = cast<RankedTensorType>(input->getType()).getShape();
  Expected<DenseElementsAttr> scalesAttr = requireConstantInput(1, "scales");
  if (!scalesAttr)
    return scalesAttr.takeError();
  if (!isa<FloatType>(scalesAttr->getElementType()) ||
      scalesAttr->getNumElements() != static_cast<int64_t>(inputShape.size()))
    return makeError("input 'scales' must hold one floating-point value per axis");
  SmallVector<float, 4> scales;
  SmallVector<int64_t, 4> outputShape;
  for (auto [axis, size, scale] : llvm::enumerate(inputShape, getFloatValues(*scalesAttr))) {
    scales.push_back(static_cast<float>(scale));
    std::optional<int64_t> outputSize = pico::resizeOutputSize(size, scales.back());
    if (!outputSize)
      return makeError("input 'scales' resizes axis " + Twine(axis) + " of size " +
                       Twine(size) + " by " + formatNumber(scale) +
                       ", which gives no valid size");
    outputShape.push_back(*outputSize);
  }
  return setOutput(0, createWithType<pico::ResizeOp>(
                          nodeLoc(), RankedTensorType::get(outputShape, getElementTypeOf(*input)),
                          *input, pico::ResizeModeAttr::get(context, *mode),
                          pico::CoordinateTransformModeAttr::get(
                              context, pico::CoordinateTransformMode::Asymmetric),
                          pico::NearestModeAttr::get(context, pico::NearestMode::Floor),
                          builder.getDenseF32ArrayAttr(scales)));
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

Error GraphImporter::convertConcat(NodeAttributes &attrs) {
  if (!attrs.has("axis"))
    return makeError("attribute 'axis' is required");
  int64_t axis = attrs.getInt("axis", 0);
  if (node().input_size() == 0)
    return makeError("needs at least one input");
  SmallVector<RankedTensorType> types;
  for (int index = 0; index < node().input_size(); ++index) {
    Expected<RankedTensorType> type = getInputType(index);
    if (!type)
      return type.takeError();
    types.push_back(*type);
    if (type->getElementType() != types.front().getElementType())
      return makeError("operand element types differ: " +
                       formatType(types.front().getElementType()) + " and " +
                       formatType(type->getElementType()));
  }

  if (!allInputsConstant()) {
    SmallVector<Value> operands(node().input_size());
    if (Error err = getInputs(operands, /*numRequired=*/node().input_size()))
      return err;
    return setOutput(
        0, createInferred<pico::ConcatOp>(nodeLoc(), operands, builder.getI64IntegerAttr(axis)));
  }

  // Folding: every input contributes, per index of the leading axes, one
  // contiguous block of its elements.
  int64_t rank = types.front().getRank();
  Expected<int64_t> normalized = normalizeAxis(axis, rank, "axis");
  if (!normalized)
    return normalized.takeError();
  SmallVector<int64_t, 4> shape(types.front().getShape());
  shape[*normalized] = 0;
  for (RankedTensorType type : types) {
    for (int64_t dim = 0; dim < rank; ++dim)
      if (type.getRank() != rank ||
          (dim != *normalized && type.getDimSize(dim) != shape[dim]))
        return makeError("cannot concatenate " + formatShape(types.front().getShape()) +
                         " and " + formatShape(type.getShape()) + " along axis " +
                         Twine(axis));
    shape[*normalized] += type.getDimSize(*normalized);
  }
  if (Error error = checkFoldedShape(shape))
    return error;
  int64_t outer = numElementsOf(ArrayRef<int64_t>(shape).take_front(*normalized));
  SmallVector<Attribute> elements;
  SmallVector<SmallVector<Attribute>> inputs;
  for (int index = 0; index < node().input_size(); ++index)
    inputs.push_back(llvm::to_vector(getConstantInput(index).getValues<Attribute>()));
  for (int64_t o = 0; o < outer; ++o)
    for (const SmallVector<Attribute> &input : inputs) {
      int64_t block = static_cast<int64_t>(input.size()) / std::max<int64_t>(outer, 1);
      elements.append(input.begin() + o * block, input.begin() + (o + 1) * block);
    }
  return setConstantOutput(
      0, DenseElementsAttr::get(
             RankedTensorType::get(shape, types.front().getElementType()), elements));
}

Error GraphImporter::reshapeInputTo(ArrayRef<int64_t> shape) {
  if (DenseElementsAttr constant = getConstantInput(0))
    return setConstantOutput(
        0, constant.reshape(RankedTensorType::get(shape, constant.getElementType())));
  Expected<Value> input = getInput(0);
  if (!input)
    return input.takeError();
  return setOutput(0, createWithType<pico::ReshapeOp>(
                          nodeLoc(), RankedTensorType::get(shape, getElementTypeOf(*input)),
                          *input));
}

Error GraphImporter::reshapeInput(
    llvm::function_ref<Expected<SmallVector<int64_t, 4>>(ArrayRef<int64_t>)> shapeFor) {
  Expected<RankedTensorType> inputType = getInputType(0);
  if (!inputType)
    return inputType.takeError();
  Expected<SmallVector<int64_t, 4>> shape = shapeFor(inputType->getShape());
  if (!shape)
    return shape.takeError();
  return reshapeInputTo(*shape);
}

Error GraphImporter::convertReshape(NodeAttributes &attrs) {
  // allowzero (opset 14): a 0 in `shape` is a zero-sized dimension instead
  // of "copy the input's".
  bool allowZero = attrs.getInt("allowzero", 0) != 0;
  return reshapeInput([&](ArrayRef<int64_t> inputShape) -> Expected<SmallVector<int64_t, 4>> {
    Expected<std::vector<int64_t>> requested = requireIntConstantInput(1, "shape");
    if (!requested)
      return requested.takeError();
    SmallVector<int64_t, 4> shape;
    std::optional<size_t> inferredAxis;
    int64_t knownElements = 1;
    for (auto [axis, dim] : llvm::enumerate(*requested)) {
      if (dim == 0 && !allowZero) {
        if (axis >= inputShape.size())
          return makeError("shape entry " + Twine(axis) +
                           " is 0 (copy the input's), but the input has rank " +
                           Twine(inputShape.size()));
        dim = inputShape[axis];
      }
      if (dim == -1) {
        if (inferredAxis)
          return makeError("input 'shape' has more than one -1");
        inferredAxis = axis;
      } else if (dim < 0) {
        return makeError("input 'shape' has the invalid entry " + Twine(dim));
      } else {
        std::optional<int64_t> product = llvm::checkedMul(knownElements, dim);
        if (!product)
          return makeError("input 'shape' has more than 2^63-1 elements");
        knownElements = *product;
      }
      shape.push_back(dim);
    }
    int64_t inputElements = numElementsOf(inputShape);
    if (inferredAxis && knownElements != 0 && inputElements % knownElements == 0)
      shape[*inferredAxis] = inputElements / knownElements;
    if (llvm::is_contained(shape, -1) || numElementsOf(shape) != inputElements)
      return makeError("cannot reshape " + formatShape(inputShape) + " to " +
                       llvm::join(llvm::map_range(*requested,
                                                  [](int64_t d) { return std::to_string(d); }),
                                  "x"));
    return shape;
  });
}

Error GraphImporter::convertFlatten(NodeAttributes &attrs) {
  return reshapeInput([&](ArrayRef<int64_t> inputShape) -> Expected<SmallVector<int64_t, 4>> {
    int64_t rank = inputShape.size();
    int64_t axis = attrs.getInt("axis", 1);
    // Flatten's axis may equal the rank (everything in the first dimension).
    if (axis < -rank || axis > rank)
      return makeError("axis " + Twine(axis) + " is out of range for rank " + Twine(rank));
    if (axis < 0)
      axis += rank;
    return SmallVector<int64_t, 4>{numElementsOf(inputShape.take_front(axis)),
                                   numElementsOf(inputShape.drop_front(axis))};
  });
}

Error GraphImporter::convertSqueeze(NodeAttributes &attrs) {
  return reshapeInput([&](ArrayRef<int64_t> inputShape) -> Expected<SmallVector<int64_t, 4>> {
    // The axes are an attribute before opset 13 and an optional input after.
    Expected<std::vector<int64_t>> axes =
        getOptionalIntConstantInput(1, "axes", attrs.getInts("axes", {}));
    if (!axes)
      return axes.takeError();
    SmallVector<bool, 4> squeezed(inputShape.size(), axes->empty());
    for (int64_t axis : *axes) {
      Expected<int64_t> normalized = normalizeAxis(axis, inputShape.size(), "axis");
      if (!normalized)
        return normalized.takeError();
      if (inputShape[*normalized] != 1)
        return makeError("cannot squeeze axis " + Twine(axis) + " of size " +
                         Twine(inputShape[*normalized]));
      squeezed[*normalized] = true;
    }
    SmallVector<int64_t, 4> shape;
    for (auto [dim, remove] : llvm::zip(inputShape, squeezed))
      if (!(remove && dim == 1))
        shape.push_back(dim);
    return shape;
  });
}

Error GraphImporter::convertUnsqueeze(NodeAttributes &attrs) {
  return reshapeInput([&](ArrayRef<int64_t> inputShape) -> Expected<SmallVector<int64_t, 4>> {
    // The axes are an attribute before opset 13 and an input after.
    SmallVector<int64_t, 4> axes = attrs.getInts("axes", {});
    if (opset >= 13) {
      Expected<std::vector<int64_t>> values = requireIntConstantInput(1, "axes");
      if (!values)
        return values.takeError();
      axes.assign(values->begin(), values->end());
    }
    if (axes.empty())
      return makeError("no axes to unsqueeze");
    int64_t rank = inputShape.size() + axes.size();
    SmallVector<bool, 4> inserted(rank, false);
    for (int64_t axis : axes) {
      Expected<int64_t> normalized = normalizeAxis(axis, rank, "axis");
      if (!normalized)
        return normalized.takeError();
      if (inserted[*normalized])
        return makeError("axis " + Twine(axis) + " is given twice");
      inserted[*normalized] = true;
    }
    SmallVector<int64_t, 4> shape;
    const int64_t *next = inputShape.begin();
    for (bool isNew : inserted)
      shape.push_back(isNew ? 1 : *next++);
    return shape;
  });
}

Error GraphImporter::convertTranspose(NodeAttributes &attrs) {
  Expected<RankedTensorType> inputType = getInputType(0);
  if (!inputType)
    return inputType.takeError();
  ArrayRef<int64_t> inputShape = inputType->getShape();
  int64_t rank = inputShape.size();
  SmallVector<int64_t, 4> perm =
      attrs.getInts("perm", llvm::to_vector<4>(llvm::reverse(llvm::seq<int64_t>(0, rank))));
  SmallVector<int64_t, 4> sorted(perm);
  llvm::sort(sorted);
  if (sorted != llvm::to_vector<4>(llvm::seq<int64_t>(0, rank)))
    return makeError("attribute 'perm' is not a permutation of the " + Twine(rank) +
                     " axes");

  if (DenseElementsAttr constant = getConstantInput(0)) {
    SmallVector<int64_t, 4> shape;
    for (int64_t axis : perm)
      shape.push_back(inputShape[axis]);
    SmallVector<int64_t, 4> inputStrides = rowMajorStrides(inputShape);
    SmallVector<int64_t, 4> outputStrides = rowMajorStrides(shape);
    std::vector<int64_t> sources(constant.getNumElements());
    for (int64_t linear = 0; linear < static_cast<int64_t>(sources.size()); ++linear) {
      int64_t source = 0;
      for (int64_t axis = 0; axis < rank; ++axis)
        source += linear / outputStrides[axis] % shape[axis] * inputStrides[perm[axis]];
      sources[linear] = source;
    }
    return setConstantOutput(0, gatherElements(constant, shape, sources));
  }
  Expected<Value> input = getInput(0);
  if (!input)
    return input.takeError();
  return setOutput(
      0, createInferred<pico::TransposeOp>(nodeLoc(), *input, builder.getDenseI64ArrayAttr(perm)));
}

//===----------------------------------------------------------------------===//
// Matrix products and softmax
//===----------------------------------------------------------------------===//

Error GraphImporter::convertGemm(NodeAttributes &attrs) {
  Expected<std::array<Value, 3>> inputs = getInputs<3>(/*numRequired=*/2);
  if (!inputs)
    return inputs.takeError();
  auto [a, b, c] = *inputs;
  // Before opset 7, C broadcasts only with `broadcast` set; pico.gemm always
  // broadcasts it, which equals Gemm-6 wherever C is allowed.
  bool broadcast = attrs.getInt("broadcast", 0) != 0;
  Expected<Value> gemm = createInferred<pico::GemmOp>(
      nodeLoc(), a, b, c, builder.getF32FloatAttr(attrs.getFloat("alpha", 1.0f)),
      builder.getF32FloatAttr(attrs.getFloat("beta", 1.0f)),
      builder.getBoolAttr(attrs.getInt("transA", 0) != 0),
      builder.getBoolAttr(attrs.getInt("transB", 0) != 0), pico::ActivationAttr());
  if (gemm && opset < 7 && c && !broadcast) {
    ArrayRef<int64_t> cShape = cast<RankedTensorType>(c.getType()).getShape();
    ArrayRef<int64_t> resultShape = cast<RankedTensorType>(gemm->getType()).getShape();
    if (cShape != resultShape) {
      gemm->getDefiningOp()->erase();
      return makeError("Gemm before opset 7 without 'broadcast' needs C of the result's "
                       "shape " + formatShape(resultShape) + ", got " + formatShape(cShape));
    }
  }
  return setOutput(0, std::move(gemm));
}

Error GraphImporter::convertMatMul(NodeAttributes &) {
  Expected<std::array<Value, 2>> operands = getInputs<2>();
  if (!operands)
    return operands.takeError();
  auto [lhs, rhs] = *operands;
  return setOutput(0, createInferred<pico::MatMulOp>(nodeLoc(), lhs, rhs));
}

Error GraphImporter::convertSoftmax(NodeAttributes &attrs) {
  return convertSoftmaxOf(attrs, /*log=*/false);
}

Error GraphImporter::convertLogSoftmax(NodeAttributes &attrs) {
  return convertSoftmaxOf(attrs, /*log=*/true);
}

Error GraphImporter::convertSoftmaxOf(NodeAttributes &attrs, bool log) {
  UnitAttr logAttr = log ? builder.getUnitAttr() : UnitAttr();
  Expected<Value> input = getInput(0);
  if (!input)
    return input.takeError();
  auto inputType = cast<RankedTensorType>(input->getType());
  int64_t rank = inputType.getRank();
  if (rank == 0)
    return makeError("the input must have at least one dimension");
  int64_t axis = attrs.getInt("axis", opset < 13 ? 1 : -1);
  Expected<int64_t> normalized = normalizeAxis(axis, rank, "axis");
  if (!normalized)
    return normalized.takeError();
  Type elementType = inputType.getElementType();

  // Before opset 13 (Log)Softmax flattens the input to 2-D at `axis` and
  // normalizes each row; that is pico.softmax along one axis only when
  // `axis` is the last one. Otherwise: reshape, softmax, reshape back.
  if (opset >= 13 || *normalized == rank - 1) {
    return setOutput(0, createInferred<pico::SoftmaxOp>(
                            nodeLoc(), *input,
                            builder.getI64IntegerAttr(opset >= 13 ? axis : *normalized),
                            logAttr));
  }
  ArrayRef<int64_t> shape = inputType.getShape();
  int64_t rows = numElementsOf(shape.take_front(*normalized));
  int64_t columns = numElementsOf(shape.drop_front(*normalized));
  Expected<Value> rows2D = createWithType<pico::ReshapeOp>(
      auxLoc("coerce_2d"), RankedTensorType::get({rows, columns}, elementType),
      *input);
  if (!rows2D)
    return rows2D.takeError();
  Expected<Value> softmax =
      createInferred<pico::SoftmaxOp>(auxLoc("softmax_2d"), *rows2D, builder.getI64IntegerAttr(1),
                                      logAttr);
  if (!softmax)
    return softmax.takeError();
  return setOutput(0, createWithType<pico::ReshapeOp>(nodeLoc(), inputType, *softmax));
}

//===----------------------------------------------------------------------===//
// Identity, Dropout, Constant
//===----------------------------------------------------------------------===//

Error GraphImporter::convertIdentity(NodeAttributes &) { return aliasOutput(0, 0); }

Error GraphImporter::convertDropout(NodeAttributes &attrs) {
  // In inference Dropout is the identity and its mask all true; the ratio
  // (attribute before opset 12, input 1 after) and seed change nothing.
  attrs.ignore("ratio");
  attrs.ignore("seed");
  Expected<std::vector<int64_t>> training =
      getOptionalIntConstantInput(2, "training_mode", /*defaultValue=*/{});
  if (!training)
    return training.takeError();
  if (llvm::is_contained(*training, 1))
    return makeError("training mode is not supported (input 'training_mode' is true)");
  if (Error err = aliasOutput(0, 0))
    return err;
  if (!hasOutput(1))
    return Error::success();
  Expected<RankedTensorType> inputType = getInputType(0);
  if (!inputType)
    return inputType.takeError();
  // A splat: the mask is as large as the input, which may be anything.
  return setConstantOutput(
      1, DenseElementsAttr::get(
             RankedTensorType::get(inputType->getShape(), builder.getI1Type()),
             true));
}

Error GraphImporter::convertConstant(NodeAttributes &attrs) {
  SmallVector<DenseElementsAttr, 1> values;
  if (const onnx::TensorProto *tensor = attrs.getTensor("value")) {
    Expected<DenseElementsAttr> value = readTensor(*tensor);
    if (!value)
      return makeError("attribute 'value': " + llvm::toString(value.takeError()));
    values.push_back(*value);
  }
  if (attrs.has("value_float"))
    values.push_back(makeFloatConstant({}, builder.getF32Type(),
                                       {attrs.getFloat("value_float", 0.0f)}));
  if (attrs.has("value_floats")) {
    SmallVector<float, 4> floats = attrs.getFloats("value_floats");
    values.push_back(makeFloatConstant({static_cast<int64_t>(floats.size())},
                                       builder.getF32Type(),
                                       std::vector<double>(floats.begin(), floats.end())));
  }
  if (attrs.has("value_int"))
    values.push_back(
        makeIntConstant({}, builder.getI64Type(), {attrs.getInt("value_int", 0)}));
  if (attrs.has("value_ints")) {
    SmallVector<int64_t, 4> ints = attrs.getInts("value_ints", {});
    values.push_back(makeIntConstant({static_cast<int64_t>(ints.size())},
                                     builder.getI64Type(), ints));
  }
  if (values.size() != 1)
    return makeError("needs exactly one of the attributes value, value_float, "
                     "value_floats, value_int, value_ints");
  return setConstantOutput(0, values.front());
}

//===----------------------------------------------------------------------===//
// QuantizeLinear and DequantizeLinear
//===----------------------------------------------------------------------===//

/// The !quant.uniform type for a tensor of `shape` quantized with `scale`
/// and `zeroPoint` (null: zero) on storage `storageType`: per tensor for a
/// single scale, per axis `axis` for a 1-D scale.
static Expected<Type> getQuantizedType(Location loc, DenseElementsAttr scale,
                                       DenseElementsAttr zeroPoint, Type storageType,
                                       int64_t axis, ArrayRef<int64_t> shape) {
  MLIRContext *context = loc.getContext();
  if (!scale.getElementType().isF32())
    return makeError("the scale must be FLOAT, got " + formatType(scale.getElementType()));
  auto storage = dyn_cast<IntegerType>(storageType);
  if (!storage || !(storage.getWidth() == 8 || (storage.getWidth() == 32 && storage.isSignless())))
    return makeError("quantized element type " + formatType(storageType) +
                     " is not supported (INT8, UINT8, INT32)");
  if (zeroPoint && zeroPoint.getType().getShape() != scale.getType().getShape())
    return makeError("the zero point's shape " + formatShape(zeroPoint.getType().getShape()) +
                     " differs from the scale's " + formatShape(scale.getType().getShape()));
  if (scale.getNumElements() == 0)
    return makeError("the scale is empty");
  bool isSigned = !storage.isUnsigned();
  unsigned width = storage.getWidth();
  int64_t storageMin = isSigned ? -(int64_t(1) << (width - 1)) : 0;
  int64_t storageMax = isSigned ? (int64_t(1) << (width - 1)) - 1 : (int64_t(1) << width) - 1;
  std::vector<double> scales = getFloatValues(scale);
  std::vector<int64_t> zeroPoints =
      zeroPoint ? getIntValues(zeroPoint) : std::vector<int64_t>(scales.size(), 0);
  unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
  Type signlessStorage = IntegerType::get(context, width);
  Type expressed = Float32Type::get(context);

  DiagnosticCapture diagnostics(context);
  auto emitError = [&] { return mlir::emitError(loc); };
  Type type;
  if (scales.size() == 1 && scale.getType().getRank() <= 1) {
    type = quant::UniformQuantizedType::getChecked(emitError, flags, signlessStorage,
                                                   expressed, scales.front(),
                                                   zeroPoints.front(), storageMin,
                                                   storageMax);
  } else {
    if (scale.getType().getRank() != 1)
      return makeError("the scale must be a scalar or 1-D, got " +
                       formatShape(scale.getType().getShape()));
    Expected<int64_t> normalized = normalizeAxis(axis, shape.size(), "axis");
    if (!normalized)
      return normalized.takeError();
    if (shape[*normalized] != static_cast<int64_t>(scales.size()))
      return makeError("the scale has " + Twine(scales.size()) + " values, but axis " +
                       Twine(axis) + " has size " + Twine(shape[*normalized]));
    type = quant::UniformQuantizedPerAxisType::getChecked(
        emitError, flags, signlessStorage, expressed, scales, zeroPoints,
        static_cast<int32_t>(*normalized), storageMin, storageMax);
  }
  if (!type)
    return makeError("invalid quantization parameters: " + diagnostics.messages());
  return type;
}

Expected<QuantizationInputs>
GraphImporter::getQuantizationInputs(StringRef tensor) {
  QuantizationInputs inputs;
  Expected<DenseElementsAttr> scale = requireConstantInput(1, (tensor + "_scale").str());
  if (!scale)
    return scale.takeError();
  inputs.scale = *scale;
  Expected<DenseElementsAttr> zeroPoint =
      getOptionalConstantInput(2, (tensor + "_zero_point").str());
  if (!zeroPoint)
    return zeroPoint.takeError();
  inputs.zeroPoint = *zeroPoint;
  return inputs;
}

Error GraphImporter::convertQuantizeLinear(NodeAttributes &attrs) {
  // saturate (opset 19) applies to float8 results only, which are rejected.
  attrs.ignore("saturate");
  int64_t axis = attrs.getInt("axis", 1);
  Expected<Value> input = getInput(0);
  if (!input)
    return input.takeError();
  if (!getElementTypeOf(*input).isF32())
    return makeError("the input must be FLOAT, got " + formatType(getElementTypeOf(*input)));
  Expected<QuantizationInputs> parameters = getQuantizationInputs("y");
  if (!parameters)
    return parameters.takeError();
  auto [scale, zeroPoint] = *parameters;
  // Without a zero point the result is UINT8.
  Type storage = zeroPoint ? zeroPoint.getElementType()
                           : IntegerType::get(context, 8, IntegerType::Unsigned);
  ArrayRef<int64_t> shape = cast<RankedTensorType>(input->getType()).getShape();
  Expected<Type> quantized = getQuantizedType(nodeLoc(), scale, zeroPoint, storage, axis, shape);
  if (!quantized)
    return quantized.takeError();
  return setOutput(0, createWithType<pico::QuantizeOp>(
                          nodeLoc(), RankedTensorType::get(shape, *quantized), *input));
}

Error GraphImporter::convertDequantizeLinear(NodeAttributes &attrs) {
  int64_t axis = attrs.getInt("axis", 1);
  Expected<RankedTensorType> inputType = getInputType(0);
  if (!inputType)
    return inputType.takeError();
  Expected<QuantizationInputs> parameters = getQuantizationInputs("x");
  if (!parameters)
    return parameters.takeError();
  auto [scale, zeroPoint] = *parameters;
  // The storage type is x's (a QuantizeLinear result: its storage).
  Type storage = getStorageElementType(inputType->getElementType());
  if (zeroPoint && zeroPoint.getElementType() != storage)
    return makeError("x_zero_point is " + formatType(zeroPoint.getElementType()) + " but x is " +
                     formatType(storage));
  Expected<Type> quantizedType =
      getQuantizedType(nodeLoc(), scale, zeroPoint, storage, axis, inputType->getShape());
  if (!quantizedType)
    return quantizedType.takeError();
  auto quantizedTensorType = RankedTensorType::get(inputType->getShape(), *quantizedType);

  // x as a quantized tensor: a constant holds its storage values, a
  // QuantizeLinear result must carry the same parameters, and a graph input
  // nothing else has used yet takes the quantized type (its data are the
  // storage values).
  Value quantized;
  if (getConstantInput(0)) {
    // The value holds the storage type's signless integers.
    ImportedTensor tensor = tensors.find(node().input(0))->second;
    quantized = pico::ConstantOp::create(
        builder, tensor.constantLoc, quantizedTensorType,
        tensor.constant.bitcast(cast<quant::QuantizedType>(*quantizedType).getStorageType()));
  } else {
    Expected<Value> input = getInput(0);
    if (!input)
      return input.takeError();
    quantized = *input;
    auto argument = dyn_cast<BlockArgument>(quantized);
    if (isa<quant::QuantizedType>(inputType->getElementType())) {
      if (inputType->getElementType() != *quantizedType)
        return makeError("input 'x' is " + formatType(inputType->getElementType()) +
                         ", but x_scale and x_zero_point give " +
                         formatType(*quantizedType));
    } else if (argument && argument.use_empty()) {
      argument.setType(quantizedTensorType);
    } else {
      return makeError("input 'x' must be a constant, a QuantizeLinear result or a graph "
                       "input used only by DequantizeLinear");
    }
  }
  return setOutput(0, createInferred<pico::DequantizeOp>(nodeLoc(), quantized));
}
