//===- Folding.cpp - arithmetic on constants known at import time ---------===//
#include "Folding.h"
#include "GraphImporter.h"

#include "Pico/ShapeUtils.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace picosam::onnx_import;
using llvm::APFloat;
using llvm::APInt;

std::vector<int64_t> picosam::onnx_import::getIntValues(DenseElementsAttr attr) {
  auto intType = cast<IntegerType>(attr.getElementType());
  std::vector<int64_t> values;
  values.reserve(attr.getNumElements());
  for (const APInt &value : attr.getValues<APInt>())
    values.push_back(intType.isUnsigned() || intType.getWidth() == 1
                         ? static_cast<int64_t>(value.getZExtValue())
                         : value.getSExtValue());
  return values;
}

std::vector<double> picosam::onnx_import::getFloatValues(DenseElementsAttr attr) {
  if (!isa<FloatType>(attr.getElementType())) {
    std::vector<int64_t> ints = getIntValues(attr);
    return std::vector<double>(ints.begin(), ints.end());
  }
  std::vector<double> values;
  values.reserve(attr.getNumElements());
  for (APFloat value : attr.getValues<APFloat>()) {
    bool losesInfo;
    value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &losesInfo);
    values.push_back(value.convertToDouble());
  }
  return values;
}

DenseElementsAttr picosam::onnx_import::makeIntConstant(ArrayRef<int64_t> shape,
                                                        Type elementType,
                                                        ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get(shape, elementType);
  unsigned width = cast<IntegerType>(elementType).getWidth();
  if (width == 1) {
    SmallVector<bool> bits;
    for (int64_t value : values)
      bits.push_back(value != 0);
    return DenseElementsAttr::get(type, bits);
  }
  SmallVector<APInt> ints;
  ints.reserve(values.size());
  for (int64_t value : values)
    ints.emplace_back(width, static_cast<uint64_t>(value), /*isSigned=*/true,
                      /*implicitTrunc=*/true);
  return DenseElementsAttr::get(type, ints);
}

/// double -> int64 as a C cast truncates, made total: NaN is 0 and values
/// out of range saturate (ONNX leaves both undefined).
static int64_t truncateToInt(double value) {
  if (std::isnan(value))
    return 0;
  if (value <= static_cast<double>(std::numeric_limits<int64_t>::min()))
    return std::numeric_limits<int64_t>::min();
  if (value >= static_cast<double>(std::numeric_limits<int64_t>::max()))
    return std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(value);
}

DenseElementsAttr picosam::onnx_import::makeFloatConstant(ArrayRef<int64_t> shape,
                                                          Type elementType,
                                                          ArrayRef<double> values) {
  auto floatType = dyn_cast<FloatType>(elementType);
  if (!floatType) {
    std::vector<int64_t> ints;
    ints.reserve(values.size());
    for (double value : values)
      ints.push_back(truncateToInt(value));
    return makeIntConstant(shape, elementType, ints);
  }
  SmallVector<APFloat> floats;
  floats.reserve(values.size());
  for (double value : values) {
    APFloat converted(value);
    bool losesInfo;
    converted.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                      &losesInfo);
    floats.push_back(converted);
  }
  return DenseElementsAttr::get(RankedTensorType::get(shape, elementType), floats);
}

DenseElementsAttr picosam::onnx_import::castConstant(DenseElementsAttr attr,
                                                     Type elementType) {
  ArrayRef<int64_t> shape = attr.getType().getShape();
  // Integer -> integer stays in int64 so large values survive exactly.
  if (isa<IntegerType>(attr.getElementType()) && isa<IntegerType>(elementType))
    return makeIntConstant(shape, elementType, getIntValues(attr));
  return makeFloatConstant(shape, elementType, getFloatValues(attr));
}

DenseElementsAttr picosam::onnx_import::gatherElements(DenseElementsAttr source,
                                                       ArrayRef<int64_t> shape,
                                                       ArrayRef<int64_t> sourceIndices) {
  auto values = source.getValues<Attribute>();
  SmallVector<Attribute> gathered;
  gathered.reserve(sourceIndices.size());
  for (int64_t index : sourceIndices)
    gathered.push_back(values.begin()[index]);
  return DenseElementsAttr::get(
      RankedTensorType::get(shape, source.getElementType()), gathered);
}

std::vector<int64_t>
picosam::onnx_import::getBroadcastIndices(ArrayRef<int64_t> operandShape,
                                          ArrayRef<int64_t> resultShape) {
  size_t offset = resultShape.size() - operandShape.size();
  SmallVector<int64_t, 4> operandStrides = rowMajorStrides(operandShape);
  SmallVector<int64_t, 4> resultStrides = rowMajorStrides(resultShape);
  int64_t count = numElementsOf(resultShape);
  std::vector<int64_t> indices(count);
  for (int64_t linear = 0; linear < count; ++linear) {
    int64_t index = 0;
    for (size_t axis = offset; axis < resultShape.size(); ++axis) {
      int64_t coordinate = linear / resultStrides[axis] % resultShape[axis];
      if (operandShape[axis - offset] != 1)
        index += coordinate * operandStrides[axis - offset];
    }
    indices[linear] = index;
  }
  return indices;
}

llvm::Expected<DenseElementsAttr>
picosam::onnx_import::foldBinary(DenseElementsAttr lhs, DenseElementsAttr rhs,
                                 bool (*intOp)(int64_t, int64_t, int64_t &),
                                 double (*floatOp)(double, double)) {
  ArrayRef<int64_t> lhsShape = lhs.getType().getShape();
  ArrayRef<int64_t> rhsShape = rhs.getType().getShape();
  std::optional<SmallVector<int64_t, 4>> shape = pico::broadcastShapes(lhsShape, rhsShape);
  if (!shape)
    return makeError("shapes " + formatShape(lhsShape) + " and " + formatShape(rhsShape) +
                     " do not broadcast");
  std::vector<int64_t> lhsIndices = getBroadcastIndices(lhsShape, *shape);
  std::vector<int64_t> rhsIndices = getBroadcastIndices(rhsShape, *shape);
  Type elementType = lhs.getElementType();
  if (isa<IntegerType>(elementType)) {
    std::vector<int64_t> a = getIntValues(lhs), b = getIntValues(rhs);
    std::vector<int64_t> result(lhsIndices.size());
    for (size_t i = 0; i < result.size(); ++i)
      if (!intOp(a[lhsIndices[i]], b[rhsIndices[i]], result[i]))
        return makeError("integer overflow or division by zero while folding "
                         "constants");
    return makeIntConstant(*shape, elementType, result);
  }
  std::vector<double> a = getFloatValues(lhs), b = getFloatValues(rhs);
  std::vector<double> result(lhsIndices.size());
  for (size_t i = 0; i < result.size(); ++i)
    result[i] = floatOp(a[lhsIndices[i]], b[rhsIndices[i]]);
  return makeFloatConstant(*shape, elementType, result);
}

llvm::Expected<int64_t> picosam::onnx_import::normalizeAxis(int64_t axis, int64_t rank,
                                                            StringRef what) {
  std::optional<int64_t> normalized = pico::normalizeAxis(axis, rank);
  if (!normalized)
    return makeError(what + " " + std::to_string(axis) + " is out of range for rank " +
                     std::to_string(rank));
  return *normalized;
}
