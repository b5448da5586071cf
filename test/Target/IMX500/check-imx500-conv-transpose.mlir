// RUN: not picosam-opt %s --pico-check-imx500 -o /dev/null 2>&1 | FileCheck %s

// ConvTranspose's rules (observed): dilation 1, stride <= kernel, no pads
// and no output_shape (output padding), group 1; a decoder's k2 s2 and
// k4 s2 without pads pass.
// CHECK: error: loc("/padded"): node '/padded' (ConvTranspose): the IMX500 accepts ConvTranspose without pads and without output_shape; this has pads [1, 1, 1, 1] (top, left, bottom, right) and output padding 0x0
// CHECK-NEXT: note: loc("/padded"): observed behaviour of Sony's converter, not a published limit
// CHECK: error: loc("/dilated"): node '/dilated' (ConvTranspose): the IMX500 accepts ConvTranspose with dilation 1 only; this has dilations 2x1
// CHECK-NEXT: note: loc("/dilated"): observed behaviour of Sony's converter, not a published limit
// CHECK: error: loc("/wide_stride"): node '/wide_stride' (ConvTranspose): the IMX500 needs a ConvTranspose's stride no larger than its kernel; this has strides 3x2 and kernel 2x2
// CHECK-NEXT: note: loc("/wide_stride"): observed behaviour of Sony's converter, not a published limit
// CHECK: error: loc("/grouped"): node '/grouped' (ConvTranspose): the IMX500 accepts ConvTranspose with group 1 only; this has group 3
// CHECK-NEXT: note: loc("/grouped"): observed behaviour of Sony's converter, not a published limit
// CHECK: error: loc("/output_padding"): node '/output_padding' (ConvTranspose): the IMX500 accepts ConvTranspose without pads and without output_shape; this has pads [0, 0, 0, 0] (top, left, bottom, right) and output padding 1x1
// CHECK-NEXT: note: loc("/output_padding"): observed behaviour of Sony's converter, not a published limit
// CHECK: error: loc("/elu"): node '/elu' (ConvTranspose): the IMX500 fuses only ReLU, ReLU6/HardTanh, LeakyReLU, Sigmoid, HardSigmoid, HardSwish or Tanh into a convolution or Gemm; this carries elu
// CHECK-NOT: error
func.func @conv_transpose(%x: tensor<1x3x64x64xf32> loc("x")) -> (tensor<1x2x128x128xf32>, tensor<1x2x128x128xf32>, tensor<1x2x66x65xf32>, tensor<1x2x191x128xf32>, tensor<1x3x128x128xf32>, tensor<1x2x129x129xf32>, tensor<1x2x128x128xf32>, tensor<1x2x130x130xf32>) {
  %w2 = pico.constant dense<0.5> : tensor<2x3x2x2xf32> loc("w2")
  %w4 = pico.constant dense<0.5> : tensor<2x3x4x4xf32> loc("w4")
  %wg = pico.constant dense<0.5> : tensor<3x1x2x2xf32> loc("wg")
  %k2 = pico.conv_transpose2d %x, %w2 {activation = #pico.act<relu>, strides = array<i64: 2, 2>} : (tensor<1x3x64x64xf32>, tensor<2x3x2x2xf32>) -> tensor<1x2x128x128xf32> loc("/k2")
  %padded = pico.conv_transpose2d %x, %w4 {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x64x64xf32>, tensor<2x3x4x4xf32>) -> tensor<1x2x128x128xf32> loc("/padded")
  %dilated = pico.conv_transpose2d %x, %w2 {dilations = array<i64: 2, 1>} : (tensor<1x3x64x64xf32>, tensor<2x3x2x2xf32>) -> tensor<1x2x66x65xf32> loc("/dilated")
  %wide = pico.conv_transpose2d %x, %w2 {strides = array<i64: 3, 2>} : (tensor<1x3x64x64xf32>, tensor<2x3x2x2xf32>) -> tensor<1x2x191x128xf32> loc("/wide_stride")
  %grouped = pico.conv_transpose2d %x, %wg {group = 3 : i64, strides = array<i64: 2, 2>} : (tensor<1x3x64x64xf32>, tensor<3x1x2x2xf32>) -> tensor<1x3x128x128xf32> loc("/grouped")
  %padding = pico.conv_transpose2d %x, %w2 {strides = array<i64: 2, 2>, output_padding = array<i64: 1, 1>} : (tensor<1x3x64x64xf32>, tensor<2x3x2x2xf32>) -> tensor<1x2x129x129xf32> loc("/output_padding")
  %elu = pico.conv_transpose2d %x, %w2 {activation = #pico.act<elu, alpha = 1.0>, strides = array<i64: 2, 2>} : (tensor<1x3x64x64xf32>, tensor<2x3x2x2xf32>) -> tensor<1x2x128x128xf32> loc("/elu")
  %k4 = pico.conv_transpose2d %x, %w4 {strides = array<i64: 2, 2>} : (tensor<1x3x64x64xf32>, tensor<2x3x4x4xf32>) -> tensor<1x2x130x130xf32> loc("/k4")
  return %k2, %padded, %dilated, %wide, %grouped, %padding, %elu, %k4 : tensor<1x2x128x128xf32>, tensor<1x2x128x128xf32>, tensor<1x2x66x65xf32>, tensor<1x2x191x128xf32>, tensor<1x3x128x128xf32>, tensor<1x2x129x129xf32>, tensor<1x2x128x128xf32>, tensor<1x2x130x130xf32>
}
