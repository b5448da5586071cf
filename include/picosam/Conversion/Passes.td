//===- Passes.td - conversions of planned pico IR -----------*- tablegen -*-===//
//
// From planned pico IR towards the backends (lib/Conversion).
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_CONVERSION_PASSES_TD
#define PICOSAM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def MaterializeArena : Pass<"pico-materialize-arena", "mlir::func::FuncOp"> {
  let summary = "Run a planned function over one arena buffer its caller owns";
  let description = [{
    Rewrites a function planned by `--pico-plan-memory` (after checking
    its plan with `--pico-verify-memory-plan`) so that every activation
    lives where the plan put it, in one `memref<arena x i8>` argument
    marked `pico.arena` (the caller owns the memory; nothing is
    allocated):

    - each planned buffer is a `memref.view` of the arena at its offset,
      of the tensor's shape (a ring: its `rows` rows) and storage element
      type (a quantized type's storage integer), named by the tensor's
      location;
    - the function's tensor arguments are copied into their views first
      (`bufferization.materialize_in_destination`), its results read from
      theirs last (`bufferization.to_tensor`); constants stay constants;
    - every op still runs as the same pico op on tensors: it reads its
      operands with `bufferization.to_tensor` of their views (with
      `quant.scast` to the quantized type) just before it runs and writes
      its result into its view with `bufferization.materialize_in_destination`;
    - an untiled separable block runs as its two convolutions, the
      intermediate in its view;
    - a tiled block becomes loops over its output rows (`scf.for`, with
      static shapes: the rows whose window reaches the padding differently
      are peeled off and run on their own): each row's depthwise conv reads
      the input rows its window needs (`memref.subview`, or
      `tensor.extract_slice` of a constant) and writes its one row into
      the ring at slot `row mod rows`, where the pointwise conv reads it
      back and writes its row of the block's result; with an input
      upsample, the rows an input row pair gives are computed and the one
      needed kept (`tensor.extract_slice`);
    - a streamed block's pointwise row goes into its one-row ring, where
      the conv it streams into reads it as its residual row and writes its
      own row, in the same loop.

    Refuses, with an error at the function or op: a function without a
    plan, a plan that fails `--pico-verify-memory-plan` or whose buffers do
    not hold their tensors at their types' widths (a plan counting every
    element as `element_bytes`), an op with regions other than a separable
    block's, an op that is not a pico op, and a streamed conv that reads
    its input through an upsample. The form is what the CPU backend
    bufferizes and lowers; `picosam-run --planned` executes it.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::memref::MemRefDialect", "::mlir::quant::QuantDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect"
  ];
}

#endif // PICOSAM_CONVERSION_PASSES_TD
