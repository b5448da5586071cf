// quantize / dequantize (per tensor and per axis, round half to even,
// saturation) and constants (dense, splat, dense_resource, quantized storage,
// booleans, unsigned) against numpy.
// RUN: rm -rf %t && %python %S/Inputs/check_ops.py --tool picosam-run --ir %s --work %t \
// RUN:   quantize_per_tensor quantize_per_axis constants | FileCheck %s

!qi8 = !quant.uniform<i8:f32, 0.1:-3>
!qu8 = !quant.uniform<u8:f32:1, {0.1:128, 0.2:10, 0.05:0}>

// CHECK: quantize_per_tensor: ok
func.func @quantize_per_tensor(%x: tensor<2x6xf32>) -> (tensor<2x6x!qi8>, tensor<2x6xf32>) {
  %q = pico.quantize %x : tensor<2x6xf32> -> tensor<2x6x!qi8>
  %d = pico.dequantize %q : tensor<2x6x!qi8> -> tensor<2x6xf32>
  return %q, %d : tensor<2x6x!qi8>, tensor<2x6xf32>
}

// CHECK: quantize_per_axis: ok
func.func @quantize_per_axis(%x: tensor<2x3xf32>) -> (tensor<2x3x!qu8>, tensor<2x3xf32>) {
  %q = pico.quantize %x : tensor<2x3xf32> -> tensor<2x3x!qu8>
  %d = pico.dequantize %q : tensor<2x3x!qu8> -> tensor<2x3xf32>
  return %q, %d : tensor<2x3x!qu8>, tensor<2x3xf32>
}

// CHECK: constants: ok
func.func @constants() -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<3xi1>, tensor<2xui8>) {
  %dense = pico.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %splat = pico.constant dense<7.0> : tensor<2x2xf32>
  %resource = pico.constant dense_resource<blob> : tensor<2x2xf32>
  %q = pico.constant dense<[[-128, 0], [5, 127]]> : tensor<2x2xi8> -> tensor<2x2x!quant.uniform<i8:f32, 0.5:1>>
  %d = pico.dequantize %q : tensor<2x2x!quant.uniform<i8:f32, 0.5:1>> -> tensor<2x2xf32>
  %bools = pico.constant dense<[true, false, true]> : tensor<3xi1>
  %unsigned = pico.constant dense<[200, 7]> : tensor<2xui8>
  return %dense, %splat, %resource, %d, %bools, %unsigned : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<3xi1>, tensor<2xui8>
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000C03F000000C00000803E00000041"
    }
  }
#-}
