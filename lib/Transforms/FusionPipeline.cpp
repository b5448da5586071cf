//===- FusionPipeline.cpp - the fusion passes in order, as one pipeline ---===//
#include "picosam/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void picosam::buildFusionPipeline(OpPassManager &pm) {
  OpPassManager &function = pm.nest<func::FuncOp>();
  // Constant pads go into the convolutions and pools reading them, before
  // the upsamples fold (which would pad the upsampled input). Folding
  // batch_norm then leaves plain convolutions for the activations
  // to fuse into; residual adds take convolutions without activation;
  // upsamples fold into convolutions before the depthwise ones are paired
  // into blocks; the sigmoid is already in the attention's convolution.
  function.addPass(createFoldPad());
  function.addPass(createFoldBatchNorm());
  function.addPass(createFuseActivation());
  function.addPass(createFuseResidualAdd());
  function.addPass(createFoldUpsample());
  function.addPass(createFuseChannelAttention());
  function.addPass(createFormSeparableBlocks());
  // The folded batch_norm parameters and replaced weights are dead
  // constants (pure ops) now; canonicalize erases them, cse merges equal
  // ones.
  function.addPass(createCanonicalizerPass());
  function.addPass(createCSEPass());
}

void picosam::registerFusionPipeline() {
  PassPipelineRegistration<>(
      "pico-fusion-pipeline",
      "Fold batch_norm, fuse activations, residual adds, upsamples and "
      "channel attention, form separable blocks, then clean up",
      buildFusionPipeline);
}
