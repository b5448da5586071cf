// The pico folders and canonicalization patterns, each firing and, where a
// near miss exists, not firing. Locations are printed inline to check that
// merged ops carry a fused location of the ops they replace.
// RUN: picosam-opt %s -canonicalize -mlir-print-debuginfo -mlir-print-local-scope -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @reshape_same_type(
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf32>
// CHECK-NEXT: return %[[X]]
func.func @reshape_same_type(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = pico.reshape %x : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_of_reshape(
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf32>
// CHECK-NEXT: %[[R:.*]] = pico.reshape %[[X]] : tensor<2x3xf32> -> tensor<3x2xf32> loc(fused["flatten", "unflatten"])
// CHECK-NEXT: return %[[R]]
func.func @reshape_of_reshape(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = pico.reshape %x : tensor<2x3xf32> -> tensor<6xf32> loc("flatten")
  %1 = pico.reshape %0 : tensor<6xf32> -> tensor<3x2xf32> loc("unflatten")
  return %1 : tensor<3x2xf32>
}

// -----

// The first reshape has another user, so it stays; the second one reshapes
// %x directly.
// CHECK-LABEL: func.func @reshape_of_shared_reshape(
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf32>
// CHECK-NEXT: %[[FLAT:.*]] = pico.reshape %[[X]] : tensor<2x3xf32> -> tensor<6xf32>
// CHECK-NEXT: %[[R:.*]] = pico.reshape %[[X]] : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK-NEXT: return %[[FLAT]], %[[R]]
func.func @reshape_of_shared_reshape(%x: tensor<2x3xf32>) -> (tensor<6xf32>, tensor<3x2xf32>) {
  %0 = pico.reshape %x : tensor<2x3xf32> -> tensor<6xf32>
  %1 = pico.reshape %0 : tensor<6xf32> -> tensor<3x2xf32>
  return %0, %1 : tensor<6xf32>, tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_round_trip(
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf32>
// CHECK-NEXT: return %[[X]]
func.func @reshape_round_trip(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = pico.reshape %x : tensor<2x3xf32> -> tensor<6xf32>
  %1 = pico.reshape %0 : tensor<6xf32> -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_constant(
// CHECK-NEXT: %[[C:.*]] = pico.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00], [5.000000e+00, 6.000000e+00]]> : tensor<3x2xf32> loc("r")
// CHECK-NEXT: return %[[C]]
func.func @reshape_constant() -> tensor<3x2xf32> {
  %0 = pico.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %1 = pico.reshape %0 : tensor<2x3xf32> -> tensor<3x2xf32> loc("r")
  return %1 : tensor<3x2xf32>
}

// -----

// A quantized constant's value holds storage integers, not values of the
// result type: no folding.
// CHECK-LABEL: func.func @reshape_quantized_constant(
// CHECK-NEXT: %[[C:.*]] = pico.constant
// CHECK-NEXT: %[[R:.*]] = pico.reshape %[[C]]
// CHECK-NEXT: return %[[R]]
func.func @reshape_quantized_constant() -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  %0 = pico.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8> -> tensor<2x2x!quant.uniform<i8:f32, 0.5>>
  %1 = pico.reshape %0 : tensor<2x2x!quant.uniform<i8:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %1 : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

// CHECK-LABEL: func.func @transpose_identity(
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf32>
// CHECK-NEXT: return %[[X]]
func.func @transpose_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = pico.transpose %x {perm = array<i64: 0, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Same type, but the elements move.
// CHECK-LABEL: func.func @transpose_same_type(
// CHECK-SAME: %[[X:.*]]: tensor<4x4xf32>
// CHECK-NEXT: %[[T:.*]] = pico.transpose %[[X]] {perm = array<i64: 1, 0>}
// CHECK-NEXT: return %[[T]]
func.func @transpose_same_type(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = pico.transpose %x {perm = array<i64: 1, 0>} : tensor<4x4xf32> -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// Output axis i of the pair is input axis inner[outer[i]].
// CHECK-LABEL: func.func @transpose_of_transpose(
// CHECK-SAME: %[[X:.*]]: tensor<1x2x3x4xf32>
// CHECK-NEXT: %[[T:.*]] = pico.transpose %[[X]] {perm = array<i64: 3, 0, 2, 1>} : tensor<1x2x3x4xf32> -> tensor<4x1x3x2xf32> loc(fused["nhwc", "swap"])
// CHECK-NEXT: return %[[T]]
func.func @transpose_of_transpose(%x: tensor<1x2x3x4xf32>) -> tensor<4x1x3x2xf32> {
  %0 = pico.transpose %x {perm = array<i64: 0, 2, 3, 1>} : tensor<1x2x3x4xf32> -> tensor<1x3x4x2xf32> loc("nhwc")
  %1 = pico.transpose %0 {perm = array<i64: 2, 0, 1, 3>} : tensor<1x3x4x2xf32> -> tensor<4x1x3x2xf32> loc("swap")
  return %1 : tensor<4x1x3x2xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_round_trip(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x4xf32>
// CHECK-NEXT: return %[[X]]
func.func @transpose_round_trip(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = pico.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %1 = pico.transpose %0 {perm = array<i64: 0, 2, 1>} : tensor<2x4x3xf32> -> tensor<2x3x4xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_constant(
// CHECK-NEXT: %[[C:.*]] = pico.constant dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi32> loc("t")
// CHECK-NEXT: return %[[C]]
func.func @transpose_constant() -> tensor<3x2xi32> {
  %0 = pico.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %1 = pico.transpose %0 {perm = array<i64: 1, 0>} : tensor<2x3xi32> -> tensor<3x2xi32> loc("t")
  return %1 : tensor<3x2xi32>
}

// -----

// A 3-D case where the permuted strides matter on every axis:
// out[k][i][j] = in[i][j][k].
// CHECK-LABEL: func.func @transpose_constant_3d(
// CHECK-NEXT: %[[C:.*]] = pico.constant dense<{{\[}}{{\[}}[1.000000e+00, 3.000000e+00], [5.000000e+00, 7.000000e+00]], {{\[}}[2.000000e+00, 4.000000e+00], [6.000000e+00, 8.000000e+00]]]> : tensor<2x2x2xf32>
// CHECK-NEXT: return %[[C]]
func.func @transpose_constant_3d() -> tensor<2x2x2xf32> {
  %0 = pico.constant dense<[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]> : tensor<2x2x2xf32>
  %1 = pico.transpose %0 {perm = array<i64: 2, 0, 1>} : tensor<2x2x2xf32> -> tensor<2x2x2xf32>
  return %1 : tensor<2x2x2xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_splat(
// CHECK-NEXT: %[[C:.*]] = pico.constant dense<1.500000e+00> : tensor<3x2xf32>
// CHECK-NEXT: return %[[C]]
func.func @transpose_splat() -> tensor<3x2xf32> {
  %0 = pico.constant dense<1.5> : tensor<2x3xf32>
  %1 = pico.transpose %0 {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return %1 : tensor<3x2xf32>
}

// -----

// Only size-1 axes move: the 8 and the 4 stay in order, so no data moves.
// CHECK-LABEL: func.func @transpose_unit_axes(
// CHECK-SAME: %[[X:.*]]: tensor<1x8x1x4xf32>
// CHECK-NEXT: %[[R:.*]] = pico.reshape %[[X]] : tensor<1x8x1x4xf32> -> tensor<8x1x4x1xf32> loc("t")
// CHECK-NEXT: return %[[R]]
func.func @transpose_unit_axes(%x: tensor<1x8x1x4xf32>) -> tensor<8x1x4x1xf32> {
  %0 = pico.transpose %x {perm = array<i64: 1, 0, 3, 2>} : tensor<1x8x1x4xf32> -> tensor<8x1x4x1xf32> loc("t")
  return %0 : tensor<8x1x4x1xf32>
}

// -----

// The 8 and the 4 swap: a real transpose.
// CHECK-LABEL: func.func @transpose_non_unit_axes(
// CHECK-SAME: %[[X:.*]]: tensor<1x8x1x4xf32>
// CHECK-NEXT: %[[T:.*]] = pico.transpose %[[X]] {perm = array<i64: 3, 0, 2, 1>}
// CHECK-NEXT: return %[[T]]
func.func @transpose_non_unit_axes(%x: tensor<1x8x1x4xf32>) -> tensor<4x1x1x8xf32> {
  %0 = pico.transpose %x {perm = array<i64: 3, 0, 2, 1>} : tensor<1x8x1x4xf32> -> tensor<4x1x1x8xf32>
  return %0 : tensor<4x1x1x8xf32>
}

// -----

// CHECK-LABEL: func.func @concat_single(
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf32>
// CHECK-NEXT: return %[[X]]
func.func @concat_single(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = pico.concat %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @concat_two(
// CHECK-NEXT: pico.concat
func.func @concat_two(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %0 = pico.concat %x, %x {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// x + -0.0, x - 0.0, 1.0 * x (constants move to the right first) and x / 1.0
// are x, bit for bit.
// CHECK-LABEL: func.func @neutral_operands(
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf32>
// CHECK-NEXT: return %[[X]]
func.func @neutral_operands(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %minus_zero = pico.constant dense<-0.0> : tensor<1xf32>
  %zero = pico.constant dense<0.0> : tensor<f32>
  %one = pico.constant dense<1.0> : tensor<2x3xf32>
  %0 = pico.add %x, %minus_zero : tensor<2x3xf32>, tensor<1xf32> -> tensor<2x3xf32>
  %1 = pico.sub %0, %zero : tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
  %2 = pico.mul %one, %1 : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = pico.div %2, %one : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  return %3 : tensor<2x3xf32>
}

// -----

// x + +0.0 turns -0.0 into +0.0; an activation changes the values; a
// broadcast widens the result beyond x; 1.0 / x is not x.
// CHECK-LABEL: func.func @not_neutral(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3xf32>{{.*}}, %[[ROW:[^:]*]]: tensor<1x3xf32>
// CHECK-DAG: %[[ZERO:.*]] = pico.constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ONE:.*]] = pico.constant dense<1.000000e+00> : tensor<2x3xf32>
// CHECK: %[[ADD:.*]] = pico.add %[[X]], %[[ZERO]]
// CHECK: %[[RELU:.*]] = pico.mul %[[X]], %[[ONE]] {activation = #pico.act<relu>}
// CHECK: %[[WIDE:.*]] = pico.mul %[[ROW]], %[[ONE]]
// CHECK: %[[DIV:.*]] = pico.div %[[ONE]], %[[X]]
// CHECK: return %[[ADD]], %[[RELU]], %[[WIDE]], %[[DIV]]
func.func @not_neutral(%x: tensor<2x3xf32>, %row: tensor<1x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = pico.constant dense<0.0> : tensor<f32>
  %one = pico.constant dense<1.0> : tensor<2x3xf32>
  %0 = pico.add %x, %zero : tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
  %1 = pico.mul %x, %one {activation = #pico.act<relu>} : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = pico.mul %row, %one : tensor<1x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = pico.div %one, %x : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// A binary op reads the value a concat of copies repeats along its size-1
// axes (an imported Expand of a squeeze-and-excitation gate): broadcasting
// reads the same elements. The concats go when nothing else reads them.
// CHECK-LABEL: func.func @repeated_operand(
// CHECK-NEXT: %[[M:.*]] = pico.mul %arg0, %arg1 : tensor<1x4x3x2xf32>, tensor<1x4x1x1xf32> -> tensor<1x4x3x2xf32>
// CHECK-NEXT: return %[[M]]
func.func @repeated_operand(%x: tensor<1x4x3x2xf32>, %gate: tensor<1x4x1x1xf32>) -> tensor<1x4x3x2xf32> {
  %rows = pico.concat %gate, %gate, %gate {axis = 2 : i64} : (tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x3x1xf32>
  %plane = pico.concat %rows, %rows {axis = -1 : i64} : (tensor<1x4x3x1xf32>, tensor<1x4x3x1xf32>) -> tensor<1x4x3x2xf32>
  %0 = pico.mul %x, %plane : tensor<1x4x3x2xf32>, tensor<1x4x3x2xf32> -> tensor<1x4x3x2xf32>
  return %0 : tensor<1x4x3x2xf32>
}

// -----

// Not when the copies are different values, an axis is not of size 1, or
// the copied value alone would broadcast to another shape.
// CHECK-LABEL: func.func @not_repeated_operand(
// CHECK-NEXT: pico.concat %arg1, %arg2
// CHECK-NEXT: pico.add %arg0, %0
// CHECK-NEXT: pico.concat %arg3, %arg3
// CHECK-NEXT: pico.add %2, %arg0
// CHECK-NEXT: pico.concat %arg1, %arg1
// CHECK-NEXT: pico.add %4, %arg1
func.func @not_repeated_operand(%x: tensor<1x4x2x1xf32>, %a: tensor<1x4x1x1xf32>, %b: tensor<1x4x1x1xf32>, %w: tensor<1x4x1x2xf32>)
    -> (tensor<1x4x2x1xf32>, tensor<1x4x2x4xf32>, tensor<1x4x2x1xf32>) {
  %mixed = pico.concat %a, %b {axis = 2 : i64} : (tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x2x1xf32>
  %0 = pico.add %x, %mixed : tensor<1x4x2x1xf32>, tensor<1x4x2x1xf32> -> tensor<1x4x2x1xf32>
  %wide = pico.concat %w, %w {axis = 3 : i64} : (tensor<1x4x1x2xf32>, tensor<1x4x1x2xf32>) -> tensor<1x4x1x4xf32>
  %1 = pico.add %wide, %x : tensor<1x4x1x4xf32>, tensor<1x4x2x1xf32> -> tensor<1x4x2x4xf32>
  %rows = pico.concat %a, %a {axis = 2 : i64} : (tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x2x1xf32>
  %2 = pico.add %rows, %a : tensor<1x4x2x1xf32>, tensor<1x4x1x1xf32> -> tensor<1x4x2x1xf32>
  return %0, %1, %2 : tensor<1x4x2x1xf32>, tensor<1x4x2x4xf32>, tensor<1x4x2x1xf32>
}
