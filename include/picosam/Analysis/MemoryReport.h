//===- MemoryReport.h - a planned function's memory, for people -*- C++ -*-===//
//
// Reads the memory plan a function carries (`#pico.memory_plan` and the
// `#pico.buffer` of every activation, see MemoryPlanning.h) and writes it as
// text, JSON and an SVG picture (time across, offset up, one box per
// tensor labelled by its ONNX node name).
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_ANALYSIS_MEMORYREPORT_H
#define PICOSAM_ANALYSIS_MEMORYREPORT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace picosam {

/// "1,548,288".
std::string formatWithThousands(int64_t value);

/// One tensor of the plan.
struct BufferRecord {
  /// The tensor's name, as picosam-run names it (the location of its op or
  /// argument: ONNX node names, joined with '+' for fused ops).
  std::string name;
  /// The op kind that defines it, or "argument".
  std::string kind;
  int64_t offset = 0;
  int64_t bytes = 0;
  int64_t first = 0;
  int64_t last = 0;
  /// True for a tiled separable block's ring of intermediate rows.
  bool isRing = false;
};

/// Tensors live at one step. `inPlaceOver` is the tensor one was written
/// over at that step (same memory, counted once), if any.
struct LiveTensor {
  size_t buffer;
  std::optional<size_t> inPlaceOver;
};

/// A budget to check the plan against: weights + arena + reserved bytes.
struct MemoryBudget {
  int64_t budgetBytes = 0;
  int64_t reservedBytes = 0;
};

struct MemoryReport {
  std::string function;
  int64_t arenaBytes = 0;
  int64_t lowerBoundBytes = 0;
  int64_t peakStep = 0;
  int64_t inputOrderLowerBoundBytes = 0;
  int64_t weightsBytes = 0;
  int64_t alignment = 1;
  int64_t elementBytes = 0;
  int64_t tiledBlocks = 0;
  /// Steps of the schedule (one more than the largest `last`).
  int64_t steps = 0;
  /// Every tensor, by first step then offset.
  std::vector<BufferRecord> buffers;
  /// The name of the op run at each step.
  std::vector<std::string> stepNames;

  /// Reads the plan `func` carries; fails with an error at the function
  /// when it has none.
  static mlir::FailureOr<MemoryReport> read(mlir::func::FuncOp func);

  /// The tensors live at `step`, an in-place pair as one entry.
  std::vector<LiveTensor> liveAt(int64_t step) const;

  void printText(llvm::raw_ostream &os,
                 std::optional<MemoryBudget> budget = std::nullopt) const;
  void printJson(llvm::raw_ostream &os,
                 std::optional<MemoryBudget> budget = std::nullopt) const;
  void printSvg(llvm::raw_ostream &os) const;
};

} // namespace picosam

#endif // PICOSAM_ANALYSIS_MEMORYREPORT_H
