// Every verifier and shape-inference error of pico.conv_transpose2d.
// RUN: picosam-opt %s -split-input-file -verify-diagnostics

func.func @rank(%x: tensor<1x8x6xf32>, %w: tensor<4x8x2x2xf32>) -> tensor<1x4x12x12xf32> {
  // expected-error @+1 {{'pico.conv_transpose2d' op expects a 4-D NCHW input, got rank 3}}
  %0 = pico.conv_transpose2d %x, %w : (tensor<1x8x6xf32>, tensor<4x8x2x2xf32>) -> tensor<1x4x12x12xf32>
  return %0 : tensor<1x4x12x12xf32>
}

// -----

func.func @weight_rank(%x: tensor<1x8x6x6xf32>, %w: tensor<4x8x2xf32>) -> tensor<1x4x12x12xf32> {
  // expected-error @+1 {{'pico.conv_transpose2d' op expects a 4-D OIHW weight, got rank 3}}
  %0 = pico.conv_transpose2d %x, %w : (tensor<1x8x6x6xf32>, tensor<4x8x2xf32>) -> tensor<1x4x12x12xf32>
  return %0 : tensor<1x4x12x12xf32>
}

// -----

func.func @output_padding(%x: tensor<1x8x6x6xf32>, %w: tensor<4x8x2x2xf32>) -> tensor<1x4x7x7xf32> {
  // expected-error @+1 {{'pico.conv_transpose2d' op 'output_padding' entries must be >= 0, got [-1, 0]}}
  %0 = pico.conv_transpose2d %x, %w {output_padding = array<i64: -1, 0>} : (tensor<1x8x6x6xf32>, tensor<4x8x2x2xf32>) -> tensor<1x4x7x7xf32>
  return %0 : tensor<1x4x7x7xf32>
}

// -----

func.func @strides(%x: tensor<1x8x6x6xf32>, %w: tensor<4x8x2x2xf32>) -> tensor<1x4x7x7xf32> {
  // expected-error @+1 {{'pico.conv_transpose2d' op 'strides' entries must be >= 1, got [0, 1]}}
  %0 = pico.conv_transpose2d %x, %w {strides = array<i64: 0, 1>} : (tensor<1x8x6x6xf32>, tensor<4x8x2x2xf32>) -> tensor<1x4x7x7xf32>
  return %0 : tensor<1x4x7x7xf32>
}

// -----

func.func @group(%x: tensor<1x8x6x6xf32>, %w: tensor<4x8x2x2xf32>) -> tensor<1x4x7x7xf32> {
  // expected-error @+1 {{'pico.conv_transpose2d' op 'group' must be >= 1, got 0}}
  %0 = pico.conv_transpose2d %x, %w {group = 0 : i64} : (tensor<1x8x6x6xf32>, tensor<4x8x2x2xf32>) -> tensor<1x4x7x7xf32>
  return %0 : tensor<1x4x7x7xf32>
}

// -----

func.func @group_channels(%x: tensor<1x6x6x6xf32>, %w: tensor<4x3x2x2xf32>) -> tensor<1x4x7x7xf32> {
  // expected-error @+1 {{'pico.conv_transpose2d' op input channels (6) are not a multiple of group (4)}}
  %0 = pico.conv_transpose2d %x, %w {group = 4 : i64} : (tensor<1x6x6x6xf32>, tensor<4x3x2x2xf32>) -> tensor<1x4x7x7xf32>
  return %0 : tensor<1x4x7x7xf32>
}

// -----

func.func @group_outputs(%x: tensor<1x6x6x6xf32>, %w: tensor<4x2x2x2xf32>) -> tensor<1x4x7x7xf32> {
  // expected-error @+1 {{'pico.conv_transpose2d' op output channels (4) are not a multiple of group (3)}}
  %0 = pico.conv_transpose2d %x, %w {group = 3 : i64} : (tensor<1x6x6x6xf32>, tensor<4x2x2x2xf32>) -> tensor<1x4x7x7xf32>
  return %0 : tensor<1x4x7x7xf32>
}

// -----

func.func @weight_channels(%x: tensor<1x8x6x6xf32>, %w: tensor<4x4x2x2xf32>) -> tensor<1x4x7x7xf32> {
  // expected-error @+1 {{'pico.conv_transpose2d' op weight has 4 input channels per group, expected 8 / 1 = 8}}
  %0 = pico.conv_transpose2d %x, %w : (tensor<1x8x6x6xf32>, tensor<4x4x2x2xf32>) -> tensor<1x4x7x7xf32>
  return %0 : tensor<1x4x7x7xf32>
}

// -----

func.func @bias(%x: tensor<1x8x6x6xf32>, %w: tensor<4x8x2x2xf32>, %b: tensor<3xf32>) -> tensor<1x4x7x7xf32> {
  // expected-error @+1 {{'pico.conv_transpose2d' op bias must have shape [4], got [3]}}
  %0 = pico.conv_transpose2d %x, %w, %b : (tensor<1x8x6x6xf32>, tensor<4x8x2x2xf32>, tensor<3xf32>) -> tensor<1x4x7x7xf32>
  return %0 : tensor<1x4x7x7xf32>
}

// -----

func.func @cropped_away(%x: tensor<1x8x1x1xf32>, %w: tensor<4x8x2x2xf32>) -> tensor<1x4x1x1xf32> {
  // expected-error @+1 {{'pico.conv_transpose2d' op axis 2 of size 1 gives no output with kernel 2, stride 1, dilation 1, pads 1 and 1 and output padding 0}}
  %0 = pico.conv_transpose2d %x, %w {pads = array<i64: 1, 0, 1, 0>} : (tensor<1x8x1x1xf32>, tensor<4x8x2x2xf32>) -> tensor<1x4x1x1xf32>
  return %0 : tensor<1x4x1x1xf32>
}

// -----

func.func @result_shape(%x: tensor<1x8x6x6xf32>, %w: tensor<4x8x2x2xf32>) -> tensor<1x4x12x12xf32> {
  // expected-error @+1 {{'pico.conv_transpose2d' op result #0 has shape [1, 4, 12, 12] but the operands and attributes give [1, 4, 7, 7]}}
  %0 = pico.conv_transpose2d %x, %w : (tensor<1x8x6x6xf32>, tensor<4x8x2x2xf32>) -> tensor<1x4x12x12xf32>
  return %0 : tensor<1x4x12x12xf32>
}

// -----

func.func @explicit_none(%x: tensor<1x8x6x6xf32>, %w: tensor<4x8x2x2xf32>) -> tensor<1x4x7x7xf32> {
  // expected-error @+1 {{'pico.conv_transpose2d' op has an explicit #pico.act<none>; omit the 'activation' attribute instead}}
  %0 = pico.conv_transpose2d %x, %w {activation = #pico.act<none>} : (tensor<1x8x6x6xf32>, tensor<4x8x2x2xf32>) -> tensor<1x4x7x7xf32>
  return %0 : tensor<1x4x7x7xf32>
}
