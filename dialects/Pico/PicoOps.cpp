//===- PicoOps.cpp - pico op verifiers, folders and shape inference -------===//
#include "Pico/PicoOps.h"
#include "Pico/QuantizedArithmetic.h"
#include "Pico/ShapeUtils.h"
#include "picosam/Kernels/ConvTranspose.h"
#include "picosam/Support/Quant.h"
#include "picosam/Support/Tensor.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace picosam::pico;

//===----------------------------------------------------------------------===//
// Custom assembly directives
//===----------------------------------------------------------------------===//

/// `dense<...> : tensor<4xf32>` when the result type is the value's type,
/// `dense<...> : tensor<4xi8> -> tensor<4x!quant.uniform<...>>` otherwise.
static ParseResult parseConstantValue(OpAsmParser &parser, ElementsAttr &value,
                                      Type &resultType) {
  Attribute attr;
  if (parser.parseAttribute(attr))
    return failure();
  value = dyn_cast<ElementsAttr>(attr);
  if (!value)
    return parser.emitError(parser.getCurrentLocation(),
                            "expected an elements attribute");
  resultType = value.getType();
  if (succeeded(parser.parseOptionalArrow()))
    return parser.parseType(resultType);
  return success();
}

static void printConstantValue(OpAsmPrinter &printer, Operation *,
                               ElementsAttr value, Type resultType) {
  printer.printAttribute(value);
  if (resultType != value.getType()) {
    printer << " -> ";
    printer.printType(resultType);
  }
}

#define GET_OP_CLASSES
#include "Pico/PicoOps.cpp.inc"

#include "Pico/PicoInterfaces.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers for the shape rules and verifiers
//===----------------------------------------------------------------------===//

/// A shape or attribute array as `[1, 3, 224, 224]`, for diagnostics.
template <typename T> static std::string listString(ArrayRef<T> values) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(values, os);
  os << ']';
  return text;
}

static ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

/// The shape rules below compute with static sizes only.
static LogicalResult verifyStaticOperands(ValueRange operands,
                                          const ShapeDiagnostics &emitError) {
  for (auto [index, operand] : llvm::enumerate(operands))
    if (!cast<RankedTensorType>(operand.getType()).hasStaticShape())
      return emitError() << "operand #" << index
                         << " must be statically shaped, got "
                         << operand.getType();
  return success();
}

/// Checks that the array attribute `name` has `size` entries, each >= `min`.
static LogicalResult verifyArrayAttr(const ShapeDiagnostics &emitError,
                                     StringRef name, ArrayRef<int64_t> values,
                                     size_t size, int64_t min) {
  if (values.size() != size)
    return emitError() << "'" << name << "' must have " << size
                       << " entries, got " << values.size();
  if (llvm::any_of(values, [&](int64_t value) { return value < min; }))
    return emitError() << "'" << name << "' entries must be >= " << min
                       << ", got " << listString(values);
  return success();
}

/// The window attributes of a 2-D convolution or pool: two strides and two
/// dilations >= 1, four pads >= 0.
static LogicalResult verifyWindowAttrs(const ShapeDiagnostics &emitError,
                                       ArrayRef<int64_t> strides,
                                       ArrayRef<int64_t> dilations,
                                       ArrayRef<int64_t> pads) {
  if (failed(verifyArrayAttr(emitError, "strides", strides, 2, 1)) ||
      failed(verifyArrayAttr(emitError, "dilations", dilations, 2, 1)) ||
      failed(verifyArrayAttr(emitError, "pads", pads, 4, 0)))
    return failure();
  return success();
}

/// The spatial output sizes of a 2-D window (kernel `kernelHW`) slid over
/// the H and W axes of `input`; `pads` is [top, left, bottom, right].
static LogicalResult
inferWindowedSizes(const ShapeDiagnostics &emitError, ArrayRef<int64_t> input,
                   ArrayRef<int64_t> kernelHW, ArrayRef<int64_t> strides,
                   ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads,
                   bool ceilMode, SmallVectorImpl<int64_t> &output) {
  for (int64_t axis = 0; axis < 2; ++axis) {
    std::optional<int64_t> size =
        poolOutputSize(input[2 + axis], kernelHW[axis], strides[axis],
                       dilations[axis], pads[axis], pads[2 + axis], ceilMode);
    if (!size)
      return emitError() << "kernel size " << kernelHW[axis]
                         << " with dilation " << dilations[axis]
                         << " does not fit in axis " << 2 + axis << " of size "
                         << input[2 + axis] << " padded by " << pads[axis]
                         << " and " << pads[2 + axis];
    output.push_back(*size);
  }
  return success();
}

/// "No activation" has one spelling: no attribute.
static LogicalResult verifyFusedActivation(Operation *op,
                                           ActivationAttr activation) {
  if (activation && activation.isNone())
    return op->emitOpError("has an explicit #pico.act<none>; omit the "
                           "'activation' attribute instead");
  return success();
}

/// The op's parameters are valid when the `#pico.act` it applies is: the
/// attribute's verifier is the one definition of the parameter ranges.
/// Verifies an activation op's parameters as #pico.activation would hold
/// them, without building that attribute (ActivationAttr::get of invalid
/// parameters is undefined): getActivationFunction is for verified ops.
static LogicalResult verifyActivationParameters(Operation *op,
                                                ActivationKind kind,
                                                APFloat alpha, APFloat beta) {
  return ActivationAttr::verify([&] { return op->emitOpError(); }, kind, alpha,
                                beta);
}

/// A quantized type the quantize/dequantize ops and quantized constants
/// accept: uniform, per tensor or per axis.
static bool isUniformQuantized(Type type) {
  return isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(
      type);
}

/// Checks a per-axis quantized element type against the shape it
/// quantizes: its axis is one of the shape's, with one scale per element
/// along it.
static LogicalResult verifyQuantizedShape(Operation *op, Type elementType,
                                          ArrayRef<int64_t> shape) {
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(elementType);
  if (!perAxis)
    return success();
  int64_t axis = perAxis.getQuantizedDimension();
  if (axis >= static_cast<int64_t>(shape.size()))
    return op->emitOpError("per-axis quantization along axis ")
           << axis << " is out of range for rank " << shape.size();
  if (static_cast<int64_t>(perAxis.getScales().size()) != shape[axis])
    return op->emitOpError("per-axis quantization has ")
           << perAxis.getScales().size() << " scales but axis " << axis
           << " has " << shape[axis] << " elements";
  return success();
}

int64_t picosam::pico::elementByteWidth(Type elementType) {
  if (auto quantized = dyn_cast<quant::QuantizedType>(elementType))
    return llvm::divideCeil(quantized.getStorageTypeIntegralWidth(), 8);
  if (elementType.isIntOrFloat())
    return llvm::divideCeil(elementType.getIntOrFloatBitWidth(), 8);
  return 1;
}

std::optional<int64_t> picosam::pico::tensorByteSize(Type type,
                                                     int64_t elementBytes) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return std::nullopt;
  return byteSize(tensor.getShape(),
                  elementBytes > 0 ? elementBytes
                                   : elementByteWidth(tensor.getElementType()));
}

LogicalResult picosam::pico::verifyTensorByteSizes(Operation *op) {
  auto check = [&](Type type, StringRef role, size_t index) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape() || tensorByteSize(tensor))
      return success();
    return op->emitOpError() << role << " #" << index << " of type " << type
                             << " has more than 2^63-1 bytes";
  };
  for (auto [index, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check(type, "operand", index)))
      return failure();
  for (auto [index, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(check(type, "result", index)))
      return failure();
  return success();
}

LogicalResult picosam::pico::verifySameFloatElementTypes(Operation *op) {
  Type floatType;
  auto check = [&](Type type) -> LogicalResult {
    Type elementType = getElementTypeOrSelf(type);
    if (!isa<FloatType>(elementType))
      return success();
    if (!floatType)
      floatType = elementType;
    else if (elementType != floatType)
      return op->emitOpError("float operands and results must have one "
                             "element type, got ")
             << floatType << " and " << elementType;
    return success();
  };
  for (Type type : op->getOperandTypes())
    if (failed(check(type)))
      return failure();
  for (Type type : op->getResultTypes())
    if (failed(check(type)))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Result shapes and types, shared by every op
//===----------------------------------------------------------------------===//

InFlightDiagnostic ShapeDiagnostics::operator()() const {
  if (op)
    return op->emitOpError();
  if (!location)
    return InFlightDiagnostic();
  return mlir::emitError(*location) << "'" << opName << "' op ";
}

LogicalResult picosam::pico::verifyResultShape(Operation *op,
                                               ArrayRef<int64_t> shape) {
  Type resultType = op->getResult(0).getType();
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!type || !type.hasStaticShape())
    return op->emitOpError("result #0 must be a statically shaped tensor, got ")
           << resultType;
  if (type.getShape() != shape)
    return op->emitOpError("result #0 has shape ")
           << listString(type.getShape())
           << " but the operands and attributes give " << listString(shape);
  return success();
}

LogicalResult
picosam::pico::inferTensorType(FailureOr<SmallVector<int64_t, 4>> shape,
                               Value elementSource,
                               SmallVectorImpl<Type> &types) {
  if (failed(shape))
    return failure();
  types.push_back(RankedTensorType::get(
      *shape, getElementTypeOrSelf(elementSource.getType())));
  return success();
}

bool picosam::pico::haveSameShapes(TypeRange lhs, TypeRange rhs) {
  return lhs.size() == rhs.size() &&
         llvm::all_of(llvm::zip(lhs, rhs), [](auto pair) {
           auto [left, right] = pair;
           auto leftTensor = dyn_cast<RankedTensorType>(left);
           auto rightTensor = dyn_cast<RankedTensorType>(right);
           return leftTensor && rightTensor &&
                  leftTensor.getShape() == rightTensor.getShape();
         });
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t, 4>>
ConstantOp::inferResultShape(Adaptor op, const ShapeDiagnostics &) {
  return SmallVector<int64_t, 4>(
      cast<ShapedType>(op.getValue().getType()).getShape());
}

LogicalResult ConstantOp::verify() {
  auto valueType = dyn_cast<RankedTensorType>(getValue().getType());
  if (!valueType)
    return emitOpError("value must be a tensor, got ") << getValue().getType();
  Type resultElementType = getOutput().getType().getElementType();
  if (!isa<quant::QuantizedType>(resultElementType)) {
    if (valueType.getElementType() != resultElementType)
      return emitOpError("value element type ")
             << valueType.getElementType()
             << " differs from the result element type " << resultElementType;
    return success();
  }
  if (!isUniformQuantized(resultElementType))
    return emitOpError("quantized result element type must be a per-tensor "
                       "or per-axis !quant.uniform, got ")
           << resultElementType;
  Type storageType =
      cast<quant::QuantizedType>(resultElementType).getStorageType();
  if (valueType.getElementType() != storageType)
    return emitOpError("value element type ")
           << valueType.getElementType() << " is not the storage type "
           << storageType << " of " << resultElementType;
  return verifyQuantizedShape(*this, resultElementType, valueType.getShape());
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

/// What both convolutions (conv2d, conv_transpose2d) require of their
/// operands and window: a 4-D NCHW input, a 4-D OIHW weight (I = C /
/// group), `strides`, `dilations` and `pads`, a group dividing both channel
/// counts, and a bias of O elements.
static LogicalResult
verifyConvolution(const ShapeDiagnostics &emitError, ArrayRef<int64_t> input,
                  ArrayRef<int64_t> weight, ArrayRef<int64_t> strides,
                  ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads,
                  int64_t group, Value bias) {
  if (input.size() != 4)
    return emitError() << "expects a 4-D NCHW input, got rank " << input.size();
  if (weight.size() != 4)
    return emitError() << "expects a 4-D OIHW weight, got rank "
                       << weight.size();
  if (failed(verifyWindowAttrs(emitError, strides, dilations, pads)))
    return failure();
  if (group < 1)
    return emitError() << "'group' must be >= 1, got " << group;
  int64_t channels = input[1], outChannels = weight[0];
  if (channels % group != 0)
    return emitError() << "input channels (" << channels
                       << ") are not a multiple of group (" << group << ")";
  if (outChannels % group != 0)
    return emitError() << "output channels (" << outChannels
                       << ") are not a multiple of group (" << group << ")";
  if (weight[1] != channels / group)
    return emitError() << "weight has " << weight[1]
                       << " input channels per group, expected " << channels
                       << " / " << group << " = " << channels / group;
  if (bias && shapeOf(bias) != ArrayRef<int64_t>(outChannels))
    return emitError() << "bias must have shape [" << outChannels << "], got "
                       << listString(shapeOf(bias));
  return success();
}


FailureOr<SmallVector<int64_t, 4>>
Conv2DOp::inferResultShape(Adaptor op, const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(op.getOperands(), emitError)))
    return failure();
  ArrayRef<int64_t> input = shapeOf(op.getInput());
  ArrayRef<int64_t> weight = shapeOf(op.getWeight());
  if (failed(verifyConvolution(emitError, input, weight, op.getStrides(),
                               op.getDilations(), op.getPads(),
                               static_cast<int64_t>(op.getGroup()),
                               op.getBias())))
    return failure();
  int64_t outChannels = weight[0];
  // The window slides over the input as the upsample would have made it.
  auto upsample = static_cast<int64_t>(op.getInputUpsample());
  if (upsample < 1)
    return emitError() << "'input_upsample' must be >= 1, got " << upsample;
  SmallVector<int64_t, 4> upsampled(input);
  for (int64_t axis : {2, 3}) {
    std::optional<int64_t> size = llvm::checkedMul(input[axis], upsample);
    if (!size)
      return emitError() << "upsampled axis " << axis << " overflows int64_t";
    upsampled[axis] = *size;
  }
  SmallVector<int64_t, 4> output = {input[0], outChannels};
  if (failed(inferWindowedSizes(emitError, upsampled, weight.drop_front(2),
                                op.getStrides(), op.getDilations(),
                                op.getPads(),
                                /*ceilMode=*/false, output)))
    return failure();
  if (Value residual = op.getResidual();
      residual && shapeOf(residual) != ArrayRef<int64_t>(output))
    return emitError() << "residual must have the result's shape "
                       << listString<int64_t>(output) << ", got "
                       << listString(shapeOf(residual));
  return output;
}

LogicalResult Conv2DOp::verify() {
  return verifyFusedActivation(*this, getActivationAttr());
}

bool Conv2DOp::isDepthwise() {
  ArrayRef<int64_t> input = shapeOf(getInput());
  return input.size() == 4 && static_cast<int64_t>(getGroup()) == input[1];
}

bool Conv2DOp::isPointwise() {
  ArrayRef<int64_t> weight = shapeOf(getWeight());
  return weight.size() == 4 && weight[2] == 1 && weight[3] == 1 &&
         getStrides() == ArrayRef<int64_t>({1, 1}) &&
         llvm::all_of(getPads(), [](int64_t pad) { return pad == 0; }) &&
         getGroup() == 1 && getInputUpsample() == 1;
}

//===----------------------------------------------------------------------===//
// ConvTranspose2DOp
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t, 4>>
ConvTranspose2DOp::inferResultShape(Adaptor op,
                                    const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(op.getOperands(), emitError)))
    return failure();
  ArrayRef<int64_t> input = shapeOf(op.getInput());
  ArrayRef<int64_t> weight = shapeOf(op.getWeight());
  ArrayRef<int64_t> outputPadding = op.getOutputPadding();
  if (failed(verifyConvolution(emitError, input, weight, op.getStrides(),
                               op.getDilations(), op.getPads(),
                               static_cast<int64_t>(op.getGroup()),
                               op.getBias())) ||
      failed(verifyArrayAttr(emitError, "output_padding", outputPadding, 2, 0)))
    return failure();
  int64_t outChannels = weight[0];
  ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                    pads = op.getPads();
  SmallVector<int64_t, 4> output = {input[0], outChannels};
  for (int64_t axis = 0; axis < 2; ++axis) {
    std::optional<int64_t> size = kernels::convTransposeOutputSize(
        input[2 + axis], weight[2 + axis], strides[axis], dilations[axis],
        pads[axis], pads[2 + axis], outputPadding[axis]);
    if (!size)
      return emitError() << "axis " << 2 + axis << " of size "
                         << input[2 + axis] << " gives no output with kernel "
                         << weight[2 + axis] << ", stride " << strides[axis]
                         << ", dilation " << dilations[axis] << ", pads "
                         << pads[axis] << " and " << pads[2 + axis]
                         << " and output padding " << outputPadding[axis];
    output.push_back(*size);
  }
  return output;
}

LogicalResult ConvTranspose2DOp::verify() {
  return verifyFusedActivation(*this, getActivationAttr());
}

//===----------------------------------------------------------------------===//
// BatchNormOp
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t, 4>>
BatchNormOp::inferResultShape(Adaptor op, const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(op.getOperands(), emitError)))
    return failure();
  ArrayRef<int64_t> input = shapeOf(op.getInput());
  if (input.size() < 2)
    return emitError() << "expects an input of rank >= 2 (N, C, ...), got rank "
                       << input.size();
  std::pair<Value, StringRef> parameters[] = {{op.getScale(), "scale"},
                                              {op.getBias(), "bias"},
                                              {op.getMean(), "mean"},
                                              {op.getVariance(), "variance"}};
  for (auto [value, name] : parameters)
    if (shapeOf(value) != ArrayRef<int64_t>(input[1]))
      return emitError() << "'" << name << "' must have shape [" << input[1]
                         << "], got " << listString(shapeOf(value));
  return SmallVector<int64_t, 4>(input);
}

/// Checks a normalisation's epsilon: positive and finite.
static LogicalResult verifyEpsilon(Operation *op, APFloat epsilonValue) {
  float epsilon = epsilonValue.convertToFloat();
  if (!(epsilon > 0.0f) || std::isinf(epsilon))
    return op->emitOpError("epsilon must be positive and finite, got ")
           << epsilon;
  return success();
}

LogicalResult BatchNormOp::verify() {
  return verifyEpsilon(*this, getEpsilon());
}

FailureOr<SmallVector<int64_t, 4>>
InstanceNormOp::inferResultShape(Adaptor op,
                                 const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(op.getOperands(), emitError)))
    return failure();
  ArrayRef<int64_t> input = shapeOf(op.getInput());
  if (input.size() < 3)
    return emitError() << "expects an input of rank >= 3 (N, C, D1, ...), got "
                          "rank "
                       << input.size();
  std::pair<Value, StringRef> parameters[] = {{op.getScale(), "scale"},
                                              {op.getBias(), "bias"}};
  for (auto [value, name] : parameters)
    if (shapeOf(value) != ArrayRef<int64_t>(input[1]))
      return emitError() << "'" << name << "' must have shape [" << input[1]
                         << "], got " << listString(shapeOf(value));
  return SmallVector<int64_t, 4>(input);
}

LogicalResult InstanceNormOp::verify() {
  return verifyEpsilon(*this, getEpsilon());
}

//===----------------------------------------------------------------------===//
// Element-wise unary ops: activations, quantize, dequantize
//===----------------------------------------------------------------------===//

/// An element-wise op's result has its (single) input's shape.
static FailureOr<SmallVector<int64_t, 4>>
inferElementwiseShape(Value input, const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(input, emitError)))
    return failure();
  return SmallVector<int64_t, 4>(shapeOf(input));
}

#define PICO_ELEMENTWISE_SHAPE(OpClass)                                        \
  FailureOr<SmallVector<int64_t, 4>> OpClass::inferResultShape(                \
      Adaptor op, const ShapeDiagnostics &emitError) {                         \
    return inferElementwiseShape(op.getInput(), emitError);                    \
  }
PICO_ELEMENTWISE_SHAPE(ReluOp)
PICO_ELEMENTWISE_SHAPE(ClipOp)
PICO_ELEMENTWISE_SHAPE(LeakyReluOp)
PICO_ELEMENTWISE_SHAPE(SigmoidOp)
PICO_ELEMENTWISE_SHAPE(HardSigmoidOp)
PICO_ELEMENTWISE_SHAPE(HardSwishOp)
PICO_ELEMENTWISE_SHAPE(TanhOp)
PICO_ELEMENTWISE_SHAPE(AbsOp)
PICO_ELEMENTWISE_SHAPE(NegOp)
PICO_ELEMENTWISE_SHAPE(ExpOp)
PICO_ELEMENTWISE_SHAPE(SqrtOp)
PICO_ELEMENTWISE_SHAPE(PowOp)
PICO_ELEMENTWISE_SHAPE(EluOp)
PICO_ELEMENTWISE_SHAPE(SeluOp)
PICO_ELEMENTWISE_SHAPE(SoftplusOp)
PICO_ELEMENTWISE_SHAPE(QuantizeOp)
PICO_ELEMENTWISE_SHAPE(DequantizeOp)
#undef PICO_ELEMENTWISE_SHAPE

ActivationAttr ReluOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::Relu);
}

ActivationAttr ClipOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::Clip, getMin(),
                             getMax());
}

ActivationAttr LeakyReluOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::LeakyRelu,
                             getAlpha(), APFloat(0.0f));
}

ActivationAttr SigmoidOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::Sigmoid);
}

ActivationAttr HardSigmoidOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::HardSigmoid,
                             getAlpha(), getBeta());
}

ActivationAttr HardSwishOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::HardSwish);
}

ActivationAttr TanhOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::Tanh);
}

#define PICO_PLAIN_ACTIVATION(OpClass, kind)                                   \
  ActivationAttr OpClass::getActivationFunction() {                            \
    return ActivationAttr::get(getContext(), ActivationKind::kind);            \
  }
PICO_PLAIN_ACTIVATION(AbsOp, Abs)
PICO_PLAIN_ACTIVATION(NegOp, Neg)
PICO_PLAIN_ACTIVATION(ExpOp, Exp)
PICO_PLAIN_ACTIVATION(SqrtOp, Sqrt)
PICO_PLAIN_ACTIVATION(SoftplusOp, Softplus)
#undef PICO_PLAIN_ACTIVATION

ActivationAttr PowOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::Pow, getExponent(),
                             APFloat(0.0f));
}

ActivationAttr EluOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::Elu, getAlpha(),
                             APFloat(0.0f));
}

ActivationAttr SeluOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::Selu, getAlpha(),
                             getGamma());
}

Operation *picosam::pico::createActivationOp(OpBuilder &builder, Location loc,
                                             Value input,
                                             ActivationAttr activation) {
  Type type = input.getType();
  APFloat alpha = activation.getAlpha(), beta = activation.getBeta();
  switch (activation.getKind()) {
  case ActivationKind::None:
    break;
  case ActivationKind::Relu:
    return ReluOp::create(builder, loc, type, input);
  case ActivationKind::Clip:
    return ClipOp::create(builder, loc, type, input, alpha, beta);
  case ActivationKind::LeakyRelu:
    return LeakyReluOp::create(builder, loc, type, input, alpha);
  case ActivationKind::Sigmoid:
    return SigmoidOp::create(builder, loc, type, input);
  case ActivationKind::HardSigmoid:
    return HardSigmoidOp::create(builder, loc, type, input, alpha, beta);
  case ActivationKind::HardSwish:
    return HardSwishOp::create(builder, loc, type, input);
  case ActivationKind::Tanh:
    return TanhOp::create(builder, loc, type, input);
  case ActivationKind::Abs:
    return AbsOp::create(builder, loc, type, input);
  case ActivationKind::Neg:
    return NegOp::create(builder, loc, type, input);
  case ActivationKind::Exp:
    return ExpOp::create(builder, loc, type, input);
  case ActivationKind::Sqrt:
    return SqrtOp::create(builder, loc, type, input);
  case ActivationKind::Pow:
    return PowOp::create(builder, loc, type, input, alpha);
  case ActivationKind::Elu:
    return EluOp::create(builder, loc, type, input, alpha);
  case ActivationKind::Selu:
    return SeluOp::create(builder, loc, type, input, alpha, beta);
  case ActivationKind::Softplus:
    return SoftplusOp::create(builder, loc, type, input);
  }
  llvm_unreachable("createActivationOp: no op applies #pico.act<none>");
}

LogicalResult PowOp::verify() {
  return verifyActivationParameters(*this, ActivationKind::Pow, getExponent(),
                                    APFloat(0.0f));
}
LogicalResult EluOp::verify() {
  return verifyActivationParameters(*this, ActivationKind::Elu, getAlpha(),
                                    APFloat(0.0f));
}
LogicalResult SeluOp::verify() {
  return verifyActivationParameters(*this, ActivationKind::Selu, getAlpha(),
                                    getGamma());
}

LogicalResult ClipOp::verify() {
  return verifyActivationParameters(*this, ActivationKind::Clip, getMin(),
                                    getMax());
}
LogicalResult LeakyReluOp::verify() {
  return verifyActivationParameters(*this, ActivationKind::LeakyRelu,
                                    getAlpha(), APFloat(0.0f));
}
LogicalResult HardSigmoidOp::verify() {
  return verifyActivationParameters(*this, ActivationKind::HardSigmoid,
                                    getAlpha(), getBeta());
}

//===----------------------------------------------------------------------===//
// Element-wise binary ops
//===----------------------------------------------------------------------===//

/// A binary op's result has its operands' numpy broadcast shape.
static FailureOr<SmallVector<int64_t, 4>>
inferBroadcastShape(Value lhsValue, Value rhsValue,
                    const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands({lhsValue, rhsValue}, emitError)))
    return failure();
  ArrayRef<int64_t> lhs = shapeOf(lhsValue), rhs = shapeOf(rhsValue);
  std::optional<SmallVector<int64_t, 4>> shape = broadcastShapes(lhs, rhs);
  if (!shape)
    return emitError() << "operand shapes " << listString(lhs) << " and "
                       << listString(rhs) << " do not broadcast";
  return std::move(*shape);
}

/// `lhs` when `rhs` is a splat float constant bit-identical to `neutral`
/// (so +0.0 and -0.0 differ: x + +0.0 turns -0.0 into +0.0), the result has
/// `lhs`'s type (no broadcast widens it) and no activation follows.
static OpFoldResult foldNeutralRhs(Value lhs, Attribute rhs, Type resultType,
                                   ActivationAttr activation, double neutral) {
  auto splat = dyn_cast_if_present<SplatElementsAttr>(rhs);
  if (!splat || activation || lhs.getType() != resultType)
    return {};
  auto floatType = dyn_cast<FloatType>(splat.getElementType());
  if (!floatType)
    return {};
  APFloat neutralValue(neutral);
  bool losesInfo;
  neutralValue.convert(floatType.getFloatSemantics(),
                       APFloat::rmNearestTiesToEven, &losesInfo);
  if (!splat.getSplatValue<APFloat>().bitwiseIsEqual(neutralValue))
    return {};
  return lhs;
}

/// The value a concat of copies repeats along an axis of size 1 in it (an
/// imported Expand or Tile, one concat per axis), through chains of them;
/// null for any other value.
static Value repeatedValue(Value value) {
  auto concat = value.getDefiningOp<ConcatOp>();
  if (!concat || concat.getInputs().empty())
    return {};
  Value copy = concat.getInputs().front();
  ArrayRef<int64_t> shape = shapeOf(copy);
  std::optional<int64_t> axis = normalizeAxis(concat.getAxis(), shape.size());
  if (!axis || shape[*axis] != 1 || copy.getType() != RankedTensorType::get(
          shape, getElementTypeOrSelf(concat.getType())) ||
      llvm::any_of(concat.getInputs(), [&](Value input) { return input != copy; }))
    return {};
  Value inner = repeatedValue(copy);
  return inner ? inner : copy;
}

/// Reads the repeated value instead of an operand that repeats it when
/// broadcasting gives the same result shape: the elements read are equal.
static LogicalResult foldRepeatedOperands(Operation *op) {
  bool changed = false;
  for (OpOperand &operand : op->getOpOperands()) {
    Value repeated = repeatedValue(operand.get());
    if (!repeated)
      continue;
    Value other = op->getOperand(1 - operand.getOperandNumber());
    std::optional<SmallVector<int64_t, 4>> shape =
        broadcastShapes(shapeOf(repeated), shapeOf(other));
    if (!shape || ArrayRef<int64_t>(*shape) != shapeOf(op->getResult(0)))
      continue;
    operand.set(repeated);
    changed = true;
  }
  return success(changed);
}

#define PICO_BINARY_OP(OpClass, neutral)                                       \
  FailureOr<SmallVector<int64_t, 4>> OpClass::inferResultShape(                \
      Adaptor op, const ShapeDiagnostics &emitError) {                         \
    return inferBroadcastShape(op.getLhs(), op.getRhs(), emitError);           \
  }                                                                            \
  LogicalResult OpClass::verify() {                                            \
    return verifyFusedActivation(*this, getActivationAttr());                  \
  }                                                                            \
  OpFoldResult OpClass::fold(FoldAdaptor adaptor) {                            \
    if (OpFoldResult lhs = foldNeutralRhs(getLhs(), adaptor.getRhs(),          \
                                          getType(), getActivationAttr(),      \
                                          neutral))                            \
      return lhs;                                                              \
    if (succeeded(foldRepeatedOperands(*this)))                                \
      return getResult();                                                      \
    return {};                                                                 \
  }
PICO_BINARY_OP(AddOp, -0.0)
PICO_BINARY_OP(SubOp, 0.0)
PICO_BINARY_OP(MulOp, 1.0)
PICO_BINARY_OP(DivOp, 1.0)
PICO_BINARY_OP(MaxOp, -std::numeric_limits<double>::infinity())
PICO_BINARY_OP(PReluOp, 1.0)
PICO_BINARY_OP(MinOp, std::numeric_limits<double>::infinity())
#undef PICO_BINARY_OP

//===----------------------------------------------------------------------===//
// Pooling and resizing
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t, 4>>
GlobalAvgPoolOp::inferResultShape(Adaptor op,
                                  const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(op.getOperands(), emitError)))
    return failure();
  ArrayRef<int64_t> input = shapeOf(op.getInput());
  if (input.size() < 3)
    return emitError()
           << "expects an input of rank >= 3 (N, C, spatial axes), got rank "
           << input.size();
  SmallVector<int64_t, 4> output(input.size(), 1);
  output[0] = input[0];
  output[1] = input[1];
  return output;
}

/// The shape rules of avg_pool and max_pool.
static FailureOr<SmallVector<int64_t, 4>>
inferPool2DShape(Value inputValue, ArrayRef<int64_t> kernel,
                 ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                 ArrayRef<int64_t> pads, bool ceilMode,
                 const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(inputValue, emitError)))
    return failure();
  ArrayRef<int64_t> input = shapeOf(inputValue);
  if (input.size() != 4)
    return emitError() << "expects a 4-D NCHW input, got rank " << input.size();
  if (failed(verifyArrayAttr(emitError, "kernel_shape", kernel, 2, 1)) ||
      failed(verifyWindowAttrs(emitError, strides, dilations, pads)))
    return failure();
  // A window made only of padding has no maximum and nothing to average.
  for (int64_t axis = 0; axis < 2; ++axis) {
    std::optional<int64_t> extent =
        dilatedKernelExtent(kernel[axis], dilations[axis]);
    for (int64_t pad : {pads[axis], pads[2 + axis]})
      if (extent && pad >= *extent)
        return emitError() << "pad " << pad << " on axis " << 2 + axis
                           << " is not smaller than the kernel extent "
                           << *extent
                           << ", so a window would cover only padding";
  }
  SmallVector<int64_t, 4> output = {input[0], input[1]};
  if (failed(inferWindowedSizes(emitError, input, kernel, strides, dilations,
                                pads, ceilMode, output)))
    return failure();
  return output;
}

FailureOr<SmallVector<int64_t, 4>>
AvgPoolOp::inferResultShape(Adaptor op, const ShapeDiagnostics &emitError) {
  // ONNX AveragePool (before opset 19) has no dilations.
  int64_t noDilation[] = {1, 1};
  return inferPool2DShape(op.getInput(), op.getKernelShape(), op.getStrides(),
                          noDilation, op.getPads(), op.getCeilMode(),
                          emitError);
}

FailureOr<SmallVector<int64_t, 4>>
MaxPoolOp::inferResultShape(Adaptor op, const ShapeDiagnostics &emitError) {
  return inferPool2DShape(op.getInput(), op.getKernelShape(), op.getStrides(),
                          op.getDilations(), op.getPads(), op.getCeilMode(),
                          emitError);
}

/// The result type holds the output shape (the model may have given sizes
/// instead of scales): checked against the scales here.
LogicalResult ResizeOp::verify() {
  if (failed(verifyStaticOperands(getInput(), ShapeDiagnostics(*this))))
    return failure();
  ArrayRef<int64_t> input = shapeOf(getInput());
  ArrayRef<float> scales = getScales();
  if (scales.size() != input.size())
    return emitOpError("'scales' must have one entry per input axis (")
           << input.size() << "), got " << scales.size();
  if (llvm::any_of(scales, [](float scale) {
        return !std::isfinite(scale) || scale <= 0.0f;
      }))
    return emitOpError("'scales' entries must be positive and finite, got ")
           << listString(scales);
  // The result type holds the model's sizes when it gave them; scales
  // computed from them round, so the sizes are accepted within 1 of
  // in * scale, and floor(in * scale) is used otherwise.
  RankedTensorType resultType = getOutput().getType();
  SmallVector<int64_t, 4> output;
  for (auto [axis, inSize, scale] : llvm::enumerate(input, scales)) {
    if (resultType.getRank() == static_cast<int64_t>(input.size()) &&
        isResizeOutputSize(resultType.getDimSize(axis), inSize, scale)) {
      output.push_back(resultType.getDimSize(axis));
      continue;
    }
    std::optional<int64_t> size = resizeOutputSize(inSize, scale);
    if (!size)
      return emitOpError("scaling axis ")
             << axis << " of size " << inSize << " by " << scale
             << " gives no valid size";
    output.push_back(*size);
  }
  return verifyResultShape(*this, output);
}

std::optional<int64_t> ResizeOp::getNearestUpsampleFactor() {
  ArrayRef<float> scales = getScales();
  ArrayRef<int64_t> input = shapeOf(getInput());
  ArrayRef<int64_t> output = shapeOf(getOutput());
  if (getMode() != ResizeMode::Nearest || scales.size() != 4 ||
      input.size() != 4 || output.size() != 4)
    return std::nullopt;
  // (The bound on the factor keeps the conversion and products in range.)
  float scale = scales[2];
  if (scales[0] != 1.0f || scales[1] != 1.0f || scales[3] != scale ||
      scale < 2.0f || scale != std::floor(scale) || scale > 65536.0f)
    return std::nullopt;
  auto factor = static_cast<int64_t>(scale);
  if (output != ArrayRef<int64_t>({input[0], input[1], input[2] * factor,
                                   input[3] * factor}))
    return std::nullopt;
  // Output index x = q * f + r (0 <= r < f) must read input index q. The
  // source coordinate ONNX computes for x, and which roundings give q:
  // - asymmetric: x / f = q + r / f, in [q, q + 1): floor always; rounding
  //   with halves down only while every r / f <= 1/2, that is for f = 2;
  // - half_pixel, pytorch_half_pixel (the output has more than one
  //   element): (x + 1/2) / f - 1/2 = q + (r + 1/2) / f - 1/2, strictly
  //   within 1/2 of q: rounding either way, never floor or ceil;
  // - tf_half_pixel_for_nearest: (x + 1/2) / f = q + (r + 1/2) / f, in
  //   (q, q + 1): floor only;
  // - align_corners: x (n - 1) / (f n - 1) = q + (r (n - 1) - (f - 1) q) /
  //   (f n - 1) for an axis of n: strictly within 1/2 of q for every n, q
  //   and r when f = 2 (rounding either way), not for larger f.
  // test/Transforms/fold-upsample-modes.test checks this table against
  // the reference Resize for every mode pair.
  NearestMode rounding = getNearestMode();
  bool exact = false;
  switch (getCoordinateTransformationMode()) {
  case CoordinateTransformMode::Asymmetric:
    exact = rounding == NearestMode::Floor ||
            (rounding == NearestMode::RoundPreferFloor && factor == 2);
    break;
  case CoordinateTransformMode::HalfPixel:
  case CoordinateTransformMode::PytorchHalfPixel:
    exact = rounding == NearestMode::RoundPreferFloor ||
            rounding == NearestMode::RoundPreferCeil;
    break;
  case CoordinateTransformMode::TfHalfPixelForNearest:
    exact = rounding == NearestMode::Floor;
    break;
  case CoordinateTransformMode::AlignCorners:
    exact = (rounding == NearestMode::RoundPreferFloor ||
             rounding == NearestMode::RoundPreferCeil) &&
            factor == 2;
    break;
  }
  if (!exact)
    return std::nullopt;
  return factor;
}

//===----------------------------------------------------------------------===//
// ConcatOp
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t, 4>>
ConcatOp::inferResultShape(Adaptor op, const ShapeDiagnostics &emitError) {
  if (op.getInputs().empty())
    return emitError() << "expects at least one input";
  if (failed(verifyStaticOperands(op.getOperands(), emitError)))
    return failure();
  ArrayRef<int64_t> first = shapeOf(op.getInputs().front());
  auto rank = static_cast<int64_t>(first.size());
  auto givenAxis = static_cast<int64_t>(op.getAxis());
  std::optional<int64_t> axis = normalizeAxis(givenAxis, rank);
  if (!axis)
    return emitError() << "axis " << givenAxis << " is out of range for rank "
                       << rank;
  SmallVector<int64_t, 4> output(first);
  for (auto [index, input] : llvm::enumerate(op.getInputs())) {
    if (index == 0)
      continue;
    ArrayRef<int64_t> shape = shapeOf(input);
    if (static_cast<int64_t>(shape.size()) != rank)
      return emitError() << "input #" << index << " has rank " << shape.size()
                         << " but input #0 has " << rank;
    for (int64_t dim = 0; dim < rank; ++dim)
      if (dim != *axis && shape[dim] != first[dim])
        return emitError() << "input #" << index << " has size " << shape[dim]
                           << " on axis " << dim << " but input #0 has "
                           << first[dim];
    std::optional<int64_t> sum = llvm::checkedAdd(output[*axis], shape[*axis]);
    if (!sum)
      return emitError() << "concatenated size on axis " << *axis
                         << " overflows int64_t";
    output[*axis] = *sum;
  }
  return output;
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  return {};
}

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  if (failed(verifyStaticOperands(getInput(), ShapeDiagnostics(*this))))
    return failure();
  // A reshape's output shape is only given by its result type.
  RankedTensorType resultType = getOutput().getType();
  if (!resultType.hasStaticShape())
    return emitOpError("result must be statically shaped, got ") << resultType;
  // ByteSizedTensors, verified first, has shown both counts to fit.
  int64_t inCount = *numElements(shapeOf(getInput()));
  int64_t outCount = *numElements(resultType.getShape());
  if (inCount != outCount)
    return emitOpError("cannot reshape ")
           << inCount << " elements into " << outCount;
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // Quantized constants hold their storage values, whose type differs from
  // the result's: they are left alone.
  if (auto value = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput()))
    if (value.getElementType() == getType().getElementType())
      return value.reshape(getType());
  return {};
}

namespace {
/// reshape(reshape(x)) -> reshape(x): only the last shape matters.
struct ComposeReshapes : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<ReshapeOp>();
    if (!producer)
      return failure();
    Location loc = rewriter.getFusedLoc({producer.getLoc(), op.getLoc()});
    rewriter.replaceOp(op, ReshapeOp::create(rewriter, loc, op.getType(),
                                             producer.getInput()));
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<ComposeReshapes>(context);
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t, 4>>
TransposeOp::inferResultShape(Adaptor op, const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(op.getOperands(), emitError)))
    return failure();
  ArrayRef<int64_t> input = shapeOf(op.getInput());
  ArrayRef<int64_t> perm = op.getPerm();
  if (perm.size() != input.size() || !isPermutationVector(perm))
    return emitError() << "'perm' " << listString(perm)
                       << " is not a permutation of the " << input.size()
                       << " input axes";
  return SmallVector<int64_t, 4>(applyPermutation(input, perm));
}

/// The elements of `value` with output axis i taken from input axis
/// perm[i], or null when the elements are not stored one per whole bytes.
static DenseElementsAttr transposeElements(DenseElementsAttr value,
                                           ArrayRef<int64_t> perm,
                                           RankedTensorType resultType) {
  if (value.isSplat())
    return value.resizeSplat(resultType);
  Type elementType = value.getElementType();
  if (!elementType.isIntOrFloat() ||
      elementType.getIntOrFloatBitWidth() % 8 != 0)
    return {};
  size_t elementBytes = elementType.getIntOrFloatBitWidth() / 8;
  ArrayRef<char> input = value.getRawData();
  int64_t count = value.getNumElements();
  if (input.size() != count * elementBytes)
    return {};
  // The input offset moves by strides[axis] per step along output `axis`.
  SmallVector<int64_t> strides =
      applyPermutation(picosam::rowMajorStrides(value.getType().getShape()), perm);
  ArrayRef<int64_t> outShape = resultType.getShape();
  SmallVector<int64_t> index(outShape.size(), 0);
  std::vector<char> output(input.size());
  int64_t offset = 0;
  for (int64_t position = 0; position < count; ++position) {
    std::memcpy(&output[position * elementBytes], &input[offset * elementBytes],
                elementBytes);
    for (int64_t axis = static_cast<int64_t>(outShape.size()) - 1; axis >= 0;
         --axis) {
      offset += strides[axis];
      if (++index[axis] < outShape[axis])
        break;
      offset -= strides[axis] * outShape[axis];
      index[axis] = 0;
    }
  }
  return DenseElementsAttr::getFromRawBuffer(resultType, output);
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  if (isIdentityPermutation(getPerm()))
    return getInput();
  // Quantized constants hold their storage values, whose type differs from
  // the result's: they are left alone.
  if (auto value = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput()))
    if (value.getElementType() == getType().getElementType())
      return transposeElements(value, getPerm(), getType());
  return {};
}

namespace {
/// transpose(transpose(x, inner), outer) -> transpose(x, inner o outer):
/// output axis i is the inner input's axis inner[outer[i]].
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<TransposeOp>();
    if (!producer)
      return failure();
    SmallVector<int64_t> perm =
        applyPermutation(producer.getPerm(), op.getPerm());
    Location loc = rewriter.getFusedLoc({producer.getLoc(), op.getLoc()});
    rewriter.replaceOp(op, TransposeOp::create(rewriter, loc, op.getType(),
                                               producer.getInput(), perm));
    return success();
  }
};

/// A transpose that only moves size-1 axes keeps the elements in order: it
/// is a reshape, which moves no data.
struct TransposeOfUnitAxesToReshape : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    ArrayRef<int64_t> input = op.getInput().getType().getShape();
    int64_t previous = -1;
    for (int64_t axis : op.getPerm()) {
      if (input[axis] == 1)
        continue;
      if (axis < previous)
        return failure();
      previous = axis;
    }
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), op.getInput());
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *context) {
  patterns.add<ComposeTransposes, TransposeOfUnitAxesToReshape>(context);
}

//===----------------------------------------------------------------------===//
// PadOp
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t, 4>>
PadOp::inferResultShape(Adaptor op, const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(op.getOperands(), emitError)))
    return failure();
  ArrayRef<int64_t> input = shapeOf(op.getInput());
  int64_t rank = input.size();
  ArrayRef<int64_t> pads = op.getPads();
  if (failed(verifyArrayAttr(emitError, "pads", pads, 2 * rank, 0)))
    return failure();
  SmallVector<int64_t, 4> shape;
  for (int64_t axis = 0; axis < rank; ++axis) {
    int64_t before = pads[axis], after = pads[rank + axis];
    if (before == 0 && after == 0) {
      shape.push_back(input[axis]);
      continue;
    }
    // Reflection mirrors about the axis' first and last element, which
    // gives at most size - 1 new elements on each side.
    if (op.getMode() == PadMode::Reflect &&
        (before >= input[axis] || after >= input[axis]))
      return emitError() << "reflect pads of axis " << axis << " ("
                         << before << ", " << after
                         << ") must be smaller than its size " << input[axis];
    if (op.getMode() == PadMode::Edge && input[axis] == 0)
      return emitError() << "edge pads of axis " << axis
                         << " repeat its elements, but it is empty";
    std::optional<int64_t> size = llvm::checkedAdd(input[axis], before);
    if (size)
      size = llvm::checkedAdd(*size, after);
    if (!size)
      return emitError() << "pads of axis " << axis
                         << " overflow its size";
    shape.push_back(*size);
  }
  return shape;
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (llvm::all_of(getPads(), [](int64_t pad) { return pad == 0; }) &&
      getInput().getType() == getType())
    return getInput();
  return {};
}

double PadOp::getStoragePadValue() {
  Type elementType = getType().getElementType();
  double value = getValue().convertToFloat();
  if (isa<FloatType>(elementType))
    return value;
  if (isa<quant::QuantizedType>(elementType)) {
    // The verifier's integer semantics have shown a per-tensor type.
    llvm::Expected<QuantParams> params = QuantParams::get(elementType, {1});
    if (!params) {
      llvm::consumeError(params.takeError());
      return 0;
    }
    Tensor real(ElementKind::F32, {1});
    real.storage<float>()[0] = static_cast<float>(value);
    Tensor storage = params->quantize(real);
    double result = 0;
    dispatchStorage(storage.kind(), [&](auto zero) {
      using T = decltype(zero);
      result = static_cast<double>(storage.storage<T>()[0]);
    });
    return result;
  }
  return std::trunc(value);
}

//===----------------------------------------------------------------------===//
// SliceOp
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t, 4>>
SliceOp::inferResultShape(Adaptor op, const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(op.getOperands(), emitError)))
    return failure();
  ArrayRef<int64_t> input = shapeOf(op.getInput());
  ArrayRef<int64_t> offsets = op.getOffsets(), sizes = op.getSizes(),
                    strides = op.getStrides();
  size_t rank = input.size();
  if (failed(verifyArrayAttr(emitError, "offsets", offsets, rank, 0)) ||
      failed(verifyArrayAttr(emitError, "sizes", sizes, rank, 0)) ||
      failed(verifyArrayAttr(emitError, "strides", strides, rank,
                             std::numeric_limits<int64_t>::min())))
    return failure();
  for (size_t axis = 0; axis < rank; ++axis) {
    if (strides[axis] == 0)
      return emitError() << "stride of axis " << axis << " must not be 0";
    if (sizes[axis] == 0)
      continue;
    // The last element read: offset + (size - 1) * stride, in [0, size).
    std::optional<int64_t> last = llvm::checkedMul(sizes[axis] - 1, strides[axis]);
    if (last)
      last = llvm::checkedAdd(*last, offsets[axis]);
    if (offsets[axis] >= input[axis] || !last || *last < 0 ||
        *last >= input[axis])
      return emitError() << "axis " << axis << " reads " << sizes[axis]
                         << " elements from " << offsets[axis]
                         << " by steps of " << strides[axis]
                         << ", outside its size " << input[axis];
  }
  return SmallVector<int64_t, 4>(sizes);
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType() &&
      llvm::all_of(getOffsets(), [](int64_t o) { return o == 0; }) &&
      llvm::all_of(getStrides(), [](int64_t s) { return s == 1; }))
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// ReduceOp
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t, 4>>
ReduceOp::inferResultShape(Adaptor op, const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(op.getOperands(), emitError)))
    return failure();
  ArrayRef<int64_t> input = shapeOf(op.getInput());
  ArrayRef<int64_t> axes = op.getAxes();
  if (axes.empty())
    return emitError() << "'axes' must name at least one axis";
  for (size_t i = 0; i < axes.size(); ++i)
    if (axes[i] < 0 || axes[i] >= static_cast<int64_t>(input.size()) ||
        (i > 0 && axes[i] <= axes[i - 1]))
      return emitError() << "'axes' must be distinct sorted axes in [0, "
                         << input.size() << "), got " << listString(axes);
  SmallVector<int64_t, 4> shape;
  for (int64_t axis = 0, e = input.size(); axis < e; ++axis) {
    if (!llvm::is_contained(axes, axis))
      shape.push_back(input[axis]);
    else if (op.getKeepDims())
      shape.push_back(1);
  }
  return shape;
}

int64_t ReduceOp::getReducedCount() {
  ArrayRef<int64_t> input = shapeOf(getInput());
  int64_t count = 1;
  for (int64_t axis : getAxes())
    count *= input[axis];
  return count;
}

//===----------------------------------------------------------------------===//
// MatMulOp, GemmOp, SoftmaxOp
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t, 4>>
MatMulOp::inferResultShape(Adaptor op, const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(op.getOperands(), emitError)))
    return failure();
  ArrayRef<int64_t> lhs = shapeOf(op.getLhs()), rhs = shapeOf(op.getRhs());
  if (lhs.empty() || rhs.empty())
    return emitError() << "expects operands of rank >= 1";
  // numpy promotes a 1-D lhs to a 1xK row and a 1-D rhs to a Kx1 column.
  int64_t lhsK = lhs.back();
  int64_t rhsK = rhs.size() == 1 ? rhs[0] : rhs[rhs.size() - 2];
  if (lhsK != rhsK)
    return emitError() << "inner dimensions differ: lhs has " << lhsK
                       << " columns, rhs has " << rhsK << " rows";
  ArrayRef<int64_t> lhsBatch = lhs.drop_back(std::min<size_t>(lhs.size(), 2));
  ArrayRef<int64_t> rhsBatch = rhs.drop_back(std::min<size_t>(rhs.size(), 2));
  std::optional<SmallVector<int64_t, 4>> output =
      broadcastShapes(lhsBatch, rhsBatch);
  if (!output)
    return emitError() << "batch dimensions " << listString(lhsBatch) << " and "
                       << listString(rhsBatch) << " do not broadcast";
  if (lhs.size() >= 2)
    output->push_back(lhs[lhs.size() - 2]);
  if (rhs.size() >= 2)
    output->push_back(rhs.back());
  return std::move(*output);
}

FailureOr<SmallVector<int64_t, 4>>
GemmOp::inferResultShape(Adaptor op, const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(op.getOperands(), emitError)))
    return failure();
  ArrayRef<int64_t> a = shapeOf(op.getA()), b = shapeOf(op.getB());
  if (a.size() != 2 || b.size() != 2)
    return emitError() << "expects 2-D 'a' and 'b', got ranks " << a.size()
                       << " and " << b.size();
  int64_t m = op.getTransA() ? a[1] : a[0], aK = op.getTransA() ? a[0] : a[1];
  int64_t bK = op.getTransB() ? b[1] : b[0], n = op.getTransB() ? b[0] : b[1];
  if (aK != bK)
    return emitError() << "inner dimensions differ: op(a) is " << m << "x" << aK
                       << ", op(b) is " << bK << "x" << n;
  SmallVector<int64_t, 4> output = {m, n};
  if (Value c = op.getC()) {
    std::optional<SmallVector<int64_t, 4>> broadcast =
        broadcastShapes(shapeOf(c), output);
    if (!broadcast || *broadcast != output)
      return emitError() << "'c' of shape " << listString(shapeOf(c))
                         << " does not broadcast to "
                         << listString<int64_t>(output);
  }
  return output;
}

LogicalResult GemmOp::verify() {
  return verifyFusedActivation(*this, getActivationAttr());
}

FailureOr<SmallVector<int64_t, 4>>
SoftmaxOp::inferResultShape(Adaptor op, const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(op.getOperands(), emitError)))
    return failure();
  ArrayRef<int64_t> input = shapeOf(op.getInput());
  auto axis = static_cast<int64_t>(op.getAxis());
  if (!normalizeAxis(axis, input.size()))
    return emitError() << "axis " << axis << " is out of range for rank "
                       << input.size();
  return SmallVector<int64_t, 4>(input);
}

//===----------------------------------------------------------------------===//
// ChannelAttentionOp
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t, 4>>
ChannelAttentionOp::inferResultShape(Adaptor op,
                                     const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(op.getOperands(), emitError)))
    return failure();
  ArrayRef<int64_t> input = shapeOf(op.getInput());
  if (input.size() != 4)
    return emitError() << "expects a 4-D NCHW input, got rank " << input.size();
  int64_t channels = input[1];
  SmallVector<int64_t, 4> weight = {channels, channels, 1, 1};
  if (shapeOf(op.getWeight()) != ArrayRef<int64_t>(weight))
    return emitError() << "weight must have shape "
                       << listString<int64_t>(weight) << ", got "
                       << listString(shapeOf(op.getWeight()));
  if (Value bias = op.getBias();
      bias && shapeOf(bias) != ArrayRef<int64_t>(channels))
    return emitError() << "bias must have shape [" << channels << "], got "
                       << listString(shapeOf(bias));
  return SmallVector<int64_t, 4>(input);
}

LogicalResult ChannelAttentionOp::verify() {
  if ((getMeanType() || getLogitsType()) && !hasQuantizedValues(*this))
    return emitOpError("'mean_type' and 'logits_type' are the intermediate "
                       "types of a quantized channel_attention; a float one "
                       "has neither");
  return success();
}

//===----------------------------------------------------------------------===//
// SeparableBlockOp
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t, 4>>
SeparableBlockOp::inferResultShape(Adaptor op,
                                   const ShapeDiagnostics &emitError) {
  if (failed(verifyStaticOperands(op.getOperands(), emitError)))
    return failure();
  // The yielded value is the pointwise convolution's result (checked by
  // verifyRegions, which runs once the body's ops are verified).
  Block &body = op.getBody().front();
  auto yield = body.empty() ? YieldOp() : dyn_cast<YieldOp>(body.back());
  if (!yield)
    return emitError() << "body must end with pico.yield";
  return SmallVector<int64_t, 4>(shapeOf(yield.getValue()));
}

Conv2DOp SeparableBlockOp::getDepthwise() {
  return cast<Conv2DOp>(getBody().front().front());
}

Conv2DOp SeparableBlockOp::getPointwise() {
  return cast<Conv2DOp>(*std::next(getBody().front().begin()));
}

LogicalResult SeparableBlockOp::verifyRegions() {
  Block &body = getBody().front();
  if (body.getNumArguments() != 1 ||
      body.getArgument(0).getType() != getInput().getType())
    return emitOpError("body must have one argument, of the input's type ")
           << getInput().getType();
  if (body.getOperations().size() != 3)
    return emitOpError("body must be a depthwise pico.conv2d, a pointwise "
                       "pico.conv2d and pico.yield, got ")
           << body.getOperations().size() << " ops";
  auto op = body.begin();
  auto depthwise = dyn_cast<Conv2DOp>(*op++);
  auto pointwise = dyn_cast<Conv2DOp>(*op++);
  auto yield = dyn_cast<YieldOp>(*op);
  if (!depthwise || !pointwise || !yield)
    return emitOpError("body must be a depthwise pico.conv2d, a pointwise "
                       "pico.conv2d and pico.yield");

  // Only the depthwise convolution reads the block's input, and only the
  // pointwise one reads the depthwise result: that is what lets a backend
  // stream rows from one to the other.
  BlockArgument input = body.getArgument(0);
  if (depthwise.getInput() != input || !input.hasOneUse())
    return emitOpError("the body's argument must be the depthwise "
                       "convolution's input and nothing else");
  if (!depthwise.isDepthwise())
    return emitOpError("the first convolution must be depthwise: group ")
           << depthwise.getGroup() << " differs from its "
           << shapeOf(input)[1] << " input channels";
  if (depthwise.getResidual())
    return emitOpError("the depthwise convolution cannot have a residual");
  if (pointwise.getInput() != depthwise.getOutput() ||
      !depthwise.getOutput().hasOneUse())
    return emitOpError("the depthwise result must be the pointwise "
                       "convolution's input and nothing else");
  if (!pointwise.isPointwise())
    return emitOpError("the second convolution must be pointwise: 1x1 "
                       "kernel, unit strides, no pads, group 1, no "
                       "input_upsample");
  if (yield.getValue() != pointwise.getOutput())
    return emitOpError("the body must yield the pointwise result");
  if (yield.getValue().getType() != getOutput().getType())
    return emitOpError("result type ")
           << getOutput().getType() << " differs from the yielded "
           << yield.getValue().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// QuantizeOp, DequantizeOp
//===----------------------------------------------------------------------===//

/// The element type rules shared by quantize (float -> quantized) and
/// dequantize (quantized -> float).
static LogicalResult verifyQuantizationBoundary(Operation *op, Type floatType,
                                                StringRef floatSide,
                                                Type quantizedType,
                                                StringRef quantizedSide,
                                                ArrayRef<int64_t> shape) {
  if (!isa<FloatType>(floatType))
    return op->emitOpError()
           << floatSide << " element type must be float, got " << floatType;
  if (!isUniformQuantized(quantizedType))
    return op->emitOpError()
           << quantizedSide
           << " element type must be a per-tensor or per-axis "
              "!quant.uniform, got "
           << quantizedType;
  Type expressedType =
      cast<quant::QuantizedType>(quantizedType).getExpressedType();
  if (expressedType != floatType)
    return op->emitOpError() << quantizedSide << " element type expresses "
                             << expressedType << " values but the " << floatSide
                             << " element type is " << floatType;
  return verifyQuantizedShape(op, quantizedType, shape);
}

LogicalResult QuantizeOp::verify() {
  return verifyQuantizationBoundary(
      *this, getInput().getType().getElementType(), "input",
      getOutput().getType().getElementType(), "result",
      getInput().getType().getShape());
}

LogicalResult DequantizeOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> location,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  ShapeDiagnostics emitError(location, getOperationName());
  FailureOr<SmallVector<int64_t, 4>> shape =
      inferResultShape(adaptor, emitError);
  if (failed(shape))
    return failure();
  Type inputType = adaptor.getInput().getType();
  auto quantized =
      dyn_cast<quant::QuantizedType>(getElementTypeOrSelf(inputType));
  if (!quantized)
    return emitError() << "dequantizes a quantized input, got " << inputType;
  types.push_back(RankedTensorType::get(*shape, quantized.getExpressedType()));
  return success();
}

LogicalResult DequantizeOp::verify() {
  return verifyQuantizationBoundary(
      *this, getOutput().getType().getElementType(), "result",
      getInput().getType().getElementType(), "input",
      getInput().getType().getShape());
}
