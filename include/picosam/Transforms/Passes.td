//===- Passes.td - picosam graph transformations ------------*- tablegen -*-===//
//
// The fusion passes (lib/Transforms). Each component has its own Passes.td,
// so a library links only the passes it uses.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_TRANSFORMS_PASSES_TD
#define PICOSAM_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Fusion (docs/passes.md, "Fusion"): each pass keeps the numbers and makes
// the graph smaller; --pico-fusion-pipeline runs them in this order.
//===----------------------------------------------------------------------===//

def FoldBatchNorm : Pass<"pico-fold-batch-norm", "mlir::func::FuncOp"> {
  let summary = "Fold batch_norm into the convolution before it";
  let description = [{
    A `pico.batch_norm` of constant parameters whose input is a
    `pico.conv2d` or `pico.conv_transpose2d` with constant weights (and
    bias, if any), no activation, no residual and no other user becomes
    that convolution with its
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
    hard_swish, tanh, abs, neg, exp, sqrt, pow, elu, selu, softplus) whose
    input is produced by a `pico.conv2d`, `pico.conv_transpose2d`, `pico.add`, `pico.sub`,
    `pico.mul`, `pico.div`, `pico.max`, `pico.min` or `pico.gemm` that has
    no activation yet and no other user becomes that op's `activation`
    attribute: the `#pico.act` its ActivationOpInterface returns, so the
    meaning of each kind stays defined in one place. `kinds` lists the
    kinds a target can fuse; the others stay standalone ops.
  }];
  let options = [
    ListOption<"kinds", "kinds", "std::string",
               "Activation kinds to fuse (relu, clip, leaky_relu, sigmoid, "
               "hard_sigmoid, hard_swish, tanh, abs, neg, exp, sqrt, pow, elu, "
               "selu, softplus); all when not given">
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

def FoldPad : Pass<"pico-fold-pad", "mlir::func::FuncOp"> {
  let summary = "Fold a constant pad into the convolution or pool reading it";
  let description = [{
    A constant `pico.pad` of only the H and W axes of an NCHW tensor
    becomes the pads of each `pico.conv2d`, `pico.avg_pool` or
    `pico.max_pool` that reads it as its input: a convolution when the
    value is 0 (and it does not upsample its input); an average pool when
    the value is 0, it has no ceil_mode and its own pads (if any) count in
    the divisor, which it then does (`count_include_pad`, as torch's
    `AvgPool2d` exports: Pad + AveragePool); a max pool when the value is
    -inf, or 0 with a relu's result as input, and no ceil_mode. Pools fold
    only while every window still covers an input element. The pad goes
    when no user is left.
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
