//===- picosam-opt.cpp - pass driver for picosam's IR ---------------------===//
//
// mlir-opt with the pico dialect and picosam's passes registered, plus the
// upstream dialects pico IR mixes with.
//
//===----------------------------------------------------------------------===//
#include "Pico/PicoDialect.h"
#include "picosam/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<picosam::pico::PicoDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::tensor::TensorDialect,
                  mlir::quant::QuantDialect>();
  // Generic cleanups (canonicalize, cse, symbol-dce, ...) are part of every
  // pipeline.
  mlir::registerTransformsPasses();
  picosam::registerPicosamPasses();
  picosam::registerFusionPipeline();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "picosam optimizer: runs picosam's passes on MLIR files\n",
      registry));
}
