//===- OpCost.cpp - the arithmetic an op does -----------------------------===//
#include "picosam/Analysis/OpCost.h"

#include "Pico/PicoOps.h"

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

static int64_t elementCount(Value value) {
  return cast<ShapedType>(value.getType()).getNumElements();
}

/// The MACs of one op, not counting those nested in it.
static int64_t macsOfOp(Operation *op) {
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    auto weight = cast<ShapedType>(conv.getWeight().getType());
    // Each output element reads (C / group) * Kh * Kw weights: weight dims 1-3.
    return elementCount(conv.getOutput()) * weight.getDimSize(1) *
           weight.getDimSize(2) * weight.getDimSize(3);
  }
  if (auto conv = dyn_cast<ConvTranspose2DOp>(op)) {
    // Each input element meets (O / group) * Kh * Kw taps (those the pads
    // crop included): the weight's elements per input channel.
    auto weight = cast<ShapedType>(conv.getWeight().getType());
    return elementCount(conv.getInput()) * weight.getNumElements() /
           cast<ShapedType>(conv.getInput().getType()).getDimSize(1);
  }
  if (auto gemm = dyn_cast<GemmOp>(op)) {
    auto a = cast<ShapedType>(gemm.getA().getType());
    return elementCount(gemm.getOutput()) *
           a.getDimSize(gemm.getTransA() ? 0 : 1);
  }
  if (auto matmul = dyn_cast<MatMulOp>(op)) {
    auto lhs = cast<ShapedType>(matmul.getLhs().getType());
    return elementCount(matmul.getOutput()) * lhs.getShape().back();
  }
  if (auto attention = dyn_cast<ChannelAttentionOp>(op))
    return elementCount(attention.getWeight()) *
           cast<ShapedType>(attention.getInput().getType()).getDimSize(0);
  return 0;
}

int64_t picosam::countMacs(Operation *op) {
  int64_t macs = 0;
  op->walk([&](Operation *nested) { macs += macsOfOp(nested); });
  return macs;
}
