//===- MemoryReport.h - a planned function's memory, for people -*- C++ -*-===//
//
// A planned function's memory: its plan, counted against the device
// (accountMemory), written as text, JSON and an SVG picture (time across,
// offset up, one box per tensor labelled by its ONNX node name), with the
// IMX500's latency estimate when given one. Plain C++ over LLVM's Support
// library (no MLIR), so that both of its sources print it the same way:
// readMemoryReport (ReadMemoryPlan.h) fills it from a planned function, and
// picosam-imx500 from an IMX500 network file, which carries it
// (Target/IMX500/NetworkReport.h).
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_ANALYSIS_MEMORYREPORT_H
#define PICOSAM_ANALYSIS_MEMORYREPORT_H

#include "picosam/Analysis/MemoryAccounting.h"

#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace picosam {

/// How a planned buffer holds its tensor (#pico.buffer's kind, in its
/// order): whole, a ring of a tiled block's rows, or the streamed rows of a
/// block flowing into a conv.
enum class BufferLayout { Whole = 0, Ring = 1, Streamed = 2 };

/// "whole", "ring", "streamed" (as #pico.buffer prints them).
const char *stringifyBufferLayout(BufferLayout layout);

/// A buffer live at one step (an index into the plan's buffers);
/// `inPlaceOver` is the buffer it was written over at that step (same
/// memory, counted once), if any.
struct LiveBuffer {
  size_t buffer;
  std::optional<size_t> inPlaceOver;
};

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
  BufferLayout layout = BufferLayout::Whole;
  int64_t rows = 0;
  int64_t rowBytes = 0;
  bool isRing() const { return layout != BufferLayout::Whole; }
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

  /// What the accounting counts, and how: `account` is accountMemory of
  /// them (the budget check's count), set by count().
  MemoryInputs memoryInputs;
  MemoryAccountingOptions accounting;
  MemoryAccount account;
  /// The latency estimate, when there is one (IMX500 targets).
  std::optional<LatencyEstimate> latency;

  /// Sets `account` (accountMemory of memoryInputs and accounting) and
  /// `stepNames` (from `buffers`): what the report derives from its record.
  void count();

  void printText(llvm::raw_ostream &os) const;
  /// picosam's fields, and for an IMX500 account Sony's converter's
  /// (`Model Memory Physical Size`, ...) beside them.
  void printJson(llvm::raw_ostream &os) const;
  void printSvg(llvm::raw_ostream &os) const;
};

} // namespace picosam

#endif // PICOSAM_ANALYSIS_MEMORYREPORT_H
