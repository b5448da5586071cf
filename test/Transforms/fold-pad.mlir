// --pico-fold-pad: a constant pad of H and W becomes the pads of the
// convolutions and pools reading it, when that computes the same; every
// function gives the same outputs before and after.
// RUN: picosam-opt %s --pico-fold-pad -o %t.mlir
// RUN: FileCheck %s < %t.mlir
// RUN: %python %S/Inputs/same_outputs.py --run picosam-run --work %t.d %s %t.mlir \
// RUN:   | FileCheck %s --check-prefix=SAME

// SAME: conv: same
// SAME: avg_pool: same
// SAME: avg_pool_own_pads: same
// SAME: max_pool_relu: same
// SAME: max_pool_minus_inf: same
// SAME: max_pool_signed: same
// SAME: avg_pool_excluded_pads: same
// SAME: avg_pool_only_padding: same
// SAME: nonzero_value: same
// SAME: reflect: same
// SAME: channel_pad: same
// SAME: other_user: same

// CHECK-LABEL: func.func @conv(
// CHECK-NEXT: %[[C:.+]] = pico.conv2d %arg0, %arg1 {pads = array<i64: 2, 1, 1, 3>} : (tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x6x7xf32>
// CHECK-NEXT: return %[[C]]
func.func @conv(%x: tensor<1x2x5x5xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x6x7xf32> {
  %0 = pico.pad %x constant pads [0, 0, 1, 0, 0, 0, 0, 2] : tensor<1x2x5x5xf32> -> tensor<1x2x6x7xf32>
  %1 = pico.conv2d %0, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x6x7xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x6x7xf32>
  return %1 : tensor<1x3x6x7xf32>
}

// torch's AvgPool2d(3, 2, padding=1): Pad + AveragePool, the zeros in the
// divisor.
// CHECK-LABEL: func.func @avg_pool(
// CHECK-NEXT: %[[P:.+]] = pico.avg_pool %arg0 {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-NEXT: return %[[P]]
func.func @avg_pool(%x: tensor<1x2x5x6xf32>) -> tensor<1x2x3x3xf32> {
  %0 = pico.pad %x constant pads [0, 0, 1, 1, 0, 0, 1, 1] : tensor<1x2x5x6xf32> -> tensor<1x2x7x8xf32>
  %1 = pico.avg_pool %0 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>} : tensor<1x2x7x8xf32> -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// CHECK-LABEL: func.func @avg_pool_own_pads(
// CHECK-NEXT: pico.avg_pool %arg0 {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 2, 1, 1>}
func.func @avg_pool_own_pads(%x: tensor<1x2x5x6xf32>) -> tensor<1x2x5x7xf32> {
  %0 = pico.pad %x constant pads [0, 0, 0, 1, 0, 0, 0, 0] : tensor<1x2x5x6xf32> -> tensor<1x2x5x7xf32>
  %1 = pico.avg_pool %0 {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x2x5x7xf32> -> tensor<1x2x5x7xf32>
  return %1 : tensor<1x2x5x7xf32>
}

// CHECK-LABEL: func.func @max_pool_relu(
// CHECK-NEXT: %[[R:.+]] = pico.relu %arg0
// CHECK-NEXT: pico.max_pool %[[R]] {kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
func.func @max_pool_relu(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32> {
  %r = pico.relu %x : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  %0 = pico.pad %r constant pads [0, 0, 1, 1, 0, 0, 1, 1] : tensor<1x2x4x4xf32> -> tensor<1x2x6x6xf32>
  %1 = pico.max_pool %0 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x6x6xf32> -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// CHECK-LABEL: func.func @max_pool_minus_inf(
// CHECK-NEXT: pico.max_pool %arg0 {kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
func.func @max_pool_minus_inf(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32> {
  %0 = pico.pad %x constant pads [0, 0, 1, 1, 0, 0, 1, 1] {value = 0xFF800000 : f32} : tensor<1x2x4x4xf32> -> tensor<1x2x6x6xf32>
  %1 = pico.max_pool %0 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x6x6xf32> -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// Zeros are larger than negative elements: the pad stays.
// CHECK-LABEL: func.func @max_pool_signed(
// CHECK-NEXT: pico.pad
// CHECK-NEXT: pico.max_pool
func.func @max_pool_signed(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32> {
  %0 = pico.pad %x constant pads [0, 0, 1, 1, 0, 0, 1, 1] : tensor<1x2x4x4xf32> -> tensor<1x2x6x6xf32>
  %1 = pico.max_pool %0 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x6x6xf32> -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// The pool's own pads are not in the divisor, the pad's zeros would be.
// CHECK-LABEL: func.func @avg_pool_excluded_pads(
// CHECK-NEXT: pico.pad
// CHECK-NEXT: pico.avg_pool
func.func @avg_pool_excluded_pads(%x: tensor<1x2x5x6xf32>) -> tensor<1x2x5x7xf32> {
  %0 = pico.pad %x constant pads [0, 0, 0, 1, 0, 0, 0, 0] : tensor<1x2x5x6xf32> -> tensor<1x2x5x7xf32>
  %1 = pico.avg_pool %0 {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x2x5x7xf32> -> tensor<1x2x5x7xf32>
  return %1 : tensor<1x2x5x7xf32>
}

// A window over the pad's zeros only averages to 0; pico's pools need an
// input element in every window.
// CHECK-LABEL: func.func @avg_pool_only_padding(
// CHECK-NEXT: pico.pad
// CHECK-NEXT: pico.avg_pool
func.func @avg_pool_only_padding(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32> {
  %0 = pico.pad %x constant pads [0, 0, 2, 2, 0, 0, 2, 2] : tensor<1x1x2x2xf32> -> tensor<1x1x6x6xf32>
  %1 = pico.avg_pool %0 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x6x6xf32> -> tensor<1x1x3x3xf32>
  return %1 : tensor<1x1x3x3xf32>
}

// CHECK-LABEL: func.func @nonzero_value(
// CHECK-NEXT: pico.pad
// CHECK-NEXT: pico.conv2d
func.func @nonzero_value(%x: tensor<1x2x5x5xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x5x5xf32> {
  %0 = pico.pad %x constant pads [0, 0, 1, 1, 0, 0, 1, 1] {value = 1.0 : f32} : tensor<1x2x5x5xf32> -> tensor<1x2x7x7xf32>
  %1 = pico.conv2d %0, %w : (tensor<1x2x7x7xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x5x5xf32>
  return %1 : tensor<1x3x5x5xf32>
}

// CHECK-LABEL: func.func @reflect(
// CHECK-NEXT: pico.pad
// CHECK-NEXT: pico.conv2d
func.func @reflect(%x: tensor<1x2x5x5xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x5x5xf32> {
  %0 = pico.pad %x reflect pads [0, 0, 1, 1, 0, 0, 1, 1] : tensor<1x2x5x5xf32> -> tensor<1x2x7x7xf32>
  %1 = pico.conv2d %0, %w : (tensor<1x2x7x7xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x5x5xf32>
  return %1 : tensor<1x3x5x5xf32>
}

// CHECK-LABEL: func.func @channel_pad(
// CHECK-NEXT: pico.pad
// CHECK-NEXT: pico.conv2d
func.func @channel_pad(%x: tensor<1x1x5x5xf32>, %w: tensor<3x2x1x1xf32>) -> tensor<1x3x5x5xf32> {
  %0 = pico.pad %x constant pads [0, 1, 0, 0, 0, 0, 0, 0] : tensor<1x1x5x5xf32> -> tensor<1x2x5x5xf32>
  %1 = pico.conv2d %0, %w : (tensor<1x2x5x5xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x5x5xf32>
  return %1 : tensor<1x3x5x5xf32>
}

// The convolution takes the pads; the pad stays for its other user.
// CHECK-LABEL: func.func @other_user(
// CHECK-NEXT: %[[PAD:.+]] = pico.pad
// CHECK-NEXT: %[[C:.+]] = pico.conv2d %arg0, %arg1 {pads = array<i64: 1, 1, 1, 1>}
// CHECK-NEXT: return %[[C]], %[[PAD]]
func.func @other_user(%x: tensor<1x2x5x5xf32>, %w: tensor<3x2x3x3xf32>) -> (tensor<1x3x5x5xf32>, tensor<1x2x7x7xf32>) {
  %0 = pico.pad %x constant pads [0, 0, 1, 1, 0, 0, 1, 1] : tensor<1x2x5x5xf32> -> tensor<1x2x7x7xf32>
  %1 = pico.conv2d %0, %w : (tensor<1x2x7x7xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x5x5xf32>
  return %1, %0 : tensor<1x3x5x5xf32>, tensor<1x2x7x7xf32>
}
