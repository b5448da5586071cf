// RUN: picosam-opt %s | picosam-opt | FileCheck %s

// CHECK-LABEL: func.func @fused_activations
func.func @fused_activations(%x: tensor<1x4xf32>, %y: tensor<1x4xf32>) -> tensor<1x4xf32> {
  // CHECK: pico.add {{.*}} {activation = #pico.act<relu>}
  %0 = pico.add %x, %y {activation = #pico.act<relu>} : tensor<1x4xf32>, tensor<1x4xf32> -> tensor<1x4xf32>
  // CHECK: pico.mul {{.*}} {activation = #pico.act<clip, min = 0.000000e+00, max = 6.000000e+00>}
  %1 = pico.mul %0, %y {activation = #pico.act<clip, min = 0.0, max = 6.0>} : tensor<1x4xf32>, tensor<1x4xf32> -> tensor<1x4xf32>
  // CHECK: pico.sub {{.*}} {activation = #pico.act<leaky_relu, alpha = 1.000000e-01>}
  %2 = pico.sub %1, %y {activation = #pico.act<leaky_relu, alpha = 0.1>} : tensor<1x4xf32>, tensor<1x4xf32> -> tensor<1x4xf32>
  return %2 : tensor<1x4xf32>
}
