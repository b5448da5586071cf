//===- Passes.td - picosam passes --------------------------*- tablegen -*-===//
#ifndef PICOSAM_TRANSFORMS_PASSES_TD
#define PICOSAM_TRANSFORMS_PASSES_TD

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

def Quantize : Pass<"pico-quantize", "mlir::ModuleOp"> {
  let summary = "INT8 post-training quantization from a calibration table";
  let description = [{
    Rewrites every float function of pico ops into the quantized graph that
    docs/quantization.md specifies: the ops that have integer semantics
    (conv2d, add, sub, mul, the activations, the pools, nearest resize,
    concat, reshape, transpose, separable_block) get
    `!quant.uniform` operands and results on the same ops; weights become
    int8 constants, symmetric per output channel, and biases int32 at
    input scale x weight scale. Each activation's type comes from its
    calibration table entry (found by the tensor's name, or for a fused
    op by the last name in its location, the ONNX node that computed the
    value) and the profile: `cpu` (int8, any real scale, a zero point) or
    `imx500` (power-of-two thresholds, symmetric, u8 when the tensor is
    never negative). A `pico.quantize` of the input and a
    `pico.dequantize` of each result keep the function's float signature.

    `float-layers` names ops (by any name in their location) to keep in
    float; the pass then prints what that costs (weights, MACs and the
    quantize/dequantize ops it adds) on stderr. Missing or unusable table
    entries are errors at the op that needs them.
  }];
  let options = [
    Option<"table", "table", "std::string", /*default=*/"\"\"",
           "The calibration table file (docs/quantization.md)">,
    Option<"profile", "profile", "std::string", /*default=*/"\"cpu\"",
           "cpu: any real scale, zero points; imx500: power-of-two "
           "thresholds, symmetric, unsigned after ReLU-like ops">,
    ListOption<"floatLayers", "float-layers", "std::string",
               "Ops to leave in float, by name (any name of a fused op)">
  ];
}

def FoldQdq : Pass<"pico-fold-qdq", "mlir::func::FuncOp"> {
  let summary = "Turn QuantizeLinear/DequantizeLinear pairs into quantized ops";
  let description = [{
    A model quantized elsewhere (torch.ao FX, exported with
    QuantizeLinear/DequantizeLinear pairs) imports as float ops between
    `pico.dequantize` and `pico.quantize`. Each `pico.quantize` of an op
    with integer semantics (docs/quantization.md) whose operands are all
    dequantized 8-bit activations (a conv2d's weight: a symmetric int8
    constant, per tensor or per output channel) becomes that op on the
    quantized values, with the `pico.quantize`'s result type: a relu or
    clip between them becomes the op's fused activation, and a conv2d's
    bias is requantized to int32 at input scale x weight scale. The
    dequantize ops and constants left unused are erased; the input's
    quantize and the results' dequantize stay. The result runs with the
    same integer semantics as picosam's own quantization.
  }];
}

def PrintRequantization : Pass<"pico-print-requantization", "mlir::ModuleOp"> {
  let summary = "Print the integer constants of every quantized op";
  let description = [{
    For every op with quantized operands or results (docs/quantization.md):
    its zero points, clamp bounds, and each requantization multiplier as
    the real value and the int32 multiplier and shift it is encoded as
    (`real ~= multiplier * 2^(shift - 31)`): per output channel for
    convolutions, per input and output for add/sub, the product's for mul,
    the divisor's for pools, the table for activations. These are the
    constants the interpreter computes with and the backends must emit;
    the IR is left unchanged and the report goes to stderr.
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
    naming the tensors live there when weights + arena + reserved exceed it.
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", /*default=*/"16",
           "Offsets are multiples of this many bytes">,
    Option<"tileSeparableBlocks", "tile-separable-blocks", "bool",
           /*default=*/"false",
           "Run separable blocks row by row, so their intermediate takes "
           "only the rows the pointwise conv reads at once; a block read "
           "only as a conv's residual streams its rows into that conv">,
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
           "(0: no check)">,
    Option<"reserved", "reserved", "int64_t", /*default=*/"0",
           "Bytes the target reserves besides weights and arena, counted "
           "against the budget">
  ];
}

//===----------------------------------------------------------------------===//
// Fusion (docs/passes.md, "Fusion"): each pass keeps the numbers and makes
// the graph smaller; --pico-fusion-pipeline runs them in this order.
//===----------------------------------------------------------------------===//

def FoldBatchNorm : Pass<"pico-fold-batch-norm", "mlir::func::FuncOp"> {
  let summary = "Fold batch_norm into the convolution before it";
  let description = [{
    A `pico.batch_norm` of constant parameters whose input is a
    `pico.conv2d` with constant weights (and bias, if any), no activation,
    no residual and no other user becomes that convolution with its
    weights scaled per output channel and its bias shifted (a bias is
    created when the convolution has none): with
    `f = scale / sqrt(variance + epsilon)`, `w' = w * f` and
    `b' = (b - mean) * f + bias`, computed in double.

    Any other batch_norm of constant parameters becomes a per-channel
    scale and shift `x * f + (bias - mean * f)`: for an NCHW input a
    depthwise 1x1 `pico.conv2d` with that weight and bias (one op, which
    activation fusion and the backends treat like any convolution), for
    other ranks `pico.mul` and `pico.add` with [1, C, 1, ...] constants. A
    convolution whose result has another user keeps its weights.
  }];
  let dependentDialects = ["::picosam::pico::PicoDialect"];
}

def FuseActivation : Pass<"pico-fuse-activation", "mlir::func::FuncOp"> {
  let summary = "Fuse standalone activations into the op producing their input";
  let description = [{
    An activation op (relu, clip, leaky_relu, sigmoid, hard_sigmoid,
    hard_swish, tanh) whose input is produced by a `pico.conv2d`,
    `pico.add`, `pico.sub`, `pico.mul`, `pico.div` or `pico.gemm` that has
    no activation yet and no other user becomes that op's `activation`
    attribute: the `#pico.act` its ActivationOpInterface returns, so the
    meaning of each kind stays defined in one place. `kinds` lists the
    kinds a target can fuse; the others stay standalone ops.
  }];
  let options = [
    ListOption<"kinds", "kinds", "std::string",
               "Activation kinds to fuse (relu, clip, leaky_relu, sigmoid, "
               "hard_sigmoid, hard_swish, tanh); all when not given">
  ];
  let dependentDialects = ["::picosam::pico::PicoDialect"];
}

def FuseResidualAdd : Pass<"pico-fuse-residual-add", "mlir::func::FuncOp"> {
  let summary = "Fuse an add of a convolution's result into the convolution";
  let description = [{
    `pico.add(conv, y)` (either operand order), where the `pico.conv2d`
    has no activation, no residual and no other user, and `y` has exactly
    the result's type (no broadcasting), becomes the convolution with
    `residual = y` and the add's activation:
    `activation(conv(x) + bias + y)`.
  }];
  let dependentDialects = ["::picosam::pico::PicoDialect"];
}

def FoldUpsample : Pass<"pico-fold-upsample", "mlir::func::FuncOp"> {
  let summary = "Let convolutions read a nearest integer upsample's input";
  let description = [{
    A `pico.resize` that is a nearest-neighbour upsample of H and W by an
    integer factor f >= 2 (output [h, w] reads input [h / f, w / f]:
    scales [1, 1, f, f] and a coordinate/nearest mode pair exact for f,
    see ResizeOp::getNearestUpsampleFactor), all of whose users are
    `pico.conv2d` ops reading it as their input, goes away: each
    convolution reads the resize's input with `input_upsample` multiplied
    by f, so the upsampled tensor is never stored.
  }];
  let dependentDialects = ["::picosam::pico::PicoDialect"];
}

def FuseChannelAttention
    : Pass<"pico-fuse-channel-attention", "mlir::func::FuncOp"> {
  let summary = "Fuse global_avg_pool, 1x1 conv, sigmoid and mul into channel_attention";
  let description = [{
    `pico.mul(x, sigmoid(conv1x1(global_avg_pool(x), w, b)))`, in either
    operand order and with the sigmoid standalone or fused into the
    convolution, becomes `pico.channel_attention x, w, b`, when the pool,
    convolution and sigmoid have no other users, the convolution is
    pointwise with a CxCx1x1 weight and no residual, and the mul has no
    activation.
  }];
  let dependentDialects = ["::picosam::pico::PicoDialect"];
}

def FormSeparableBlocks
    : Pass<"pico-form-separable-blocks", "mlir::func::FuncOp"> {
  let summary = "Wrap depthwise + pointwise convolution pairs in pico.separable_block";
  let description = [{
    A pointwise `pico.conv2d` (1x1, unit strides, no pads, group 1) whose
    input is a depthwise `pico.conv2d` (group = channels, no residual)
    with no other user becomes a `pico.separable_block` holding the two
    convolutions, so the depthwise result is a value of the block only
    and a backend can stream it row by row into the pointwise one.
  }];
  let dependentDialects = ["::picosam::pico::PicoDialect"];
}

#endif // PICOSAM_TRANSFORMS_PASSES_TD
