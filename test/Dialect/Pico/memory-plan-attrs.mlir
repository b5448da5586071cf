// RUN: picosam-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// The plan attributes round-trip; an argument's buffer is an argument
// attribute.

// CHECK-LABEL: func.func @planned
// CHECK-SAME: pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 1>
// CHECK-SAME: pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 32, peak_step = 0, input_order_lower_bound = 32, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>
// CHECK: pico.relu {{.*}} {pico.buffer = #pico.buffer<offset = 16, size = 16, first = 0, last = 1>}
func.func @planned(%x: tensor<4xf32> {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 1>}) -> tensor<4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 32, peak_step = 0, input_order_lower_bound = 32, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>} {
  %0 = pico.relu %x {pico.buffer = #pico.buffer<offset = 16, size = 16, first = 0, last = 1>} : tensor<4xf32> -> tensor<4xf32>
  %1 = pico.add %0, %x {pico.buffer = #pico.buffer<offset = 16, size = 16, first = 1, last = 1>} : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

func.func @negative_offset(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{buffer offset and size must be >= 0, got offset -16 and size 16}}
  %0 = pico.relu %x {pico.buffer = #pico.buffer<offset = -16, size = 16, first = 0, last = 0>} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @reversed_lifetime(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{buffer lifetime must satisfy 0 <= first <= last, got first 3 and last 1}}
  %0 = pico.relu %x {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 3, last = 1>} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{memory plan lower bound 64 exceeds its arena 32}}
func.func @bound_above_arena() attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 64, peak_step = 0, input_order_lower_bound = 64, weights = 0, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  return
}

// -----

// expected-error @+1 {{memory plan alignment must be >= 1, got 0}}
func.func @zero_alignment() attributes {pico.memory_plan = #pico.memory_plan<arena = 0, lower_bound = 0, peak_step = 0, input_order_lower_bound = 0, weights = 0, alignment = 0, element_bytes = 0, tiled_blocks = 0>} {
  return
}
