//===- MemoryPlanning.h - schedule, lifetimes and arena offsets -*- C++ -*-===//
//
// Static memory planning of a function of pico ops: every activation (the
// function's arguments, every op result but constants, the intermediate of
// a separable block) gets a lifetime over the scheduled steps and an offset
// in one arena, so that a target needs no allocation at run time.
//
// - A step is one op run: a top-level op, or each op of a separable block's
//   body when the block is not tiled; a tiled block is one step, with the
//   conv its rows stream into, if any. Steps are numbered from 0 in schedule
//   order; arguments are live from step 0, results of the function until the
//   last step.
// - An activation takes elements x element bytes (a quantized type's storage
//   width), or elements x `assumedElementBytes` when that is set.
// - An op writes its result over an operand's memory (in place) when the
//   operand dies at that op, has the result's size, and the op reads each of
//   its elements before writing the same element: activations, batch_norm,
//   reshape, element-wise binary ops, a conv2d's residual, channel_attention.
// - The schedule is searched (see scheduleBeamWidth) for the order whose
//   largest live total (the lower bound) is smallest; buffers are packed by
//   MemoryPacking.h.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_ANALYSIS_MEMORYPLANNING_H
#define PICOSAM_ANALYSIS_MEMORYPLANNING_H

#include "picosam/Analysis/MemoryPacking.h"

#include "Pico/PicoOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Value.h"

#include <optional>
#include <string>
#include <vector>

namespace picosam {

/// The options of planning and of the memory it is checked against.
enum class PlanningOption {
  /// in [1, 2^30]: larger only pushes offsets towards int64_t overflow.
  Alignment,
  /// in [0, 8]: the widest element type (f64, i64) has 8 bytes.
  AssumedElementBytes,
  /// >= 0.
  ScheduleBeamWidth,
  /// >= 0.
  Budget,
  /// >= 0.
  Reserved,
  /// in [1, 2^20]: far above any SIMD width.
  OutputChannelGroup,
  /// >= 0.
  TileMinBytes,
};

/// "<name> must be in [<min>, <max>], got <value>" when `value` is outside
/// `option`'s range (above), none inside. The pass and picosam-compile
/// both check with it, each naming the option as its user wrote it.
std::optional<std::string> checkPlanningOption(PlanningOption option,
                                               llvm::StringRef name,
                                               int64_t value);

struct MemoryPlanningOptions {
  /// Every offset is a multiple of this (bytes, >= 1).
  int64_t alignment = 16;
  /// Run each separable block row by row: the pointwise conv reads rows of
  /// the depthwise result as they are produced, so the intermediate needs
  /// only a ring of rows instead of the whole tensor. A block whose result
  /// is only the residual of a conv streams its rows into that conv (one
  /// row ring for the result too), which writes its output rows over the
  /// input rows it has read when that input dies there and is as large.
  bool tileSeparableBlocks = false;
  /// With tileSeparableBlocks, only the blocks whose intermediate would
  /// take at least this many bytes run row by row: short rows cost calls.
  int64_t tileMinBytes = 0;
  /// Schedule search: the most partial schedules kept per step (0 keeps the
  /// input order). The search is exact while no step has more distinct
  /// partial schedules than this.
  int64_t scheduleBeamWidth = 4096;
  /// When > 0, every activation and weight element counts this many bytes
  /// whatever its type: an estimate for a graph not yet quantized.
  int64_t assumedElementBytes = 0;
};

/// One activation's place in the plan.
struct PlannedTensor {
  mlir::Value value;
  /// The op whose result (or separable-block intermediate) this is; null for
  /// a function argument.
  mlir::Operation *owner = nullptr;
  int64_t bytes = 0;
  int64_t first = 0;
  int64_t last = 0;
  int64_t offset = 0;
  /// Whole, or a ring of `rows` rows of `rowBytes` bytes (see #pico.buffer).
  pico::BufferKind kind = pico::BufferKind::Whole;
  int64_t rows = 0;
  int64_t rowBytes = 0;
};

struct MemoryPlan {
  /// The top-level ops in schedule order, constants excluded.
  llvm::SmallVector<mlir::Operation *> schedule;
  /// The op each step runs.
  llvm::SmallVector<mlir::Operation *> steps;
  std::vector<PlannedTensor> tensors;
  int64_t arenaBytes = 0;
  /// The largest sum of live bytes at one step of the chosen schedule, and
  /// that step.
  int64_t lowerBoundBytes = 0;
  int64_t peakStep = 0;
  /// The same bound in the input order, before the schedule search.
  int64_t inputOrderLowerBoundBytes = 0;
  /// Bytes of every constant of the function.
  int64_t weightsBytes = 0;
  int64_t tiledBlocks = 0;
  /// Whether the schedule search was exact: no step had more partial
  /// schedules than the beam width.
  bool searchExact = true;
};

/// Plans `func`: a single block of ops with statically shaped tensor values,
/// ended by func.return. Does not change the IR; emits an error at the op
/// that cannot be planned and fails otherwise.
mlir::FailureOr<MemoryPlan> planMemory(mlir::func::FuncOp func,
                                       const MemoryPlanningOptions &options);

/// Moves the ops of `func` into the plan's schedule order and records the
/// plan in attributes (`#pico.buffer` on each op and argument with a
/// tensor, `#pico.memory_plan` on the function), replacing any earlier plan.
void applyMemoryPlan(mlir::func::FuncOp func, const MemoryPlan &plan,
                     const MemoryPlanningOptions &options);

/// Bytes of one element of `type` (a quantized type's storage width), or
/// `assumedElementBytes` when it is > 0.
int64_t elementBytesOf(mlir::Type elementType, int64_t assumedElementBytes);

/// The operands `op` may write its result over: it reads each of their
/// elements before writing the result element at the same index.
llvm::SmallVector<mlir::Value, 2> inPlaceOperands(mlir::Operation *op);

/// True when `conv` can write each output row over the input row it has
/// just read (its residual row, streamed from a block, is the
/// accumulator): a 1x1, unit-stride, unpadded conv of one image, no
/// upsampling, whose output planes are no larger than its input's, element
/// for element.
bool overwritesInputByRows(pico::Conv2DOp conv);

/// Rows of the depthwise result a block's pointwise conv reads at once: its
/// kernel's dilated height (the rows a tiled block's ring keeps).
int64_t intermediateRingRows(pico::SeparableBlockOp block);

} // namespace picosam

#endif // PICOSAM_ANALYSIS_MEMORYPLANNING_H
