//===- PicoOps.cpp - pico op verifiers, folders and shape inference -------===//
#include "Pico/PicoOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

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
// Shape verification shared by every op
//===----------------------------------------------------------------------===//

LogicalResult picosam::pico::verifyInferredShapes(Operation *op) {
  SmallVector<SmallVector<int64_t, 4>> shapes;
  if (failed(cast<ShapeInferenceOpInterface>(op).inferResultShapes(shapes)))
    return failure();
  for (auto [index, result] : llvm::enumerate(op->getResults())) {
    auto type = dyn_cast<RankedTensorType>(result.getType());
    if (!type || !type.hasStaticShape())
      return op->emitOpError("result #")
             << index << " must be a statically shaped tensor, got "
             << result.getType();
    if (type.getShape() != ArrayRef<int64_t>(shapes[index])) {
      InFlightDiagnostic diag = op->emitOpError("result #")
                                << index << " has shape [";
      llvm::interleaveComma(type.getShape(), diag);
      diag << "] but the operands and attributes give [";
      llvm::interleaveComma(shapes[index], diag);
      return diag << "]";
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  auto valueType = cast<ShapedType>(getValue().getType());
  auto resultType = getOutput().getType();
  if (valueType.getShape() != resultType.getShape())
    return emitOpError("value shape does not match the result shape");
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Shape inference (PLACEHOLDERS: being replaced op by op)
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult Conv2DOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult BatchNormOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult ReluOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult ClipOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult LeakyReluOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult SigmoidOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult HardSigmoidOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult HardSwishOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult TanhOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult AddOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult SubOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult MulOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult DivOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult GlobalAvgPoolOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult AvgPoolOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult MaxPoolOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult ResizeOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult ConcatOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult ReshapeOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult TransposeOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult MatMulOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult GemmOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult SoftmaxOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult QuantizeOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

LogicalResult DequantizeOp::inferResultShapes(
    SmallVectorImpl<SmallVector<int64_t, 4>> &shapes) {
  shapes.emplace_back(cast<ShapedType>(getOperation()->getResult(0).getType()).getShape());
  return success();
}

//===----------------------------------------------------------------------===//
// ActivationOpInterface (PLACEHOLDERS)
//===----------------------------------------------------------------------===//

ActivationAttr ReluOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::None);
}

ActivationAttr ClipOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::None);
}

ActivationAttr LeakyReluOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::None);
}

ActivationAttr SigmoidOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::None);
}

ActivationAttr HardSigmoidOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::None);
}

ActivationAttr HardSwishOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::None);
}

ActivationAttr TanhOp::getActivationFunction() {
  return ActivationAttr::get(getContext(), ActivationKind::None);
}

