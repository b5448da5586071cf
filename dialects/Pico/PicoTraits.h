//===- PicoTraits.h - pico op traits ----------------------------*- C++ -*-===//
#ifndef PICO_PICOTRAITS_H
#define PICO_PICOTRAITS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/TypeRange.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace picosam::pico {
/// Where a shape rule reports why an op's operands and attributes give no
/// result shape: at the op when verifying it (emitOpError); while building
/// one, at its location and worded as emitOpError would ("'pico.conv2d' op
/// ..."); nowhere without a location (a query).
class ShapeDiagnostics {
public:
  explicit ShapeDiagnostics(mlir::Operation *op) : op(op) {}
  ShapeDiagnostics(std::optional<mlir::Location> location,
                   llvm::StringRef opName)
      : location(location), opName(opName) {}
  mlir::InFlightDiagnostic operator()() const;

private:
  mlir::Operation *op = nullptr;
  std::optional<mlir::Location> location;
  llvm::StringRef opName;
};

/// Verifies that `op`'s result is a statically shaped tensor of `shape`.
mlir::LogicalResult verifyResultShape(mlir::Operation *op,
                                      llvm::ArrayRef<int64_t> shape);

/// Appends to `types` the tensor of `shape` with `elementSource`'s element
/// type; fails when `shape` does.
mlir::LogicalResult
inferTensorType(mlir::FailureOr<llvm::SmallVector<int64_t, 4>> shape,
                mlir::Value elementSource,
                llvm::SmallVectorImpl<mlir::Type> &types);

/// InferTypeOpInterface::inferReturnTypes of an op with the InferResultType
/// traits: OpTy::inferResultShape and the first operand's element type.
/// Builders infer before the op's default-valued attributes are set (an
/// absent one is null), so a copy of the properties gets them first.
template <typename OpTy>
mlir::LogicalResult inferResultTypeFromShape(
    mlir::MLIRContext *context, std::optional<mlir::Location> location,
    mlir::ValueRange operands, mlir::DictionaryAttr attributes,
    mlir::OpaqueProperties properties, mlir::RegionRange regions,
    llvm::SmallVectorImpl<mlir::Type> &types) {
  using Properties = typename OpTy::Adaptor::Properties;
  Properties withDefaults;
  if (auto *given = properties.as<Properties *>())
    withDefaults = *given;
  mlir::OperationName(OpTy::getOperationName(), context)
      .populateDefaultProperties(mlir::OpaqueProperties(&withDefaults));
  typename OpTy::Adaptor adaptor(operands, attributes, withDefaults, regions);
  return inferTensorType(
      OpTy::inferResultShape(
          adaptor, ShapeDiagnostics(location, OpTy::getOperationName())),
      operands.front(), types);
}

/// Whether two lists of tensor types have the same shapes.
bool haveSameShapes(mlir::TypeRange lhs, mlir::TypeRange rhs);

/// Verifies that all float element types among `op`'s operands and results
/// are the same type (quantized and integer element types are not compared).
mlir::LogicalResult verifySameFloatElementTypes(mlir::Operation *op);

/// Verifies that an op with quantized operands or results is one whose
/// integer semantics docs/quantization.md defines, with the types and shapes
/// those semantics need (QuantizedArithmetic.cpp); ops without quantized
/// values pass.
mlir::LogicalResult verifyIntegerSemantics(mlir::Operation *op);

/// The bytes one element of `elementType` takes: its bit width (a quantized
/// type's storage width) rounded up to whole bytes; 1 for types without a
/// width.
int64_t elementByteWidth(mlir::Type elementType);

/// The bytes a statically shaped tensor `type` holds, each element taking
/// `elementBytes` bytes (0: elementByteWidth); none when the size does not
/// fit in int64_t or the type is not a static tensor.
std::optional<int64_t> tensorByteSize(mlir::Type type,
                                      int64_t elementBytes = 0);

/// Verifies that the byte size of every statically shaped tensor among
/// `op`'s operands and results fits in int64_t, so that no size computed
/// from a verified op overflows.
mlir::LogicalResult verifyTensorByteSizes(mlir::Operation *op);

namespace OpTrait {
/// An op whose result shape ConcreteType::inferResultShape computes from its
/// operands and attributes: the verifier checks the result type against it.
template <typename ConcreteType>
class InferResultShape
    : public mlir::OpTrait::TraitBase<ConcreteType, InferResultShape> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    mlir::FailureOr<llvm::SmallVector<int64_t, 4>> shape =
        ConcreteType::inferResultShape(
            typename ConcreteType::Adaptor(mlir::cast<ConcreteType>(op)),
            ShapeDiagnostics(op));
    return mlir::failed(shape) ? mlir::failure()
                               : verifyResultShape(op, *shape);
  }
};

/// An op whose result type is its inferred shape with its first operand's
/// element type (the definitions are generated with the op).
template <typename ConcreteType>
class InferResultTypeFromShape
    : public mlir::OpTrait::TraitBase<ConcreteType, InferResultTypeFromShape> {
};

/// An arithmetic op whose float operands and results share one element type.
template <typename ConcreteType>
class SameFloatElementTypes
    : public mlir::OpTrait::TraitBase<ConcreteType, SameFloatElementTypes> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return verifySameFloatElementTypes(op);
  }
};

/// A pico op whose tensors' byte sizes fit in int64_t
/// (verifyTensorByteSizes; every pico op).
template <typename ConcreteType>
class ByteSizedTensors
    : public mlir::OpTrait::TraitBase<ConcreteType, ByteSizedTensors> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return verifyTensorByteSizes(op);
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
