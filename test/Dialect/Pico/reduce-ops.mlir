// pico.reduce and pico.prelu through the custom printer and parser; the
// second run goes through the generic form first.
// RUN: picosam-opt %s | picosam-opt | FileCheck %s
// RUN: picosam-opt %s --mlir-print-op-generic | picosam-opt | FileCheck %s

// CHECK-LABEL: func.func @reductions(
// CHECK-NEXT: %0 = pico.reduce %arg0 mean axes [2, 3] keep_dims : tensor<1x4x3x5xf32> -> tensor<1x4x1x1xf32>
// CHECK-NEXT: %1 = pico.reduce %arg0 sum axes [1, 3] : tensor<1x4x3x5xf32> -> tensor<1x3xf32>
// CHECK-NEXT: %2 = pico.reduce %arg0 max axes [1] keep_dims : tensor<1x4x3x5xf32> -> tensor<1x1x3x5xf32>
// CHECK-NEXT: %3 = pico.reduce %arg1 max axes [0] : tensor<3x2x!quant.uniform<i8:f32, 1.000000e-01:-3>> -> tensor<2x!quant.uniform<i8:f32, 1.000000e-01:-3>>
func.func @reductions(%x: tensor<1x4x3x5xf32>, %q: tensor<3x2x!quant.uniform<i8:f32, 0.1:-3>>)
    -> (tensor<1x4x1x1xf32>, tensor<1x3xf32>, tensor<1x1x3x5xf32>, tensor<2x!quant.uniform<i8:f32, 0.1:-3>>) {
  %0 = pico.reduce %x mean axes [2, 3] keep_dims : tensor<1x4x3x5xf32> -> tensor<1x4x1x1xf32>
  %1 = pico.reduce %x sum axes [1, 3] : tensor<1x4x3x5xf32> -> tensor<1x3xf32>
  %2 = pico.reduce %x max axes [1] keep_dims : tensor<1x4x3x5xf32> -> tensor<1x1x3x5xf32>
  %3 = pico.reduce %q max axes [0] : tensor<3x2x!quant.uniform<i8:f32, 0.1:-3>> -> tensor<2x!quant.uniform<i8:f32, 0.1:-3>>
  return %0, %1, %2, %3 : tensor<1x4x1x1xf32>, tensor<1x3xf32>, tensor<1x1x3x5xf32>, tensor<2x!quant.uniform<i8:f32, 0.1:-3>>
}

// CHECK-LABEL: func.func @prelu(
// CHECK-NEXT: %0 = pico.prelu %arg0, %arg1 : tensor<1x4x3x5xf32>, tensor<4x1x1xf32> -> tensor<1x4x3x5xf32>
func.func @prelu(%x: tensor<1x4x3x5xf32>, %slope: tensor<4x1x1xf32>) -> tensor<1x4x3x5xf32> {
  %0 = pico.prelu %x, %slope : tensor<1x4x3x5xf32>, tensor<4x1x1xf32> -> tensor<1x4x3x5xf32>
  return %0 : tensor<1x4x3x5xf32>
}
