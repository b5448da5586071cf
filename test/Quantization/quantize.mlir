// pico-quantize: activation types from the calibration table under both
// profiles, weights symmetric per output channel, biases at the
// accumulator's scale, fixed sigmoid outputs, quantization-preserving
// resize, float boundaries; the values are computed by hand from
// docs/quantization.md.
// RUN: rm -rf %t && split-file %s %t
// RUN: picosam-opt %t/model.mlir --pico-quantize="table=%t/table.txt" | FileCheck %s --check-prefix=CPU
// RUN: picosam-opt %t/model.mlir --pico-quantize="table=%t/table.txt profile=imx500" | FileCheck %s --check-prefix=IMX
// The profile of the module's target: an imx500 target quantizes as
// profile=imx500 does, with or without that (agreeing) option.
// RUN: picosam-opt %t/model.mlir --pico-set-target=target=imx500 --pico-quantize="table=%t/table.txt" | FileCheck %s --check-prefix=IMX
// RUN: picosam-opt %t/model.mlir --pico-set-target=target=imx500 --pico-quantize="table=%t/table.txt profile=imx500" | FileCheck %s --check-prefix=IMX
// RUN: picosam-opt %t/model.mlir --pico-set-target=target=cpu --pico-quantize="table=%t/table.txt" | FileCheck %s --check-prefix=CPU
// RUN: picosam-opt %t/model.mlir --pico-quantize="table=%t/table.txt float-layers=add" -o %t/fallback.mlir 2>&1 | FileCheck %s --check-prefix=COST
// RUN: FileCheck %s --check-prefix=FALLBACK < %t/fallback.mlir

//--- table.txt
# name min max threshold
x -1 3 3
relu 0 6 4
add -3 5 5

//--- model.mlir
func.func @main(%x: tensor<1x2x4x4xf32> loc("x")) -> tensor<1x2x8x8xf32> {
  %w = pico.constant dense<[[[[0.5]], [[-1.0]]], [[[0.25]], [[2.0]]]]> : tensor<2x2x1x1xf32>
  %b = pico.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %c = pico.conv2d %x, %w, %b {activation = #pico.act<relu>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32> loc(fused["conv", "relu"])
  %a = pico.add %c, %x : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32> loc("add")
  %s = pico.sigmoid %a : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32> loc("sigmoid")
  %u = pico.resize %s {mode = #pico<resize_mode nearest>, coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x2x4x4xf32> -> tensor<1x2x8x8xf32> loc("up")
  return %u : tensor<1x2x8x8xf32>
}

// cpu: x in [-1, 3]: scale 4/255, zero point round(-128 + 1 / (4/255)) =
// round(-64.25) = -64. relu (the fused conv's last name) in [0, 4]: 4/255,
// -128. Weights: channel scales max|w| / 127 = 1/127 and 2/127, values
// 0.5 * 127 = 63.5 -> 64 (half to even), -127; 0.25 * 63.5 = 15.875 -> 16,
// 127. Biases at (4/255) * (1/127): 0.1 -> 809.625 -> 810, -0.2 -> -810.
// add in [-3, 5]: 8/255, round(-128 + 95.625) = -32. The sigmoid's result
// is fixed (1/256, -128) and the resize keeps it.
// CPU:       %[[QX:.*]] = pico.quantize %arg0 {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0156862745{{[0-9]*}}:-64>>
// CPU-DAG:   %[[W:.*]] = pico.constant dense<{{\[\[\[\[}}64]], {{\[\[}}-127]]], {{\[\[\[}}16]], {{\[\[}}127]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.0078740157480314{{[0-9]*}},0.015748031496062{{[0-9]*}}}>>
// CPU-DAG:   %[[B:.*]] = pico.constant dense<[810, -810]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {1.2351397251814{{[0-9]*}}E-4,2.4702794503628{{[0-9]*}}E-4}>>
// CPU:       %[[C:.*]] = pico.conv2d %[[QX]], %[[W]], %[[B]] {activation = #pico.act<relu>} {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0156862745{{[0-9]*}}:-128>>
// CPU:       %[[A:.*]] = pico.add %[[C]], %[[QX]] {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0313725490{{[0-9]*}}:-32>>
// CPU:       %[[S:.*]] = pico.sigmoid %[[A]] {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, 3.906250e-03:-128>>
// CPU:       %[[U:.*]] = pico.resize %[[S]] {{.*}} -> tensor<1x2x8x8x!quant.uniform<i8:f32, 3.906250e-03:-128>>
// CPU:       %[[D:.*]] = pico.dequantize %[[U]] {{.*}} -> tensor<1x2x8x8xf32>
// CPU:       return %[[D]]

// imx500: thresholds round up to powers of two; x (min < 0): 4 / 128;
// relu (min >= 0): u8 4 / 256; add: 8 / 128; sigmoid: u8 1/256.
// IMX:       pico.quantize %arg0 {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, 3.125000e-02>>
// IMX:       pico.conv2d {{.*}} -> tensor<1x2x4x4x!quant.uniform<u8:f32, 1.562500e-02>>
// IMX:       pico.add {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, 6.250000e-02>>
// IMX:       pico.sigmoid {{.*}} -> tensor<1x2x4x4x!quant.uniform<u8:f32, 3.906250e-03>>

// float-layers=add: the add reads the conv's result dequantized and the
// float input as it is, and its result is quantized again for the sigmoid
// (from its own table entry).
// COST:      pico-quantize: float fallback for 1 op: add
// COST-NEXT:   weights kept in f32: 0 elements, 0 bytes (0 more than int8)
// COST-NEXT:   MACs in f32: 0 of 64 (0.0 %)
// COST-NEXT:   quantize/dequantize ops at the float boundaries: 2
// FALLBACK:  %[[C:.*]] = pico.conv2d
// FALLBACK:  %[[DC:.*]] = pico.dequantize %[[C]]
// FALLBACK:  %[[A:.*]] = pico.add %[[DC]], %arg0 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
// FALLBACK:  %[[QA:.*]] = pico.quantize %[[A]] {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0313725490{{[0-9]*}}:-32>>
// FALLBACK:  pico.sigmoid %[[QA]]
