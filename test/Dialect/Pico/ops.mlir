// Every pico op through the custom printer and parser, with attributes
// defaulted and given; the second run goes through the generic form first,
// so both forms must describe the same ops.
// RUN: picosam-opt %s | picosam-opt | FileCheck %s
// RUN: picosam-opt %s --mlir-print-op-generic | picosam-opt | FileCheck %s

// Float and integer constants print their value only; quantized ones hold
// their storage values and print the quantized result type after `->`.
// CHECK-LABEL: func.func @constants(
// CHECK-NEXT: %0 = pico.constant dense<[1.000000e+00, -2.500000e+00]> : tensor<2xf32>
// CHECK-NEXT: %1 = pico.constant dense<[1, 2, 3, 4]> : tensor<4xi8>
// CHECK-NEXT: %2 = pico.constant dense<[1, 2, 3, 4]> : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK-NEXT: %3 = pico.constant dense<7> : tensor<2x3xi8> -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-01,2.000000e-01}>>
// CHECK-NEXT: return %0, %1, %2, %3 : tensor<2xf32>, tensor<4xi8>, tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-01,2.000000e-01}>>
func.func @constants() -> (tensor<2xf32>, tensor<4xi8>, tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-01,2.000000e-01}>>) {
  %0 = pico.constant dense<[1.0, -2.5]> : tensor<2xf32>
  %1 = pico.constant dense<[1, 2, 3, 4]> : tensor<4xi8>
  %2 = pico.constant dense<[1, 2, 3, 4]> : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
  %3 = pico.constant dense<7> : tensor<2x3xi8> -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.2}>>
  return %0, %1, %2, %3 : tensor<2xf32>, tensor<4xi8>, tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-01,2.000000e-01}>>
}

// Every attribute defaulted, then every attribute given.
// CHECK-LABEL: func.func @conv2d(
// CHECK-NEXT: %0 = pico.conv2d %arg0, %arg1 : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
// CHECK-NEXT: %1 = pico.conv2d %arg0, %arg2, %arg3 {activation = #pico.act<clip, min = 0.000000e+00, max = 6.000000e+00>, dilations = array<i64: 2, 2>, group = 2 : i64, pads = array<i64: 2, 2, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x16x16xf32>, tensor<16x4x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
// CHECK-NEXT: return %0, %1 : tensor<1x16x14x14xf32>, tensor<1x16x8x8xf32>
func.func @conv2d(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>, %wg: tensor<16x4x3x3xf32>, %b: tensor<16xf32>) -> (tensor<1x16x14x14xf32>, tensor<1x16x8x8xf32>) {
  %0 = pico.conv2d %x, %w : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  %1 = pico.conv2d %x, %wg, %b {activation = #pico.act<clip, min = 0.0, max = 6.0>, dilations = array<i64: 2, 2>, group = 2 : i64, pads = array<i64: 2, 2, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x16x16xf32>, tensor<16x4x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return %0, %1 : tensor<1x16x14x14xf32>, tensor<1x16x8x8xf32>
}

// CHECK-LABEL: func.func @batch_norm(
// CHECK-NEXT: %0 = pico.batch_norm %arg0, %arg1, %arg1, %arg1, %arg1 : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
// CHECK-NEXT: %1 = pico.batch_norm %arg0, %arg1, %arg1, %arg1, %arg1 {epsilon = 1.000000e-03 : f32} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
// CHECK-NEXT: return %0, %1 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
func.func @batch_norm(%x: tensor<1x4x8x8xf32>, %p: tensor<4xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) {
  %0 = pico.batch_norm %x, %p, %p, %p, %p : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %1 = pico.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-3 : f32} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return %0, %1 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
}

// CHECK-LABEL: func.func @activations(
// CHECK-NEXT: %0 = pico.relu %arg0 : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %1 = pico.clip %0 {max = 1.000000e+00 : f32, min = -1.000000e+00 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %2 = pico.leaky_relu %1 : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %3 = pico.leaky_relu %2 {alpha = 2.000000e-01 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %4 = pico.sigmoid %3 : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %5 = pico.hard_sigmoid %4 : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %6 = pico.hard_sigmoid %5 {alpha = 2.500000e-01 : f32, beta = 3.750000e-01 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %7 = pico.hard_swish %6 : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %8 = pico.tanh %7 : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: return %8 : tensor<2x3xf32>
func.func @activations(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = pico.relu %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = pico.clip %0 {min = -1.0 : f32, max = 1.0 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = pico.leaky_relu %1 : tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = pico.leaky_relu %2 {alpha = 0.2 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  %4 = pico.sigmoid %3 : tensor<2x3xf32> -> tensor<2x3xf32>
  %5 = pico.hard_sigmoid %4 : tensor<2x3xf32> -> tensor<2x3xf32>
  %6 = pico.hard_sigmoid %5 {alpha = 0.25 : f32, beta = 0.375 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  %7 = pico.hard_swish %6 : tensor<2x3xf32> -> tensor<2x3xf32>
  %8 = pico.tanh %7 : tensor<2x3xf32> -> tensor<2x3xf32>
  return %8 : tensor<2x3xf32>
}

// numpy broadcasting both ways, a rank-0 operand, fused activations.
// CHECK-LABEL: func.func @binary(
// CHECK-NEXT: %0 = pico.add %arg0, %arg1 : tensor<1x4x8x8xf32>, tensor<4x1x1xf32> -> tensor<1x4x8x8xf32>
// CHECK-NEXT: %1 = pico.sub %0, %arg2 {activation = #pico.act<hard_sigmoid, alpha = 2.000000e-01, beta = 5.000000e-01>} : tensor<1x4x8x8xf32>, tensor<f32> -> tensor<1x4x8x8xf32>
// CHECK-NEXT: %2 = pico.mul %arg1, %1 : tensor<4x1x1xf32>, tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
// CHECK-NEXT: %3 = pico.div %2, %arg1 {activation = #pico.act<tanh>} : tensor<1x4x8x8xf32>, tensor<4x1x1xf32> -> tensor<1x4x8x8xf32>
// CHECK-NEXT: return %3 : tensor<1x4x8x8xf32>
func.func @binary(%x: tensor<1x4x8x8xf32>, %c: tensor<4x1x1xf32>, %s: tensor<f32>) -> tensor<1x4x8x8xf32> {
  %0 = pico.add %x, %c : tensor<1x4x8x8xf32>, tensor<4x1x1xf32> -> tensor<1x4x8x8xf32>
  %1 = pico.sub %0, %s {activation = #pico.act<hard_sigmoid, alpha = 0.2, beta = 0.5>} : tensor<1x4x8x8xf32>, tensor<f32> -> tensor<1x4x8x8xf32>
  %2 = pico.mul %c, %1 : tensor<4x1x1xf32>, tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
  %3 = pico.div %2, %c {activation = #pico.act<tanh>} : tensor<1x4x8x8xf32>, tensor<4x1x1xf32> -> tensor<1x4x8x8xf32>
  return %3 : tensor<1x4x8x8xf32>
}

// The ceil-mode max_pool has 4 rows where floor mode would give 3.
// CHECK-LABEL: func.func @pooling(
// CHECK-NEXT: %0 = pico.global_avg_pool %arg0 : tensor<1x4x7x7xf32> -> tensor<1x4x1x1xf32>
// CHECK-NEXT: %1 = pico.avg_pool %arg0 {kernel_shape = array<i64: 2, 2>} : tensor<1x4x7x7xf32> -> tensor<1x4x6x6xf32>
// CHECK-NEXT: %2 = pico.avg_pool %arg0 {ceil_mode = true, count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x4x7x7xf32> -> tensor<1x4x4x4xf32>
// CHECK-NEXT: %3 = pico.max_pool %arg0 {kernel_shape = array<i64: 2, 2>} : tensor<1x4x7x7xf32> -> tensor<1x4x6x6xf32>
// CHECK-NEXT: %4 = pico.max_pool %arg0 {ceil_mode = true, dilations = array<i64: 2, 1>, kernel_shape = array<i64: 2, 3>, pads = array<i64: 0, 1, 1, 0>, strides = array<i64: 2, 3>} : tensor<1x4x7x7xf32> -> tensor<1x4x4x3xf32>
// CHECK-NEXT: return %0, %1, %2, %3, %4 : tensor<1x4x1x1xf32>, tensor<1x4x6x6xf32>, tensor<1x4x4x4xf32>, tensor<1x4x6x6xf32>, tensor<1x4x4x3xf32>
func.func @pooling(%x: tensor<1x4x7x7xf32>) -> (tensor<1x4x1x1xf32>, tensor<1x4x6x6xf32>, tensor<1x4x4x4xf32>, tensor<1x4x6x6xf32>, tensor<1x4x4x3xf32>) {
  %0 = pico.global_avg_pool %x : tensor<1x4x7x7xf32> -> tensor<1x4x1x1xf32>
  %1 = pico.avg_pool %x {kernel_shape = array<i64: 2, 2>} : tensor<1x4x7x7xf32> -> tensor<1x4x6x6xf32>
  %2 = pico.avg_pool %x {ceil_mode = true, count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x4x7x7xf32> -> tensor<1x4x4x4xf32>
  %3 = pico.max_pool %x {kernel_shape = array<i64: 2, 2>} : tensor<1x4x7x7xf32> -> tensor<1x4x6x6xf32>
  %4 = pico.max_pool %x {ceil_mode = true, dilations = array<i64: 2, 1>, kernel_shape = array<i64: 2, 3>, pads = array<i64: 0, 1, 1, 0>, strides = array<i64: 2, 3>} : tensor<1x4x7x7xf32> -> tensor<1x4x4x3xf32>
  return %0, %1, %2, %3, %4 : tensor<1x4x1x1xf32>, tensor<1x4x6x6xf32>, tensor<1x4x4x4xf32>, tensor<1x4x6x6xf32>, tensor<1x4x4x3xf32>
}

// 5 * 0.5 = 2.5: both 3 and 2 are accepted as the sizes a model gave.
// CHECK-LABEL: func.func @resize(
// CHECK-NEXT: %0 = pico.resize %arg0 {mode = #pico<resize_mode nearest>, scales = array<f32: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>} : tensor<1x3x5x5xf32> -> tensor<1x3x10x10xf32>
// CHECK-NEXT: %1 = pico.resize %arg0 {coordinate_transformation_mode = #pico<coordinate_transform_mode align_corners>, mode = #pico<resize_mode linear>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.000000e+00, 1.000000e+00, 5.000000e-01, 5.000000e-01>} : tensor<1x3x5x5xf32> -> tensor<1x3x3x2xf32>
// CHECK-NEXT: return %0, %1 : tensor<1x3x10x10xf32>, tensor<1x3x3x2xf32>
func.func @resize(%x: tensor<1x3x5x5xf32>) -> (tensor<1x3x10x10xf32>, tensor<1x3x3x2xf32>) {
  %0 = pico.resize %x {mode = #pico<resize_mode nearest>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x3x5x5xf32> -> tensor<1x3x10x10xf32>
  %1 = pico.resize %x {coordinate_transformation_mode = #pico<coordinate_transform_mode align_corners>, mode = #pico<resize_mode linear>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 1.0, 0.5, 0.5>} : tensor<1x3x5x5xf32> -> tensor<1x3x3x2xf32>
  return %0, %1 : tensor<1x3x10x10xf32>, tensor<1x3x3x2xf32>
}

// CHECK-LABEL: func.func @shapes(
// CHECK-NEXT: %0 = pico.concat %arg0, %arg1 {axis = -2 : i64} : (tensor<1x2x3xf32>, tensor<1x5x3xf32>) -> tensor<1x7x3xf32>
// CHECK-NEXT: %1 = pico.reshape %arg0 : tensor<1x2x3xf32> -> tensor<6xf32>
// CHECK-NEXT: %2 = pico.transpose %arg0 {perm = array<i64: 2, 0, 1>} : tensor<1x2x3xf32> -> tensor<3x1x2xf32>
// CHECK-NEXT: return %0, %1, %2 : tensor<1x7x3xf32>, tensor<6xf32>, tensor<3x1x2xf32>
func.func @shapes(%x: tensor<1x2x3xf32>, %y: tensor<1x5x3xf32>) -> (tensor<1x7x3xf32>, tensor<6xf32>, tensor<3x1x2xf32>) {
  %0 = pico.concat %x, %y {axis = -2 : i64} : (tensor<1x2x3xf32>, tensor<1x5x3xf32>) -> tensor<1x7x3xf32>
  %1 = pico.reshape %x : tensor<1x2x3xf32> -> tensor<6xf32>
  %2 = pico.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<1x2x3xf32> -> tensor<3x1x2xf32>
  return %0, %1, %2 : tensor<1x7x3xf32>, tensor<6xf32>, tensor<3x1x2xf32>
}

// gemm with transposes and a broadcast `c`; matmul with a promoted 1-D
// operand and broadcast batch axes.
// CHECK-LABEL: func.func @products(
// CHECK-NEXT: %0 = pico.gemm %arg0, %arg1 {trans_b = true} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %1 = pico.gemm %arg0, %arg6, %arg2 {activation = #pico.act<relu>, alpha = 5.000000e-01 : f32, beta = 2.000000e+00 : f32, trans_a = true} : (tensor<2x3xf32>, tensor<2x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
// CHECK-NEXT: %2 = pico.matmul %arg0, %arg3 : tensor<2x3xf32>, tensor<3xf32> -> tensor<2xf32>
// CHECK-NEXT: %3 = pico.matmul %arg4, %arg5 : tensor<5x1x3x2xf32>, tensor<2x2x4xf32> -> tensor<5x2x3x4xf32>
// CHECK-NEXT: %4 = pico.softmax %0 : tensor<2x4xf32> -> tensor<2x4xf32>
// CHECK-NEXT: %5 = pico.softmax %4 {axis = 0 : i64} : tensor<2x4xf32> -> tensor<2x4xf32>
// CHECK-NEXT: return %0, %1, %2, %3, %5 : tensor<2x4xf32>, tensor<3x4xf32>, tensor<2xf32>, tensor<5x2x3x4xf32>, tensor<2x4xf32>
func.func @products(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>, %v: tensor<3xf32>, %batched: tensor<5x1x3x2xf32>, %r: tensor<2x2x4xf32>, %d: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<3x4xf32>, tensor<2xf32>, tensor<5x2x3x4xf32>, tensor<2x4xf32>) {
  %0 = pico.gemm %a, %b {trans_b = true} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  %1 = pico.gemm %a, %d, %c {activation = #pico.act<relu>, alpha = 0.5 : f32, beta = 2.0 : f32, trans_a = true} : (tensor<2x3xf32>, tensor<2x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  %2 = pico.matmul %a, %v : tensor<2x3xf32>, tensor<3xf32> -> tensor<2xf32>
  %3 = pico.matmul %batched, %r : tensor<5x1x3x2xf32>, tensor<2x2x4xf32> -> tensor<5x2x3x4xf32>
  %4 = pico.softmax %0 : tensor<2x4xf32> -> tensor<2x4xf32>
  %5 = pico.softmax %4 {axis = 0 : i64} : tensor<2x4xf32> -> tensor<2x4xf32>
  return %0, %1, %2, %3, %5 : tensor<2x4xf32>, tensor<3x4xf32>, tensor<2xf32>, tensor<5x2x3x4xf32>, tensor<2x4xf32>
}

// Per-tensor (u8) and per-axis (i8, one scale and zero point per column).
// CHECK-LABEL: func.func @quantization(
// CHECK-NEXT: %0 = pico.quantize %arg0 : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<u8:f32, 5.000000e-02:128>>
// CHECK-NEXT: %1 = pico.dequantize %0 : tensor<2x3x!quant.uniform<u8:f32, 5.000000e-02:128>> -> tensor<2x3xf32>
// CHECK-NEXT: %2 = pico.quantize %arg0 : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01:1,3.000000e-01:-1}>>
// CHECK-NEXT: %3 = pico.dequantize %2 : tensor<2x3x!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01:1,3.000000e-01:-1}>> -> tensor<2x3xf32>
// CHECK-NEXT: return %1, %3 : tensor<2x3xf32>, tensor<2x3xf32>
func.func @quantization(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = pico.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<u8:f32, 0.05:128>>
  %1 = pico.dequantize %0 : tensor<2x3x!quant.uniform<u8:f32, 0.05:128>> -> tensor<2x3xf32>
  %2 = pico.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2:1, 0.3:-1}>>
  %3 = pico.dequantize %2 : tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2:1, 0.3:-1}>> -> tensor<2x3xf32>
  return %1, %3 : tensor<2x3xf32>, tensor<2x3xf32>
}

// Attributes given at their default values are not printed.
// CHECK-LABEL: func.func @defaults_elided(
// CHECK-NEXT: %0 = pico.conv2d %arg0, %arg1 : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
// CHECK-NEXT: %1 = pico.leaky_relu %arg0 : tensor<1x8x16x16xf32> -> tensor<1x8x16x16xf32>
// CHECK-NEXT: %2 = pico.resize %1 {mode = #pico<resize_mode nearest>, scales = array<f32: 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00>} : tensor<1x8x16x16xf32> -> tensor<1x8x16x16xf32>
// CHECK-NEXT: return %0, %2 : tensor<1x16x14x14xf32>, tensor<1x8x16x16xf32>
func.func @defaults_elided(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>) -> (tensor<1x16x14x14xf32>, tensor<1x8x16x16xf32>) {
  %0 = pico.conv2d %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  %1 = pico.leaky_relu %x {alpha = 0.01 : f32} : tensor<1x8x16x16xf32> -> tensor<1x8x16x16xf32>
  %2 = pico.resize %1 {coordinate_transformation_mode = #pico<coordinate_transform_mode half_pixel>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode round_prefer_floor>, scales = array<f32: 1.0, 1.0, 1.0, 1.0>} : tensor<1x8x16x16xf32> -> tensor<1x8x16x16xf32>
  return %0, %2 : tensor<1x16x14x14xf32>, tensor<1x8x16x16xf32>
}
