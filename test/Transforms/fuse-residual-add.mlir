// --pico-fuse-residual-add: add(conv(x), y), either operand order, becomes
// conv(x) with residual y and the add's activation, when the convolution
// has no activation, residual or other user and y has exactly the result's
// type.
// RUN: picosam-opt %s --pico-fuse-residual-add -o %t.mlir
// RUN: FileCheck %s < %t.mlir
// RUN: %python %S/Inputs/same_outputs.py --run picosam-run --work %t.d %s %t.mlir \
// RUN:   | FileCheck %s --check-prefix=SAME

// SAME: conv_lhs: same
// SAME: conv_rhs_with_activation: same
// SAME: decoder_skip: same
// SAME: broadcast: same
// SAME: conv_activated: same
// SAME: conv_second_user: same
// SAME: conv_has_residual: same

// CHECK-LABEL: func.func @conv_lhs(
// CHECK-NEXT: %[[C:.+]] = pico.conv2d %arg0, %arg1, %arg2 residual %arg3 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT: return %[[C]]
func.func @conv_lhs(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>, %y: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %0 = pico.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %1 = pico.add %0, %y : tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32> -> tensor<1x3x4x4xf32>
  return %1 : tensor<1x3x4x4xf32>
}

// The add's activation moves to the convolution, applied after the sum.
// CHECK-LABEL: func.func @conv_rhs_with_activation(
// CHECK-NEXT: %[[C:.+]] = pico.conv2d %arg0, %arg1 residual %arg2 {activation = #pico.act<relu>} :
// CHECK-NEXT: return %[[C]]
func.func @conv_rhs_with_activation(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>, %y: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %0 = pico.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  %1 = pico.add %y, %0 {activation = #pico.act<relu>} : tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32> -> tensor<1x3x4x4xf32>
  return %1 : tensor<1x3x4x4xf32>
}

// PicoSAM3's decoder: the block's output has its relu, so the skip's 1x1
// convolution takes the sum.
// CHECK-LABEL: func.func @decoder_skip(
// CHECK-NEXT: %[[D:.+]] = pico.conv2d %arg0, %arg1 {activation = #pico.act<relu>}
// CHECK-NEXT: %[[S:.+]] = pico.conv2d %arg2, %arg3, %arg4 residual %[[D]] :
// CHECK-NEXT: return %[[S]]
func.func @decoder_skip(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>, %e: tensor<1x5x4x4xf32>, %ws: tensor<3x5x1x1xf32>, %bs: tensor<3xf32>) -> tensor<1x3x4x4xf32> {
  %0 = pico.conv2d %x, %w {activation = #pico.act<relu>} : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  %1 = pico.conv2d %e, %ws, %bs : (tensor<1x5x4x4xf32>, tensor<3x5x1x1xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %2 = pico.add %0, %1 : tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32> -> tensor<1x3x4x4xf32>
  return %2 : tensor<1x3x4x4xf32>
}

// Not fused: y broadcasts (a per-channel offset is not a residual).
// CHECK-LABEL: func.func @broadcast(
// CHECK-NEXT: pico.conv2d %arg0, %arg1 :
// CHECK-NEXT: pico.add
func.func @broadcast(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>, %y: tensor<1x3x1x1xf32>) -> tensor<1x3x4x4xf32> {
  %0 = pico.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  %1 = pico.add %0, %y : tensor<1x3x4x4xf32>, tensor<1x3x1x1xf32> -> tensor<1x3x4x4xf32>
  return %1 : tensor<1x3x4x4xf32>
}

// Not fused: the convolution's activation comes before the sum.
// CHECK-LABEL: func.func @conv_activated(
// CHECK-NEXT: pico.conv2d %arg0, %arg1 {activation = #pico.act<relu>}
// CHECK-NEXT: pico.add
func.func @conv_activated(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>, %y: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %0 = pico.conv2d %x, %w {activation = #pico.act<relu>} : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  %1 = pico.add %0, %y : tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32> -> tensor<1x3x4x4xf32>
  return %1 : tensor<1x3x4x4xf32>
}

// Not fused: the convolution's result has a second user.
// CHECK-LABEL: func.func @conv_second_user(
// CHECK-NEXT: %[[C:.+]] = pico.conv2d %arg0, %arg1 :
// CHECK-NEXT: %[[A:.+]] = pico.add %[[C]], %arg2
// CHECK-NEXT: return %[[A]], %[[C]]
func.func @conv_second_user(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>, %y: tensor<1x3x4x4xf32>) -> (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>) {
  %0 = pico.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  %1 = pico.add %0, %y : tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32> -> tensor<1x3x4x4xf32>
  return %1, %0 : tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>
}

// Not fused: one residual per convolution.
// CHECK-LABEL: func.func @conv_has_residual(
// CHECK-NEXT: %[[C:.+]] = pico.conv2d %arg0, %arg1 residual %arg2 :
// CHECK-NEXT: pico.add %[[C]], %arg2
func.func @conv_has_residual(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>, %y: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %0 = pico.conv2d %x, %w residual %y : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %1 = pico.add %0, %y : tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32> -> tensor<1x3x4x4xf32>
  return %1 : tensor<1x3x4x4xf32>
}
