//===- Inference.h - pico ops executed by picosam's kernels -----*- C++ -*-===//
//
// The implementations of the pico dialect's InferenceOpInterface: thin
// adapters that check an op's operands, read their host tensors and run
// the kernels of picosam/Kernels on them. They are external models, kept
// out of the dialect library (as upstream keeps bufferization models out
// of its dialects): the dialect promises the interface, and every tool and
// test that executes pico ops registers the models with
// registerInferenceExternalModels.
//
// Execution has two steps (tpu-mlir's init / inference split): prepare
// derives each op's integer constants once (PreparedKernels, made when an
// Interpreter is created), and every run computes with them.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_INFERENCE_INFERENCE_H
#define PICOSAM_INFERENCE_INFERENCE_H

#include "Pico/PicoOps.h"
#include "picosam/Kernels/Requantization.h"
#include "picosam/Support/Tensor.h"

#include "mlir/IR/DialectRegistry.h"
#include "llvm/ADT/DenseMap.h"

namespace picosam {

/// Attaches InferenceOpInterface to every pico op (but pico.yield) when the
/// pico dialect is loaded into a context made with `registry`.
void registerInferenceExternalModels(mlir::DialectRegistry &registry);

/// Emits an error at `op` and fails when it does not implement
/// InferenceOpInterface; for a pico op the error says that the external
/// models were not registered.
mlir::LogicalResult requireInference(mlir::Operation *op);

/// What InferenceOpInterface::prepare derived for each op that has
/// constants to compute with (the quantized ops).
class PreparedKernels {
public:
  /// Prepares every op nested in `root` (and `root`) that implements
  /// InferenceOpInterface; fails with the error of the first that cannot
  /// be prepared.
  static mlir::FailureOr<PreparedKernels> prepare(mlir::Operation *root);

  /// The constants of `op`: std::monostate when it has none (or was not
  /// prepared).
  const kernels::PreparedParams &lookup(mlir::Operation *op) const;

private:
  llvm::DenseMap<mlir::Operation *, kernels::PreparedParams> params;
};

/// The host value of a pico.constant (quantized constants as their storage
/// values); emits an error at it and fails when its value cannot be held.
mlir::FailureOr<Tensor> evaluateConstant(pico::ConstantOp op);

} // namespace picosam

#endif // PICOSAM_INFERENCE_INFERENCE_H
