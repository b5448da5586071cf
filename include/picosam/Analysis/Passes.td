//===- Passes.td - analyses and memory planning -------------*- tablegen -*-===//
//
// The model summary and static memory planning (lib/Analysis).
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_ANALYSIS_PASSES_TD
#define PICOSAM_ANALYSIS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ModelSummary : Pass<"pico-model-summary", "mlir::ModuleOp"> {
  let summary = "Print a summary of each function: signature, ops, weights, MACs";
  let description = [{
    Prints, for every `func.func` of pico ops: its inputs and outputs with
    their names and shapes, the number of ops of each kind (those nested in
    separable blocks apart), the number of constant (weight) elements and
    their bytes, and the multiply-accumulates of convolutions (nested ones
    and channel attention's included) and matrix products. The IR is left
    unchanged. The
    summary goes to stderr, like upstream's `--print-op-stats`, so it never
    mixes with the IR on stdout.
  }];
}

def PlanMemory : Pass<"pico-plan-memory", "mlir::func::FuncOp"> {
  let summary = "Schedule the ops and place every activation in one arena";
  let description = [{
    Static memory planning (docs/memory.md): chooses the order of the ops
    (the one with the smallest peak of live bytes the search finds), gives
    every activation (arguments, op results, separable-block
    intermediates) a lifetime over the scheduled steps and an offset in one
    arena, writes results in place over operands that die there
    (activations, element-wise ops, a conv2d's residual, channel
    attention), and packs the rest greedily. Moves the ops into the chosen
    order and records the plan as `#pico.buffer` attributes on each
    activation's op (argument attributes for arguments) and
    `#pico.memory_plan` on the function (arena, lower bound, peak step,
    weights). With a budget, fails with an error at the op of the peak step
    naming the tensors live there when the memory the plan needs exceeds
    it: weights + arena + reserved, or, for an IMX500 target, the memory
    counted the way Sony's converter reports it (model + runtime +
    reserved memory, docs/imx500.md "Memory accounting"; the
    `input-persistent` and `output-channel-group` options apply to it).
    The budget and reserved bytes are the module's `#pico.target`'s
    (`--pico-set-target`); the `budget` and `reserved` options, when not 0,
    override them.
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", /*default=*/"16",
           "Offsets are multiples of this many bytes">,
    Option<"tileSeparableBlocks", "tile-separable-blocks", "bool",
           /*default=*/"false",
           "Run separable blocks row by row, so their intermediate takes "
           "only the rows the pointwise conv reads at once; a block read "
           "only as a conv's residual streams its rows into that conv">,
    Option<"tileMinBytes", "tile-min-bytes", "int64_t", /*default=*/"0",
           "With tile-separable-blocks, only the blocks whose intermediate "
           "has at least this many bytes run row by row (0: every block)">,
    Option<"scheduleBeamWidth", "schedule-beam-width", "int64_t",
           /*default=*/"4096",
           "Partial schedules kept per step by the schedule search (exact "
           "while none has more); 0 keeps the input order">,
    Option<"assumeElementBytes", "assume-element-bytes", "int64_t",
           /*default=*/"0",
           "Count every activation and weight element as this many bytes "
           "(an estimate for a graph not yet quantized); 0: each type's width">,
    Option<"budget", "budget", "int64_t", /*default=*/"0",
           "Fail when weights + arena + reserved exceed this many bytes "
           "(0: the module's #pico.target's; no check without one)">,
    Option<"reserved", "reserved", "int64_t", /*default=*/"0",
           "Bytes the target reserves besides weights and arena, counted "
           "against the budget (0: the module's #pico.target's)">,
    Option<"inputPersistent", "input-persistent", "bool",
           /*default=*/"::picosam::kImx500InputPersistent",
           "IMX500 target: the input is kept for read-back and counts in "
           "the runtime memory">,
    Option<"outputChannelGroup", "output-channel-group", "int64_t",
           /*default=*/"::picosam::kImx500OutputChannelGroup",
           "IMX500 target: output channels are stored in groups of this "
           "many (weights, biases and quantisation parameters padded)">
  ];
}

def VerifyMemoryPlan : Pass<"pico-verify-memory-plan", "mlir::func::FuncOp"> {
  let summary = "Check a function's memory plan against its ops";
  let description = [{
    Checks the plan `--pico-plan-memory` recorded (docs/memory.md) against
    the IR it describes, independently of how it was made: every buffer
    lies in the arena at an aligned offset and holds its tensor (a ring:
    the tensor's rows, and as many as its reader needs at once); each
    buffer's lifetime starts at the step of the op defining its tensor and
    lasts to the step of the last op reading it (results of the function:
    to the last step); no two buffers live at the same step share a byte,
    unless one is written in place over the other where the planner's
    rules allow it (same offset, the first dying at the op that defines the
    second and reads it element by element, or row by row for a conv a
    block streams into); and the lower bound, its peak step and the number
    of tiled blocks are the ones the buffers give. Fails with an error at
    the op (naming the tensors by their ONNX names) on the first violation.
    Functions without a plan are left alone; the IR is never changed.
  }];
}

#endif // PICOSAM_ANALYSIS_PASSES_TD
