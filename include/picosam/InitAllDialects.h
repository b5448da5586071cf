//===- InitAllDialects.h - every dialect a picosam tool knows ---*- C++ -*-===//
//
// The one list of the dialects picosam's tools register, the way upstream's
// InitAllDialects.h is: every tool calls this instead of keeping its own.
// A tool that includes it links PicoInference.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_INITALLDIALECTS_H
#define PICOSAM_INITALLDIALECTS_H

#include "Pico/PicoDialect.h"
#include "picosam/Inference/Inference.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectRegistry.h"

namespace picosam {

/// The pico dialect and the upstream dialects pico IR mixes with (memref,
/// scf and bufferization also make a function materialised over its
/// arena), then those the CPU backend lowers through down to the LLVM
/// dialect; and the pico ops' execution (the InferenceOpInterface models
/// the dialect promises), which the interpreter, calibration and
/// --pico-print-requantization use.
inline void registerAllPicosamDialects(mlir::DialectRegistry &registry) {
  registry.insert<pico::PicoDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::tensor::TensorDialect,
                  mlir::quant::QuantDialect,
                  mlir::bufferization::BufferizationDialect>();
  registry.insert<mlir::memref::MemRefDialect, mlir::scf::SCFDialect,
                  mlir::vector::VectorDialect, mlir::math::MathDialect,
                  mlir::linalg::LinalgDialect, mlir::cf::ControlFlowDialect,
                  mlir::LLVM::LLVMDialect>();
  registerInferenceExternalModels(registry);
}

} // namespace picosam

#endif // PICOSAM_INITALLDIALECTS_H
