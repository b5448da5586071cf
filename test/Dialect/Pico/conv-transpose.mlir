// pico.conv_transpose2d through the printer and parser, with attributes
// defaulted and given; the second run goes through the generic form first.
// RUN: picosam-opt %s | picosam-opt | FileCheck %s
// RUN: picosam-opt %s --mlir-print-op-generic | picosam-opt | FileCheck %s

// CHECK-LABEL: func.func @conv_transpose(
// CHECK-NEXT: %0 = pico.conv_transpose2d %arg0, %arg1, %arg2 {strides = array<i64: 2, 2>} : (tensor<1x8x6x6xf32>, tensor<4x8x2x2xf32>, tensor<4xf32>) -> tensor<1x4x12x12xf32>
// CHECK-NEXT: %1 = pico.conv_transpose2d %arg0, %arg3 {activation = #pico.act<relu>, dilations = array<i64: 1, 2>, group = 2 : i64, output_padding = array<i64: 1, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x6x6xf32>, tensor<6x4x4x4xf32>) -> tensor<1x6x13x15xf32>
func.func @conv_transpose(%x: tensor<1x8x6x6xf32>, %w: tensor<4x8x2x2xf32>,
                          %b: tensor<4xf32>, %wg: tensor<6x4x4x4xf32>)
    -> (tensor<1x4x12x12xf32>, tensor<1x6x13x15xf32>) {
  %0 = pico.conv_transpose2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>}
      : (tensor<1x8x6x6xf32>, tensor<4x8x2x2xf32>, tensor<4xf32>) -> tensor<1x4x12x12xf32>
  // H: 2 * 5 + 3 + 1 + 1 - 2 = 13; W: 2 * 5 + 6 + 1 - 2 = 15.
  %1 = pico.conv_transpose2d %x, %wg {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>,
      dilations = array<i64: 1, 2>, output_padding = array<i64: 1, 0>, group = 2 : i64,
      activation = #pico.act<relu>}
      : (tensor<1x8x6x6xf32>, tensor<6x4x4x4xf32>) -> tensor<1x6x13x15xf32>
  return %0, %1 : tensor<1x4x12x12xf32>, tensor<1x6x13x15xf32>
}
