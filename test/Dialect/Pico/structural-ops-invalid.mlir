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
