// pico-fold-qdq on hand-written QDQ patterns: a conv with a float bias and a
// relu, an add with a clip, a relu alone (a table op), and what stays float
// (what the integer semantics do not define: the verifier would refuse it).
// RUN: picosam-opt %s --pico-fold-qdq --split-input-file | FileCheck %s

!qx = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<u8:f32, 0.1>

// The bias (float, 1.0 and -0.3) is requantized at 0.5 * 0.25 = 0.125:
// 8 and -2.4 -> -2; the relu becomes the conv's activation, and the
// quantize's name the last of the op's names.
// CHECK-LABEL: func.func @conv_relu
// CHECK-DAG:   %[[W:.*]] = pico.constant dense<{{.*}}> : tensor<2x1x1x1xi8> -> tensor<2x1x1x1x!quant.uniform<i8:f32, 2.500000e-01>>
// CHECK-DAG:   %[[B:.*]] = pico.constant dense<[8, -2]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {1.250000e-01,1.250000e-01}>>
// CHECK:       %[[Y:.*]] = pico.conv2d %arg0, %[[W]], %[[B]] {activation = #pico.act<relu>} : (tensor<1x1x2x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>, {{.*}}) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK-NEXT:  return %[[Y]]
func.func @conv_relu(%x: tensor<1x1x2x2x!qx>) -> tensor<1x2x2x2x!qy> {
  %xf = pico.dequantize %x : tensor<1x1x2x2x!qx> -> tensor<1x1x2x2xf32>
  %wq = pico.constant dense<[[[[4]]], [[[-8]]]]> : tensor<2x1x1x1xi8> -> tensor<2x1x1x1x!qw>
  %w = pico.dequantize %wq : tensor<2x1x1x1x!qw> -> tensor<2x1x1x1xf32>
  %b = pico.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %c = pico.conv2d %xf, %w, %b : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %r = pico.relu %c : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xf32>
  %y = pico.quantize %r : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!qy>
  return %y : tensor<1x2x2x2x!qy>
}

// -----

// CHECK-LABEL: func.func @add_clip
// CHECK:       %[[S:.*]] = pico.add %arg0, %arg1 {activation = #pico.act<clip, min = 0.000000e+00, max = 6.000000e+00>} : tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<4x!quant.uniform<i8:f32, 2.500000e-01:5>> -> tensor<4x!quant.uniform<u8:f32, 2.500000e-02>>
// CHECK-NEXT:  %[[R:.*]] = pico.relu %[[S]] : tensor<4x!quant.uniform<u8:f32, 2.500000e-02>> -> tensor<4x!quant.uniform<u8:f32, 2.500000e-02>>
// CHECK-NEXT:  return %[[R]]
func.func @add_clip(%a: tensor<4x!quant.uniform<i8:f32, 0.5>>, %b: tensor<4x!quant.uniform<i8:f32, 0.25:5>>) -> tensor<4x!quant.uniform<u8:f32, 0.025>> {
  %af = pico.dequantize %a : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xf32>
  %bf = pico.dequantize %b : tensor<4x!quant.uniform<i8:f32, 0.25:5>> -> tensor<4xf32>
  %s = pico.add %af, %bf : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %c = pico.clip %s {min = 0.0 : f32, max = 6.0 : f32} : tensor<4xf32> -> tensor<4xf32>
  %q = pico.quantize %c : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.025>>
  %d = pico.dequantize %q : tensor<4x!quant.uniform<u8:f32, 0.025>> -> tensor<4xf32>
  %r = pico.relu %d : tensor<4xf32> -> tensor<4xf32>
  %y = pico.quantize %r : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.025>>
  return %y : tensor<4x!quant.uniform<u8:f32, 0.025>>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<u8:f32, 0.1>

// Asymmetric weights (zero point 3) have no integer convolution, and a
// float operand that is not dequantized keeps the op in float.
// CHECK-LABEL: func.func @stays_float
// CHECK:       pico.conv2d {{.*}} -> tensor<1x1x2x2xf32>
// CHECK:       pico.quantize
// CHECK:       pico.add {{.*}} -> tensor<4xf32>
// CHECK:       pico.quantize
func.func @stays_float(%x: tensor<1x1x2x2x!qx>, %f: tensor<4xf32>, %a: tensor<4x!qx>) -> (tensor<1x1x2x2x!qy>, tensor<4x!qy>) {
  %xf = pico.dequantize %x : tensor<1x1x2x2x!qx> -> tensor<1x1x2x2xf32>
  %wq = pico.constant dense<4> : tensor<1x1x1x1xi8> -> tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25:3>>
  %w = pico.dequantize %wq : tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25:3>> -> tensor<1x1x1x1xf32>
  %c = pico.conv2d %xf, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %y = pico.quantize %c : tensor<1x1x2x2xf32> -> tensor<1x1x2x2x!qy>
  %af = pico.dequantize %a : tensor<4x!qx> -> tensor<4xf32>
  %s = pico.add %af, %f : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %z = pico.quantize %s : tensor<4xf32> -> tensor<4x!qy>
  return %y, %z : tensor<1x1x2x2x!qy>, tensor<4x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-3>

// A reshape requantized to another scale is not a move of storage values,
// and a 16-bit result is no 8-bit activation: both stay in float.
// CHECK-LABEL: func.func @result_types
// CHECK:       pico.reshape {{.*}} -> tensor<4x1xf32>
// CHECK:       pico.quantize
// CHECK:       pico.relu {{.*}} -> tensor<1x4xf32>
// CHECK:       pico.quantize
func.func @result_types(%x: tensor<1x4x!qx>) -> (tensor<4x1x!quant.uniform<i8:f32, 0.25>>, tensor<1x4x!quant.uniform<i16:f32, 0.25>>) {
  %xf = pico.dequantize %x : tensor<1x4x!qx> -> tensor<1x4xf32>
  %r = pico.reshape %xf : tensor<1x4xf32> -> tensor<4x1xf32>
  %rq = pico.quantize %r : tensor<4x1xf32> -> tensor<4x1x!quant.uniform<i8:f32, 0.25>>
  %a = pico.relu %xf : tensor<1x4xf32> -> tensor<1x4xf32>
  %aq = pico.quantize %a : tensor<1x4xf32> -> tensor<1x4x!quant.uniform<i16:f32, 0.25>>
  return %rq, %aq : tensor<4x1x!quant.uniform<i8:f32, 0.25>>, tensor<1x4x!quant.uniform<i16:f32, 0.25>>
}
