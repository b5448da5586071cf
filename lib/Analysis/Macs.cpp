//===- Macs.cpp - multiply-accumulates of pico ops ------------------------===//
#include "picosam/Analysis/Macs.h"

#include "Pico/PicoOps.h"

using namespace mlir;
using namespace picosam::pico;

static int64_t elementCount(Value v) {
  return cast<ShapedType>(v.getType()).getNumElements();
}

int64_t picosam::countMacs(Operation *op) {
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    auto weight = cast<ShapedType>(conv.getWeight().getType());
    // Each output element reads (C / group) * Kh * Kw weights: weight dims 1-3.
    return elementCount(conv.getOutput()) * weight.getDimSize(1) *
           weight.getDimSize(2) * weight.getDimSize(3);
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
