//===- PicoInference.cpp - reference semantics of every pico op -----------===//
#include "Pico/PicoOps.h"
#include "picosam/Support/Tensor.h"

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

// PLACEHOLDERS: being replaced op by op.
LogicalResult ConstantOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult Conv2DOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult BatchNormOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult ReluOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult ClipOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult LeakyReluOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult SigmoidOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult HardSigmoidOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult HardSwishOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult TanhOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult AddOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult SubOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult MulOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult DivOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult GlobalAvgPoolOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult AvgPoolOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult MaxPoolOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult ResizeOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult ConcatOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult ReshapeOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult TransposeOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult MatMulOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult GemmOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult SoftmaxOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult QuantizeOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

LogicalResult DequantizeOp::inference(TensorEnvironment &) {
  return emitOpError("has no reference implementation yet");
}

