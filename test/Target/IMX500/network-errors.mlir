// The IMX500 network file is written from planned, quantized IR only, with
// ops it has operators for; anything else is an error at the op, naming its
// ONNX node, and nothing is written. Ops located by a name only (as the
// importer locates them) are matched with @unknown.
// RUN: rm -rf %t && split-file %s %t
// RUN: picosam-translate --pico-to-imx500-network --verify-diagnostics %t/unsupported.mlir
// RUN: picosam-translate --pico-to-imx500-network --verify-diagnostics %t/float.mlir
// RUN: picosam-translate --pico-to-imx500-network --verify-diagnostics %t/unplanned.mlir
// RUN: picosam-translate --pico-to-imx500-network --verify-diagnostics %t/no-main.mlir
// RUN: picosam-translate --pico-to-imx500-network --verify-diagnostics %t/input.mlir
// RUN: not picosam-translate --pico-to-imx500-network %t/float.mlir -o %t/float.pimx 2>/dev/null
// RUN: not ls %t/float.pimx

//--- unsupported.mlir
func.func @main(%arg0: tensor<1x3x8x8xf32> {pico.buffer = #pico.buffer<offset = 0, size = 768, first = 0, last = 0>} loc("input")) -> tensor<1x3x8x8xf32> attributes {pico.memory_plan = #pico.memory_plan<arena = 960, lower_bound = 960, peak_step = 0, steps = 4, input_order_lower_bound = 960, weights = 9, alignment = 16, element_bytes = 0, tiled_blocks = 0>} {
  %0 = pico.constant dense<127> : tensor<3x3x1x1xi8> -> tensor<3x3x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.003937007874015748,0.003937007874015748,0.003937007874015748}>> loc("w")
  %1 = pico.quantize %arg0 {pico.buffer = #pico.buffer<offset = 768, size = 192, first = 0, last = 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x8x8x!quant.uniform<i8:f32, 1.562500e-02>> loc("input/quantize")
  %2 = pico.conv2d %1, %0 {pico.buffer = #pico.buffer<offset = 0, size = 192, first = 1, last = 2>} : (tensor<1x3x8x8x!quant.uniform<i8:f32, 1.562500e-02>>, tensor<3x3x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.003937007874015748,0.003937007874015748,0.003937007874015748}>>) -> tensor<1x3x8x8x!quant.uniform<i8:f32, 1.562500e-02>> loc("/conv/Conv")
  // expected-error @unknown {{node '/add/Add' (pico.add): the IMX500 network file has no operator for this op}}
  %3 = pico.add %2, %1 {pico.buffer = #pico.buffer<offset = 0, size = 192, first = 2, last = 3>} : tensor<1x3x8x8x!quant.uniform<i8:f32, 1.562500e-02>>, tensor<1x3x8x8x!quant.uniform<i8:f32, 1.562500e-02>> -> tensor<1x3x8x8x!quant.uniform<i8:f32, 3.125000e-02>> loc("/add/Add")
  %4 = pico.dequantize %3 {pico.buffer = #pico.buffer<offset = 192, size = 768, first = 3, last = 3>} : tensor<1x3x8x8x!quant.uniform<i8:f32, 3.125000e-02>> -> tensor<1x3x8x8xf32> loc("/add/Add/dequantize")
  return %4 : tensor<1x3x8x8xf32>
}

//--- float.mlir
func.func @main(%arg0: tensor<1x3x8x8xf32> {pico.buffer = #pico.buffer<offset = 0, size = 768, first = 0, last = 1>} loc("input")) -> tensor<1x3x8x8xf32> attributes {pico.memory_plan = #pico.memory_plan<arena = 1536, lower_bound = 1536, peak_step = 0, steps = 2, input_order_lower_bound = 1536, weights = 36, alignment = 16, element_bytes = 0, tiled_blocks = 0>} {
  %0 = pico.constant dense<5.000000e-01> : tensor<3x3x1x1xf32> loc("w")
  // expected-error @unknown {{node '/conv/Conv' (pico.conv2d): the IMX500 network computes with integers only; this op computes in 'f32' (quantize the graph: --calibration-data)}}
  %1 = pico.conv2d %arg0, %0 {pico.buffer = #pico.buffer<offset = 768, size = 768, first = 0, last = 1>} : (tensor<1x3x8x8xf32>, tensor<3x3x1x1xf32>) -> tensor<1x3x8x8xf32> loc("/conv/Conv")
  %2 = pico.add %1, %arg0 {pico.buffer = #pico.buffer<offset = 768, size = 768, first = 1, last = 1>} : tensor<1x3x8x8xf32>, tensor<1x3x8x8xf32> -> tensor<1x3x8x8xf32> loc("/add/Add")
  return %2 : tensor<1x3x8x8xf32>
}

//--- unplanned.mlir
// expected-error @below {{the IMX500 network needs a memory plan: plan the function first (--pico-plan-memory, picosam-compile --to=planned)}}
func.func @main(%arg0: tensor<1x3x8x8xf32> loc("input")) -> tensor<1x3x8x8xf32> {
  %0 = pico.quantize %arg0 : tensor<1x3x8x8xf32> -> tensor<1x3x8x8x!quant.uniform<i8:f32, 1.562500e-02>> loc("input/quantize")
  %1 = pico.dequantize %0 : tensor<1x3x8x8x!quant.uniform<i8:f32, 1.562500e-02>> -> tensor<1x3x8x8xf32> loc("input/dequantize")
  return %1 : tensor<1x3x8x8xf32>
}

//--- no-main.mlir
// expected-error @below {{the IMX500 network is @main, which does not exist}}
module {
  func.func @other() {
    return
  }
}

//--- input.mlir
func.func @main(%arg0: tensor<1x1x8x8xf32> {pico.buffer = #pico.buffer<offset = 0, size = 256, first = 0, last = 0>} loc("input")) -> tensor<1x1x8x8xf32> attributes {pico.memory_plan = #pico.memory_plan<arena = 320, lower_bound = 320, peak_step = 0, steps = 2, input_order_lower_bound = 320, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>} {
  // expected-error @unknown {{node 'input/quantize' (pico.quantize): the IMX500 network starts where the sensor's normalisation ends: a per-tensor quantize of a 3-channel NCHW input of the function}}
  %0 = pico.quantize %arg0 {pico.buffer = #pico.buffer<offset = 256, size = 64, first = 0, last = 1>} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8x!quant.uniform<i8:f32, 1.562500e-02>> loc("input/quantize")
  %1 = pico.dequantize %0 {pico.buffer = #pico.buffer<offset = 0, size = 256, first = 1, last = 1>} : tensor<1x1x8x8x!quant.uniform<i8:f32, 1.562500e-02>> -> tensor<1x1x8x8xf32> loc("input/dequantize")
  return %1 : tensor<1x1x8x8xf32>
}
