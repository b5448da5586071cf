// concat, reshape, transpose (also on integers), matmul and gemm against
// numpy.
// RUN: rm -rf %t && %python %S/Inputs/check_ops.py --tool picosam-run --ir %s --work %t \
// RUN:   concat reshape_transpose concat_transpose_i8 matmul_batched matmul_vectors \
// RUN:   gemm_transposed gemm_plain | FileCheck %s

// CHECK: concat: ok
func.func @concat(%a: tensor<2x3x4xf32>, %b: tensor<2x1x4xf32>, %c: tensor<2x2x4xf32>) -> tensor<2x6x4xf32> {
  %0 = pico.concat %a, %b, %c {axis = -2 : i64} : (tensor<2x3x4xf32>, tensor<2x1x4xf32>, tensor<2x2x4xf32>) -> tensor<2x6x4xf32>
  return %0 : tensor<2x6x4xf32>
}

// CHECK: reshape_transpose: ok
func.func @reshape_transpose(%x: tensor<2x3x4xf32>) -> (tensor<4x6xf32>, tensor<4x2x3xf32>) {
  %0 = pico.reshape %x : tensor<2x3x4xf32> -> tensor<4x6xf32>
  %1 = pico.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  return %0, %1 : tensor<4x6xf32>, tensor<4x2x3xf32>
}

// CHECK: concat_transpose_i8: ok
func.func @concat_transpose_i8(%a: tensor<2x3xi8>, %b: tensor<2x1xi8>) -> tensor<4x2xi8> {
  %0 = pico.concat %a, %b {axis = 1 : i64} : (tensor<2x3xi8>, tensor<2x1xi8>) -> tensor<2x4xi8>
  %1 = pico.transpose %0 {perm = array<i64: 1, 0>} : tensor<2x4xi8> -> tensor<4x2xi8>
  return %1 : tensor<4x2xi8>
}

// CHECK: matmul_batched: ok
func.func @matmul_batched(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x2xf32>) -> tensor<2x5x3x2xf32> {
  %0 = pico.matmul %a, %b : tensor<2x1x3x4xf32>, tensor<5x4x2xf32> -> tensor<2x5x3x2xf32>
  return %0 : tensor<2x5x3x2xf32>
}

// CHECK: matmul_vectors: ok
func.func @matmul_vectors(%v: tensor<4xf32>, %b: tensor<3x4x2xf32>, %a: tensor<2x3x4xf32>) -> (tensor<3x2xf32>, tensor<2x3xf32>) {
  %0 = pico.matmul %v, %b : tensor<4xf32>, tensor<3x4x2xf32> -> tensor<3x2xf32>
  %1 = pico.matmul %a, %v : tensor<2x3x4xf32>, tensor<4xf32> -> tensor<2x3xf32>
  return %0, %1 : tensor<3x2xf32>, tensor<2x3xf32>
}

// CHECK: gemm_transposed: ok
func.func @gemm_transposed(%a: tensor<4x3xf32>, %b: tensor<5x4xf32>, %c: tensor<5xf32>) -> tensor<3x5xf32> {
  %0 = pico.gemm %a, %b, %c {alpha = 0.5 : f32, beta = 2.0 : f32, trans_a = true, trans_b = true, activation = #pico.act<relu>} : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// CHECK: gemm_plain: ok
func.func @gemm_plain(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = pico.gemm %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
