//===- Passes.td - the target, and the backends' passes -----*- tablegen -*-===//
//
// The `#pico.target` of a module (lib/Target) and the passes of each
// backend: the CPU backend's lowering to the LLVM dialect (lib/Target/CPU),
// the IMX500 checks and estimate (lib/Target/IMX500).
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_TARGET_PASSES_TD
#define PICOSAM_TARGET_PASSES_TD

include "mlir/Pass/PassBase.td"

def SetTarget : Pass<"pico-set-target", "mlir::ModuleOp"> {
  let summary = "Record the device a module is compiled for (#pico.target)";
  let description = [{
    Sets the module's `pico.target` attribute, replacing one it has:
    `#pico.target<cpu>` or `#pico.target<imx500, budget = 8388480,
    reserved = 1024>`. The passes that depend on the device read it rather
    than options of their own: `--pico-quantize` takes the target's
    quantization profile, `--pico-plan-memory` checks the plan against its
    budget. `budget` and `reserved` default to the device's (the IMX500's
    8,388,480 bytes with 1,024 reserved; no limit for the CPU); an invalid
    combination (a budget not above the reserved bytes) is an error.
  }];
  let options = [
    Option<"target", "target", "::picosam::pico::TargetKind",
           /*default=*/"::picosam::pico::TargetKind::Cpu",
           "The device: cpu or imx500",
           [{::llvm::cl::values(
               clEnumValN(::picosam::pico::TargetKind::Cpu, "cpu",
                          "native code for the host CPU"),
               clEnumValN(::picosam::pico::TargetKind::Imx500, "imx500",
                          "the Sony IMX500 sensor"))}]>,
    Option<"budget", "budget", "int64_t", /*default=*/"-1",
           "Bytes weights + arena + reserved must fit in (0: no limit; "
           "-1: the device's, 8388480 for imx500, none for cpu)">,
    Option<"reserved", "reserved", "int64_t", /*default=*/"-1",
           "Bytes the device reserves of the budget (-1: the device's, "
           "1024 for imx500, 0 for cpu)">
  ];
  let dependentDialects = ["::picosam::pico::PicoDialect"];
}

def CpuLowerToLLVM : Pass<"pico-cpu-lower-to-llvm", "mlir::ModuleOp"> {
  let summary = "Lower func/scf/memref/arith/vector/math (and linalg on "
                "memrefs) to the LLVM dialect, with a C calling convention";
  let description = [{
    Runs the CPU backend's conversion pipeline on the module:
    convert-linalg-to-loops, convert-vector-to-scf, expand-strided-metadata,
    lower-affine, convert-scf-to-cf, arith-expand, convert-math-to-llvm,
    convert-math-to-libm, convert-vector-to-llvm, finalize-memref-to-llvm,
    convert-arith-to-llvm, convert-ub-to-llvm, convert-cf-to-llvm,
    convert-func-to-llvm with the bare-pointer calling convention (a
    statically shaped memref argument is one pointer to its first element,
    so the entry function is callable from C), reconcile-unrealized-casts,
    then canonicalize and cse.
    Fails with an error at every op left outside the LLVM dialect.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

//===----------------------------------------------------------------------===//
// IMX500 (lib/Target/IMX500, docs/imx500.md)
//===----------------------------------------------------------------------===//

def CheckImx500 : Pass<"pico-check-imx500", "mlir::func::FuncOp"> {
  let summary = "Check that a function fits the Sony IMX500's operator and "
                "tensor limits";
  let description = [{
    Checks every rule of docs/imx500.md on an imported, fused or quantized
    function: the input image (4-D NCHW, batch 1, 1 or 3 channels, between
    `min-input-size` and `max-input-size` pixels a side), the outputs (at
    most `max-outputs` tensors of at most 16 dims, each below 65536), the
    operators the converter accepts and each one's limits (convolution
    strides, dilations, pads and depthwise kernels, pools, Gemm, Resize
    modes, Softmax), ops along the batch axis, unnamed nodes, the
    activations the IMX500 fuses into each producer, and in a quantized
    function the quantization the IMX500 computes with. Every violation is
    an error at its op naming the ONNX node, the op and the rule; a rule
    that is observed behaviour of Sony's converter rather than a published
    limit says so in a note. All violations are reported, then the pass
    fails. The IR is left unchanged.
  }];
  let options = [
    Option<"minInputSize", "min-input-size", "int64_t", /*default=*/"64",
           "Smallest input height and width the sensor delivers">,
    Option<"maxInputSize", "max-input-size", "int64_t", /*default=*/"640",
           "Largest input height and width the sensor delivers">,
    Option<"maxOutputs", "max-outputs", "int64_t", /*default=*/"16",
           "Most output tensors the IMX500 returns">
  ];
}

def EstimateImx500Latency : Pass<"pico-imx500-estimate", "mlir::ModuleOp"> {
  let summary = "Print an estimate of each layer's IMX500 latency";
  let description = [{
    Prints, for every `func.func`, an ESTIMATE of the IMX500 inference time
    from a per-layer cycle model (docs/imx500.md): for each layer its ONNX
    name, op, MACs, estimated cycles and microseconds, then the total. A
    layer with MACs runs at a calibrated fraction of the 2304-MAC array's
    peak (a depthwise convolution at `depthwise-efficiency` of the rate of
    a dense one); a layer without MACs moves `elements-per-cycle` elements
    per cycle; every layer costs `layer-overhead-cycles` more. The fraction
    (`mac-efficiency`) is calibrated, unless given, so that PicoSAM2
    (323,053,056 MACs) takes its measured 14.3 ms under the same options.
    Writes to stderr; the IR is left unchanged.
  }];
  let options = [
    Option<"depthwiseEfficiency", "depthwise-efficiency", "double",
           /*default=*/"0.125",
           "A depthwise convolution's MAC rate relative to a dense one's "
           "(assumed: 9 of 72 reduction lanes used by a 3x3 filter)">,
    Option<"elementsPerCycle", "elements-per-cycle", "double",
           /*default=*/"32",
           "Elements a layer without MACs (add, pool, resize, ...) "
           "processes per cycle (assumed: one 32-wide vector)">,
    Option<"layerOverheadCycles", "layer-overhead-cycles", "double",
           /*default=*/"1000",
           "Fixed cycles every layer costs (assumed)">,
    Option<"macEfficiency", "mac-efficiency", "double", /*default=*/"0",
           "The fraction of the peak a dense layer reaches; 0: calibrated so "
           "that PicoSAM2 takes 14.3 ms">
  ];
}

#endif // PICOSAM_TARGET_PASSES_TD
