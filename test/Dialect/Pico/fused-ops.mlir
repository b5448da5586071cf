// The fused ops the fusion passes make: they parse, verify, print and parse
// again to the same IR.
// RUN: picosam-opt %s | picosam-opt | FileCheck %s

// CHECK-LABEL: func.func @conv2d_residual_upsample(
// CHECK-NEXT: %0 = pico.conv2d %arg0, %arg1, %arg2 residual %arg3 {activation = #pico.act<relu>, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x3x3xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>, tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
// CHECK-NEXT: %1 = pico.conv2d %arg0, %arg1 residual %arg4 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x3x3xf32>, tensor<8x4x3x3xf32>, tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
// CHECK-NEXT: %2 = pico.conv2d %arg0, %arg1, %arg2 {input_upsample = 3 : i64} : (tensor<1x4x3x3xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x7x7xf32>
func.func @conv2d_residual_upsample(%x: tensor<1x4x3x3xf32>, %w: tensor<8x4x3x3xf32>, %b: tensor<8xf32>, %r: tensor<1x8x6x6xf32>, %r3: tensor<1x8x3x3xf32>) -> (tensor<1x8x6x6xf32>, tensor<1x8x3x3xf32>, tensor<1x8x7x7xf32>) {
  %0 = pico.conv2d %x, %w, %b residual %r {activation = #pico.act<relu>, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x3x3xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>, tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  // Residual without bias; the default input_upsample is not printed.
  %1 = pico.conv2d %x, %w residual %r3 {input_upsample = 1 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x3x3xf32>, tensor<8x4x3x3xf32>, tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  // 3x3 upsampled by 3 is 9x9; the 3x3 kernel leaves 7x7.
  %2 = pico.conv2d %x, %w, %b {input_upsample = 3 : i64} : (tensor<1x4x3x3xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x7x7xf32>
  return %0, %1, %2 : tensor<1x8x6x6xf32>, tensor<1x8x3x3xf32>, tensor<1x8x7x7xf32>
}

// CHECK-LABEL: func.func @channel_attention(
// CHECK-NEXT: %0 = pico.channel_attention %arg0, %arg1 : (tensor<2x4x5x5xf32>, tensor<4x4x1x1xf32>) -> tensor<2x4x5x5xf32>
// CHECK-NEXT: %1 = pico.channel_attention %arg0, %arg1, %arg2 : (tensor<2x4x5x5xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>) -> tensor<2x4x5x5xf32>
func.func @channel_attention(%x: tensor<2x4x5x5xf32>, %w: tensor<4x4x1x1xf32>, %b: tensor<4xf32>) -> (tensor<2x4x5x5xf32>, tensor<2x4x5x5xf32>) {
  %0 = pico.channel_attention %x, %w : (tensor<2x4x5x5xf32>, tensor<4x4x1x1xf32>) -> tensor<2x4x5x5xf32>
  %1 = pico.channel_attention %x, %w, %b : (tensor<2x4x5x5xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>) -> tensor<2x4x5x5xf32>
  return %0, %1 : tensor<2x4x5x5xf32>, tensor<2x4x5x5xf32>
}

// CHECK-LABEL: func.func @separable_block(
// CHECK-NEXT: %0 = pico.separable_block %arg0 : tensor<1x4x6x6xf32> -> tensor<1x8x12x12xf32> {
// CHECK-NEXT: ^bb0([[IN:%.+]]: tensor<1x4x6x6xf32>):
// CHECK-NEXT:   [[DW:%.+]] = pico.conv2d [[IN]], %arg1, %arg2 {activation = #pico.act<relu>, group = 4 : i64, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<1x4x12x12xf32>
// CHECK-NEXT:   [[PW:%.+]] = pico.conv2d [[DW]], %arg3, %arg4 residual %arg5 {activation = #pico.act<clip, min = 0.000000e+00, max = 6.000000e+00>} : (tensor<1x4x12x12xf32>, tensor<8x4x1x1xf32>, tensor<8xf32>, tensor<1x8x12x12xf32>) -> tensor<1x8x12x12xf32>
// CHECK-NEXT:   pico.yield [[PW]] : tensor<1x8x12x12xf32>
// CHECK-NEXT: }
// CHECK-NEXT: [[W:%.+]] = pico.constant dense<1.000000e+00> : tensor<4x1x2x2xf32>
// CHECK-NEXT: pico.separable_block %arg0 : tensor<1x4x6x6xf32> -> tensor<1x8x3x3xf32> {
// CHECK-NEXT: ^bb0([[IN:%.+]]: tensor<1x4x6x6xf32>):
// CHECK-NEXT:   [[DW:%.+]] = pico.conv2d [[IN]], [[W]] {dilations = array<i64: 2, 2>, group = 4 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x6x6xf32>, tensor<4x1x2x2xf32>) -> tensor<1x4x3x3xf32>
// CHECK-NEXT:   [[PW:%.+]] = pico.conv2d [[DW]], %arg3 : (tensor<1x4x3x3xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x3x3xf32>
// CHECK-NEXT:   pico.yield [[PW]] : tensor<1x8x3x3xf32>
func.func @separable_block(%x: tensor<1x4x6x6xf32>, %wd: tensor<4x1x3x3xf32>, %bd: tensor<4xf32>, %wp: tensor<8x4x1x1xf32>, %bp: tensor<8xf32>, %r: tensor<1x8x12x12xf32>) -> (tensor<1x8x12x12xf32>, tensor<1x8x3x3xf32>) {
  %0 = pico.separable_block %x : tensor<1x4x6x6xf32> -> tensor<1x8x12x12xf32> {
  ^bb0(%in: tensor<1x4x6x6xf32>):
    %dw = pico.conv2d %in, %wd, %bd {activation = #pico.act<relu>, group = 4 : i64, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<1x4x12x12xf32>
    %pw = pico.conv2d %dw, %wp, %bp residual %r {activation = #pico.act<clip, min = 0.0, max = 6.0>} : (tensor<1x4x12x12xf32>, tensor<8x4x1x1xf32>, tensor<8xf32>, tensor<1x8x12x12xf32>) -> tensor<1x8x12x12xf32>
    pico.yield %pw : tensor<1x8x12x12xf32>
  }
  // Strided, dilated, no biases, no activations.
  %wd2 = pico.constant dense<1.0> : tensor<4x1x2x2xf32>
  %1 = pico.separable_block %x : tensor<1x4x6x6xf32> -> tensor<1x8x3x3xf32> {
  ^bb0(%in: tensor<1x4x6x6xf32>):
    %dw = pico.conv2d %in, %wd2 {dilations = array<i64: 2, 2>, group = 4 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x6x6xf32>, tensor<4x1x2x2xf32>) -> tensor<1x4x3x3xf32>
    %pw = pico.conv2d %dw, %wp : (tensor<1x4x3x3xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x3x3xf32>
    pico.yield %pw : tensor<1x8x3x3xf32>
  }
  return %0, %1 : tensor<1x8x12x12xf32>, tensor<1x8x3x3xf32>
}
