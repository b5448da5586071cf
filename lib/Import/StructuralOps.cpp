//===- StructuralOps.cpp - ONNX's structural ops on activations -----------===//
//
// The ops CNN exports emit around their convolutions that move elements
// rather than compute: Pad, Split (Slice, on constants folded, on
// activations a pico.slice, is in FoldOps.cpp).
//
//===----------------------------------------------------------------------===//
#include "Folding.h"
#include "GraphImporter.h"

#include "Pico/PicoOps.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <algorithm>

using namespace mlir;
using namespace picosam;
using namespace picosam::onnx_import;
using llvm::Error;
using llvm::Expected;

Error GraphImporter::convertPad(NodeAttributes &attrs) {
  std::string modeName = attrs.getString("mode", "constant");
  std::optional<pico::PadMode> mode = pico::symbolizePadMode(modeName);
  if (!mode)
    return unsupportedValue("mode", modeName, "constant, reflect or edge");
  Expected<RankedTensorType> inputType = getInputType(0);
  if (!inputType)
    return inputType.takeError();
  int64_t rank = inputType->getRank();
  // Before opset 11 the pads and the value are attributes.
  bool padsAttribute = opset < 11;
  std::vector<int64_t> givenPads;
  if (padsAttribute) {
    if (!attrs.has("pads"))
      return makeError("attribute 'pads' is required");
    llvm::append_range(givenPads, attrs.getInts("pads", {}));
  } else {
    Expected<std::vector<int64_t>> pads = requireIntConstantInput(1, "pads");
    if (!pads)
      return pads.takeError();
    givenPads = std::move(*pads);
  }
  // Opset 18's axes: the pads are for these axes only (2 per axis).
  std::vector<int64_t> allAxes(rank);
  std::iota(allAxes.begin(), allAxes.end(), 0);
  Expected<std::vector<int64_t>> axes = getOptionalIntConstantInput(3, "axes", allAxes);
  if (!axes)
    return axes.takeError();
  int64_t count = axes->size();
  if (static_cast<int64_t>(givenPads.size()) != 2 * count)
    return makeError(Twine(padsAttribute ? "attribute" : "input") + " 'pads' must have " +
                     Twine(2 * count) + " values (2 per axis), got " + Twine(givenPads.size()));
  SmallVector<int64_t, 8> pads(2 * rank, 0);
  for (int64_t i = 0; i < count; ++i) {
    Expected<int64_t> axis = normalizeAxis((*axes)[i], rank, "axis");
    if (!axis)
      return axis.takeError();
    pads[*axis] = givenPads[i];
    pads[rank + *axis] = givenPads[count + i];
  }
  if (llvm::any_of(pads, [](int64_t pad) { return pad < 0; }))
    return makeError("negative pads (cropping) are not supported, got [" +
                     llvm::join(llvm::map_range(givenPads,
                                                [](int64_t pad) { return std::to_string(pad); }),
                                ", ") +
                     "]");

  float value = padsAttribute ? attrs.getFloat("value", 0.0f) : 0.0f;
  Expected<DenseElementsAttr> constantValue = getOptionalConstantInput(2, "constant_value");
  if (!constantValue)
    return constantValue.takeError();
  if (*constantValue) {
    if (constantValue->getNumElements() != 1)
      return makeError("input 'constant_value' must hold one value, got " +
                       formatShape(constantValue->getType().getShape()));
    value = static_cast<float>(getFloatValues(*constantValue).front());
  }
  Expected<Value> input = getInput(0);
  if (!input)
    return input.takeError();
  return setOutput(0, createInferred<pico::PadOp>(
                          nodeLoc(), *input, pico::PadModeAttr::get(context, *mode),
                          builder.getDenseI64ArrayAttr(pads), builder.getF32FloatAttr(value)));
}

Error GraphImporter::convertSplit(NodeAttributes &attrs) {
  Expected<RankedTensorType> inputType = getInputType(0);
  if (!inputType)
    return inputType.takeError();
  ArrayRef<int64_t> shape = inputType->getShape();
  Expected<int64_t> axis = normalizeAxis(attrs.getInt("axis", 0), shape.size(), "axis");
  if (!axis)
    return axis.takeError();
  int64_t outputs = node().output_size();
  if (outputs == 0)
    return makeError("has no outputs");
  // The sizes: the `split` input (opset 13) or attribute (before), else
  // equal parts of ceil(size / outputs), the last one smaller (opset 18).
  int64_t numOutputs = attrs.getInt("num_outputs", outputs);
  if (numOutputs != outputs)
    return makeError("attribute 'num_outputs' is " + Twine(numOutputs) + " but the node has " +
                     Twine(outputs) + " outputs");
  int64_t size = shape[*axis];
  std::vector<int64_t> sizes;
  if (attrs.has("split")) {
    llvm::append_range(sizes, attrs.getInts("split", {}));
  } else if (hasInput(1)) {
    Expected<std::vector<int64_t>> given = requireIntConstantInput(1, "split");
    if (!given)
      return given.takeError();
    sizes = *given;
  } else {
    int64_t part = (size + outputs - 1) / outputs;
    for (int64_t i = 0; i < outputs; ++i)
      sizes.push_back(std::clamp<int64_t>(size - i * part, 0, part));
  }
  if (static_cast<int64_t>(sizes.size()) != outputs)
    return makeError("'split' has " + Twine(sizes.size()) + " sizes for " + Twine(outputs) +
                     " outputs");
  std::optional<int64_t> total = 0;
  for (int64_t part : sizes)
    total = part < 0 || !total ? std::nullopt : llvm::checkedAdd(*total, part);
  if (total != size)
    return makeError("'split' sizes must be >= 0 and add up to axis " + Twine(*axis) +
                     "'s size " + Twine(size));
  Expected<Value> input = getInput(0);
  if (!input)
    return input.takeError();
  // One pico.slice per output; the first is named by the node, the others
  // "<node>/output<i>", so every value has its own name.
  SmallVector<int64_t, 4> offsets(shape.size(), 0), strides(shape.size(), 1);
  SmallVector<int64_t, 4> outShape(shape);
  for (int64_t i = 0; i < outputs; ++i) {
    outShape[*axis] = sizes[i];
    Location loc = i == 0 ? nodeLoc() : auxLoc("output" + std::to_string(i));
    if (Error err = setOutput(i, createInferred<pico::SliceOp>(
                                     loc, *input, builder.getDenseI64ArrayAttr(offsets),
                                     builder.getDenseI64ArrayAttr(outShape),
                                     builder.getDenseI64ArrayAttr(strides))))
      return err;
    offsets[*axis] += sizes[i];
  }
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Tile and Expand
//===----------------------------------------------------------------------===//

Error GraphImporter::repeatInput(ArrayRef<int64_t> shape, ArrayRef<int64_t> repeats) {
  Expected<RankedTensorType> inputType = getInputType(0);
  if (!inputType)
    return inputType.takeError();
  int64_t rank = shape.size();
  SmallVector<int64_t, 4> outShape(shape);
  for (int64_t axis = 0; axis < rank; ++axis) {
    std::optional<int64_t> size = llvm::checkedMul(shape[axis], repeats[axis]);
    if (!size)
      return makeError("repeating axis " + Twine(axis) + " (size " + Twine(shape[axis]) + ") " +
                       Twine(repeats[axis]) + " times overflows 64-bit sizes");
    outShape[axis] = *size;
  }
  // Constants: output element i reads element i modulo the input's shape.
  if (DenseElementsAttr constant = getConstantInput(0)) {
    if (Error err = checkFoldedShape(outShape))
      return err;
    SmallVector<int64_t, 4> inStrides = rowMajorStrides(shape);
    SmallVector<int64_t, 4> outStrides = rowMajorStrides(outShape);
    std::vector<int64_t> sources(numElementsOf(outShape));
    for (int64_t linear = 0; linear < static_cast<int64_t>(sources.size()); ++linear)
      for (int64_t axis = 0; axis < rank; ++axis)
        sources[linear] += linear / outStrides[axis] % outShape[axis] % shape[axis] *
                           inStrides[axis];
    return setConstantOutput(0, gatherElements(constant.reshape(RankedTensorType::get(
                                                   shape, constant.getElementType())),
                                               outShape, sources));
  }
  if (llvm::any_of(repeats, [](int64_t r) { return r < 1; }))
    return makeError("repeating an activation 0 times (an empty result) is not supported");
  Expected<Value> input = getInput(0);
  if (!input)
    return input.takeError();
  Value value = *input;
  if (shape != inputType->getShape())
    value = pico::ReshapeOp::create(builder, auxLoc("reshape"),
                                    RankedTensorType::get(shape, inputType->getElementType()), value)
                .getResult();
  // Concats of copies per repeated axis: exact for every element type
  // (storage values move), and a broadcasting binary op reading copies of
  // a size-1 axis reads the value itself (its fold).
  SmallVector<int64_t, 4> repeatedAxes;
  for (int64_t axis = 0; axis < rank; ++axis)
    if (repeats[axis] > 1)
      repeatedAxes.push_back(axis);
  for (int64_t axis : repeatedAxes) {
    Location loc = axis == repeatedAxes.back() ? nodeLoc() : auxLoc("axis" + std::to_string(axis));
    Expected<Value> repeated = concatCopies(loc, value, axis, repeats[axis]);
    if (!repeated)
      return repeated.takeError();
    value = *repeated;
  }
  return setOutput(0, value);
}

Expected<Value> GraphImporter::concatCopies(Location loc, Value value, int64_t axis,
                                            int64_t copies) {
  // At most kMaxConcatCopies operands a concat: more copies repeat a
  // concat of that many, so that the IR grows with the count's logarithm,
  // not with the count (a model's count is untrusted).
  constexpr int64_t kMaxConcatCopies = 64;
  if (copies == 1)
    return value;
  SmallVector<Value> operands;
  if (copies > kMaxConcatCopies) {
    Expected<Value> group = concatCopies(loc, value, axis, kMaxConcatCopies);
    if (!group)
      return group.takeError();
    Expected<Value> groups = concatCopies(loc, *group, axis, copies / kMaxConcatCopies);
    if (!groups)
      return groups.takeError();
    operands.push_back(*groups);
    copies %= kMaxConcatCopies;
    if (copies == 0)
      return *groups;
  }
  operands.append(copies, value);
  return createInferred<pico::ConcatOp>(loc, operands, builder.getI64IntegerAttr(axis));
}

Error GraphImporter::convertTile(NodeAttributes &) {
  Expected<RankedTensorType> inputType = getInputType(0);
  if (!inputType)
    return inputType.takeError();
  Expected<std::vector<int64_t>> repeats = requireIntConstantInput(1, "repeats");
  if (!repeats)
    return repeats.takeError();
  if (static_cast<int64_t>(repeats->size()) != inputType->getRank() ||
      llvm::any_of(*repeats, [](int64_t r) { return r < 0; }))
    return makeError("input 'repeats' must hold " + Twine(inputType->getRank()) +
                     " counts >= 0, one per axis, got " + formatInts(*repeats));
  return repeatInput(inputType->getShape(), *repeats);
}

Error GraphImporter::convertExpand(NodeAttributes &) {
  Expected<RankedTensorType> inputType = getInputType(0);
  if (!inputType)
    return inputType.takeError();
  Expected<std::vector<int64_t>> given = requireIntConstantInput(1, "shape");
  if (!given)
    return given.takeError();
  // numpy broadcasting of the input's shape and `shape` (either side's 1s
  // stretch); the input gains leading 1s up to the result's rank.
  ArrayRef<int64_t> inShape = inputType->getShape();
  int64_t rank = std::max<int64_t>(inShape.size(), given->size());
  SmallVector<int64_t, 4> shape(rank - inShape.size(), 1), repeats;
  llvm::append_range(shape, inShape);
  SmallVector<int64_t, 4> target(rank - given->size(), 1);
  llvm::append_range(target, *given);
  for (int64_t axis = 0; axis < rank; ++axis) {
    if (target[axis] != 1 && shape[axis] != 1 && target[axis] != shape[axis])
      return makeError("cannot expand " + formatShape(inShape) + " to " +
                       formatShape(*given) + ": axis " + Twine(axis) + " is " +
                       Twine(shape[axis]) + ", not 1 or " + Twine(target[axis]));
    repeats.push_back(shape[axis] == 1 && target[axis] >= 0 ? target[axis] : 1);
  }
  return repeatInput(shape, repeats);
}
