//===- Passes.td - target passes ----------------------------*- tablegen -*-===//
//
// The passes of the compile targets (lib/Target/<target>/).
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_TARGET_PASSES_TD
#define PICOSAM_TARGET_PASSES_TD

include "mlir/Pass/PassBase.td"

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
