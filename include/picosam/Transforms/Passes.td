//===- Passes.td - picosam passes --------------------------*- tablegen -*-===//
#ifndef PICOSAM_TRANSFORMS_PASSES_TD
#define PICOSAM_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ModelSummary : Pass<"pico-model-summary", "mlir::ModuleOp"> {
  let summary = "Print a summary of each function: signature, ops, weights, MACs";
  let description = [{
    Prints, for every `func.func` of pico ops: its inputs and outputs with
    their names and shapes, the number of ops of each kind, the number of
    constant (weight) elements and their bytes, and the multiply-accumulates
    of convolutions and matrix products. The IR is left unchanged. The
    summary goes to stderr, like upstream's `--print-op-stats`, so it never
    mixes with the IR on stdout.
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

#endif // PICOSAM_TRANSFORMS_PASSES_TD
