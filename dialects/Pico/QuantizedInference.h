//===- QuantizedInference.h - integer semantics of pico ops -----*- C++ -*-===//
//
// The `inference` of ops whose operands and results are quantized: integer
// kernels over storage values, computing with the constants
// QuantizedArithmetic.h derives from the types (no float arithmetic on
// tensor data). Each op's `inference` in PicoInference.cpp dispatches here
// when hasQuantizedValues(op) (QuantizedArithmetic.h).
//
//===----------------------------------------------------------------------===//
#ifndef PICO_QUANTIZEDINFERENCE_H
#define PICO_QUANTIZEDINFERENCE_H

#include "Pico/QuantizedArithmetic.h"

namespace picosam {
class TensorEnvironment;
namespace pico {

mlir::LogicalResult quantizedInference(Conv2DOp op, TensorEnvironment &env);
mlir::LogicalResult quantizedInference(AddOp op, TensorEnvironment &env);
mlir::LogicalResult quantizedInference(SubOp op, TensorEnvironment &env);
mlir::LogicalResult quantizedInference(MulOp op, TensorEnvironment &env);
mlir::LogicalResult quantizedInference(GlobalAvgPoolOp op,
                                       TensorEnvironment &env);
mlir::LogicalResult quantizedInference(AvgPoolOp op, TensorEnvironment &env);
mlir::LogicalResult quantizedInference(MaxPoolOp op, TensorEnvironment &env);
mlir::LogicalResult quantizedInference(ResizeOp op, TensorEnvironment &env);
mlir::LogicalResult quantizedInference(ConcatOp op, TensorEnvironment &env);
mlir::LogicalResult quantizedInference(ChannelAttentionOp op,
                                       TensorEnvironment &env);

/// A standalone activation op (ActivationOpInterface) on 8-bit tensors: a
/// lookup in its ActivationTable.
mlir::LogicalResult quantizedActivationInference(mlir::Operation *op,
                                                 TensorEnvironment &env);

} // namespace pico
} // namespace picosam

#endif // PICO_QUANTIZEDINFERENCE_H
