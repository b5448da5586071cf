// --pico-fuse-channel-attention: mul(x, sigmoid(conv1x1(global_avg_pool(x))))
// in either operand order, with the sigmoid standalone or fused into the
// convolution, becomes pico.channel_attention.
// RUN: picosam-opt %s --pico-fuse-channel-attention -o %t.mlir
// RUN: FileCheck %s < %t.mlir
// RUN: %python %S/Inputs/same_outputs.py --run picosam-run --work %t.d %s %t.mlir \
// RUN:   | FileCheck %s --check-prefix=SAME

// SAME: standalone_sigmoid: same
// SAME: fused_sigmoid_gate_first: same
// SAME: pool_of_other_tensor: same
// SAME: gate_second_user: same
// SAME: not_sigmoid: same
// SAME: not_pointwise: same
// SAME: mul_activation: same

// CHECK-LABEL: func.func @standalone_sigmoid(
// CHECK-NEXT: %[[A:.+]] = pico.channel_attention %arg0, %arg1 : (tensor<1x3x4x5xf32>, tensor<3x3x1x1xf32>) -> tensor<1x3x4x5xf32>
// CHECK-NEXT: return %[[A]]
func.func @standalone_sigmoid(%x: tensor<1x3x4x5xf32>, %w: tensor<3x3x1x1xf32>) -> tensor<1x3x4x5xf32> {
  %0 = pico.global_avg_pool %x : tensor<1x3x4x5xf32> -> tensor<1x3x1x1xf32>
  %1 = pico.conv2d %0, %w : (tensor<1x3x1x1xf32>, tensor<3x3x1x1xf32>) -> tensor<1x3x1x1xf32>
  %2 = pico.sigmoid %1 : tensor<1x3x1x1xf32> -> tensor<1x3x1x1xf32>
  %3 = pico.mul %x, %2 : tensor<1x3x4x5xf32>, tensor<1x3x1x1xf32> -> tensor<1x3x4x5xf32>
  return %3 : tensor<1x3x4x5xf32>
}

// The sigmoid fused into the convolution (as --pico-fuse-activation leaves
// it), the gate as the mul's first operand, a bias.
// CHECK-LABEL: func.func @fused_sigmoid_gate_first(
// CHECK-NEXT: %[[A:.+]] = pico.channel_attention %arg0, %arg1, %arg2 : (tensor<2x3x4x5xf32>, tensor<3x3x1x1xf32>, tensor<3xf32>) -> tensor<2x3x4x5xf32>
// CHECK-NEXT: return %[[A]]
func.func @fused_sigmoid_gate_first(%x: tensor<2x3x4x5xf32>, %w: tensor<3x3x1x1xf32>, %b: tensor<3xf32>) -> tensor<2x3x4x5xf32> {
  %0 = pico.global_avg_pool %x : tensor<2x3x4x5xf32> -> tensor<2x3x1x1xf32>
  %1 = pico.conv2d %0, %w, %b {activation = #pico.act<sigmoid>} : (tensor<2x3x1x1xf32>, tensor<3x3x1x1xf32>, tensor<3xf32>) -> tensor<2x3x1x1xf32>
  %2 = pico.mul %1, %x : tensor<2x3x1x1xf32>, tensor<2x3x4x5xf32> -> tensor<2x3x4x5xf32>
  return %2 : tensor<2x3x4x5xf32>
}

// Not fused: the gate comes from another tensor's means.
// CHECK-LABEL: func.func @pool_of_other_tensor(
// CHECK-NOT: pico.channel_attention
// CHECK: pico.mul
func.func @pool_of_other_tensor(%x: tensor<1x3x4x5xf32>, %y: tensor<1x3x4x5xf32>, %w: tensor<3x3x1x1xf32>) -> tensor<1x3x4x5xf32> {
  %0 = pico.global_avg_pool %y : tensor<1x3x4x5xf32> -> tensor<1x3x1x1xf32>
  %1 = pico.conv2d %0, %w {activation = #pico.act<sigmoid>} : (tensor<1x3x1x1xf32>, tensor<3x3x1x1xf32>) -> tensor<1x3x1x1xf32>
  %2 = pico.mul %x, %1 : tensor<1x3x4x5xf32>, tensor<1x3x1x1xf32> -> tensor<1x3x4x5xf32>
  return %2 : tensor<1x3x4x5xf32>
}

// Not fused: the gate is used again.
// CHECK-LABEL: func.func @gate_second_user(
// CHECK-NOT: pico.channel_attention
// CHECK: pico.mul
func.func @gate_second_user(%x: tensor<1x3x4x5xf32>, %w: tensor<3x3x1x1xf32>) -> (tensor<1x3x4x5xf32>, tensor<1x3x1x1xf32>) {
  %0 = pico.global_avg_pool %x : tensor<1x3x4x5xf32> -> tensor<1x3x1x1xf32>
  %1 = pico.conv2d %0, %w : (tensor<1x3x1x1xf32>, tensor<3x3x1x1xf32>) -> tensor<1x3x1x1xf32>
  %2 = pico.sigmoid %1 : tensor<1x3x1x1xf32> -> tensor<1x3x1x1xf32>
  %3 = pico.mul %x, %2 : tensor<1x3x4x5xf32>, tensor<1x3x1x1xf32> -> tensor<1x3x4x5xf32>
  return %3, %2 : tensor<1x3x4x5xf32>, tensor<1x3x1x1xf32>
}

// Not fused: the gate is not a sigmoid.
// CHECK-LABEL: func.func @not_sigmoid(
// CHECK-NOT: pico.channel_attention
// CHECK: pico.mul
func.func @not_sigmoid(%x: tensor<1x3x4x5xf32>, %w: tensor<3x3x1x1xf32>) -> tensor<1x3x4x5xf32> {
  %0 = pico.global_avg_pool %x : tensor<1x3x4x5xf32> -> tensor<1x3x1x1xf32>
  %1 = pico.conv2d %0, %w {activation = #pico.act<hard_sigmoid, alpha = 0.2, beta = 0.5>} : (tensor<1x3x1x1xf32>, tensor<3x3x1x1xf32>) -> tensor<1x3x1x1xf32>
  %2 = pico.mul %x, %1 : tensor<1x3x4x5xf32>, tensor<1x3x1x1xf32> -> tensor<1x3x4x5xf32>
  return %2 : tensor<1x3x4x5xf32>
}

// Not fused: a 3x3 kernel (on the padded 1x1 means) is not a 1x1 channel mix.
// CHECK-LABEL: func.func @not_pointwise(
// CHECK-NOT: pico.channel_attention
// CHECK: pico.mul
func.func @not_pointwise(%x: tensor<1x3x4x5xf32>, %w: tensor<3x3x3x3xf32>) -> tensor<1x3x4x5xf32> {
  %0 = pico.global_avg_pool %x : tensor<1x3x4x5xf32> -> tensor<1x3x1x1xf32>
  %1 = pico.conv2d %0, %w {activation = #pico.act<sigmoid>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x1x1xf32>, tensor<3x3x3x3xf32>) -> tensor<1x3x1x1xf32>
  %2 = pico.mul %x, %1 : tensor<1x3x4x5xf32>, tensor<1x3x1x1xf32> -> tensor<1x3x4x5xf32>
  return %2 : tensor<1x3x4x5xf32>
}

// Not fused: channel_attention applies nothing after the product.
// CHECK-LABEL: func.func @mul_activation(
// CHECK-NOT: pico.channel_attention
// CHECK: pico.mul {{.*}}activation = #pico.act<relu>
func.func @mul_activation(%x: tensor<1x3x4x5xf32>, %w: tensor<3x3x1x1xf32>) -> tensor<1x3x4x5xf32> {
  %0 = pico.global_avg_pool %x : tensor<1x3x4x5xf32> -> tensor<1x3x1x1xf32>
  %1 = pico.conv2d %0, %w {activation = #pico.act<sigmoid>} : (tensor<1x3x1x1xf32>, tensor<3x3x1x1xf32>) -> tensor<1x3x1x1xf32>
  %2 = pico.mul %x, %1 {activation = #pico.act<relu>} : tensor<1x3x4x5xf32>, tensor<1x3x1x1xf32> -> tensor<1x3x4x5xf32>
  return %2 : tensor<1x3x4x5xf32>
}
