//===- MathOps.cpp - element-wise math, Max/Min/Sum, comparisons ----------===//
//
// ONNX's element-wise math becomes pico activation ops (Abs, Neg, Exp,
// Sqrt, Pow with a constant exponent, Elu, Selu, Softplus: each a
// #pico.act kind) and binary ops (Max, Min; Sum as a chain of adds); each
// is folded when its inputs are constants. InstanceNormalization becomes
// pico.instance_norm. The comparisons and Where are folded only: exporters
// use them in shape code on constants. (Integer tensors computed by the
// graph are refused after conversion, as for every op: importNode.)
//
//===----------------------------------------------------------------------===//
#include "Folding.h"
#include "GraphImporter.h"

#include "Pico/PicoOps.h"
#include "Pico/ShapeUtils.h"
#include "picosam/Kernels/Activation.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

using namespace mlir;
using namespace picosam;
using namespace picosam::onnx_import;
using llvm::Error;
using llvm::Expected;

//===----------------------------------------------------------------------===//
// Unary math (activation kinds)
//===----------------------------------------------------------------------===//

template <typename OpTy, typename... Args>
Error GraphImporter::convertMath(kernels::Activation function, Args &&...args) {
  if (DenseElementsAttr constant = getConstantInput(0)) {
    Type elementType = constant.getElementType();
    ArrayRef<int64_t> shape = constant.getType().getShape();
    if (isa<IntegerType>(elementType)) {
      // Shape code negates or takes magnitudes of integers; the other
      // functions have no integer meaning ONNX defines for them.
      if (function.kind != kernels::ActivationKind::Abs &&
          function.kind != kernels::ActivationKind::Neg)
        return makeError(node().op_type() + " of an integer tensor is not supported");
      std::vector<int64_t> values = getIntValues(constant);
      for (int64_t &value : values) {
        if (value == std::numeric_limits<int64_t>::min())
          return makeError(node().op_type() + " of " + Twine(value) + " overflows int64");
        value = function.kind == kernels::ActivationKind::Neg ? -value : std::llabs(value);
      }
      return setConstantOutput(0, makeIntConstant(shape, elementType, values));
    }
    // In f32, as the op computes.
    std::vector<double> values = getFloatValues(constant);
    for (double &value : values)
      value = function.apply(static_cast<float>(value));
    return setConstantOutput(0, makeFloatConstant(shape, elementType, values));
  }
  return convertUnary<OpTy>(std::forward<Args>(args)...);
}

Error GraphImporter::convertAbs(NodeAttributes &) {
  return convertMath<pico::AbsOp>({kernels::ActivationKind::Abs});
}
Error GraphImporter::convertNeg(NodeAttributes &) {
  return convertMath<pico::NegOp>({kernels::ActivationKind::Neg});
}
Error GraphImporter::convertExp(NodeAttributes &) {
  return convertMath<pico::ExpOp>({kernels::ActivationKind::Exp});
}
Error GraphImporter::convertSqrt(NodeAttributes &) {
  return convertMath<pico::SqrtOp>({kernels::ActivationKind::Sqrt});
}
Error GraphImporter::convertSoftplus(NodeAttributes &) {
  return convertMath<pico::SoftplusOp>({kernels::ActivationKind::Softplus});
}

Error GraphImporter::convertElu(NodeAttributes &attrs) {
  float alpha = attrs.getFloat("alpha", 1.0f);
  return convertMath<pico::EluOp>({kernels::ActivationKind::Elu, alpha},
                                  builder.getF32FloatAttr(alpha));
}

Error GraphImporter::convertSelu(NodeAttributes &attrs) {
  float alpha = attrs.getFloat("alpha", 1.67326319217681884765625f);
  float gamma = attrs.getFloat("gamma", 1.05070102214813232421875f);
  return convertMath<pico::SeluOp>({kernels::ActivationKind::Selu, alpha, gamma},
                                   builder.getF32FloatAttr(alpha),
                                   builder.getF32FloatAttr(gamma));
}

Error GraphImporter::convertPow(NodeAttributes &attrs) {
  Expected<DenseElementsAttr> exponent = requireConstantInput(1, "Y");
  if (!exponent)
    return exponent.takeError();
  if (exponent->getNumElements() != 1)
    return makeError("input 'Y' (the exponent) must hold one value, got " +
                     formatShape(exponent->getType().getShape()));
  auto value = static_cast<float>(getFloatValues(*exponent).front());
  if (!std::isfinite(value))
    return makeError("the exponent must be finite, got " + std::to_string(value));
  Expected<RankedTensorType> baseType = getInputType(0);
  if (!baseType)
    return baseType.takeError();
  if (opset < 7)
    if (Error error = checkLegacyBroadcast(attrs, baseType->getShape(),
                                           exponent->getType().getShape()))
      return error;
  // The exponent broadcasts: a rank above the base's would add axes.
  if (exponent->getType().getRank() > baseType->getRank())
    return makeError("the exponent has rank " + Twine(exponent->getType().getRank()) +
                     ", above the base's " + Twine(baseType->getRank()));
  return convertMath<pico::PowOp>({kernels::ActivationKind::Pow, value},
                                  builder.getF32FloatAttr(value));
}

//===----------------------------------------------------------------------===//
// Max, Min, Sum
//===----------------------------------------------------------------------===//

template <typename OpTy>
Error GraphImporter::convertVariadic(bool (*foldInt)(int64_t, int64_t, int64_t &),
                                     double (*foldFloat)(double, double)) {
  int count = node().input_size();
  if (count == 0)
    return makeError(node().op_type() + " needs at least one input");
  for (int index = 0; index < count; ++index)
    if (!hasInput(index))
      return makeError("input #" + Twine(index) + " is missing");
  if (count == 1)
    return aliasOutput(0, 0);
  // Before opset 8 the inputs have one shape (no broadcasting).
  if (opset < 8) {
    Expected<RankedTensorType> firstType = getInputType(0);
    if (!firstType)
      return firstType.takeError();
    for (int index = 1; index < count; ++index) {
      Expected<RankedTensorType> type = getInputType(index);
      if (!type)
        return type.takeError();
      if (type->getShape() != firstType->getShape())
        return makeError(node().op_type() + " before opset 8 needs inputs of one shape, got " +
                         formatShape(firstType->getShape()) + " and " +
                         formatShape(type->getShape()) + " (input #" + Twine(index) + ")");
    }
  }
  if (allInputsConstant()) {
    DenseElementsAttr result = getConstantInput(0);
    for (int index = 1; index < count; ++index) {
      DenseElementsAttr operand = getConstantInput(index);
      if (result.getElementType() != operand.getElementType())
        return makeError("operand element types differ: " +
                         formatType(result.getElementType()) + " and " +
                         formatType(operand.getElementType()));
      if (std::optional<SmallVector<int64_t, 4>> shape = pico::broadcastShapes(
              result.getType().getShape(), operand.getType().getShape()))
        if (Error error = checkFoldedShape(*shape))
          return error;
      Expected<DenseElementsAttr> folded = foldBinary(result, operand, foldInt, foldFloat);
      if (!folded)
        return folded.takeError();
      result = *folded;
    }
    return setConstantOutput(0, result);
  }
  // Left to right, as ONNX Runtime sums: ((x0 op x1) op x2) ...
  Expected<Value> result = getInput(0);
  if (!result)
    return result.takeError();
  for (int index = 1; index < count; ++index) {
    Expected<Value> operand = getInput(index);
    if (!operand)
      return operand.takeError();
    Location loc = index + 1 == count ? nodeLoc() : auxLoc("partial" + std::to_string(index));
    result = createInferred<OpTy>(loc, *result, *operand, pico::ActivationAttr());
    if (!result)
      return result.takeError();
  }
  return setOutput(0, *result);
}

Error GraphImporter::convertMax(NodeAttributes &) {
  return convertVariadic<pico::MaxOp>(
      [](int64_t a, int64_t b, int64_t &r) {
        r = std::max(a, b);
        return true;
      },
      [](double a, double b) { return std::isnan(a) || std::isnan(b) ? a + b : std::max(a, b); });
}

Error GraphImporter::convertMin(NodeAttributes &) {
  return convertVariadic<pico::MinOp>(
      [](int64_t a, int64_t b, int64_t &r) {
        r = std::min(a, b);
        return true;
      },
      [](double a, double b) { return std::isnan(a) || std::isnan(b) ? a + b : std::min(a, b); });
}

Error GraphImporter::convertSum(NodeAttributes &) {
  return convertVariadic<pico::AddOp>(
      [](int64_t a, int64_t b, int64_t &r) { return !__builtin_add_overflow(a, b, &r); },
      [](double a, double b) { return a + b; });
}

//===----------------------------------------------------------------------===//
// Comparisons and Where (folded)
//===----------------------------------------------------------------------===//

/// Whether a constant holds integers (or bools), compared as int64; others
/// are compared as doubles.
static bool isIntegerConstant(DenseElementsAttr attr) {
  return isa<IntegerType>(attr.getElementType());
}

Error GraphImporter::convertComparison(bool (*compare)(double, double),
                                       bool (*compareInt)(int64_t, int64_t)) {
  Expected<DenseElementsAttr> lhs = requireConstantInput(0, "A", ConstantUse::Data);
  if (!lhs)
    return lhs.takeError();
  Expected<DenseElementsAttr> rhs = requireConstantInput(1, "B", ConstantUse::Data);
  if (!rhs)
    return rhs.takeError();
  if (lhs->getElementType() != rhs->getElementType())
    return makeError("operand element types differ: " + formatType(lhs->getElementType()) +
                     " and " + formatType(rhs->getElementType()));
  std::optional<SmallVector<int64_t, 4>> shape =
      pico::broadcastShapes(lhs->getType().getShape(), rhs->getType().getShape());
  if (!shape)
    return makeError("the inputs' shapes " + formatShape(lhs->getType().getShape()) + " and " +
                     formatShape(rhs->getType().getShape()) + " do not broadcast");
  if (Error error = checkFoldedShape(*shape))
    return error;
  std::vector<int64_t> lhsIndex = getBroadcastIndices(lhs->getType().getShape(), *shape);
  std::vector<int64_t> rhsIndex = getBroadcastIndices(rhs->getType().getShape(), *shape);
  std::vector<int64_t> result(lhsIndex.size());
  if (isIntegerConstant(*lhs)) {
    std::vector<int64_t> a = getIntValues(*lhs), b = getIntValues(*rhs);
    for (size_t i = 0; i < result.size(); ++i)
      result[i] = compareInt(a[lhsIndex[i]], b[rhsIndex[i]]);
  } else {
    std::vector<double> a = getFloatValues(*lhs), b = getFloatValues(*rhs);
    for (size_t i = 0; i < result.size(); ++i)
      result[i] = compare(a[lhsIndex[i]], b[rhsIndex[i]]);
  }
  return setConstantOutput(0, makeIntConstant(*shape, builder.getI1Type(), result));
}

Error GraphImporter::convertEqual(NodeAttributes &) {
  return convertComparison([](double a, double b) { return a == b; },
                           [](int64_t a, int64_t b) { return a == b; });
}
Error GraphImporter::convertGreater(NodeAttributes &) {
  return convertComparison([](double a, double b) { return a > b; },
                           [](int64_t a, int64_t b) { return a > b; });
}
Error GraphImporter::convertLess(NodeAttributes &) {
  return convertComparison([](double a, double b) { return a < b; },
                           [](int64_t a, int64_t b) { return a < b; });
}

Error GraphImporter::convertWhere(NodeAttributes &) {
  Expected<DenseElementsAttr> condition =
      requireConstantInput(0, "condition", ConstantUse::Data);
  if (!condition)
    return condition.takeError();
  Expected<DenseElementsAttr> lhs = requireConstantInput(1, "X", ConstantUse::Data);
  if (!lhs)
    return lhs.takeError();
  Expected<DenseElementsAttr> rhs = requireConstantInput(2, "Y", ConstantUse::Data);
  if (!rhs)
    return rhs.takeError();
  if (!condition->getElementType().isInteger(1))
    return makeError("input 'condition' must be a bool tensor, got " +
                     formatType(condition->getElementType()));
  if (lhs->getElementType() != rhs->getElementType())
    return makeError("inputs 'X' and 'Y' have different element types: " +
                     formatType(lhs->getElementType()) + " and " +
                     formatType(rhs->getElementType()));
  std::optional<SmallVector<int64_t, 4>> valuesShape =
      pico::broadcastShapes(lhs->getType().getShape(), rhs->getType().getShape());
  std::optional<SmallVector<int64_t, 4>> shape =
      valuesShape ? pico::broadcastShapes(condition->getType().getShape(), *valuesShape)
                  : std::nullopt;
  if (!shape)
    return makeError("the shapes of 'condition', 'X' and 'Y' (" +
                     formatShape(condition->getType().getShape()) + ", " +
                     formatShape(lhs->getType().getShape()) + ", " +
                     formatShape(rhs->getType().getShape()) + ") do not broadcast");
  if (Error error = checkFoldedShape(*shape))
    return error;
  std::vector<int64_t> conditionIndex =
      getBroadcastIndices(condition->getType().getShape(), *shape);
  std::vector<int64_t> lhsIndex = getBroadcastIndices(lhs->getType().getShape(), *shape);
  std::vector<int64_t> rhsIndex = getBroadcastIndices(rhs->getType().getShape(), *shape);
  std::vector<int64_t> conditions = getIntValues(*condition);
  Type elementType = lhs->getElementType();
  if (isIntegerConstant(*lhs)) {
    std::vector<int64_t> a = getIntValues(*lhs), b = getIntValues(*rhs), result;
    for (size_t i = 0; i < conditionIndex.size(); ++i)
      result.push_back(conditions[conditionIndex[i]] ? a[lhsIndex[i]] : b[rhsIndex[i]]);
    return setConstantOutput(0, makeIntConstant(*shape, elementType, result));
  }
  std::vector<double> a = getFloatValues(*lhs), b = getFloatValues(*rhs), result;
  for (size_t i = 0; i < conditionIndex.size(); ++i)
    result.push_back(conditions[conditionIndex[i]] ? a[lhsIndex[i]] : b[rhsIndex[i]]);
  return setConstantOutput(0, makeFloatConstant(*shape, elementType, result));
}

//===----------------------------------------------------------------------===//
// InstanceNormalization
//===----------------------------------------------------------------------===//

Error GraphImporter::convertInstanceNormalization(NodeAttributes &attrs) {
  Expected<std::array<Value, 3>> inputs = getInputs<3>();
  if (!inputs)
    return inputs.takeError();
  auto [input, scale, bias] = *inputs;
  return setOutput(0, createInferred<pico::InstanceNormOp>(
                          nodeLoc(), input, scale, bias,
                          builder.getF32FloatAttr(attrs.getFloat("epsilon", 1e-5f))));
}

Error GraphImporter::convertPRelu(NodeAttributes &) {
  Expected<RankedTensorType> inputType = getInputType(0);
  if (!inputType)
    return inputType.takeError();
  // One slope (nn.PReLU()'s default) is a leaky_relu, which fuses into the
  // producer; a per-channel one stays a pico.prelu.
  if (DenseElementsAttr slope = getConstantInput(1)) {
    std::vector<double> slopes = getFloatValues(slope);
    if (!slopes.empty() &&
        llvm::all_of(slopes, [&](double s) { return s == slopes.front(); }))
      return convertUnary<pico::LeakyReluOp>(
          builder.getF32FloatAttr(static_cast<float>(slopes.front())));
  }
  Expected<RankedTensorType> slopeType = getInputType(1);
  if (!slopeType)
    return slopeType.takeError();
  // ONNX broadcasts the slope to the input, never the other way.
  std::optional<SmallVector<int64_t, 4>> broadcast =
      pico::broadcastShapes(inputType->getShape(), slopeType->getShape());
  if (!broadcast || ArrayRef<int64_t>(*broadcast) != inputType->getShape())
    return makeError("input 'slope' of shape " + formatShape(slopeType->getShape()) +
                     " does not broadcast to the input's " +
                     formatShape(inputType->getShape()));
  Expected<std::array<Value, 2>> inputs = getInputs<2>();
  if (!inputs)
    return inputs.takeError();
  auto [input, slope] = *inputs;
  return setOutput(0, createInferred<pico::PReluOp>(nodeLoc(), input, slope,
                                                    pico::ActivationAttr()));
}
