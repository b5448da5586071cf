// The structural ops through the custom printer and parser, with attributes
// defaulted and given; the second run goes through the generic form first.
// RUN: picosam-opt %s | picosam-opt | FileCheck %s
// RUN: picosam-opt %s --mlir-print-op-generic | picosam-opt | FileCheck %s

// CHECK-LABEL: func.func @pads(
// CHECK-NEXT: %0 = pico.pad %arg0 constant pads [0, 0, 1, 2, 0, 0, 3, 4] : tensor<1x2x4x5xf32> -> tensor<1x2x8x11xf32>
// CHECK-NEXT: %1 = pico.pad %arg0 constant pads [0, 1, 0, 0, 0, 1, 0, 0] {value = -1.500000e+00 : f32} : tensor<1x2x4x5xf32> -> tensor<1x4x4x5xf32>
// CHECK-NEXT: %2 = pico.pad %arg0 reflect pads [0, 0, 3, 4, 0, 0, 3, 4] : tensor<1x2x4x5xf32> -> tensor<1x2x10x13xf32>
// CHECK-NEXT: %3 = pico.pad %arg1 edge pads [2, 0, 0, 1] : tensor<3x2x!quant.uniform<i8:f32, 1.000000e-01:-3>> -> tensor<5x3x!quant.uniform<i8:f32, 1.000000e-01:-3>>
func.func @pads(%x: tensor<1x2x4x5xf32>, %q: tensor<3x2x!quant.uniform<i8:f32, 0.1:-3>>)
    -> (tensor<1x2x8x11xf32>, tensor<1x4x4x5xf32>, tensor<1x2x10x13xf32>, tensor<5x3x!quant.uniform<i8:f32, 0.1:-3>>) {
  %0 = pico.pad %x constant pads [0, 0, 1, 2, 0, 0, 3, 4] {value = 0.0 : f32} : tensor<1x2x4x5xf32> -> tensor<1x2x8x11xf32>
  %1 = pico.pad %x constant pads [0, 1, 0, 0, 0, 1, 0, 0] {value = -1.5 : f32} : tensor<1x2x4x5xf32> -> tensor<1x4x4x5xf32>
  %2 = pico.pad %x reflect pads [0, 0, 3, 4, 0, 0, 3, 4] : tensor<1x2x4x5xf32> -> tensor<1x2x10x13xf32>
  // A quantized pad keeps its input's type.
  %3 = pico.pad %q edge pads [2, 0, 0, 1] : tensor<3x2x!quant.uniform<i8:f32, 0.1:-3>> -> tensor<5x3x!quant.uniform<i8:f32, 0.1:-3>>
  return %0, %1, %2, %3 : tensor<1x2x8x11xf32>, tensor<1x4x4x5xf32>, tensor<1x2x10x13xf32>, tensor<5x3x!quant.uniform<i8:f32, 0.1:-3>>
}

// CHECK-LABEL: func.func @slices(
// CHECK-NEXT: %0 = pico.slice %arg0 offsets [0, 1, 0, 4] sizes [1, 1, 4, 3] strides [1, 1, 1, -2] : tensor<1x2x4x5xf32> -> tensor<1x1x4x3xf32>
// CHECK-NEXT: %1 = pico.slice %arg1 offsets [0, 0] sizes [3, 0] strides [1, 1] : tensor<3x2x!quant.uniform<i8:f32, 1.000000e-01:-3>> -> tensor<3x0x!quant.uniform<i8:f32, 1.000000e-01:-3>>
func.func @slices(%x: tensor<1x2x4x5xf32>, %q: tensor<3x2x!quant.uniform<i8:f32, 0.1:-3>>)
    -> (tensor<1x1x4x3xf32>, tensor<3x0x!quant.uniform<i8:f32, 0.1:-3>>) {
  %0 = pico.slice %x offsets [0, 1, 0, 4] sizes [1, 1, 4, 3] strides [1, 1, 1, -2] : tensor<1x2x4x5xf32> -> tensor<1x1x4x3xf32>
  // An empty slice reads nothing.
  %1 = pico.slice %q offsets [0, 0] sizes [3, 0] strides [1, 1] : tensor<3x2x!quant.uniform<i8:f32, 0.1:-3>> -> tensor<3x0x!quant.uniform<i8:f32, 0.1:-3>>
  return %0, %1 : tensor<1x1x4x3xf32>, tensor<3x0x!quant.uniform<i8:f32, 0.1:-3>>
}
