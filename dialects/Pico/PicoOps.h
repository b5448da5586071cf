//===- PicoOps.h - pico operations ------------------------------*- C++ -*-===//
#ifndef PICO_PICOOPS_H
#define PICO_PICOOPS_H

#include "Pico/PicoDialect.h"
#include "Pico/PicoInterfaces.h"
#include "Pico/PicoTraits.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "Pico/PicoOps.h.inc"

namespace picosam::pico {
/// The standalone activation op that applies `activation` (not none) to
/// `input`, with `input`'s type: the inverse of
/// ActivationOpInterface::getActivationFunction.
mlir::Operation *createActivationOp(mlir::OpBuilder &builder,
                                    mlir::Location loc, mlir::Value input,
                                    ActivationAttr activation);
} // namespace picosam::pico

#endif // PICO_PICOOPS_H
