//===- NetworkWriter.h - planned pico IR -> IMX500 network file -*- C++ -*-===//
//
// The translation from a planned, quantized module to the IMX500 network
// file (Network.fbs, docs/imx500.md "The network file"). The file holds
// @main as the sensor runs it: the input after the sensor's fixed-point
// normalisation, every op in its plan step with its tensors at their arena
// offsets, the constants in the device layout, the requantization constants
// QuantizedArithmetic derives, and the outputs the application dequantizes.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_TARGET_IMX500_NETWORKWRITER_H
#define PICOSAM_TARGET_IMX500_NETWORKWRITER_H

#include "picosam/Analysis/MemoryReport.h"
#include "picosam/Analysis/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace picosam {

/// The memory report of the planned @main of `module`, counted as the plan
/// phase's budget check counts it (getMemoryAccountingOptions with
/// `planning`'s options and the module's target), with the IMX500 latency
/// estimate (LatencyModel.h, calibrated defaults) for an IMX500 target:
/// what picosam-compile writes beside its output and the network file
/// carries. Fails when there is no planned @main.
llvm::Expected<MemoryReport> buildMemoryReport(mlir::ModuleOp module,
                                               const PlanMemoryOptions &planning);

/// Writes the network file of `module`'s @main to `os`, with its memory
/// report (buildMemoryReport with `planning`; its output-channel group is
/// the constants' layout's). Fails, with an error at the op naming its ONNX
/// node, when @main is not planned (--pico-plan-memory) or already
/// materialised, computes in float between its inputs' quantize and its
/// outputs' dequantize, or has an op the file has no operator for.
mlir::LogicalResult writeImx500Network(mlir::ModuleOp module,
                                       const PlanMemoryOptions &planning,
                                       llvm::raw_ostream &os);

/// Registers `--pico-to-imx500-network` (picosam-translate): the file with
/// the memory report of the default planning options.
void registerToImx500NetworkTranslation();

} // namespace picosam

#endif // PICOSAM_TARGET_IMX500_NETWORKWRITER_H
