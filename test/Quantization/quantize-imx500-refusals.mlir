// The imx500 profile quantizes every op or fails: each op without integer
// semantics is an error naming it and why (a softmax, a linear resize, a
// convolution whose weights are not a constant), where the cpu profile keeps
// them in float with a note. An activation fused into an op must be named
// apart in the op's location to be split off into its table op, and the
// value before it needs its own calibration entry.
// RUN: rm -rf %t && split-file %s %t
// RUN: picosam-opt %t/float.mlir --pico-quantize="table=%t/table.txt profile=imx500" --verify-diagnostics -o /dev/null
// An imx500 target (picosam-compile --target=imx500) quantizes as the profile does.
// RUN: picosam-opt %t/float.mlir --pico-set-target=target=imx500 --pico-quantize="table=%t/table.txt" --verify-diagnostics -o /dev/null
// RUN: picosam-opt %t/float.mlir --pico-quantize="table=%t/table.txt profile=cpu" -o /dev/null 2>&1 | FileCheck %s --check-prefix=CPU
// RUN: picosam-opt %t/unnamed.mlir --pico-quantize="table=%t/table.txt profile=cpu" --verify-diagnostics -o /dev/null
// RUN: picosam-opt %t/unnamed.mlir --pico-quantize="table=%t/table.txt profile=imx500" --verify-diagnostics -o /dev/null
// RUN: picosam-opt %t/uncalibrated.mlir --pico-quantize="table=%t/table.txt profile=imx500" --verify-diagnostics -o /dev/null

// CPU: pico-quantize: kept in f32 (no integer semantics): soft, up, conv_w

//--- table.txt
x -1 3 3
soft 0 1 1
up -1 3 3
conv_w -4 4 4
conv -2 5 5
act -0.4 5 5

//--- float.mlir
func.func @main(%x: tensor<1x2x4x4xf32> loc("x"), %w: tensor<2x2x1x1xf32> loc("w")) -> (tensor<1x2x4x4xf32>, tensor<1x2x8x8xf32>, tensor<1x2x4x4xf32>) {
  // expected-error @unknown {{'pico.softmax' op 'soft' cannot be quantized: it has no integer semantics (docs/quantization.md); the imx500 profile computes every op in integers (float-layers keeps an op in float on purpose, which the IMX500 cannot run)}}
  %s = pico.softmax %x {axis = 1 : i64} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32> loc("soft")
  // expected-error @unknown {{'pico.resize' op 'up' cannot be quantized: only a nearest resize has integer semantics, and this one is linear;}}
  %u = pico.resize %x {mode = #pico<resize_mode linear>, coordinate_transformation_mode = #pico<coordinate_transform_mode half_pixel>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x2x4x4xf32> -> tensor<1x2x8x8xf32> loc("up")
  // expected-error @unknown {{'pico.conv2d' op 'conv_w' cannot be quantized: its weights are not a constant;}}
  %c = pico.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32> loc("conv_w")
  return %s, %u, %c : tensor<1x2x4x4xf32>, tensor<1x2x8x8xf32>, tensor<1x2x4x4xf32>
}

//--- unnamed.mlir
func.func @main(%x: tensor<1x2x4x4xf32> loc("x")) -> tensor<1x2x4x4xf32> {
  %w = pico.constant dense<1.0> : tensor<2x2x1x1xf32>
  // expected-error @unknown {{'pico.conv2d' op fuses hard_swish, which quantizes as a table op of its own, but its location does not name the activation's node apart (a fused location, as fusion writes it): the value before the activation has no name to calibrate it by}}
  %c = pico.conv2d %x, %w {activation = #pico.act<hard_swish>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32> loc("conv")
  return %c : tensor<1x2x4x4xf32>
}

//--- uncalibrated.mlir
func.func @main(%x: tensor<1x2x4x4xf32> loc("x")) -> tensor<1x2x4x4xf32> {
  %w = pico.constant dense<1.0> : tensor<2x2x1x1xf32>
  // expected-error @unknown {{'pico.conv2d' op no calibration entry for 'conv_hs' in '}}
  %c = pico.conv2d %x, %w {activation = #pico.act<hard_swish>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32> loc(fused["conv_hs", "act"])
  return %c : tensor<1x2x4x4xf32>
}
