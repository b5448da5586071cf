// --pico-fold-upsample: a nearest integer upsample of H and W read only as
// the input of convolutions goes away; the convolutions read its input with
// input_upsample. test/Transforms/fold-upsample-modes.test checks which
// coordinate/nearest mode pairs are exact.
// RUN: picosam-opt %s --pico-fold-upsample -o %t.mlir
// RUN: FileCheck %s < %t.mlir
// RUN: %python %S/Inputs/same_outputs.py --run picosam-run --work %t.d %s %t.mlir \
// RUN:   | FileCheck %s --check-prefix=SAME

// SAME: decoder_upsample: same
// SAME: two_convs: same
// SAME: upsampled_twice: same
// SAME: half_pixel_x3: same
// SAME: linear: same
// SAME: fractional_scale: same
// SAME: channel_scale: same
// SAME: unequal_scales: same
// SAME: other_user: same
// SAME: read_as_residual: same

// PicoSAM3's decoder: Resize (nearest, asymmetric, floor, x2), then a
// depthwise 3x3 convolution.
// CHECK-LABEL: func.func @decoder_upsample(
// CHECK-NEXT: %[[C:.+]] = pico.conv2d %arg0, %arg1 {group = 2 : i64, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x3x4xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x6x8xf32>
// CHECK-NEXT: return %[[C]]
func.func @decoder_upsample(%x: tensor<1x2x3x4xf32>, %w: tensor<2x1x3x3xf32>) -> tensor<1x2x6x8xf32> {
  %0 = pico.resize %x {coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x2x3x4xf32> -> tensor<1x2x6x8xf32>
  %1 = pico.conv2d %0, %w {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x6x8xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x6x8xf32>
  return %1 : tensor<1x2x6x8xf32>
}

// Every user folds it.
// CHECK-LABEL: func.func @two_convs(
// CHECK-NEXT: pico.conv2d %arg0, %arg1 {input_upsample = 2 : i64}
// CHECK-NEXT: pico.conv2d %arg0, %arg2 {input_upsample = 2 : i64, strides = array<i64: 2, 2>}
// CHECK-NEXT: return
func.func @two_convs(%x: tensor<1x2x3x4xf32>, %w: tensor<3x2x1x1xf32>, %w2: tensor<5x2x2x2xf32>) -> (tensor<1x3x6x8xf32>, tensor<1x5x3x4xf32>) {
  %0 = pico.resize %x {coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x2x3x4xf32> -> tensor<1x2x6x8xf32>
  %1 = pico.conv2d %0, %w : (tensor<1x2x6x8xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x6x8xf32>
  %2 = pico.conv2d %0, %w2 {strides = array<i64: 2, 2>} : (tensor<1x2x6x8xf32>, tensor<5x2x2x2xf32>) -> tensor<1x5x3x4xf32>
  return %1, %2 : tensor<1x3x6x8xf32>, tensor<1x5x3x4xf32>
}

// A convolution that upsamples already multiplies the factors.
// CHECK-LABEL: func.func @upsampled_twice(
// CHECK-NEXT: pico.conv2d %arg0, %arg1 {input_upsample = 6 : i64} : (tensor<1x2x2x2xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x12x12xf32>
func.func @upsampled_twice(%x: tensor<1x2x2x2xf32>, %w: tensor<3x2x1x1xf32>) -> tensor<1x3x12x12xf32> {
  %0 = pico.resize %x {coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 1.0, 3.0, 3.0>} : tensor<1x2x2x2xf32> -> tensor<1x2x6x6xf32>
  %1 = pico.conv2d %0, %w {input_upsample = 2 : i64} : (tensor<1x2x6x6xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x12x12xf32>
  return %1 : tensor<1x3x12x12xf32>
}

// half_pixel with rounding is exact for every integer factor.
// CHECK-LABEL: func.func @half_pixel_x3(
// CHECK-NEXT: pico.conv2d %arg0, %arg1 {input_upsample = 3 : i64}
func.func @half_pixel_x3(%x: tensor<1x2x3x4xf32>, %w: tensor<3x2x1x1xf32>) -> tensor<1x3x9x12xf32> {
  %0 = pico.resize %x {mode = #pico<resize_mode nearest>, scales = array<f32: 1.0, 1.0, 3.0, 3.0>} : tensor<1x2x3x4xf32> -> tensor<1x2x9x12xf32>
  %1 = pico.conv2d %0, %w : (tensor<1x2x9x12xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x9x12xf32>
  return %1 : tensor<1x3x9x12xf32>
}

// Not folded: linear interpolation is not a nearest upsample.
// CHECK-LABEL: func.func @linear(
// CHECK-NEXT: pico.resize
// CHECK-NEXT: pico.conv2d
func.func @linear(%x: tensor<1x2x3x4xf32>, %w: tensor<3x2x1x1xf32>) -> tensor<1x3x6x8xf32> {
  %0 = pico.resize %x {coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, mode = #pico<resize_mode linear>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x2x3x4xf32> -> tensor<1x2x6x8xf32>
  %1 = pico.conv2d %0, %w : (tensor<1x2x6x8xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x6x8xf32>
  return %1 : tensor<1x3x6x8xf32>
}

// Not folded: 1.5 is not an integer factor.
// CHECK-LABEL: func.func @fractional_scale(
// CHECK-NEXT: pico.resize
func.func @fractional_scale(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>) -> tensor<1x3x6x6xf32> {
  %0 = pico.resize %x {coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 1.0, 1.5, 1.5>} : tensor<1x2x4x4xf32> -> tensor<1x2x6x6xf32>
  %1 = pico.conv2d %0, %w : (tensor<1x2x6x6xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x6x6xf32>
  return %1 : tensor<1x3x6x6xf32>
}

// Not folded: the channels are scaled too.
// CHECK-LABEL: func.func @channel_scale(
// CHECK-NEXT: pico.resize
func.func @channel_scale(%x: tensor<1x2x3x4xf32>, %w: tensor<3x4x1x1xf32>) -> tensor<1x3x6x8xf32> {
  %0 = pico.resize %x {coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 2.0, 2.0, 2.0>} : tensor<1x2x3x4xf32> -> tensor<1x4x6x8xf32>
  %1 = pico.conv2d %0, %w : (tensor<1x4x6x8xf32>, tensor<3x4x1x1xf32>) -> tensor<1x3x6x8xf32>
  return %1 : tensor<1x3x6x8xf32>
}

// Not folded: input_upsample scales H and W alike.
// CHECK-LABEL: func.func @unequal_scales(
// CHECK-NEXT: pico.resize
func.func @unequal_scales(%x: tensor<1x2x3x4xf32>, %w: tensor<3x2x1x1xf32>) -> tensor<1x3x6x12xf32> {
  %0 = pico.resize %x {coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 1.0, 2.0, 3.0>} : tensor<1x2x3x4xf32> -> tensor<1x2x6x12xf32>
  %1 = pico.conv2d %0, %w : (tensor<1x2x6x12xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x6x12xf32>
  return %1 : tensor<1x3x6x12xf32>
}

// Not folded: the add needs the upsampled tensor.
// CHECK-LABEL: func.func @other_user(
// CHECK-NEXT: %[[U:.+]] = pico.resize
// CHECK-NEXT: pico.conv2d %[[U]]
func.func @other_user(%x: tensor<1x2x3x4xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x6x8xf32> {
  %0 = pico.resize %x {coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x2x3x4xf32> -> tensor<1x2x6x8xf32>
  %1 = pico.conv2d %0, %w : (tensor<1x2x6x8xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x6x8xf32>
  %2 = pico.add %1, %0 : tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32> -> tensor<1x2x6x8xf32>
  return %2 : tensor<1x2x6x8xf32>
}

// Not folded: a residual is read whole, not through an upsample.
// CHECK-LABEL: func.func @read_as_residual(
// CHECK-NEXT: %[[U:.+]] = pico.resize
// CHECK-NEXT: pico.conv2d %arg1, %arg2 residual %[[U]]
func.func @read_as_residual(%x: tensor<1x2x3x4xf32>, %y: tensor<1x2x6x8xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x6x8xf32> {
  %0 = pico.resize %x {coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x2x3x4xf32> -> tensor<1x2x6x8xf32>
  %1 = pico.conv2d %y, %w residual %0 : (tensor<1x2x6x8xf32>, tensor<2x2x1x1xf32>, tensor<1x2x6x8xf32>) -> tensor<1x2x6x8xf32>
  return %1 : tensor<1x2x6x8xf32>
}
