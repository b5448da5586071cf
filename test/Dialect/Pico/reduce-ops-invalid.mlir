// Every verifier and shape-inference error of pico.reduce.
// RUN: picosam-opt %s -split-input-file -verify-diagnostics

func.func @no_axes(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.reduce' op 'axes' must name at least one axis}}
  %0 = pico.reduce %x mean axes [] : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @axis_range(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'pico.reduce' op 'axes' must be distinct sorted axes in [0, 2), got [2]}}
  %0 = pico.reduce %x max axes [2] : tensor<2x3xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @axes_unsorted(%x: tensor<2x3xf32>) -> tensor<f32> {
  // expected-error @+1 {{'pico.reduce' op 'axes' must be distinct sorted axes in [0, 2), got [1, 0]}}
  %0 = pico.reduce %x sum axes [1, 0] : tensor<2x3xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @result_shape(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'pico.reduce' op}}
  %0 = pico.reduce %x max axes [1] keep_dims : tensor<2x3xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @quantized_sum(%x: tensor<2x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x!quant.uniform<i8:f32, 0.1>> {
  // expected-error @+1 {{'pico.reduce' op has no integer semantics (docs/quantization.md): its operands and results must be float; keep it between pico.dequantize and pico.quantize}}
  %0 = pico.reduce %x sum axes [1] : tensor<2x3x!quant.uniform<i8:f32, 0.1>> -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  return %0 : tensor<2x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @quantized_prelu(%x: tensor<4x!quant.uniform<i8:f32, 0.1>>, %s: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.1>> {
  // expected-error @+1 {{'pico.prelu' op}}
  %0 = pico.prelu %x, %s : tensor<4x!quant.uniform<i8:f32, 0.1>>, tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.1>>
}
