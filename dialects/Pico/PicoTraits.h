//===- PicoTraits.h - pico op traits ----------------------------*- C++ -*-===//
#ifndef PICO_PICOTRAITS_H
#define PICO_PICOTRAITS_H

#include "mlir/IR/OpDefinition.h"

namespace picosam::pico {
/// Verifies that all float element types among `op`'s operands and results
/// are the same type (quantized and integer element types are not compared).
mlir::LogicalResult verifySameFloatElementTypes(mlir::Operation *op);

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
} // namespace OpTrait
} // namespace picosam::pico

#endif // PICO_PICOTRAITS_H
