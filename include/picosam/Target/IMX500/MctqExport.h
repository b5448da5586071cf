//===- MctqExport.h - Sony's MCTQ ONNX format, written ----------*- C++ -*-===//
//
// The model picosam quantized for the IMX500, written the way Sony's Model
// Compression Toolkit (MCT) exports a quantized PyTorch model, so Sony's
// converter (imxconv-pt) can take it (docs/imx500.md, "The MCT bridge"):
// the source ONNX graph, float, every node named, with quantizer nodes of
// the `mct_quantizers` domain: an ActivationPOTQuantizer on each tensor the
// quantized graph quantizes (threshold, signed, num_bits) and a
// WeightsSymmetricQuantizer on each Conv weight (per-output-channel
// thresholds), each with the `mctq_version` attribute, and the model
// metadata MCT adds (tpc_platform_type = imx500).
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_TARGET_IMX500_MCTQEXPORT_H
#define PICOSAM_TARGET_IMX500_MCTQEXPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

namespace picosam {

/// The mct-quantizers version whose format is written (`mctq_version`).
inline constexpr llvm::StringLiteral kMctqVersion = "1.7.0";

/// Writes to `os` the ONNX model at `sourceModel` with the quantizers of
/// `module`, that model compiled to the quantized stage with the imx500
/// profile. Errors are diagnostics at the op or node at fault: an op left
/// in float, an activation type that is not the imx500 profile's, a
/// BatchNormalization in the source (its weights are not the quantized
/// ones), a source that already holds quantizer nodes.
mlir::LogicalResult exportMctqOnnx(mlir::ModuleOp module,
                                   llvm::StringRef sourceModel,
                                   llvm::raw_ostream &os);

} // namespace picosam

#endif // PICOSAM_TARGET_IMX500_MCTQEXPORT_H
