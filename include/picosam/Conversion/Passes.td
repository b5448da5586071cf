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
      own row, in the same loop;
    - with `row-bands=N` (N > 1), a tiled block's rows are split into N
      bands, `scf.forall (%band) in (N)`: band i computes rows
      [height x i / N, height x (i + 1) / N) through the same loops,
      clipped to them, and through its own rings (`memref.view`s at an
      offset selected by the band: band 0's the planned ones, the others'
      at the lowest offset, aligned as the plan, where they overlap no
      buffer live at the block's step, past the planned arena when none
      is free, the arena argument growing by it). No band reads what
      another writes (the depthwise input is whole, the pointwise conv is
      1x1 and a streamed conv writes its own rows), so the bands may run
      at once; each output row is computed as without bands.

    Refuses, with an error at the function or op: a function without a
    plan, a plan that fails `--pico-verify-memory-plan` or whose buffers do
    not hold their tensors at their types' widths (a plan counting every
    element as `element_bytes`), an op with regions other than a separable
    block's, an op that is not a pico op, and a streamed conv that reads
    its input through an upsample. The form is what the CPU backend
    bufferizes and lowers; `picosam-run --planned` executes it.
  }];
  let options = [
    Option<"rowBands", "row-bands", "int64_t", /*default=*/"1",
           "Bands of rows each tiled block's rows are split into, each "
           "with its own rings (scf.forall)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::memref::MemRefDialect", "::mlir::quant::QuantDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect"
  ];
}

def LowerToKernelCalls : Pass<"pico-lower-to-kernel-calls", "mlir::ModuleOp"> {
  let summary = "Run a function materialised over its arena as calls of kernel entries";
  let description = [{
    Takes each function `--pico-materialize-arena` produced to upstream
    dialects only, in the form `--pico-cpu-lower-to-llvm` lowers:

    - the signature becomes `(input memrefs..., output memrefs..., arena)`
      with no results (in C, `void f(const float *in, float *out, void
      *arena)`): the inputs are copied into their views, the results out
      of theirs (`memref.copy`);
    - each `bufferization.to_tensor(view) -> pico op ->
      materialize_in_destination(view)` becomes a `func.call` of the op's
      kernel entry (include/picosam/Runtime/Ukernels.h) with a pointer to
      each operand's and the result's first element in the arena (the
      aligned arena pointer plus the view's byte offset, `index` values),
      to its weights (`memref.global` constants, `{alignment = 64}`, the
      constant's storage values in OIHW order, as the kernels read them)
      and to a constant descriptor (a `memref.global` of bytes): the op's
      geometry, the strides of its views, and its integer constants, which
      QuantizedArithmetic derives (the functions the interpreter uses);
    - a conv whose result is one row of it (`tensor.extract_slice`, a tiled
      block reading an upsampled input) computes that row only;
    - each conv descriptor carries `cpu-features`, the CPU features
      (include/picosam/Runtime/CpuFeatures.h's bits) of the CPU the code is
      compiled for: its entry runs no kernel built for more (0, the
      default: baseline x86-64 kernels only).

    Lowers pico.conv2d, pico.channel_attention, pico.quantize and
    pico.dequantize, on f32 and 8-bit quantized tensors. Refuses, with an
    error at the function or op (its location names the ONNX node): a
    function that is not materialised over its arena, an op without a
    lowering, an operand or result that does not lie in the arena the way
    the materialisation puts it.

    With `profile-hooks`, each kernel call is bracketed by calls of
    `picosam_profile_begin` and `picosam_profile_end`
    (include/picosam/Runtime/Profile.h) with a constant record of its op:
    the op's MACs and its name (its location's ONNX node names, joined with
    '+'), which the compiled program's `--profile` reports.
  }];
  let options = [
    Option<"profileHooks", "profile-hooks", "bool", /*default=*/"false",
           "Bracket each kernel call with the profiling hooks">,
    Option<"cpuFeatures", "cpu-features", "uint64_t", /*default=*/"0",
           "The CPU features of the target (CpuFeatures.h's mask) the conv "
           "entries may run kernels for">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def OutlineRowBands : Pass<"pico-outline-row-bands", "mlir::ModuleOp"> {
  let summary = "Run the bands of rows of tiled blocks on the thread pool";
  let description = [{
    Runs after `--pico-lower-to-kernel-calls`, on functions materialised
    with `--pico-materialize-arena{row-bands=N}`: each `scf.forall (%band)
    in (N)` (one static count, no outputs, at a function's top level)
    becomes

    - a private function `@<function>_bands(%addresses: memref<K x index>,
      %band: index)` holding the forall's body: the values the body reads
      from outside that are not constants (the arena's and the workspace's
      addresses) are loaded from `%addresses`, the constants and what they
      compute (descriptors' globals, offsets) made again inside;
    - a call of the runtime's `picosam_cpu_run_bands(N, @<function>_bands,
      %addresses)` (include/picosam/Runtime/Threads.h) where the forall
      was, the addresses stored first into a stack array (`memref.alloca`
      at the function's start; no heap).

    Every band function of a module has one type (K is the most addresses
    any band reads), so the runtime entry has one declaration. With the
    bare-pointer calling convention of `--pico-cpu-lower-to-llvm` the band
    function is `void (int64_t *addresses, int64_t band)`, which the
    runtime calls as `void (*)(void *, int64_t)`. Refuses, with an error
    at the forall, a forall of another form and one whose body reads a
    non-constant value other than an `index`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

#endif // PICOSAM_CONVERSION_PASSES_TD
