//===- FoldOps.cpp - ONNX nodes evaluated at import time ------------------===//
//
// Ops pico has no counterpart for, imported only where exporters use them:
// on constants (and Shape on any tensor, whose shape is static), folded into
// a new constant. A non-constant operand is an error naming it, but for
// Slice, which becomes a pico.slice on activations.
//
//===----------------------------------------------------------------------===//
#include "Folding.h"
#include "GraphImporter.h"

#include "Pico/PicoOps.h"
#include "Pico/ShapeUtils.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace mlir;
using namespace picosam;
using namespace picosam::onnx_import;
using llvm::Error;
using llvm::Expected;

Error GraphImporter::convertShape(NodeAttributes &attrs) {
  Expected<RankedTensorType> inputType = getInputType(0);
  if (!inputType)
    return inputType.takeError();
  // start/end (opset 15) select a range of axes, clamped like Python slices.
  int64_t rank = inputType->getRank();
  auto clampAxis = [rank](int64_t axis) {
    return std::clamp<int64_t>(axis < 0 ? axis + rank : axis, 0, rank);
  };
  int64_t start = clampAxis(attrs.getInt("start", 0));
  int64_t end = clampAxis(attrs.getInt("end", rank));
  ArrayRef<int64_t> dims = inputType->getShape().slice(start, std::max<int64_t>(end - start, 0));
  return setConstantOutput(0, makeIntConstant({static_cast<int64_t>(dims.size())},
                                              builder.getI64Type(), dims));
}

Error GraphImporter::convertGather(NodeAttributes &attrs) {
  Expected<DenseElementsAttr> data =
      requireConstantInput(0, "data", ConstantUse::Data);
  if (!data)
    return data.takeError();
  Expected<DenseElementsAttr> indicesAttr = requireConstantInput(1, "indices");
  if (!indicesAttr)
    return indicesAttr.takeError();
  if (!isa<IntegerType>(indicesAttr->getElementType()))
    return makeError("input 'indices' must be an integer tensor");
  ArrayRef<int64_t> dataShape = data->getType().getShape();
  Expected<int64_t> axis = normalizeAxis(attrs.getInt("axis", 0), dataShape.size(), "axis");
  if (!axis)
    return axis.takeError();

  // Output shape: data[:axis] + indices + data[axis+1:].
  int64_t axisSize = dataShape[*axis];
  std::vector<int64_t> indices = getIntValues(*indicesAttr);
  for (int64_t &index : indices) {
    if (index < -axisSize || index >= axisSize)
      return makeError("index " + Twine(index) + " is out of range for axis " +
                       Twine(*axis) + " of size " + Twine(axisSize));
    if (index < 0)
      index += axisSize;
  }
  SmallVector<int64_t, 4> shape(dataShape.take_front(*axis));
  llvm::append_range(shape, indicesAttr->getType().getShape());
  llvm::append_range(shape, dataShape.drop_front(*axis + 1));
  if (Error error = checkFoldedShape(shape))
    return error;
  int64_t outer = numElementsOf(dataShape.take_front(*axis));
  int64_t inner = numElementsOf(dataShape.drop_front(*axis + 1));
  std::vector<int64_t> sources;
  sources.reserve(numElementsOf(shape));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t index : indices)
      for (int64_t i = 0; i < inner; ++i)
        sources.push_back((o * axisSize + index) * inner + i);
  return setConstantOutput(0, gatherElements(*data, shape, sources));
}

Error GraphImporter::convertSlice(NodeAttributes &attrs) {
  // A constant is folded; activations become a pico.slice.
  DenseElementsAttr data = getConstantInput(0);
  Expected<RankedTensorType> dataType = getInputType(0);
  if (!dataType)
    return dataType.takeError();
  // Before opset 10 starts, ends and axes are attributes (and no steps).
  std::vector<int64_t> starts, ends;
  if (opset < 10) {
    for (StringRef name : {"starts", "ends"})
      if (!attrs.has(name))
        return makeError("attribute '" + name + "' is required");
    llvm::append_range(starts, attrs.getInts("starts", {}));
    llvm::append_range(ends, attrs.getInts("ends", {}));
  } else {
    Expected<std::vector<int64_t>> startInput = requireIntConstantInput(1, "starts");
    if (!startInput)
      return startInput.takeError();
    Expected<std::vector<int64_t>> endInput = requireIntConstantInput(2, "ends");
    if (!endInput)
      return endInput.takeError();
    starts = std::move(*startInput);
    ends = std::move(*endInput);
  }
  ArrayRef<int64_t> dataShape = dataType->getShape();
  int64_t rank = dataShape.size();
  std::vector<int64_t> axes(starts.size()), steps(starts.size(), 1);
  std::iota(axes.begin(), axes.end(), 0);
  if (opset < 10 && attrs.has("axes")) {
    axes.clear();
    llvm::append_range(axes, attrs.getInts("axes", {}));
  } else if (hasInput(3)) {
    Expected<std::vector<int64_t>> values = requireIntConstantInput(3, "axes");
    if (!values)
      return values.takeError();
    axes = *values;
  }
  if (hasInput(4)) {
    Expected<std::vector<int64_t>> values = requireIntConstantInput(4, "steps");
    if (!values)
      return values.takeError();
    steps = *values;
  }
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return makeError("'starts', 'ends', 'axes' and 'steps' differ in length");

  // Per axis: first element and step; the output keeps untouched axes whole.
  SmallVector<int64_t, 4> first(rank, 0), step(rank, 1), shape(dataShape);
  for (size_t i = 0; i < starts.size(); ++i) {
    Expected<int64_t> axis = normalizeAxis(axes[i], rank, "axis");
    if (!axis)
      return axis.takeError();
    int64_t size = dataShape[*axis], start = starts[i], end = ends[i];
    if (steps[i] == 0)
      return makeError("slice step must not be 0");
    if (start < 0)
      start += size;
    if (end < 0)
      end += size;
    // Clamped as ONNX specifies; an empty axis (size 0) selects nothing.
    // The count is 1 + (distance - 1) / |step| elements for a positive
    // distance: no sum with the step, whose magnitude may be 2^63.
    uint64_t stride = steps[i] > 0 ? uint64_t(steps[i]) : 0 - uint64_t(steps[i]);
    auto countOver = [&](int64_t distance) -> int64_t {
      return distance <= 0 ? 0 : int64_t(uint64_t(distance - 1) / stride + 1);
    };
    if (steps[i] > 0) {
      start = std::min(std::max<int64_t>(start, 0), size);
      end = std::min(std::max<int64_t>(end, 0), size);
      shape[*axis] = countOver(end - start);
    } else {
      start = std::max<int64_t>(std::min(start, size - 1), 0);
      end = std::max<int64_t>(std::min(end, size - 1), -1);
      shape[*axis] = size == 0 ? 0 : countOver(start - end);
    }
    first[*axis] = shape[*axis] == 0 ? 0 : start;
    step[*axis] = steps[i];
  }
  if (!data) {
    Expected<Value> input = getInput(0);
    if (!input)
      return input.takeError();
    return setOutput(0, createInferred<pico::SliceOp>(
                            nodeLoc(), *input, builder.getDenseI64ArrayAttr(first),
                            builder.getDenseI64ArrayAttr(shape),
                            builder.getDenseI64ArrayAttr(step)));
  }
  SmallVector<int64_t, 4> dataStrides = rowMajorStrides(dataShape);
  SmallVector<int64_t, 4> outputStrides = rowMajorStrides(shape);
  std::vector<int64_t> sources(numElementsOf(shape));
  for (int64_t linear = 0; linear < static_cast<int64_t>(sources.size()); ++linear) {
    int64_t source = 0;
    for (int64_t axis = 0; axis < rank; ++axis)
      source += (first[axis] + linear / outputStrides[axis] % shape[axis] * step[axis]) *
                dataStrides[axis];
    sources[linear] = source;
  }
  return setConstantOutput(0, gatherElements(data, shape, sources));
}

Error GraphImporter::convertCast(NodeAttributes &attrs) {
  // saturate (opset 19) applies to float8 targets only, which are rejected.
  attrs.ignore("saturate");
  if (!attrs.has("to"))
    return makeError("attribute 'to' is required");
  int64_t to = attrs.getInt("to", 0);
  Type target = getElementType(context, static_cast<int32_t>(to));
  if (!target)
    return unsupportedValue("to", dataTypeName(static_cast<int32_t>(to)),
                            "the numeric types");
  if (DenseElementsAttr constant = getConstantInput(0))
    return setConstantOutput(0, castConstant(constant, target));
  Expected<RankedTensorType> inputType = getInputType(0);
  if (!inputType)
    return inputType.takeError();
  if (inputType->getElementType() == target)
    return aliasOutput(0, 0);
  // A quantized tensor's elements are its storage integers: a Cast to their
  // own type (torch's QDQ exports put one after each QuantizeLinear)
  // changes nothing.
  auto quantized = dyn_cast<quant::QuantizedType>(inputType->getElementType());
  auto integer = dyn_cast<IntegerType>(target);
  if (quantized && integer &&
      integer.getWidth() == quantized.getStorageTypeIntegralWidth() &&
      integer.isUnsigned() == !quantized.isSigned())
    return aliasOutput(0, 0);
  return makeNotConstantError(0, "input", ConstantUse::Data);
}

Error GraphImporter::convertConstantOfShape(NodeAttributes &attrs) {
  Expected<std::vector<int64_t>> shape = requireIntConstantInput(0, "input");
  if (!shape)
    return shape.takeError();
  if (llvm::any_of(*shape, [](int64_t dim) { return dim < 0; }))
    return makeError("input 'input' has a negative dimension");
  if (Error error = checkFoldedShape(*shape))
    return error;
  // The fill value defaults to a float 0.
  DenseElementsAttr value = makeFloatConstant({1}, builder.getF32Type(), {0.0});
  if (const onnx::TensorProto *tensor = attrs.getTensor("value")) {
    Expected<DenseElementsAttr> given = readTensor(*tensor);
    if (!given)
      return makeError("attribute 'value': " + llvm::toString(given.takeError()));
    if (given->getNumElements() != 1)
      return makeError("attribute 'value' must hold one value");
    value = *given;
  }
  return setConstantOutput(
      0, DenseElementsAttr::get(RankedTensorType::get(*shape, value.getElementType()),
                                *value.getValues<Attribute>().begin()));
}

Error GraphImporter::convertRounding(double (*round)(double)) {
  Expected<DenseElementsAttr> input =
      requireConstantInput(0, "X", ConstantUse::Data);
  if (!input)
    return input.takeError();
  if (!isa<FloatType>(input->getElementType()))
    return makeError("input 'X' must be a floating-point tensor");
  std::vector<double> values = getFloatValues(*input);
  for (double &value : values)
    value = round(value);
  return setConstantOutput(0, makeFloatConstant(input->getType().getShape(),
                                                input->getElementType(), values));
}

Error GraphImporter::convertFloor(NodeAttributes &) {
  return convertRounding([](double x) { return std::floor(x); });
}

Error GraphImporter::convertCeil(NodeAttributes &) {
  return convertRounding([](double x) { return std::ceil(x); });
}
