// Broadcasting arithmetic, activations (fused and standalone), batch_norm,
// global_avg_pool and softmax against PyTorch / numpy.
// RUN: rm -rf %t && %python %S/Inputs/check_ops.py --tool picosam-run --ir %s --work %t \
// RUN:   add_broadcast sub_broadcast mul_scalar div_channels activations \
// RUN:   batch_norm global_avg_pool softmax | FileCheck %s

// CHECK: add_broadcast: ok
func.func @add_broadcast(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = pico.add %a, %b {activation = #pico.act<relu>} : tensor<2x1x4xf32>, tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// CHECK: sub_broadcast: ok
func.func @sub_broadcast(%a: tensor<4xf32>, %b: tensor<2x3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = pico.sub %a, %b : tensor<4xf32>, tensor<2x3x1xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// CHECK: mul_scalar: ok
func.func @mul_scalar(%a: tensor<2x3xf32>, %b: tensor<f32>) -> tensor<2x3xf32> {
  %0 = pico.mul %a, %b : tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK: div_channels: ok
func.func @div_channels(%a: tensor<2x3x4x5xf32>, %b: tensor<3x1x1xf32>) -> tensor<2x3x4x5xf32> {
  %0 = pico.div %a, %b : tensor<2x3x4x5xf32>, tensor<3x1x1xf32> -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// CHECK: activations: ok
func.func @activations(%x: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
  %four = pico.constant dense<4.0> : tensor<f32>
  %s = pico.mul %x, %four : tensor<3x4xf32>, tensor<f32> -> tensor<3x4xf32>
  %0 = pico.relu %s : tensor<3x4xf32> -> tensor<3x4xf32>
  %1 = pico.clip %s {min = -1.0 : f32, max = 2.0 : f32} : tensor<3x4xf32> -> tensor<3x4xf32>
  %2 = pico.leaky_relu %s {alpha = 0.2 : f32} : tensor<3x4xf32> -> tensor<3x4xf32>
  %3 = pico.sigmoid %s : tensor<3x4xf32> -> tensor<3x4xf32>
  %4 = pico.hard_sigmoid %s {alpha = 0.25 : f32, beta = 0.4 : f32} : tensor<3x4xf32> -> tensor<3x4xf32>
  %5 = pico.hard_swish %s : tensor<3x4xf32> -> tensor<3x4xf32>
  %6 = pico.tanh %s : tensor<3x4xf32> -> tensor<3x4xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>
}

// CHECK: batch_norm: ok
func.func @batch_norm(%x: tensor<2x3x4x5xf32>, %scale: tensor<3xf32>, %bias: tensor<3xf32>, %mean: tensor<3xf32>, %var: tensor<3xf32>) -> tensor<2x3x4x5xf32> {
  %0 = pico.batch_norm %x, %scale, %bias, %mean, %var {epsilon = 1.0e-3 : f32} : (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// CHECK: global_avg_pool: ok
func.func @global_avg_pool(%x: tensor<2x3x5x7xf32>) -> tensor<2x3x1x1xf32> {
  %0 = pico.global_avg_pool %x : tensor<2x3x5x7xf32> -> tensor<2x3x1x1xf32>
  return %0 : tensor<2x3x1x1xf32>
}

// CHECK: softmax: ok
func.func @softmax(%x: tensor<2x5x3xf32>) -> (tensor<2x5x3xf32>, tensor<2x5x3xf32>) {
  %0 = pico.softmax %x {axis = 1 : i64} : tensor<2x5x3xf32> -> tensor<2x5x3xf32>
  %1 = pico.softmax %x : tensor<2x5x3xf32> -> tensor<2x5x3xf32>
  return %0, %1 : tensor<2x5x3xf32>, tensor<2x5x3xf32>
}
