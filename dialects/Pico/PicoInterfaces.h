//===- PicoInterfaces.h - pico op interfaces --------------------*- C++ -*-===//
#ifndef PICO_PICOINTERFACES_H
#define PICO_PICOINTERFACES_H

#include "Pico/PicoDialect.h"
#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/SmallVector.h"

namespace picosam {
class TensorEnvironment;
namespace pico {
/// Verifies that every result type is a ranked tensor whose shape equals the
/// shape the op infers (ShapeInferenceOpInterface's verify hook).
mlir::LogicalResult verifyInferredShapes(mlir::Operation *op);
} // namespace pico
} // namespace picosam

#include "Pico/PicoInterfaces.h.inc"

#endif // PICO_PICOINTERFACES_H
