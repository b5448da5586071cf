// Integer semantics of quantized ops, on storage values, against results
// computed by hand from docs/quantization.md (MBQM = MultiplyByQuantizedMultiplier:
// a high multiply rounding ties up, then a shift rounding ties away from 0).
// RUN: rm -rf %t && mkdir %t
// RUN: picosam-run %s --entry=conv -o %t/conv.npy
// RUN: picosam-run %s --entry=conv_padding -o %t/conv_padding.npy
// RUN: picosam-run %s --entry=conv_residual_upsample -o %t/conv_residual.npy
// RUN: picosam-run %s --entry=binary -o %t/add.npy -o %t/mul.npy
// RUN: picosam-run %s --entry=tables -o %t/sigmoid.npy -o %t/relu.npy
// RUN: picosam-run %s --entry=pools -o %t/gap.npy -o %t/maxpool.npy
// RUN: picosam-run %s --entry=moves -o %t/resize.npy -o %t/concat.npy
// RUN: picosam-run %s --entry=channel_attention -o %t/attention.npy
// RUN: cd %t && %python %S/Inputs/npz_summary.py conv.npy conv_padding.npy conv_residual.npy add.npy mul.npy sigmoid.npy relu.npy gap.npy maxpool.npy resize.npy concat.npy attention.npy | FileCheck %s

!qin = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8:f32:0, {0.25, 0.0625}>
!qb = !quant.uniform<i32:f32:0, {0.125, 0.03125}>
!qout = !quant.uniform<i8:f32, 0.1:10>

// Multipliers 1.25 = {1342177280, 1} and 0.3125 = {1342177280, -1}.
// Channel 0 (weights 1 2 3, bias 10), x - zp at each position:
//   (0 0 5): 15 + 10 = 25 -> 31.25 -> 31, +10 = 41
//   (4 0 -125): -371 + 10 -> -451.25 -> -451, +10, saturates to -128
//   (8 3 10): 44 + 10 = 54 -> 67.5 -> 68 (tie up), +10 = 78
//   (130 13 0): 156 + 10 = 166 -> 207.5 -> 208, +10, saturates to 127
// Channel 1 (weights -4 5 -6, bias -20):
//   -50: high multiply -31.25 -> -31, shift -15.5 -> -16 (away), +10 = -6
//   714 -> 446 -> 223, +10 = 233 -> 127
//   -97: -60.625 -> -61, -30.5 -> -31, +10 = -21
//   -475 -> -297 -> -149, +10 = -139 -> -128
// CHECK: conv.npy int8 [1, 2, 2, 2] 41 -128 78 127 -6 127 -21 -128
func.func @conv() -> tensor<1x2x2x2x!qout> {
  %x = pico.constant dense<[[[[-3, 1], [5, 127]], [[-3, -3], [0, 10]], [[2, -128], [7, -3]]]]> : tensor<1x3x2x2xi8> -> tensor<1x3x2x2x!qin>
  %w = pico.constant dense<[[[[1]], [[2]], [[3]]], [[[-4]], [[5]], [[-6]]]]> : tensor<2x3x1x1xi8> -> tensor<2x3x1x1x!qw>
  %b = pico.constant dense<[10, -20]> : tensor<2xi32> -> tensor<2x!qb>
  %y = pico.conv2d %x, %w, %b : (tensor<1x3x2x2x!qin>, tensor<2x3x1x1x!qw>, tensor<2x!qb>) -> tensor<1x2x2x2x!qout>
  return %y : tensor<1x2x2x2x!qout>
}

// Padding is real 0, the input's zero point (100): a 3x3 box of ones over
// a 2x2 input padded by 1 sums x - 100 = 0 + 1 + 2 + 3 at every position.
// CHECK: conv_padding.npy int8 [1, 1, 2, 2] 6 6 6 6
func.func @conv_padding() -> tensor<1x1x2x2x!quant.uniform<i8:f32, 1.0>> {
  %x = pico.constant dense<[[[[100, 101], [102, 103]]]]> : tensor<1x1x2x2xi8> -> tensor<1x1x2x2x!quant.uniform<u8:f32, 1.0:100>>
  %w = pico.constant dense<1> : tensor<1x1x3x3xi8> -> tensor<1x1x3x3x!quant.uniform<i8:f32, 1.0>>
  %y = pico.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x2x2x!quant.uniform<u8:f32, 1.0:100>>, tensor<1x1x3x3x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<1x1x2x2x!quant.uniform<i8:f32, 1.0>>
}

// input_upsample 2 reads [3 3 -5 -5] twice; the weight 2 (scale 0.25)
// gives accumulators 6 6 -10 -10 at scale 0.125. The residual (scale 0.1,
// zero point 1) joins at that scale with multiplier 0.8 = {1717986918, 0}:
// r - 1 = 0 10 -10 30 5 0 0 0 -> 0 8 -8 24 4 0 0 0. The sums
// 6 14 -18 14 10 6 -10 -10 times 0.125 / 0.2 = 0.625 round to
// 3.75 -> 4, 8.75 -> 9, -11.25 -> -11, 9, 6.25 -> 6, 4, -6.25 -> -6, -6.
// CHECK: conv_residual.npy int8 [1, 1, 2, 4] 4 9 -11 9 6 4 -6 -6
func.func @conv_residual_upsample() -> tensor<1x1x2x4x!quant.uniform<i8:f32, 0.2>> {
  %x = pico.constant dense<[[[[3, -5]]]]> : tensor<1x1x1x2xi8> -> tensor<1x1x1x2x!quant.uniform<i8:f32, 0.5>>
  %w = pico.constant dense<2> : tensor<1x1x1x1xi8> -> tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25>>
  %r = pico.constant dense<[[[[1, 11, -9, 31], [6, 1, 1, 1]]]]> : tensor<1x1x2x4xi8> -> tensor<1x1x2x4x!quant.uniform<i8:f32, 0.1:1>>
  %y = pico.conv2d %x, %w residual %r {input_upsample = 2 : i64} : (tensor<1x1x1x2x!quant.uniform<i8:f32, 0.5>>, tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25>>, tensor<1x1x2x4x!quant.uniform<i8:f32, 0.1:1>>) -> tensor<1x1x2x4x!quant.uniform<i8:f32, 0.2>>
  return %y : tensor<1x1x2x4x!quant.uniform<i8:f32, 0.2>>
}

// add: lhs 0.5 x [10 -3 7 -9], rhs 0.25 x ([5 9 2 8] - 5) = 5, -0.5, 2.75,
// -3.75 in units of the output scale 1.0; the final shift rounds ties away
// from zero (-0.5 -> -1) and the zero point -2 is added: 3 -3 1 -6.
// mul: (lhs) x (rhs - 5) x 1.25 = 0, -15, -26.25 -> -26, -33.75 -> -34,
// plus the zero point 10.
// CHECK: add.npy int8 [4] 3 -3 1 -6
// CHECK: mul.npy int8 [4] 10 -5 -16 -24
func.func @binary() -> (tensor<4x!quant.uniform<i8:f32, 1.0:-2>>, tensor<4x!quant.uniform<i8:f32, 0.1:10>>) {
  %a = pico.constant dense<[10, -3, 7, -9]> : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %b = pico.constant dense<[5, 9, 2, 8]> : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 0.25:5>>
  %s = pico.add %a, %b : tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i8:f32, 0.25:5>> -> tensor<4x!quant.uniform<i8:f32, 1.0:-2>>
  %p = pico.mul %a, %b : tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i8:f32, 0.25:5>> -> tensor<4x!quant.uniform<i8:f32, 0.1:10>>
  return %s, %p : tensor<4x!quant.uniform<i8:f32, 1.0:-2>>, tensor<4x!quant.uniform<i8:f32, 0.1:10>>
}

// sigmoid(q / 16) * 256: q = 0, 16, -16, 127 give 128, 187.15, 68.85 and
// 255.9 (clamped to 255). relu from scale 0.5 zero point -3 to scale 0.5
// zero point 0 is max(0, q + 3).
// CHECK: sigmoid.npy uint8 [4] 128 187 69 255
// CHECK: relu.npy uint8 [4] 0 0 3 103
func.func @tables() -> (tensor<4x!quant.uniform<u8:f32, 0.00390625>>, tensor<4x!quant.uniform<u8:f32, 0.5>>) {
  %x = pico.constant dense<[0, 16, -16, 127]> : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 0.0625>>
  %s = pico.sigmoid %x : tensor<4x!quant.uniform<i8:f32, 0.0625>> -> tensor<4x!quant.uniform<u8:f32, 0.00390625>>
  %y = pico.constant dense<[-10, -3, 0, 100]> : tensor<4xi8> -> tensor<4x!qin>
  %r = pico.relu %y : tensor<4x!qin> -> tensor<4x!quant.uniform<u8:f32, 0.5>>
  return %s, %r : tensor<4x!quant.uniform<u8:f32, 0.00390625>>, tensor<4x!quant.uniform<u8:f32, 0.5>>
}

// Mean of six: sum of q - 3 = 274; multiplier 0.1 / (6 * 0.05) = 1/3 =
// {1431655765, -1}: 274 * 2/3 = 182.67 -> 183, then 91.5 -> 92 (TFLite's
// double rounding; 274 / 3 is 91.33), plus the zero point -1.
// max_pool compares storage values: 7.
// CHECK: gap.npy int8 [1, 1, 1, 1] 91
// CHECK: maxpool.npy int8 [1, 1, 1, 1] 7
func.func @pools() -> (tensor<1x1x1x1x!quant.uniform<i8:f32, 0.05:-1>>, tensor<1x1x1x1x!quant.uniform<i8:f32, 0.5>>) {
  %x = pico.constant dense<[[[[3, 4, 10], [20, 0, 255]]]]> : tensor<1x1x2x3xi8> -> tensor<1x1x2x3x!quant.uniform<u8:f32, 0.1:3>>
  %g = pico.global_avg_pool %x : tensor<1x1x2x3x!quant.uniform<u8:f32, 0.1:3>> -> tensor<1x1x1x1x!quant.uniform<i8:f32, 0.05:-1>>
  %y = pico.constant dense<[[[[1, -5], [7, 3]]]]> : tensor<1x1x2x2xi8> -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5>>
  %m = pico.max_pool %y {kernel_shape = array<i64: 2, 2>} : tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5>> -> tensor<1x1x1x1x!quant.uniform<i8:f32, 0.5>>
  return %g, %m : tensor<1x1x1x1x!quant.uniform<i8:f32, 0.05:-1>>, tensor<1x1x1x1x!quant.uniform<i8:f32, 0.5>>
}

// resize copies storage values, rescaled to the result's type: scale 0.5
// -> 0.25 doubles them, zero point 2 is added (1 2 3 -4 -> 4 6 8 -6).
// concat moves each input to the result's type: 0.25 -> 0.5 halves.
// CHECK: resize.npy int8 [1, 1, 4, 4] 4 4 6 6 4 4 6 6
// CHECK: concat.npy int8 [4] 1 2 2 -4
func.func @moves() -> (tensor<1x1x4x4x!quant.uniform<i8:f32, 0.25:2>>, tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  %x = pico.constant dense<[[[[1, 2], [3, -4]]]]> : tensor<1x1x2x2xi8> -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5>>
  %u = pico.resize %x {mode = #pico<resize_mode nearest>, coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5>> -> tensor<1x1x4x4x!quant.uniform<i8:f32, 0.25:2>>
  %a = pico.constant dense<[1, 2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  %b = pico.constant dense<[4, -8]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 0.25>>
  %c = pico.concat %a, %b {axis = 0 : i64} : (tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %u, %c : tensor<1x1x4x4x!quant.uniform<i8:f32, 0.25:2>>, tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// channel_attention, step by step: means (sum / 2 at multiplier 0.5 / (2 *
// 0.5) = 0.5): 10 -> 5, 0 -> 0; logits: 2 * 5 = 10 and 0 at multiplier
// 0.5 * 0.25 / 0.0625 = 2: 20 and 0; gates: sigmoid(20 / 16) * 256 =
// 198.99 -> 199, sigmoid(0) * 256 = 128; outputs (x - 0) * gate at 0.5 *
// (1/256) / 0.5 = 2^-8 = {2^30, -7}: 4 * 199 = 796 -> 398 -> 3.11 -> 3,
// 6 * 199 = 1194 -> 597 -> 4.66 -> 5, -2 * 128 -> -128 -> -1, 2 * 128 -> 1.
// CHECK: attention.npy int8 [1, 2, 1, 2] 3 5 -1 1
func.func @channel_attention() -> tensor<1x2x1x2x!quant.uniform<i8:f32, 0.5>> {
  %x = pico.constant dense<[[[[4, 6]], [[-2, 2]]]]> : tensor<1x2x1x2xi8> -> tensor<1x2x1x2x!quant.uniform<i8:f32, 0.5>>
  %w = pico.constant dense<[[[[2]], [[0]]], [[[0]], [[-2]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>>
  %y = pico.channel_attention %x, %w {mean_type = !quant.uniform<i8:f32, 0.5>, logits_type = !quant.uniform<i8:f32, 0.0625>} : (tensor<1x2x1x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x2x1x2x!quant.uniform<i8:f32, 0.5>>
  return %y : tensor<1x2x1x2x!quant.uniform<i8:f32, 0.5>>
}
