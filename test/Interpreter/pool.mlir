// Average and max pooling against PyTorch: padding counted or not, ceil_mode,
// dilations, and padding that never wins a max.
// RUN: rm -rf %t && %python %S/Inputs/check_ops.py --tool picosam-run --ir %s --work %t \
// RUN:   avg_pool_include_pad avg_pool_exclude_pad_ceil avg_pool_include_pad_ceil \
// RUN:   max_pool_dilation max_pool_ceil_padding | FileCheck %s

// CHECK: avg_pool_include_pad: ok
func.func @avg_pool_include_pad(%x: tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32> {
  %0 = pico.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true} : tensor<1x2x7x7xf32> -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// CHECK: avg_pool_exclude_pad_ceil: ok
func.func @avg_pool_exclude_pad_ceil(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32> {
  %0 = pico.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true} : tensor<1x2x6x6xf32> -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// CHECK: avg_pool_include_pad_ceil: ok
func.func @avg_pool_include_pad_ceil(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32> {
  %0 = pico.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true, ceil_mode = true} : tensor<1x2x6x6xf32> -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// CHECK: max_pool_dilation: ok
func.func @max_pool_dilation(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x8x4xf32> {
  %0 = pico.max_pool %x {kernel_shape = array<i64: 2, 3>, strides = array<i64: 1, 2>, dilations = array<i64: 2, 1>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x2x8x8xf32> -> tensor<1x2x8x4xf32>
  return %0 : tensor<1x2x8x4xf32>
}

// CHECK: max_pool_ceil_padding: ok
func.func @max_pool_ceil_padding(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> {
  %0 = pico.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>, ceil_mode = true} : tensor<1x1x5x5xf32> -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}
