//===- Folding.h - arithmetic on constants known at import time -*- C++ -*-===//
//
// Private to lib/Import. Exporters compute Reshape shapes and Resize sizes
// with small sub-graphs on constants (Shape -> Gather -> Unsqueeze -> Concat,
// Cast, Mul, Floor, ...); the importer evaluates them on DenseElementsAttr
// values with these helpers. Integer elements are widened to int64 and
// floating-point ones to double while computing.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_LIB_IMPORT_FOLDING_H
#define PICOSAM_LIB_IMPORT_FOLDING_H

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace picosam {
namespace onnx_import {


/// Elements of an integer or bool constant, sign- or zero-extended.
std::vector<int64_t> getIntValues(mlir::DenseElementsAttr attr);
/// Elements of any numeric constant as doubles.
std::vector<double> getFloatValues(mlir::DenseElementsAttr attr);

/// A constant of `shape` and `elementType` from int64 values (truncated to
/// the element width; nonzero is true for i1).
mlir::DenseElementsAttr makeIntConstant(llvm::ArrayRef<int64_t> shape,
                                        mlir::Type elementType,
                                        llvm::ArrayRef<int64_t> values);
/// A constant of `shape` and `elementType` from doubles: rounded to a
/// float type, truncated toward zero for integer types.
mlir::DenseElementsAttr makeFloatConstant(llvm::ArrayRef<int64_t> shape,
                                          mlir::Type elementType,
                                          llvm::ArrayRef<double> values);
/// `attr` converted element by element to `elementType` (ONNX Cast).
mlir::DenseElementsAttr castConstant(mlir::DenseElementsAttr attr,
                                     mlir::Type elementType);

/// A constant of `shape` whose element i is `source`'s element
/// `sourceIndices[i]` (Gather, Slice, Transpose, Concat).
mlir::DenseElementsAttr gatherElements(mlir::DenseElementsAttr source,
                                       llvm::ArrayRef<int64_t> shape,
                                       llvm::ArrayRef<int64_t> sourceIndices);

/// For each element of `resultShape`, the index of the element of an
/// operand of `operandShape` that broadcasts to it.
std::vector<int64_t> getBroadcastIndices(llvm::ArrayRef<int64_t> operandShape,
                                         llvm::ArrayRef<int64_t> resultShape);

/// `lhs op rhs` with broadcasting, on int64 for integer element types and
/// on double for floating-point ones; the result has lhs's element type.
/// `intOp` returns false on overflow or division by zero.
llvm::Expected<mlir::DenseElementsAttr>
foldBinary(mlir::DenseElementsAttr lhs, mlir::DenseElementsAttr rhs,
           bool (*intOp)(int64_t, int64_t, int64_t &),
           double (*floatOp)(double, double));

/// Normalizes a possibly negative `axis` for `rank` (pico::normalizeAxis);
/// the error outside [-rank, rank) names it as `what`.
llvm::Expected<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                      llvm::StringRef what);

} // namespace onnx_import
} // namespace picosam

#endif // PICOSAM_LIB_IMPORT_FOLDING_H
