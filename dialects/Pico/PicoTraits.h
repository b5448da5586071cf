//===- PicoTraits.h - pico op traits ----------------------------*- C++ -*-===//
#ifndef PICO_PICOTRAITS_H
#define PICO_PICOTRAITS_H

#include "mlir/IR/OpDefinition.h"

namespace picosam::pico {
/// Verifies that all float element types among `op`'s operands and results
/// are the same type (quantized and integer element types are not compared).
mlir::LogicalResult verifySameFloatElementTypes(mlir::Operation *op);

/// Verifies that an op with quantized operands or results is one whose
/// integer semantics docs/quantization.md defines, with the types and shapes
/// those semantics need (QuantizedArithmetic.cpp); ops without quantized
/// values pass.
mlir::LogicalResult verifyIntegerSemantics(mlir::Operation *op);

namespace OpTrait {
/// An arithmetic op whose float operands and results share one element type.
template <typename ConcreteType>
class SameFloatElementTypes
    : public mlir::OpTrait::TraitBase<ConcreteType, SameFloatElementTypes> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return verifySameFloatElementTypes(op);
  }
};

/// A pico op whose quantized form has integer semantics checked by
/// verifyIntegerSemantics (every pico op: those without integer semantics
/// are refused quantized values there).
template <typename ConcreteType>
class IntegerSemantics
    : public mlir::OpTrait::TraitBase<ConcreteType, IntegerSemantics> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return verifyIntegerSemantics(op);
  }
};
} // namespace OpTrait
} // namespace picosam::pico

#endif // PICO_PICOTRAITS_H
