// RUN: picosam-opt %s --split-input-file --pico-lower-to-kernel-calls -verify-diagnostics

// What --pico-lower-to-kernel-calls refuses, at the function or at the op
// (whose location, in a compiled model, is its ONNX node).

// expected-error @+1 {{lower-to-kernel-calls: @unplanned is not materialised over an arena (run --pico-plan-memory and --pico-materialize-arena first)}}
func.func @unplanned(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %r = pico.relu %x : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xf32>
  return %r : tensor<1x2x2x2xf32>
}

// -----

// A softmax (PicoSAM3 has none) has no kernel entry.
func.func @softmax(%arg0: tensor<1x2x2x2xf32>, %arg1: memref<32xi8> {pico.arena}) -> tensor<1x2x2x2xf32> attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 32, peak_step = 0, steps = 1, input_order_lower_bound = 32, weights = 0, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  %c0 = arith.constant 0 : index
  %view = memref.view %arg1[%c0][] : memref<32xi8> to memref<1x2x2x2xf32>
  bufferization.materialize_in_destination %arg0 in restrict writable %view : (tensor<1x2x2x2xf32>, memref<1x2x2x2xf32>) -> ()
  %0 = bufferization.to_tensor %view restrict : memref<1x2x2x2xf32> to tensor<1x2x2x2xf32>
  // expected-error @+1 {{lower-to-kernel-calls: 'pico.softmax' has no kernel to call}}
  %1 = pico.softmax %0 {axis = 1 : i64} : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xf32>
  bufferization.materialize_in_destination %1 in restrict writable %view : (tensor<1x2x2x2xf32>, memref<1x2x2x2xf32>) -> ()
  %2 = bufferization.to_tensor %view restrict : memref<1x2x2x2xf32> to tensor<1x2x2x2xf32>
  return %2 : tensor<1x2x2x2xf32>
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

// -----

// An integer add (fusion puts PicoSAM3's into its convs) has no entry.
func.func @quantized_add(%arg0: tensor<4xi8>, %arg1: memref<8xi8> {pico.arena}) -> tensor<4xi8> attributes {pico.memory_plan = #pico.memory_plan<arena = 8, lower_bound = 8, peak_step = 0, steps = 1, input_order_lower_bound = 8, weights = 0, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %view = memref.view %arg1[%c0][] : memref<8xi8> to memref<4xi8>
  %sum = memref.view %arg1[%c4][] : memref<8xi8> to memref<4xi8>
  bufferization.materialize_in_destination %arg0 in restrict writable %view : (tensor<4xi8>, memref<4xi8>) -> ()
  %0 = bufferization.to_tensor %view restrict : memref<4xi8> to tensor<4xi8>
  %1 = quant.scast %0 : tensor<4xi8> to tensor<4x!quant.uniform<i8:f32, 0.5>>
  // expected-error @+1 {{lower-to-kernel-calls: 'pico.add' on quantized values has no kernel to call}}
  %2 = pico.add %1, %1 : tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %3 = quant.scast %2 : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xi8>
  bufferization.materialize_in_destination %3 in restrict writable %sum : (tensor<4xi8>, memref<4xi8>) -> ()
  %4 = bufferization.to_tensor %sum restrict : memref<4xi8> to tensor<4xi8>
  return %4 : tensor<4xi8>
}
