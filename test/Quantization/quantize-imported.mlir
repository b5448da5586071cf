// pico-quantize with the thresholds of a model quantized elsewhere (an
// MCTQ model's quantizer nodes, as the importer sets them): the module's
// pico.calibration replaces the calibration table, its
// pico.weight_thresholds give each convolution's weight scales. A channel's
// scale is MCT's T / 128 over [-128, 127], except when T is picosam's own
// 128 max|w| / 127 rounded to f32 (what --emit=mctq-onnx writes), which is
// read back as max|w| / 127 exactly. Both attributes are gone afterwards.
// RUN: rm -rf %t && split-file %s %t
// RUN: picosam-opt %t/model.mlir --pico-set-target=target=imx500 --pico-quantize | FileCheck %s
// RUN: not picosam-opt %t/count.mlir --pico-quantize 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not picosam-opt %t/missing.mlir --pico-quantize 2>&1 | FileCheck %s --check-prefix=MISSING

//--- model.mlir
module attributes {pico.calibration = {x = array<f32: -2.0, 2.0, 2.0>, relu = array<f32: 0.0, 4.0, 4.0>},
                   pico.weight_thresholds = {conv = array<f32: 1.0, 2.015748>}} {
  func.func @main(%x: tensor<1x2x4x4xf32> loc("x")) -> tensor<1x2x4x4xf32> {
    %w = pico.constant dense<[[[[0.5]], [[-1.0]]], [[[0.25]], [[2.0]]]]> : tensor<2x2x1x1xf32>
    %c = pico.conv2d %x, %w {activation = #pico.act<relu>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32> loc(fused["conv", "relu"])
    return %c : tensor<1x2x4x4xf32>
  }
}

// x: signed, 2 / 128; relu: unsigned, 4 / 256. Channel 0: T = 1, scale
// 1/128, 0.5 -> 64, -1.0 -> -128 (MCT's range). Channel 1: T = 2.015748 =
// f32(128 * 2/127), scale 2/127, 0.25 -> 15.875 -> 16, 2.0 -> 127.
// CHECK:     module attributes {pico.target = #pico.target<imx500, budget = 8388480, reserved = 1024>} {
// CHECK:     pico.quantize %arg0 {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, 1.562500e-02>>
// CHECK:     pico.constant dense<{{\[\[\[\[}}64]], {{\[\[}}-128]]], {{\[\[\[}}16]], {{\[\[}}127]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8:f32:0, {7.812500e-03,0.015748031496062{{[0-9]*}}}>>
// CHECK:     pico.conv2d {{.*}} -> tensor<1x2x4x4x!quant.uniform<u8:f32, 1.562500e-02>>

//--- count.mlir
module attributes {pico.calibration = {x = array<f32: -2.0, 2.0, 2.0>, relu = array<f32: 0.0, 4.0, 4.0>},
                   pico.weight_thresholds = {conv = array<f32: 1.0>}} {
  func.func @main(%x: tensor<1x2x4x4xf32> loc("x")) -> tensor<1x2x4x4xf32> {
    %w = pico.constant dense<1.0> : tensor<2x2x1x1xf32>
    %c = pico.conv2d %x, %w {activation = #pico.act<relu>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32> loc(fused["conv", "relu"])
    return %c : tensor<1x2x4x4xf32>
  }
}
// COUNT: error: {{.*}}'pico.conv2d' op the weight quantizer of 'conv' has 1 threshold for 2 output channels

//--- missing.mlir
module attributes {pico.calibration = {x = array<f32: -2.0, 2.0, 2.0>, relu = array<f32: 0.0, 4.0, 4.0>},
                   pico.weight_thresholds = {other = array<f32: 1.0, 1.0>}} {
  func.func @main(%x: tensor<1x2x4x4xf32> loc("x")) -> tensor<1x2x4x4xf32> {
    %w = pico.constant dense<1.0> : tensor<2x2x1x1xf32>
    %c = pico.conv2d %x, %w {activation = #pico.act<relu>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32> loc(fused["conv", "relu"])
    return %c : tensor<1x2x4x4xf32>
  }
}
// MISSING: error: {{.*}}'pico.conv2d' op the model's quantizers give no weight thresholds for 'conv+relu': its Conv weights have no WeightsSymmetricQuantizer or WeightsPOTQuantizer
