//===- Legality.h - the IMX500's rules, before and after import -*- C++ -*-===//
//
// The IMX500's operator and tensor rules (docs/imx500.md) are checked in
// two places, each rule once: --pico-check-imx500 on pico IR (imported,
// fused or quantized; every rule the IR can show), and, before an ONNX
// model is imported for the IMX500, checkImx500OnnxGraph on the ONNX graph
// itself, for the rules the importer cannot carry into the IR: a node
// without a name (the importer names it) and the operators and variants the
// converter refuses that picosam cannot represent (the importer would stop
// at the first). Both report each broken rule as an error naming the ONNX
// node, its op and the rule, with a note saying where the rule comes from.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_TARGET_IMX500_LEGALITY_H
#define PICOSAM_TARGET_IMX500_LEGALITY_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"

// onnx_pb.h defines ONNX_API, which onnx-ml.pb.h needs, then includes it.
#include "onnx/onnx_pb.h"

namespace picosam::imx500 {

/// Where a rule comes from (docs/imx500.md).
enum class RuleSource {
  /// The device documentation (Raspberry Pi AI Camera, picamera2).
  Published,
  /// How Sony's converter behaves; not published.
  Observed,
  /// MCT's IMX500 target platform: how Sony's quantization toolkit prepares
  /// a model for the converter.
  MctTarget,
};

/// Emits `message` as an error at `loc`, with a note saying where the rule
/// comes from unless it is a published limit.
void reportViolation(mlir::Location loc, RuleSource source,
                     const llvm::Twine &message);

/// Checks the rules of `model` (read from `path`) that apply to its ONNX
/// graph before import (see above), every node; each broken rule is an
/// error at the node's location as the importer gives it (its name in the
/// file `path`). Fails when a rule is broken.
mlir::LogicalResult checkImx500OnnxGraph(mlir::MLIRContext &context,
                                         llvm::StringRef path,
                                         const onnx::ModelProto &model);

} // namespace picosam::imx500

#endif // PICOSAM_TARGET_IMX500_LEGALITY_H
