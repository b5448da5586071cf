// RUN: picosam-opt %s --split-input-file --pico-lower-to-kernel-calls -verify-diagnostics

// What --pico-lower-to-kernel-calls refuses, at the function or at the op
// (whose location, in a compiled model, is its ONNX node).

// expected-error @+1 {{lower-to-kernel-calls: @unplanned is not materialised over an arena (run --pico-plan-memory and --pico-materialize-arena first)}}
func.func @unplanned(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %r = pico.relu %x : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xf32>
  return %r : tensor<1x2x2x2xf32>
}

// -----

// An op on a tensor of rank 5: the entries take shapes of rank <= 4.
func.func @rank5(%arg0: tensor<1x1x1x2x2xf32>, %arg1: memref<16xi8> {pico.arena}) -> tensor<1x1x1x2x2xf32> attributes {pico.memory_plan = #pico.memory_plan<arena = 16, lower_bound = 16, peak_step = 0, steps = 1, input_order_lower_bound = 16, weights = 0, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  %c0 = arith.constant 0 : index
  %view = memref.view %arg1[%c0][] : memref<16xi8> to memref<1x1x1x2x2xf32>
  bufferization.materialize_in_destination %arg0 in restrict writable %view : (tensor<1x1x1x2x2xf32>, memref<1x1x1x2x2xf32>) -> ()
  %0 = bufferization.to_tensor %view restrict : memref<1x1x1x2x2xf32> to tensor<1x1x1x2x2xf32>
  // expected-error @+1 {{lower-to-kernel-calls: 'pico.relu' needs tensors of rank at most 4}}
  %1 = pico.relu %0 : tensor<1x1x1x2x2xf32> -> tensor<1x1x1x2x2xf32>
  bufferization.materialize_in_destination %1 in restrict writable %view : (tensor<1x1x1x2x2xf32>, memref<1x1x1x2x2xf32>) -> ()
  %2 = bufferization.to_tensor %view restrict : memref<1x1x1x2x2xf32> to tensor<1x1x1x2x2xf32>
  return %2 : tensor<1x1x1x2x2xf32>
}

// -----

// A transpose of 8-byte elements: its kernel moves 1- and 4-byte ones.
func.func @transpose_f64(%arg0: tensor<2x3xf64>, %arg1: memref<96xi8> {pico.arena}) -> tensor<3x2xf64> attributes {pico.memory_plan = #pico.memory_plan<arena = 96, lower_bound = 96, peak_step = 0, steps = 1, input_order_lower_bound = 96, weights = 0, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  %c0 = arith.constant 0 : index
  %view = memref.view %arg1[%c0][] : memref<96xi8> to memref<2x3xf64>
  %c48 = arith.constant 48 : index
  %view_0 = memref.view %arg1[%c48][] : memref<96xi8> to memref<3x2xf64>
  bufferization.materialize_in_destination %arg0 in restrict writable %view : (tensor<2x3xf64>, memref<2x3xf64>) -> ()
  %0 = bufferization.to_tensor %view restrict : memref<2x3xf64> to tensor<2x3xf64>
  // expected-error @+1 {{lower-to-kernel-calls: 'pico.transpose' has no kernel for elements of 8 bytes}}
  %1 = pico.transpose %0 {perm = array<i64: 1, 0>} : tensor<2x3xf64> -> tensor<3x2xf64>
  bufferization.materialize_in_destination %1 in restrict writable %view_0 : (tensor<3x2xf64>, memref<3x2xf64>) -> ()
  %2 = bufferization.to_tensor %view_0 restrict : memref<3x2xf64> to tensor<3x2xf64>
  return %2 : tensor<3x2xf64>
}

// -----

// An operand that is not in the arena (the materialisation never leaves
// one).
func.func @outside(%arg0: tensor<1x2x2x2xf32>, %arg1: memref<32xi8> {pico.arena}) -> tensor<1x2x2x2xf32> attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 32, peak_step = 0, steps = 1, input_order_lower_bound = 32, weights = 0, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  %c0 = arith.constant 0 : index
  %view = memref.view %arg1[%c0][] : memref<32xi8> to memref<1x2x2x2xf32>
  bufferization.materialize_in_destination %arg0 in restrict writable %view : (tensor<1x2x2x2xf32>, memref<1x2x2x2xf32>) -> ()
  %w = pico.constant dense<0.5> : tensor<2x2x1x1xf32>
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  // expected-error @+1 {{lower-to-kernel-calls: the input is not read from the arena (run --pico-materialize-arena)}}
  %1 = pico.conv2d %e, %w : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  bufferization.materialize_in_destination %1 in restrict writable %view : (tensor<1x2x2x2xf32>, memref<1x2x2x2xf32>) -> ()
  %2 = bufferization.to_tensor %view restrict : memref<1x2x2x2xf32> to tensor<1x2x2x2xf32>
  return %2 : tensor<1x2x2x2xf32>
}

// -----

// A result used other than written into the arena (read by the next op
// as a tensor).
func.func @unwritten(%arg0: tensor<1x2x2x2xf32>, %arg1: memref<32xi8> {pico.arena}) -> tensor<1x2x2x2xf32> attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 32, peak_step = 0, steps = 1, input_order_lower_bound = 32, weights = 0, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  %c0 = arith.constant 0 : index
  %view = memref.view %arg1[%c0][] : memref<32xi8> to memref<1x2x2x2xf32>
  bufferization.materialize_in_destination %arg0 in restrict writable %view : (tensor<1x2x2x2xf32>, memref<1x2x2x2xf32>) -> ()
  %0 = bufferization.to_tensor %view restrict : memref<1x2x2x2xf32> to tensor<1x2x2x2xf32>
  %w = pico.constant dense<0.5> : tensor<2x2x1x1xf32>
  // expected-error @+1 {{lower-to-kernel-calls: the result is not written into the arena (run --pico-materialize-arena)}}
  %1 = pico.conv2d %0, %w : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  bufferization.materialize_in_destination %1 in restrict writable %view : (tensor<1x2x2x2xf32>, memref<1x2x2x2xf32>) -> ()
  %2 = pico.conv2d %1, %w : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  bufferization.materialize_in_destination %2 in restrict writable %view : (tensor<1x2x2x2xf32>, memref<1x2x2x2xf32>) -> ()
  %3 = bufferization.to_tensor %view restrict : memref<1x2x2x2xf32> to tensor<1x2x2x2xf32>
  return %3 : tensor<1x2x2x2xf32>
}
