// Every verifier and shape-inference error of the structural ops.
// RUN: picosam-opt %s -split-input-file -verify-diagnostics

func.func @pad_count(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.pad' op 'pads' must have 4 entries, got 2}}
  %0 = pico.pad %x constant pads [1, 1] : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @pad_negative(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.pad' op 'pads' entries must be >= 0, got [0, -1, 0, 1]}}
  %0 = pico.pad %x constant pads [0, -1, 0, 1] : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @pad_reflect_wide(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'pico.pad' op reflect pads of axis 1 (3, 0) must be smaller than its size 3}}
  %0 = pico.pad %x reflect pads [0, 3, 0, 0] : tensor<2x3xf32> -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @pad_edge_empty(%x: tensor<2x0xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{'pico.pad' op edge pads of axis 1 repeat its elements, but it is empty}}
  %0 = pico.pad %x edge pads [0, 0, 0, 1] : tensor<2x0xf32> -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @pad_overflow(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.pad' op pads of axis 0 overflow its size}}
  %0 = pico.pad %x constant pads [9223372036854775807, 0, 1, 0] : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @pad_result_shape(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'pico.pad' op result #0 has shape [2, 4] but the operands and attributes give [2, 5]}}
  %0 = pico.pad %x constant pads [0, 1, 0, 1] : tensor<2x3xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @pad_element_type(%x: tensor<2x3xf32>) -> tensor<2x5xi8> {
  // expected-error @+1 {{'pico.pad' op requires the same element type for all operands and results}}
  %0 = pico.pad %x constant pads [0, 1, 0, 1] : tensor<2x3xf32> -> tensor<2x5xi8>
  return %0 : tensor<2x5xi8>
}

// -----

func.func @pad_per_axis(%x: tensor<2x3x!quant.uniform<i8:f32:0, {0.1, 0.2}>>) -> tensor<2x5x!quant.uniform<i8:f32:0, {0.1, 0.2}>> {
  // expected-error @+1 {{'pico.pad' op moves storage values unchanged, which keeps a per-tensor !quant.uniform only}}
  %0 = pico.pad %x constant pads [0, 1, 0, 1] : tensor<2x3x!quant.uniform<i8:f32:0, {0.1, 0.2}>> -> tensor<2x5x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
  return %0 : tensor<2x5x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
}

// -----

func.func @slice_count(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.slice' op 'sizes' must have 2 entries, got 1}}
  %0 = pico.slice %x offsets [0, 0] sizes [2] strides [1, 1] : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @slice_zero_stride(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.slice' op stride of axis 1 must not be 0}}
  %0 = pico.slice %x offsets [0, 0] sizes [2, 3] strides [1, 0] : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @slice_outside(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'pico.slice' op axis 1 reads 2 elements from 1 by steps of 2, outside its size 3}}
  %0 = pico.slice %x offsets [0, 1] sizes [2, 2] strides [1, 2] : tensor<2x3xf32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @slice_before(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'pico.slice' op axis 1 reads 2 elements from 0 by steps of -1, outside its size 3}}
  %0 = pico.slice %x offsets [0, 0] sizes [2, 2] strides [1, -1] : tensor<2x3xf32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @slice_overflow(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'pico.slice' op axis 1 reads 2 elements from 1 by steps of 9223372036854775807, outside its size 3}}
  %0 = pico.slice %x offsets [0, 1] sizes [2, 2] strides [1, 9223372036854775807] : tensor<2x3xf32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @slice_result_shape(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'pico.slice' op result #0 has shape [2, 2] but the operands and attributes give [2, 1]}}
  %0 = pico.slice %x offsets [0, 0] sizes [2, 1] strides [1, 1] : tensor<2x3xf32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
