//===- ReadMemoryPlan.h - the one reader of a function's memory plan -*- C++ -*-===//
//
// A planned function (--pico-plan-memory) states its plan in attributes:
// `#pico.memory_plan` on the function and a `#pico.buffer` for every
// activation (whole, a ring of a tiled block's rows, or the streamed rows
// of a block flowing into a conv). readMemoryPlan gathers them with the
// values they hold, their names and the op each step runs; the report, the
// budget check, the plan verifier and the arena materialisation all read
// the plan through it, none re-infers what the attributes say.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_ANALYSIS_READMEMORYPLAN_H
#define PICOSAM_ANALYSIS_READMEMORYPLAN_H

#include "Pico/PicoOps.h"
#include "picosam/Analysis/MemoryAccounting.h"
#include "picosam/Analysis/MemoryReport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>
#include <string>
#include <vector>

namespace picosam {

/// One tensor's buffer.
struct PlannedBuffer {
  /// The tensor: an argument, an op result, a separable block's
  /// intermediate (its depthwise result) or a block's result.
  mlir::Value value;
  /// The op carrying the `#pico.buffer` (the depthwise conv for a block's
  /// intermediate, the pointwise conv for a streamed block's result); null
  /// for an argument.
  mlir::Operation *owner = nullptr;
  /// The tensor's name, as picosam-run names the value (Interpreter.h): the
  /// owner's result's, for a streamed block's result its pointwise conv's.
  std::string name;
  pico::BufferAttr attr;

  pico::BufferKind kind() const { return attr.getKind(); }
  bool isRing() const { return attr.isRing(); }
  int64_t offset() const { return attr.getOffset(); }
  int64_t size() const { return attr.getSize(); }
  int64_t end() const { return attr.getEnd(); }
  int64_t first() const { return attr.getFirst(); }
  int64_t last() const { return attr.getLast(); }
  int64_t rows() const { return attr.getRows(); }
  int64_t rowBytes() const { return attr.getRowBytes(); }
  /// Where diagnostics about the buffer go: its owner, or the argument.
  mlir::Location getLoc() const {
    return owner ? owner->getLoc() : value.getLoc();
  }
};

struct FunctionMemoryPlan {
  mlir::func::FuncOp func;
  pico::MemoryPlanAttr attr;
  /// Every planned tensor, by first step, then offset (ties in program
  /// order).
  std::vector<PlannedBuffer> buffers;
  /// The op each step runs: a top-level op; the depthwise, then the
  /// pointwise conv of an untiled separable block; a tiled block (and,
  /// when it streams, the conv its rows flow into, in the same step).
  llvm::SmallVector<mlir::Operation *> steps;
  /// The conv each streamed block's rows flow into.
  llvm::DenseMap<mlir::Operation *, pico::Conv2DOp> streamedInto;

  /// The buffer of `value`, or null (a constant, or no activation).
  const PlannedBuffer *lookup(mlir::Value value) const;
  /// The buffers live at `step`, an in-place pair as one entry, in the
  /// order of `buffers`.
  std::vector<LiveBuffer> liveAt(int64_t step) const;
  /// The step at which `op` (a top-level op, or a conv of an untiled block)
  /// runs.
  std::optional<int64_t> stepOf(mlir::Operation *op) const;

  /// The index in `buffers` of each planned value, and the step of each op
  /// (what lookup and stepOf answer from).
  llvm::DenseMap<mlir::Value, size_t> indexOf;
  llvm::DenseMap<mlir::Operation *, int64_t> stepIndex;
};

/// True when `func` has been materialised over its arena
/// (--pico-materialize-arena): an argument carries `pico.arena`.
bool isMaterialized(mlir::func::FuncOp func);

/// Reads the plan of `func`. Fails with an error at the function when it
/// has none or is materialised already, and at the op (or argument) when an activation has no buffer,
/// its buffer's kind does not fit the op (a streamed block must be tiled
/// and flow into a conv reading it as its residual), or the ops do not run
/// their steps in program order, 0 to `steps` - 1.
mlir::FailureOr<FunctionMemoryPlan> readMemoryPlan(mlir::func::FuncOp func);

/// Bytes of `type` (a ranked tensor), and of one of its rows (one row
/// across every image, channel and column of an NCHW tensor), at
/// `elementBytes` per element, or its element type's width when 0;
/// INT64_MAX, more than any buffer or budget holds, when that overflows.
int64_t tensorBytesOf(mlir::Type type, int64_t elementBytes);
int64_t tensorRowBytesOf(mlir::Type type, int64_t elementBytes);

/// Fails with an error at the tensor's op (naming it) when a buffer cannot
/// hold its tensor counted at `elementBytes` per element (0: each type's width): a whole buffer is smaller than the
/// tensor, a ring's rows than the tensor's rows, or a ring has fewer rows
/// than its reader needs at once. (A buffer leaving the arena does not
/// verify: the pico dialect's attribute verifier refuses it.)
mlir::LogicalResult checkBufferExtents(const FunctionMemoryPlan &plan,
                                       int64_t elementBytes);

/// What the memory accounting (MemoryAccounting.h) counts of a planned
/// function: its weighted layers (convolutions, nested ones too, channel
/// attention, Gemm, MatMul with a constant operand) with their output
/// channels, the other constants' bytes, the arena, the activation peak of
/// whole, unfused tensors over the plan's steps, and its inputs' elements.
MemoryInputs gatherMemoryInputs(const FunctionMemoryPlan &plan);

/// The memory report of the plan `func` carries (readMemoryPlan, whose
/// errors it emits), counted with `accounting`; without a latency estimate.
mlir::FailureOr<MemoryReport>
readMemoryReport(mlir::func::FuncOp func,
                 const MemoryAccountingOptions &accounting);

} // namespace picosam

#endif // PICOSAM_ANALYSIS_READMEMORYPLAN_H
