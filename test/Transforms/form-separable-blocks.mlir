// --pico-form-separable-blocks: a pointwise conv2d reading a depthwise one
// (no residual, no other user) becomes a pico.separable_block holding both.
// RUN: picosam-opt %s --pico-form-separable-blocks -o %t.mlir
// RUN: FileCheck %s < %t.mlir
// RUN: %python %S/Inputs/same_outputs.py --run picosam-run --work %t.d %s %t.mlir \
// RUN:   | FileCheck %s --check-prefix=SAME
// A block's convolutions are not wrapped again.
// RUN: picosam-opt %t.mlir --pico-form-separable-blocks | FileCheck %s

// SAME: encoder_block: same
// SAME: upsampling_dilated_residual: same
// SAME: residual_is_block_input: same
// SAME: depthwise_second_user: same
// SAME: not_depthwise: same
// SAME: not_pointwise: same
// SAME: depthwise_residual: same

// CHECK-LABEL: func.func @encoder_block(
// CHECK-NEXT: %[[B:.+]] = pico.separable_block %arg0 : tensor<1x3x6x6xf32> -> tensor<1x8x6x6xf32> {
// CHECK-NEXT: ^bb0(%[[IN:.+]]: tensor<1x3x6x6xf32>):
// CHECK-NEXT:   %[[DW:.+]] = pico.conv2d %[[IN]], %arg1, %arg2 {activation = #pico.act<relu>, group = 3 : i64, pads = array<i64: 1, 1, 1, 1>}
// CHECK-NEXT:   %[[PW:.+]] = pico.conv2d %[[DW]], %arg3 {activation = #pico.act<relu>}
// CHECK-NEXT:   pico.yield %[[PW]] : tensor<1x8x6x6xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[B]]
func.func @encoder_block(%x: tensor<1x3x6x6xf32>, %wd: tensor<3x1x3x3xf32>, %bd: tensor<3xf32>, %wp: tensor<8x3x1x1xf32>) -> tensor<1x8x6x6xf32> {
  %0 = pico.conv2d %x, %wd, %bd {activation = #pico.act<relu>, group = 3 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x6x6xf32>, tensor<3x1x3x3xf32>, tensor<3xf32>) -> tensor<1x3x6x6xf32>
  %1 = pico.conv2d %0, %wp {activation = #pico.act<relu>} : (tensor<1x3x6x6xf32>, tensor<8x3x1x1xf32>) -> tensor<1x8x6x6xf32>
  return %1 : tensor<1x8x6x6xf32>
}

// Any depthwise window (upsampled, dilated); the pointwise residual is
// captured from the function.
// CHECK-LABEL: func.func @upsampling_dilated_residual(
// CHECK-NEXT: pico.separable_block %arg0 : tensor<1x2x3x3xf32> -> tensor<1x4x6x6xf32> {
// CHECK-NEXT: ^bb0(%[[IN:.+]]: tensor<1x2x3x3xf32>):
// CHECK-NEXT:   %[[DW:.+]] = pico.conv2d %[[IN]], %arg1 {dilations = array<i64: 2, 2>, group = 2 : i64, input_upsample = 2 : i64, pads = array<i64: 2, 2, 2, 2>}
// CHECK-NEXT:   %[[PW:.+]] = pico.conv2d %[[DW]], %arg2 residual %arg3 :
func.func @upsampling_dilated_residual(%x: tensor<1x2x3x3xf32>, %wd: tensor<2x1x3x3xf32>, %wp: tensor<4x2x1x1xf32>, %r: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %0 = pico.conv2d %x, %wd {dilations = array<i64: 2, 2>, group = 2 : i64, input_upsample = 2 : i64, pads = array<i64: 2, 2, 2, 2>} : (tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x6x6xf32>
  %1 = pico.conv2d %0, %wp residual %r : (tensor<1x2x6x6xf32>, tensor<4x2x1x1xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %1 : tensor<1x4x6x6xf32>
}

// The block's input is also the pointwise residual: the residual stays a
// capture, so the body's argument feeds the depthwise convolution only.
// CHECK-LABEL: func.func @residual_is_block_input(
// CHECK-NEXT: pico.separable_block %arg0 : tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32> {
// CHECK-NEXT: ^bb0(%[[IN:.+]]: tensor<1x2x3x3xf32>):
// CHECK-NEXT:   %[[DW:.+]] = pico.conv2d %[[IN]], %arg1
// CHECK-NEXT:   pico.conv2d %[[DW]], %arg2 residual %arg0 :
func.func @residual_is_block_input(%x: tensor<1x2x3x3xf32>, %wd: tensor<2x1x3x3xf32>, %wp: tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32> {
  %0 = pico.conv2d %x, %wd {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x3x3xf32>
  %1 = pico.conv2d %0, %wp residual %x : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// Not formed: the depthwise result is needed outside the block.
// CHECK-LABEL: func.func @depthwise_second_user(
// CHECK-NOT: pico.separable_block
// CHECK: return
func.func @depthwise_second_user(%x: tensor<1x2x3x3xf32>, %wd: tensor<2x1x3x3xf32>, %wp: tensor<4x2x1x1xf32>) -> (tensor<1x4x3x3xf32>, tensor<1x2x3x3xf32>) {
  %0 = pico.conv2d %x, %wd {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x3x3xf32>
  %1 = pico.conv2d %0, %wp : (tensor<1x2x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  return %1, %0 : tensor<1x4x3x3xf32>, tensor<1x2x3x3xf32>
}

// Not formed: a full 3x3 convolution (PicoSAM3's strided downsampling) is
// not depthwise.
// CHECK-LABEL: func.func @not_depthwise(
// CHECK-NOT: pico.separable_block
// CHECK: return
func.func @not_depthwise(%x: tensor<1x2x4x4xf32>, %wd: tensor<2x2x3x3xf32>, %wp: tensor<4x2x1x1xf32>) -> tensor<1x4x2x2xf32> {
  %0 = pico.conv2d %x, %wd {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x2x2xf32>
  %1 = pico.conv2d %0, %wp : (tensor<1x2x2x2xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x2x2xf32>
  return %1 : tensor<1x4x2x2xf32>
}

// Not formed: the second convolution is 3x3.
// CHECK-LABEL: func.func @not_pointwise(
// CHECK-NOT: pico.separable_block
// CHECK: return
func.func @not_pointwise(%x: tensor<1x2x3x3xf32>, %wd: tensor<2x1x3x3xf32>, %wp: tensor<4x2x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %0 = pico.conv2d %x, %wd {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x3x3xf32>
  %1 = pico.conv2d %0, %wp {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x3x3xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %1 : tensor<1x4x3x3xf32>
}

// Not formed: the block's depthwise convolution takes no residual.
// CHECK-LABEL: func.func @depthwise_residual(
// CHECK-NOT: pico.separable_block
// CHECK: return
func.func @depthwise_residual(%x: tensor<1x2x3x3xf32>, %wd: tensor<2x1x3x3xf32>, %wp: tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32> {
  %0 = pico.conv2d %x, %wd residual %x {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %1 = pico.conv2d %0, %wp : (tensor<1x2x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  return %1 : tensor<1x4x3x3xf32>
}
