// Every verifier and shape-inference error of the pico ops, one case each.
// RUN: picosam-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// Shared rules
//===----------------------------------------------------------------------===//

func.func @result_shape_mismatch(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'pico.relu' op result #0 has shape [3, 2] but the operands and attributes give [2, 3]}}
  %0 = pico.relu %x : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @dynamic_result(%x: tensor<2x3xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{'pico.relu' op result #0 must be a statically shaped tensor, got 'tensor<?x3xf32>'}}
  %0 = pico.relu %x : tensor<2x3xf32> -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

func.func @dynamic_operand(%x: tensor<?x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.sigmoid' op operand #0 must be statically shaped, got 'tensor<?x3xf32>'}}
  %0 = pico.sigmoid %x : tensor<?x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @float_types_differ(%x: tensor<2x3xf32>, %y: tensor<2x3xf16>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.add' op float operands and results must have one element type, got 'f32' and 'f16'}}
  %0 = pico.add %x, %y : tensor<2x3xf32>, tensor<2x3xf16> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @explicit_none_activation(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.mul' op has an explicit #pico.act<none>; omit the 'activation' attribute instead}}
  %0 = pico.mul %x, %x {activation = #pico.act<none>} : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @fused_clip_min_above_max(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{clip min (6.000000e+00) is greater than max (0.000000e+00)}}
  %0 = pico.add %x, %x {activation = #pico.act<clip, min = 6.0, max = 0.0>} : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// pico.constant
//===----------------------------------------------------------------------===//

// -----

func.func @constant_shape() -> tensor<3xf32> {
  // expected-error @+1 {{'pico.constant' op result #0 has shape [3] but the operands and attributes give [2]}}
  %0 = pico.constant dense<1.0> : tensor<2xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @constant_vector() -> tensor<2xf32> {
  // expected-error @+1 {{'pico.constant' op value must be a tensor, got 'vector<2xf32>'}}
  %0 = pico.constant dense<1.0> : vector<2xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @constant_element_type() -> tensor<2xf32> {
  // expected-error @+1 {{'pico.constant' op value element type 'i32' differs from the result element type 'f32'}}
  %0 = pico.constant dense<1> : tensor<2xi32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @constant_storage_type() -> tensor<2x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{'pico.constant' op value element type 'i32' is not the storage type 'i8' of '!quant.uniform<i8:f32, 5.000000e-01>'}}
  %0 = pico.constant dense<1> : tensor<2xi32> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<2x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @constant_not_uniform() -> tensor<2x!quant.any<i8:f32>> {
  // expected-error @+1 {{'pico.constant' op quantized result element type must be a per-tensor or per-axis !quant.uniform, got '!quant.any<i8:f32>'}}
  %0 = pico.constant dense<1> : tensor<2xi8> -> tensor<2x!quant.any<i8:f32>>
  return %0 : tensor<2x!quant.any<i8:f32>>
}

// -----

func.func @constant_per_axis_scales() -> tensor<3x!quant.uniform<i8:f32:0, {0.1, 0.2}>> {
  // expected-error @+1 {{'pico.constant' op per-axis quantization has 2 scales but axis 0 has 3 elements}}
  %0 = pico.constant dense<1> : tensor<3xi8> -> tensor<3x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
  return %0 : tensor<3x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
}

//===----------------------------------------------------------------------===//
// pico.conv2d
//===----------------------------------------------------------------------===//

// -----

func.func @conv_input_rank(%x: tensor<8x16x16xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{'pico.conv2d' op expects a 4-D NCHW input, got rank 3}}
  %0 = pico.conv2d %x, %w : (tensor<8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

func.func @conv_weight_rank(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{'pico.conv2d' op expects a 4-D OIHW weight, got rank 3}}
  %0 = pico.conv2d %x, %w : (tensor<1x8x16x16xf32>, tensor<16x8x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

func.func @conv_strides_size(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{'pico.conv2d' op 'strides' must have 2 entries, got 3}}
  %0 = pico.conv2d %x, %w {strides = array<i64: 1, 1, 1>} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

func.func @conv_strides_range(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{'pico.conv2d' op 'strides' entries must be >= 1, got [1, 0]}}
  %0 = pico.conv2d %x, %w {strides = array<i64: 1, 0>} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

func.func @conv_dilations_range(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{'pico.conv2d' op 'dilations' entries must be >= 1, got [0, 1]}}
  %0 = pico.conv2d %x, %w {dilations = array<i64: 0, 1>} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

func.func @conv_pads_size(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x16x16xf32> {
  // expected-error @+1 {{'pico.conv2d' op 'pads' must have 4 entries, got 2}}
  %0 = pico.conv2d %x, %w {pads = array<i64: 1, 1>} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x16x16xf32>
  return %0 : tensor<1x16x16x16xf32>
}

// -----

func.func @conv_pads_range(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{'pico.conv2d' op 'pads' entries must be >= 0, got [0, 0, -1, 0]}}
  %0 = pico.conv2d %x, %w {pads = array<i64: 0, 0, -1, 0>} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

func.func @conv_group_range(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{'pico.conv2d' op 'group' must be >= 1, got 0}}
  %0 = pico.conv2d %x, %w {group = 0 : i64} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

func.func @conv_input_channels_group(%x: tensor<1x6x16x16xf32>, %w: tensor<16x1x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{'pico.conv2d' op input channels (6) are not a multiple of group (4)}}
  %0 = pico.conv2d %x, %w {group = 4 : i64} : (tensor<1x6x16x16xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

func.func @conv_output_channels_group(%x: tensor<1x8x16x16xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x14x14xf32> {
  // expected-error @+1 {{'pico.conv2d' op output channels (6) are not a multiple of group (4)}}
  %0 = pico.conv2d %x, %w {group = 4 : i64} : (tensor<1x8x16x16xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x14x14xf32>
  return %0 : tensor<1x6x14x14xf32>
}

// -----

func.func @conv_weight_channels(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{'pico.conv2d' op weight has 8 input channels per group, expected 8 / 2 = 4}}
  %0 = pico.conv2d %x, %w {group = 2 : i64} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

func.func @conv_bias_shape(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x16x14x14xf32> {
  // expected-error @+1 {{'pico.conv2d' op bias must have shape [16], got [8]}}
  %0 = pico.conv2d %x, %w, %b : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>, tensor<8xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

func.func @conv_kernel_too_large(%x: tensor<1x8x4x4xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x1x2xf32> {
  // expected-error @+1 {{'pico.conv2d' op kernel size 3 with dilation 2 does not fit in axis 2 of size 4 padded by 0 and 0}}
  %0 = pico.conv2d %x, %w {dilations = array<i64: 2, 1>} : (tensor<1x8x4x4xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x1x2xf32>
  return %0 : tensor<1x16x1x2xf32>
}

// -----

func.func @conv_output_shape(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x16x16xf32> {
  // expected-error @+1 {{'pico.conv2d' op result #0 has shape [1, 16, 16, 16] but the operands and attributes give [1, 16, 8, 8]}}
  %0 = pico.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x16x16xf32>
  return %0 : tensor<1x16x16x16xf32>
}

//===----------------------------------------------------------------------===//
// pico.batch_norm
//===----------------------------------------------------------------------===//

// -----

func.func @batch_norm_rank(%x: tensor<4xf32>, %p: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'pico.batch_norm' op expects an input of rank >= 2 (N, C, ...), got rank 1}}
  %0 = pico.batch_norm %x, %p, %p, %p, %p : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @batch_norm_parameter_shape(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf32>, %v: tensor<1x4xf32>) -> tensor<1x4x2x2xf32> {
  // expected-error @+1 {{'pico.batch_norm' op 'variance' must have shape [4], got [1, 4]}}
  %0 = pico.batch_norm %x, %p, %p, %p, %v : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<1x4xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

func.func @batch_norm_epsilon(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf32>) -> tensor<1x4x2x2xf32> {
  // expected-error @+1 {{'pico.batch_norm' op epsilon must be positive and finite, got 0.000000e+00}}
  %0 = pico.batch_norm %x, %p, %p, %p, %p {epsilon = 0.0 : f32} : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

//===----------------------------------------------------------------------===//
// Activation ops
//===----------------------------------------------------------------------===//

// -----

func.func @clip_min_above_max(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.clip' op clip min (6.000000e+00) is greater than max (0.000000e+00)}}
  %0 = pico.clip %x {min = 6.0 : f32, max = 0.0 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @clip_nan(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.clip' op clip bounds must not be NaN}}
  %0 = pico.clip %x {min = 0x7FC00000 : f32, max = 6.0 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @leaky_relu_alpha(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.leaky_relu' op leaky_relu alpha must be finite, got INF}}
  %0 = pico.leaky_relu %x {alpha = 0x7F800000 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @hard_sigmoid_beta(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.hard_sigmoid' op hard_sigmoid beta must be finite, got nan}}
  %0 = pico.hard_sigmoid %x {beta = 0x7FC00000 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// Element-wise binary ops
//===----------------------------------------------------------------------===//

// -----

func.func @broadcast_mismatch(%x: tensor<2x3xf32>, %y: tensor<3x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.sub' op operand shapes [2, 3] and [3, 3] do not broadcast}}
  %0 = pico.sub %x, %y : tensor<2x3xf32>, tensor<3x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// Pooling and resizing
//===----------------------------------------------------------------------===//

// -----

func.func @global_avg_pool_rank(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{'pico.global_avg_pool' op expects an input of rank >= 3 (N, C, spatial axes), got rank 2}}
  %0 = pico.global_avg_pool %x : tensor<1x4xf32> -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

func.func @pool_rank(%x: tensor<4x8x8xf32>) -> tensor<4x4x4xf32> {
  // expected-error @+1 {{'pico.max_pool' op expects a 4-D NCHW input, got rank 3}}
  %0 = pico.max_pool %x {kernel_shape = array<i64: 2, 2>} : tensor<4x8x8xf32> -> tensor<4x4x4xf32>
  return %0 : tensor<4x4x4xf32>
}

// -----

func.func @pool_kernel_shape(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x7x8xf32> {
  // expected-error @+1 {{'pico.avg_pool' op 'kernel_shape' must have 2 entries, got 1}}
  %0 = pico.avg_pool %x {kernel_shape = array<i64: 2>} : tensor<1x4x8x8xf32> -> tensor<1x4x7x8xf32>
  return %0 : tensor<1x4x7x8xf32>
}

// -----

func.func @pool_pad_not_smaller_than_kernel(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x6x5xf32> {
  // expected-error @+1 {{'pico.avg_pool' op pad 2 on axis 2 is not smaller than the kernel extent 2, so a window would cover only padding}}
  %0 = pico.avg_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 2, 0, 0, 0>, strides = array<i64: 2, 2>} : tensor<1x4x8x8xf32> -> tensor<1x4x6x5xf32>
  return %0 : tensor<1x4x6x5xf32>
}

// -----

func.func @pool_window_too_large(%x: tensor<1x4x2x8xf32>) -> tensor<1x4x1x6xf32> {
  // expected-error @+1 {{'pico.max_pool' op kernel size 3 with dilation 1 does not fit in axis 2 of size 2 padded by 0 and 0}}
  %0 = pico.max_pool %x {kernel_shape = array<i64: 3, 3>} : tensor<1x4x2x8xf32> -> tensor<1x4x1x6xf32>
  return %0 : tensor<1x4x1x6xf32>
}

// -----

func.func @pool_ceil_mode_shape(%x: tensor<1x4x7x7xf32>) -> tensor<1x4x3x3xf32> {
  // expected-error @+1 {{'pico.max_pool' op result #0 has shape [1, 4, 3, 3] but the operands and attributes give [1, 4, 4, 4]}}
  %0 = pico.max_pool %x {ceil_mode = true, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x7x7xf32> -> tensor<1x4x3x3xf32>
  return %0 : tensor<1x4x3x3xf32>
}

// -----

func.func @resize_scales_count(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32> {
  // expected-error @+1 {{'pico.resize' op 'scales' must have one entry per input axis (4), got 2}}
  %0 = pico.resize %x {mode = #pico<resize_mode nearest>, scales = array<f32: 2.0, 2.0>} : tensor<1x3x4x4xf32> -> tensor<1x3x8x8xf32>
  return %0 : tensor<1x3x8x8xf32>
}

// -----

func.func @resize_scales_positive(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32> {
  // expected-error @+1 {{'pico.resize' op 'scales' entries must be positive and finite, got [1.000000e+00, 0.000000e+00, 2.000000e+00, 2.000000e+00]}}
  %0 = pico.resize %x {mode = #pico<resize_mode nearest>, scales = array<f32: 1.0, 0.0, 2.0, 2.0>} : tensor<1x3x4x4xf32> -> tensor<1x3x8x8xf32>
  return %0 : tensor<1x3x8x8xf32>
}

// -----

func.func @resize_to_nothing(%x: tensor<1x3x1x4xf32>) -> tensor<1x3x0x2xf32> {
  // expected-error @+1 {{'pico.resize' op scaling axis 2 of size 1 by 2.500000e-01 gives no valid size}}
  %0 = pico.resize %x {mode = #pico<resize_mode linear>, scales = array<f32: 1.0, 1.0, 0.25, 0.5>} : tensor<1x3x1x4xf32> -> tensor<1x3x0x2xf32>
  return %0 : tensor<1x3x0x2xf32>
}

// -----

func.func @resize_size(%x: tensor<1x3x5x5xf32>) -> tensor<1x3x12x10xf32> {
  // expected-error @+1 {{'pico.resize' op result #0 has shape [1, 3, 12, 10] but the operands and attributes give [1, 3, 10, 10]}}
  %0 = pico.resize %x {mode = #pico<resize_mode nearest>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x3x5x5xf32> -> tensor<1x3x12x10xf32>
  return %0 : tensor<1x3x12x10xf32>
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

// -----

func.func @concat_no_inputs() -> tensor<0xf32> {
  // expected-error @+1 {{'pico.concat' op expects at least one input}}
  %0 = pico.concat {axis = 0 : i64} : () -> tensor<0xf32>
  return %0 : tensor<0xf32>
}

// -----

func.func @concat_axis(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'pico.concat' op axis -3 is out of range for rank 2}}
  %0 = pico.concat %x, %x {axis = -3 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @concat_rank(%x: tensor<2x3xf32>, %y: tensor<2x3x1xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'pico.concat' op input #1 has rank 3 but input #0 has 2}}
  %0 = pico.concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3x1xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @concat_sizes(%x: tensor<2x3xf32>, %y: tensor<2x4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'pico.concat' op input #2 has size 4 on axis 1 but input #0 has 3}}
  %0 = pico.concat %x, %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @concat_overflow(%x: tensor<9223372036854775807xi8>) -> tensor<1xi8> {
  // expected-error @+1 {{'pico.concat' op concatenated size on axis 0 overflows int64_t}}
  %0 = pico.concat %x, %x {axis = 0 : i64} : (tensor<9223372036854775807xi8>, tensor<9223372036854775807xi8>) -> tensor<1xi8>
  return %0 : tensor<1xi8>
}

// -----

func.func @reshape_dynamic_result(%x: tensor<2x3xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'pico.reshape' op result must be statically shaped, got 'tensor<?xf32>'}}
  %0 = pico.reshape %x : tensor<2x3xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error @+1 {{'pico.reshape' op cannot reshape 6 elements into 7}}
  %0 = pico.reshape %x : tensor<2x3xf32> -> tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

func.func @reshape_overflow(%x: tensor<4611686018427387904x4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'pico.reshape' op operand #0 of type 'tensor<4611686018427387904x4xi8>' has more than 2^63-1 bytes}}
  %0 = pico.reshape %x : tensor<4611686018427387904x4xi8> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// Every pico op's tensors have byte sizes int64_t can count: 2^61 f32
// elements are 2^63 bytes.
func.func @result_bytes_overflow(%x: tensor<2305843009213693952xf32>) -> tensor<2305843009213693952xf32> {
  // expected-error @+1 {{'pico.relu' op operand #0 of type 'tensor<2305843009213693952xf32>' has more than 2^63-1 bytes}}
  %0 = pico.relu %x : tensor<2305843009213693952xf32> -> tensor<2305843009213693952xf32>
  return %0 : tensor<2305843009213693952xf32>
}

// -----

func.func @constant_bytes_overflow() -> tensor<65536x65536x65536x65536xi8> {
  // expected-error @+1 {{'pico.constant' op result #0 of type 'tensor<65536x65536x65536x65536xi8>' has more than 2^63-1 bytes}}
  %0 = pico.constant dense<1> : tensor<65536x65536x65536x65536xi8>
  return %0 : tensor<65536x65536x65536x65536xi8>
}

// -----

func.func @reshape_element_type(%x: tensor<2x3xf32>) -> tensor<6xi32> {
  // expected-error @+1 {{'pico.reshape' op requires the same element type for all operands and results}}
  %0 = pico.reshape %x : tensor<2x3xf32> -> tensor<6xi32>
  return %0 : tensor<6xi32>
}

// -----

func.func @transpose_perm(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'pico.transpose' op 'perm' [0, 0] is not a permutation of the 2 input axes}}
  %0 = pico.transpose %x {perm = array<i64: 0, 0>} : tensor<2x3xf32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

//===----------------------------------------------------------------------===//
// Matrix products and softmax
//===----------------------------------------------------------------------===//

// -----

func.func @matmul_rank(%x: tensor<f32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'pico.matmul' op expects operands of rank >= 1}}
  %0 = pico.matmul %x, %y : tensor<f32>, tensor<3xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @matmul_inner(%x: tensor<2x3xf32>, %y: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'pico.matmul' op inner dimensions differ: lhs has 3 columns, rhs has 4 rows}}
  %0 = pico.matmul %x, %y : tensor<2x3xf32>, tensor<4x5xf32> -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @matmul_batch(%x: tensor<2x2x3xf32>, %y: tensor<3x3x5xf32>) -> tensor<2x2x5xf32> {
  // expected-error @+1 {{'pico.matmul' op batch dimensions [2] and [3] do not broadcast}}
  %0 = pico.matmul %x, %y : tensor<2x2x3xf32>, tensor<3x3x5xf32> -> tensor<2x2x5xf32>
  return %0 : tensor<2x2x5xf32>
}

// -----

func.func @gemm_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'pico.gemm' op expects 2-D 'a' and 'b', got ranks 2 and 1}}
  %0 = pico.gemm %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @gemm_inner(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.gemm' op inner dimensions differ: op(a) is 2x3, op(b) is 4x3}}
  %0 = pico.gemm %a, %b : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @gemm_c(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<4x1xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'pico.gemm' op 'c' of shape [4, 1] does not broadcast to [2, 4]}}
  %0 = pico.gemm %a, %b, %c {trans_b = true} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4x1xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @gemm_none_activation(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'pico.gemm' op has an explicit #pico.act<none>; omit the 'activation' attribute instead}}
  %0 = pico.gemm %a, %b {activation = #pico.act<none>} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @softmax_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.softmax' op axis 2 is out of range for rank 2}}
  %0 = pico.softmax %x {axis = 2 : i64} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// pico.quantize, pico.dequantize
//===----------------------------------------------------------------------===//

// -----

func.func @quantize_int_input(%x: tensor<4xi8>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{'pico.quantize' op input element type must be float, got 'i8'}}
  %0 = pico.quantize %x : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @quantize_to_float(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'pico.quantize' op result element type must be a per-tensor or per-axis !quant.uniform, got 'f32'}}
  %0 = pico.quantize %x : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @quantize_expressed_type(%x: tensor<4xf16>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{'pico.quantize' op result element type expresses 'f32' values but the input element type is 'f16'}}
  %0 = pico.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @quantize_axis(%x: tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32:2, {0.1, 0.2, 0.3}>> {
  // expected-error @+1 {{'pico.quantize' op per-axis quantization along axis 2 is out of range for rank 2}}
  %0 = pico.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:2, {0.1, 0.2, 0.3}>>
  return %0 : tensor<2x3x!quant.uniform<i8:f32:2, {0.1, 0.2, 0.3}>>
}

// -----

func.func @dequantize_float_input(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'pico.dequantize' op input element type must be a per-tensor or per-axis !quant.uniform, got 'f32'}}
  %0 = pico.dequantize %x : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dequantize_expressed_type(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf16> {
  // expected-error @+1 {{'pico.dequantize' op input element type expresses 'f32' values but the result element type is 'f16'}}
  %0 = pico.dequantize %x : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @dequantize_to_int(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xi32> {
  // expected-error @+1 {{'pico.dequantize' op result element type must be float, got 'i32'}}
  %0 = pico.dequantize %x : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xi32>
  return %0 : tensor<4xi32>
}
