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

#endif // PICOSAM_TRANSFORMS_PASSES_TD
