//===- MemoryReport.h - a planned function's memory, for people -*- C++ -*-===//
//
// Reads the memory plan a function carries (readMemoryPlan), counts it
// against the device (accountMemory) and writes it as text, JSON and an SVG
// picture (time across, offset up, one box per tensor labelled by its ONNX
// node name), with the IMX500's latency estimate when given one.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_ANALYSIS_MEMORYREPORT_H
#define PICOSAM_ANALYSIS_MEMORYREPORT_H

#include "picosam/Analysis/MemoryAccounting.h"
#include "picosam/Analysis/ReadMemoryPlan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace picosam {

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
  /// Whole, or a ring of `rows` rows of `rowBytes` bytes (a tiled block's
  /// intermediate, a streamed block's result).
  pico::BufferKind bufferKind = pico::BufferKind::Whole;
  int64_t rows = 0;
  int64_t rowBytes = 0;
  bool isRing() const { return bufferKind != pico::BufferKind::Whole; }
};

/// One layer of a latency estimate (the IMX500's cycle model,
/// Target/IMX500/LatencyModel.h), as the report prints it.
struct LayerLatency {
  std::string name;
  std::string op;
  int64_t macs = 0;
  double cycles = 0;
  double microseconds = 0;
};

/// A per-layer latency ESTIMATE, and what it assumes (one line).
struct LatencyEstimate {
  std::string model;
  std::vector<LayerLatency> layers;
  double cycles() const;
  double milliseconds() const;
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
  /// Steps of the schedule.
  int64_t steps = 0;
  /// Every tensor, by first step then offset (the plan's order).
  std::vector<BufferRecord> buffers;
  /// The name of the op run at each step.
  std::vector<std::string> stepNames;
  /// The tensors live at the peak step, an in-place pair as one entry
  /// (indices into `buffers`).
  std::vector<LiveBuffer> peakTensors;

  /// The memory counted against the device (accountMemory, the budget
  /// check's count).
  MemoryAccount account;
  /// The latency estimate, when there is one (IMX500 targets).
  std::optional<LatencyEstimate> latency;

  /// Reads the plan `func` carries (readMemoryPlan, whose errors it emits)
  /// and counts it with `accounting`.
  static mlir::FailureOr<MemoryReport>
  read(mlir::func::FuncOp func, const MemoryAccountingOptions &accounting);

  void printText(llvm::raw_ostream &os) const;
  /// picosam's fields, and for an IMX500 account Sony's converter's
  /// (`Model Memory Physical Size`, ...) beside them.
  void printJson(llvm::raw_ostream &os) const;
  void printSvg(llvm::raw_ostream &os) const;
};

} // namespace picosam

#endif // PICOSAM_ANALYSIS_MEMORYREPORT_H
