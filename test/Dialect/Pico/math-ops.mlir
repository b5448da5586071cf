// The element-wise math ops, max/min, log-softmax and instance_norm print
// and parse back, and the math kinds print as #pico.act parameters.
// RUN: picosam-opt %s | picosam-opt | FileCheck %s

// CHECK-LABEL: func.func @unary
func.func @unary(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: pico.abs %{{.*}} : tensor<2x3xf32> -> tensor<2x3xf32>
  %0 = pico.abs %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: pico.neg
  %1 = pico.neg %0 : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: pico.exp
  %2 = pico.exp %1 : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: pico.sqrt
  %3 = pico.sqrt %2 : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: pico.pow %{{.*}} {exponent = 3.000000e+00 : f32}
  %4 = pico.pow %3 {exponent = 3.0 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: pico.elu %{{.*}} {alpha = 5.000000e-01 : f32}
  %5 = pico.elu %4 {alpha = 0.5 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: pico.selu %{{.*}} : tensor<2x3xf32>
  %6 = pico.selu %5 : tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: pico.softplus
  %7 = pico.softplus %6 : tensor<2x3xf32> -> tensor<2x3xf32>
  return %7 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @fused
func.func @fused(%x: tensor<1x4xf32>, %y: tensor<4xf32>) -> tensor<1x4xf32> {
  // CHECK: pico.max {{.*}} {activation = #pico.act<pow, exponent = 2.000000e+00>}
  %0 = pico.max %x, %y {activation = #pico.act<pow, exponent = 2.0>} : tensor<1x4xf32>, tensor<4xf32> -> tensor<1x4xf32>
  // CHECK: pico.min {{.*}} {activation = #pico.act<selu, alpha = 1.500000e+00, gamma = 2.000000e+00>}
  %1 = pico.min %0, %y {activation = #pico.act<selu, alpha = 1.5, gamma = 2.0>} : tensor<1x4xf32>, tensor<4xf32> -> tensor<1x4xf32>
  // CHECK: pico.add {{.*}} {activation = #pico.act<elu, alpha = 1.000000e+00>}
  %2 = pico.add %1, %y {activation = #pico.act<elu, alpha = 1.0>} : tensor<1x4xf32>, tensor<4xf32> -> tensor<1x4xf32>
  // CHECK: pico.sub {{.*}} {activation = #pico.act<softplus>}
  %3 = pico.sub %2, %y {activation = #pico.act<softplus>} : tensor<1x4xf32>, tensor<4xf32> -> tensor<1x4xf32>
  return %3 : tensor<1x4xf32>
}

// CHECK-LABEL: func.func @normalisations
func.func @normalisations(%x: tensor<1x2x3x3xf32>, %p: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  // CHECK: pico.softmax %{{.*}} {axis = 1 : i64, log}
  %0 = pico.softmax %x {axis = 1 : i64, log} : tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32>
  // CHECK: pico.instance_norm %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f32}
  %1 = pico.instance_norm %0, %p, %p {epsilon = 1.0e-3 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}
