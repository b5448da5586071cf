//===- ReduceOps.cpp - ONNX ReduceMean, ReduceSum, ReduceMax --------------===//
//
// Reductions over static axes: the kept mean over every spatial axis is
// pico.global_avg_pool (what squeeze-and-excitation exports emit, and what
// channel-attention fusion matches), every other one a pico.reduce.
//
//===----------------------------------------------------------------------===//
#include "Folding.h"
#include "GraphImporter.h"

#include "Pico/PicoOps.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <numeric>

using namespace mlir;
using namespace picosam;
using namespace picosam::onnx_import;
using llvm::Error;
using llvm::Expected;

Error GraphImporter::convertReduce(NodeAttributes &attrs, pico::ReduceKind kind) {
  Expected<RankedTensorType> inputType = getInputType(0);
  if (!inputType)
    return inputType.takeError();
  int64_t rank = inputType->getRank();
  // Read even where the reduction is a no-op: every attribute is consumed.
  bool keepDims = attrs.getInt("keepdims", 1) != 0;
  // The axes: an attribute up to opset 17 (ReduceSum: 12), input 1 after.
  std::vector<int64_t> givenAxes;
  if (attrs.has("axes")) {
    llvm::append_range(givenAxes, attrs.getInts("axes", {}));
  } else {
    Expected<std::vector<int64_t>> axes = getOptionalIntConstantInput(1, "axes", {});
    if (!axes)
      return axes.takeError();
    givenAxes = *axes;
  }
  if (givenAxes.empty()) {
    if (attrs.getInt("noop_with_empty_axes", 0))
      return aliasOutput(0, 0);
    givenAxes.resize(rank);
    std::iota(givenAxes.begin(), givenAxes.end(), 0);
  }
  SmallVector<int64_t, 4> axes;
  for (int64_t given : givenAxes) {
    Expected<int64_t> axis = normalizeAxis(given, rank, "axis");
    if (!axis)
      return axis.takeError();
    if (llvm::is_contained(axes, *axis))
      return makeError("axis " + Twine(*axis) + " is reduced twice");
    axes.push_back(*axis);
  }
  llvm::sort(axes);
  Expected<Value> input = getInput(0);
  if (!input)
    return input.takeError();
  bool spatial = rank >= 3 && static_cast<int64_t>(axes.size()) == rank - 2 &&
                 axes.front() == 2;
  if (kind == pico::ReduceKind::Mean && keepDims && spatial)
    return setOutput(0, createInferred<pico::GlobalAvgPoolOp>(nodeLoc(), *input));
  return setOutput(0, createInferred<pico::ReduceOp>(
                          nodeLoc(), *input, pico::ReduceKindAttr::get(context, kind),
                          builder.getDenseI64ArrayAttr(axes),
                          keepDims ? builder.getUnitAttr() : UnitAttr()));
}

Error GraphImporter::convertReduceMean(NodeAttributes &attrs) {
  return convertReduce(attrs, pico::ReduceKind::Mean);
}
Error GraphImporter::convertReduceSum(NodeAttributes &attrs) {
  return convertReduce(attrs, pico::ReduceKind::Sum);
}
Error GraphImporter::convertReduceMax(NodeAttributes &attrs) {
  return convertReduce(attrs, pico::ReduceKind::Max);
}
