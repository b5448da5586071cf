//===- Passes.td - quantization passes ----------------------*- tablegen -*-===//
//
// INT8 post-training quantization and its reports (lib/Quantization).
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_QUANTIZATION_PASSES_TD
#define PICOSAM_QUANTIZATION_PASSES_TD

include "mlir/Pass/PassBase.td"

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
    never negative). The profile is the module's `#pico.target`'s
    (`--pico-set-target`); without a target, the `profile` option's, else
    `cpu`. A `profile` that contradicts the target is an error. A `pico.quantize` of the input and a
    `pico.dequantize` of each result keep the function's float signature.

    A module imported from a model quantized elsewhere (an MCTQ model,
    docs/imx500.md) carries the thresholds of its quantizer nodes as the
    module attributes `pico.calibration` (used as the table; giving a
    table as well is an error) and `pico.weight_thresholds` (each
    convolution's per-channel weight thresholds T, scale T / 128 over
    [-128, 127], or picosam's own max|w| / 127 when T is 128 max|w| / 127
    in f32); both are removed once used.

    `float-layers` names ops (by any name in their location) to keep in
    float; the pass then prints what that costs (weights, MACs and the
    quantize/dequantize ops it adds) on stderr. Missing or unusable table
    entries are errors at the op that needs them.
  }];
  let options = [
    Option<"table", "table", "std::string", /*default=*/"\"\"",
           "The calibration table file (docs/quantization.md); none for a "
           "module carrying pico.calibration">,
    Option<"profile", "profile", "std::string", /*default=*/"\"\"",
           "cpu: any real scale, zero points; imx500: power-of-two "
           "thresholds, symmetric, unsigned after ReLU-like ops (default: "
           "the module's #pico.target's, cpu without one)">,
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

#endif // PICOSAM_QUANTIZATION_PASSES_TD
