// --pico-fuse-activation: an activation op becomes the `activation` of the
// conv2d/add/sub/mul/div/gemm producing its input when that op has no
// activation yet and no other user; `kinds` limits the kinds fused.
// RUN: picosam-opt %s --pico-fuse-activation -o %t.mlir
// RUN: FileCheck %s < %t.mlir
// RUN: %python %S/Inputs/same_outputs.py --run picosam-run --work %t.d %s %t.mlir \
// RUN:   | FileCheck %s --check-prefix=SAME
// RUN: picosam-opt %s --pico-fuse-activation=kinds=relu,hard_swish | FileCheck %s --check-prefix=KINDS
// RUN: not picosam-opt %s --pico-fuse-activation=kinds=relu,swish 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// UNKNOWN: error: pico-fuse-activation: unknown activation kind 'swish' in 'kinds'

// SAME: every_kind: same
// SAME: second_user: same
// SAME: already_activated: same
// SAME: not_a_producer: same
// SAME: conv_transpose: same

// CHECK-LABEL: func.func @every_kind(
// CHECK-NEXT: %[[C:.+]] = pico.conv2d %arg0, %arg1 {activation = #pico.act<relu>}
// CHECK-NEXT: %[[A:.+]] = pico.add %[[C]], %arg2 {activation = #pico.act<clip, min = 0.000000e+00, max = 6.000000e+00>}
// CHECK-NEXT: %[[S:.+]] = pico.sub %[[A]], %arg2 {activation = #pico.act<leaky_relu, alpha = 1.000000e-01>}
// CHECK-NEXT: %[[M:.+]] = pico.mul %[[S]], %arg2 {activation = #pico.act<hard_swish>}
// CHECK-NEXT: %[[D:.+]] = pico.div %[[M]], %arg3 {activation = #pico.act<hard_sigmoid, alpha = 2.000000e-01, beta = 5.000000e-01>}
// CHECK-NEXT: %[[R:.+]] = pico.reshape %[[D]]
// CHECK-NEXT: %[[G:.+]] = pico.gemm %[[R]], %arg4 {activation = #pico.act<sigmoid>}
// CHECK-NEXT: %[[T:.+]] = pico.mul %[[G]], %[[G]] {activation = #pico.act<tanh>}
// CHECK-NEXT: return %[[T]]
// KINDS-LABEL: func.func @every_kind(
// KINDS-NEXT: pico.conv2d %arg0, %arg1 {activation = #pico.act<relu>}
// KINDS-NEXT: pico.add
// KINDS-NEXT: pico.clip
// KINDS-NEXT: pico.sub
// KINDS-NEXT: pico.leaky_relu
// KINDS-NEXT: pico.mul {{.*}} {activation = #pico.act<hard_swish>}
// KINDS-NEXT: pico.div
// KINDS-NEXT: pico.hard_sigmoid
// KINDS-NEXT: pico.reshape
// KINDS-NEXT: pico.gemm
// KINDS-NEXT: pico.sigmoid
func.func @every_kind(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x1x1xf32>, %y: tensor<1x2x1x1xf32>, %z: tensor<1x2x3x3xf32>, %v: tensor<18x4xf32>) -> tensor<1x4xf32> {
  %0 = pico.conv2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %1 = pico.relu %0 : tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32>
  %2 = pico.add %1, %y : tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32> -> tensor<1x2x3x3xf32>
  %3 = pico.clip %2 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32>
  %4 = pico.sub %3, %y : tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32> -> tensor<1x2x3x3xf32>
  %5 = pico.leaky_relu %4 {alpha = 0.1 : f32} : tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32>
  %6 = pico.mul %5, %y : tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32> -> tensor<1x2x3x3xf32>
  %7 = pico.hard_swish %6 : tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32>
  %8 = pico.div %7, %z : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32>
  %9 = pico.hard_sigmoid %8 : tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32>
  %10 = pico.reshape %9 : tensor<1x2x3x3xf32> -> tensor<1x18xf32>
  %11 = pico.gemm %10, %v : (tensor<1x18xf32>, tensor<18x4xf32>) -> tensor<1x4xf32>
  %12 = pico.sigmoid %11 : tensor<1x4xf32> -> tensor<1x4xf32>
  %13 = pico.mul %12, %12 : tensor<1x4xf32>, tensor<1x4xf32> -> tensor<1x4xf32>
  %14 = pico.tanh %13 : tensor<1x4xf32> -> tensor<1x4xf32>
  return %14 : tensor<1x4xf32>
}

// Not fused: the convolution's result is also returned without the relu.
// CHECK-LABEL: func.func @second_user(
// CHECK-NEXT: %[[C:.+]] = pico.conv2d %arg0, %arg1 :
// CHECK-NEXT: %[[R:.+]] = pico.relu %[[C]]
// CHECK-NEXT: return %[[R]], %[[C]]
func.func @second_user(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x1x1xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %0 = pico.conv2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %1 = pico.relu %0 : tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32>
  return %1, %0 : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// Not fused: the add applies an activation already (the sigmoid stays after
// the relu).
// CHECK-LABEL: func.func @already_activated(
// CHECK-NEXT: %[[A:.+]] = pico.add %arg0, %arg0 {activation = #pico.act<relu>}
// CHECK-NEXT: %[[S:.+]] = pico.sigmoid %[[A]]
func.func @already_activated(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = pico.add %x, %x {activation = #pico.act<relu>} : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %1 = pico.sigmoid %0 : tensor<4xf32> -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// Not fused: pools, arguments and activations apply no activation of their
// own.
// CHECK-LABEL: func.func @not_a_producer(
// CHECK-NEXT: pico.relu %arg0
// CHECK-NEXT: pico.global_avg_pool
// CHECK-NEXT: pico.relu
// CHECK-NEXT: pico.sigmoid
func.func @not_a_producer(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x1x1xf32> {
  %0 = pico.relu %x : tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32>
  %1 = pico.global_avg_pool %0 : tensor<1x2x3x3xf32> -> tensor<1x2x1x1xf32>
  %2 = pico.relu %1 : tensor<1x2x1x1xf32> -> tensor<1x2x1x1xf32>
  %3 = pico.sigmoid %2 : tensor<1x2x1x1xf32> -> tensor<1x2x1x1xf32>
  return %3 : tensor<1x2x1x1xf32>
}

// CHECK-LABEL: func.func @conv_transpose(
// CHECK-NEXT: %[[C:.+]] = pico.conv_transpose2d %arg0, %arg1 {activation = #pico.act<relu>, strides = array<i64: 2, 2>}
// CHECK-NEXT: return %[[C]]
func.func @conv_transpose(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x2x2xf32>) -> tensor<1x2x6x6xf32> {
  %0 = pico.conv_transpose2d %x, %w {strides = array<i64: 2, 2>} : (tensor<1x2x3x3xf32>, tensor<2x2x2x2xf32>) -> tensor<1x2x6x6xf32>
  %1 = pico.relu %0 : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32>
  return %1 : tensor<1x2x6x6xf32>
}
