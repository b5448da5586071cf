// The integer constants of quantized ops, checked against values computed
// by hand from docs/quantization.md: real = multiplier * 2^(shift - 31),
// multiplier = round(frexp mantissa * 2^31).
// RUN: picosam-opt %s --pico-print-requantization -o /dev/null 2>&1 | FileCheck %s

!qin = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8:f32:0, {0.25, 0.0625}>
!qb = !quant.uniform<i32:f32:0, {0.125, 0.03125}>
!qout = !quant.uniform<i8:f32, 0.1:10>

// 0.5 * 0.25 / 0.1 = 1.25 = 0.625 * 2^1 and 0.625 * 2^31 = 1342177280;
// 0.5 * 0.0625 / 0.1 = 0.3125 = 0.625 * 2^-1. relu clamps at the zero point.
// CHECK:      pico.conv2d 'pointwise': input zero point -3, output zero point 10, clamp [10, 127]
// CHECK-NEXT:   channel 0: weight scale 0.25, real 1.25 -> multiplier 1342177280, shift 1
// CHECK-NEXT:   channel 1: weight scale 0.0625, real 0.3125 -> multiplier 1342177280, shift -1
func.func @pointwise(%x: tensor<1x3x2x2x!qin>) -> tensor<1x2x2x2x!qout> {
  %w = pico.constant dense<[[[[1]], [[2]], [[3]]], [[[-4]], [[5]], [[-6]]]]> : tensor<2x3x1x1xi8> -> tensor<2x3x1x1x!qw>
  %b = pico.constant dense<[10, -20]> : tensor<2xi32> -> tensor<2x!qb>
  %y = pico.conv2d %x, %w, %b {activation = #pico.act<relu>} : (tensor<1x3x2x2x!qin>, tensor<2x3x1x1x!qw>, tensor<2x!qb>) -> tensor<1x2x2x2x!qout> loc("pointwise")
  return %y : tensor<1x2x2x2x!qout>
}

// 0.03 * 0.007 / 0.05 = 0.0042 = 0.5376 * 2^-7; 0.5376 * 2^31 =
// 1154487209.16. A per-tensor weight scale serves every channel. ReLU6 on
// an output of scale 0.05 and zero point -128: [-128, 6 / 0.05 - 128].
// CHECK:      pico.conv2d 'depthwise': input zero point 0, output zero point -128, clamp [-128, -8]
// CHECK-NEXT:   channel 0: weight scale 0.007, real 0.0042 -> multiplier 1154487209, shift -7
// CHECK-NEXT:   channel 1: weight scale 0.007, real 0.0042 -> multiplier 1154487209, shift -7
func.func @depthwise(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.03>>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.05:-128>> {
  %w = pico.constant dense<1> : tensor<2x1x3x3xi8> -> tensor<2x1x3x3x!quant.uniform<i8:f32, 0.007>>
  %y = pico.conv2d %x, %w {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, activation = #pico.act<clip, min = 0.0, max = 6.0>} : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.03>>, tensor<2x1x3x3x!quant.uniform<i8:f32, 0.007>>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.05:-128>> loc("depthwise")
  return %y : tensor<1x2x4x4x!quant.uniform<i8:f32, 0.05:-128>>
}

// A residual joins the accumulator (scale 0.5 * 0.25 = 0.125) with
// multiplier 0.1 / 0.125 = 0.8; 0.8 * 2^31 = 1717986918.4. The output's is
// 0.125 / 0.2 = 0.625.
// CHECK:      pico.conv2d 'residual': input zero point 0, output zero point 0, residual zero point 1, clamp [-128, 127]
// CHECK-NEXT:   channel 0: weight scale 0.25, real 0.625 -> multiplier 1342177280, shift 0
// CHECK-NEXT:     residual: real 0.8 -> multiplier 1717986918, shift 0
func.func @residual(%x: tensor<1x1x1x2x!quant.uniform<i8:f32, 0.5>>, %r: tensor<1x1x2x4x!quant.uniform<i8:f32, 0.1:1>>) -> tensor<1x1x2x4x!quant.uniform<i8:f32, 0.2>> {
  %w = pico.constant dense<2> : tensor<1x1x1x1xi8> -> tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25>>
  %y = pico.conv2d %x, %w residual %r {input_upsample = 2 : i64} : (tensor<1x1x1x2x!quant.uniform<i8:f32, 0.5>>, tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25>>, tensor<1x1x2x4x!quant.uniform<i8:f32, 0.1:1>>) -> tensor<1x1x2x4x!quant.uniform<i8:f32, 0.2>> loc("residual")
  return %y : tensor<1x1x2x4x!quant.uniform<i8:f32, 0.2>>
}

// twice the larger input scale is 1.0: lhs 0.5 / 1.0 = 0.5 * 2^0,
// rhs 0.25 / 1.0 = 0.5 * 2^-1, output 1.0 / (2^20 * 1.0) = 0.5 * 2^-19.
// CHECK:      pico.add 'add': zero points lhs 0, rhs 5, output -2, input left shift 20, clamp [-128, 127]
// CHECK-NEXT:   lhs: real 0.5 -> multiplier 1073741824, shift 0
// CHECK-NEXT:   rhs: real 0.25 -> multiplier 1073741824, shift -1
// CHECK-NEXT:   output: real 9.53674316e-07 -> multiplier 1073741824, shift -19
// mul: 0.5 * 0.25 / 0.1 = 1.25.
// CHECK:      pico.mul 'mul': zero points lhs 0, rhs 5, output 10, clamp [-128, 127]
// CHECK-NEXT:   product: real 1.25 -> multiplier 1342177280, shift 1
func.func @binary(%a: tensor<4x!quant.uniform<i8:f32, 0.5>>, %b: tensor<4x!quant.uniform<i8:f32, 0.25:5>>) -> (tensor<4x!quant.uniform<i8:f32, 1.0:-2>>, tensor<4x!quant.uniform<i8:f32, 0.1:10>>) {
  %s = pico.add %a, %b : tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i8:f32, 0.25:5>> -> tensor<4x!quant.uniform<i8:f32, 1.0:-2>> loc("add")
  %p = pico.mul %a, %b : tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i8:f32, 0.25:5>> -> tensor<4x!quant.uniform<i8:f32, 0.1:10>> loc("mul")
  return %s, %p : tensor<4x!quant.uniform<i8:f32, 1.0:-2>>, tensor<4x!quant.uniform<i8:f32, 0.1:10>>
}

// Mean of 36: 0.1 / (36 * 0.05) = 1/18 = 0.888... * 2^-4, 2^31 * 8/9 =
// 1908874353.8. The sigmoid table: sigmoid(q / 16) * 256, rounded; -128
// gives sigmoid(-8) * 256 = 0.09 -> 0, 0 gives 128, 16 gives 187.15 -> 187,
// 127 gives 255.9, clamped to 255. A resize keeping its input's type is
// the identity.
// CHECK:      pico.global_avg_pool 'gap': zero points input 3, output -1
// CHECK-NEXT:   sum of 36: real 0.0555555556 -> multiplier 1908874354, shift -4
// CHECK:      pico.sigmoid 'sigmoid': table for inputs [-128, 127]: 0 0 0
// CHECK-SAME: {{(( [0-9]+){125})}} 128 {{(([0-9]+ ){15})}}187 {{(([0-9]+ ){110})}}255{{$}}
// CHECK:      pico.resize 'up': rescale per input
// CHECK-NEXT:   input 0: identity
// channel_attention: the mean of 2 at 0.5 / (2 * 0.5) = 0.5, the logits at
// 0.5 * 0.25 / 0.0625 = 2 = 0.5 * 2^2, the gated output at 0.5 / 256 / 0.5
// = 2^-8 = 0.5 * 2^-7; the gate table is sigmoid(q / 16) * 256.
// CHECK:      pico.channel_attention 'attention': zero points input 0, mean 0, logits 0, output 0
// CHECK-NEXT:   mean of 2: real 0.5 -> multiplier 1073741824, shift 0
// CHECK-NEXT:   logits channel 0: weight scale 0.25, real 2 -> multiplier 1073741824, shift 2
// CHECK-NEXT:   logits channel 1: weight scale 0.25, real 2 -> multiplier 1073741824, shift 2
// CHECK-NEXT:   gated output: real 0.00390625 -> multiplier 1073741824, shift -7
// CHECK-NEXT:   gate table for logits [-128, 127]: 0 0 0
// CHECK-SAME: {{(( [0-9]+){125})}} 128 {{(([0-9]+ ){15})}}187 {{(([0-9]+ ){110})}}255{{$}}
// CHECK-NOT:  pico.
func.func @others(%x: tensor<1x2x6x6x!quant.uniform<u8:f32, 0.1:3>>, %y: tensor<1x2x3x3x!quant.uniform<i8:f32, 0.0625>>) -> (tensor<1x2x1x1x!quant.uniform<i8:f32, 0.05:-1>>, tensor<1x2x3x3x!quant.uniform<u8:f32, 0.00390625>>, tensor<1x2x6x6x!quant.uniform<i8:f32, 0.0625>>) {
  %g = pico.global_avg_pool %x : tensor<1x2x6x6x!quant.uniform<u8:f32, 0.1:3>> -> tensor<1x2x1x1x!quant.uniform<i8:f32, 0.05:-1>> loc("gap")
  %s = pico.sigmoid %y : tensor<1x2x3x3x!quant.uniform<i8:f32, 0.0625>> -> tensor<1x2x3x3x!quant.uniform<u8:f32, 0.00390625>> loc("sigmoid")
  %u = pico.resize %y {mode = #pico<resize_mode nearest>, coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x2x3x3x!quant.uniform<i8:f32, 0.0625>> -> tensor<1x2x6x6x!quant.uniform<i8:f32, 0.0625>> loc("up")
  return %g, %s, %u : tensor<1x2x1x1x!quant.uniform<i8:f32, 0.05:-1>>, tensor<1x2x3x3x!quant.uniform<u8:f32, 0.00390625>>, tensor<1x2x6x6x!quant.uniform<i8:f32, 0.0625>>
}

func.func @attention(%x: tensor<1x2x1x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x1x2x!quant.uniform<i8:f32, 0.5>> {
  %w = pico.constant dense<[[[[2]], [[0]]], [[[0]], [[-2]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>>
  %y = pico.channel_attention %x, %w {mean_type = !quant.uniform<i8:f32, 0.5>, logits_type = !quant.uniform<i8:f32, 0.0625>} : (tensor<1x2x1x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x2x1x2x!quant.uniform<i8:f32, 0.5>> loc("attention")
  return %y : tensor<1x2x1x2x!quant.uniform<i8:f32, 0.5>>
}

// A transposed convolution requantizes by conv2d's rules (no residual):
// the same multipliers as 'pointwise' above.
// CHECK:      pico.conv_transpose2d 'up': input zero point -3, output zero point 10, clamp [-128, 127]
// CHECK-NEXT:   channel 0: weight scale 0.25, real 1.25 -> multiplier 1342177280, shift 1
// CHECK-NEXT:   channel 1: weight scale 0.0625, real 0.3125 -> multiplier 1342177280, shift -1
func.func @conv_transpose(%x: tensor<1x3x2x2x!qin>) -> tensor<1x2x4x4x!qout> {
  %w = pico.constant dense<1> : tensor<2x3x2x2xi8> -> tensor<2x3x2x2x!qw>
  %b = pico.constant dense<[10, -20]> : tensor<2xi32> -> tensor<2x!qb>
  %y = pico.conv_transpose2d %x, %w, %b {strides = array<i64: 2, 2>} : (tensor<1x3x2x2x!qin>, tensor<2x3x2x2x!qw>, tensor<2x!qb>) -> tensor<1x2x4x4x!qout> loc("up")
  return %y : tensor<1x2x4x4x!qout>
}
