// Convolutions against PyTorch: asymmetric pads, strides, dilations, groups,
// depthwise and pointwise, with and without bias and fused activations.
// RUN: rm -rf %t && %python %S/Inputs/check_ops.py --tool picosam-run --ir %s --work %t \
// RUN:   conv_pads_stride conv_groups_dilation conv_depthwise conv_pointwise | FileCheck %s

// CHECK: conv_pads_stride: ok
func.func @conv_pads_stride(%x: tensor<1x3x7x8xf32>, %w: tensor<4x3x3x2xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x8xf32> {
  %0 = pico.conv2d %x, %w, %b {strides = array<i64: 2, 1>, pads = array<i64: 1, 0, 2, 1>, activation = #pico.act<relu>} : (tensor<1x3x7x8xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>) -> tensor<1x4x4x8xf32>
  return %0 : tensor<1x4x4x8xf32>
}

// CHECK: conv_groups_dilation: ok
func.func @conv_groups_dilation(%x: tensor<2x4x9x9xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<2x6x7x4xf32> {
  %0 = pico.conv2d %x, %w {strides = array<i64: 1, 2>, dilations = array<i64: 2, 3>, pads = array<i64: 2, 1, 0, 3>, group = 2 : i64, activation = #pico.act<clip, min = -0.5, max = 0.5>} : (tensor<2x4x9x9xf32>, tensor<6x2x3x3xf32>) -> tensor<2x6x7x4xf32>
  return %0 : tensor<2x6x7x4xf32>
}

// CHECK: conv_depthwise: ok
func.func @conv_depthwise(%x: tensor<1x5x6x6xf32>, %w: tensor<5x1x3x3xf32>, %b: tensor<5xf32>) -> tensor<1x5x6x6xf32> {
  %0 = pico.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, group = 5 : i64, activation = #pico.act<leaky_relu, alpha = 0.1>} : (tensor<1x5x6x6xf32>, tensor<5x1x3x3xf32>, tensor<5xf32>) -> tensor<1x5x6x6xf32>
  return %0 : tensor<1x5x6x6xf32>
}

// CHECK: conv_pointwise: ok
func.func @conv_pointwise(%x: tensor<1x8x5x7xf32>, %w: tensor<3x8x1x1xf32>) -> tensor<1x3x5x7xf32> {
  %0 = pico.conv2d %x, %w : (tensor<1x8x5x7xf32>, tensor<3x8x1x1xf32>) -> tensor<1x3x5x7xf32>
  return %0 : tensor<1x3x5x7xf32>
}
