// RUN: picosam-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// The plan attributes round-trip; an argument's buffer is an argument
// attribute.

// CHECK-LABEL: func.func @planned
// CHECK-SAME: pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 1>
// CHECK-SAME: pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 32, peak_step = 0, steps = 2, input_order_lower_bound = 32, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>
// CHECK: pico.relu {{.*}} {pico.buffer = #pico.buffer<offset = 16, size = 16, first = 0, last = 1>}
func.func @planned(%x: tensor<4xf32> {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 1>}) -> tensor<4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 32, peak_step = 0, steps = 2, input_order_lower_bound = 32, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>} {
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
func.func @bound_above_arena() attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 64, peak_step = 0, steps = 1, input_order_lower_bound = 64, weights = 0, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  return
}

// -----

// expected-error @+1 {{memory plan alignment must be >= 1, got 0}}
func.func @zero_alignment() attributes {pico.memory_plan = #pico.memory_plan<arena = 0, lower_bound = 0, peak_step = 0, steps = 1, input_order_lower_bound = 0, weights = 0, alignment = 0, element_bytes = 0, tiled_blocks = 0>} {
  return
}


// -----

// Rings: a tiled block's intermediate on its depthwise conv, a streamed
// result on its pointwise conv (the block then has no buffer).

// CHECK-LABEL: func.func @rings
// CHECK: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 64, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 64>
// CHECK: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 64, size = 64, first = 0, last = 0, kind = streamed, rows = 1, row_bytes = 64>
func.func @rings(%x: tensor<1x4x4x4xf32>, %w: tensor<4x1x3x3xf32>, %p: tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32> {
  %y = pico.separable_block %x : tensor<1x4x4x4xf32> -> tensor<1x4x4x4xf32> {
  ^bb0(%in: tensor<1x4x4x4xf32>):
    %dw = pico.conv2d %in, %w {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>, pico.buffer = #pico.buffer<offset = 0, size = 64, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 64>} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x4x4xf32>
    %pw = pico.conv2d %dw, %p {pico.buffer = #pico.buffer<offset = 64, size = 64, first = 0, last = 0, kind = streamed, rows = 1, row_bytes = 64>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
    pico.yield %pw : tensor<1x4x4x4xf32>
  }
  return %y : tensor<1x4x4x4xf32>
}

// -----

func.func @whole_with_rows(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{a whole buffer has no rows or row_bytes}}
  %0 = pico.relu %x {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 0, rows = 1>} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @ring_past_size(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{a ring of 2 rows of 16 bytes does not fit its size 16}}
  %0 = pico.relu %x {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 0, kind = ring, rows = 2, row_bytes = 16>} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @ring_outside_block(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{a ring buffer belongs on the depthwise convolution of a separable block}}
  %0 = pico.relu %x {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 16>} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @streamed_with_block_buffer(%x: tensor<1x4x4x4xf32>, %w: tensor<4x1x3x3xf32>, %p: tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32> {
  %y = pico.separable_block %x {pico.buffer = #pico.buffer<offset = 0, size = 256, first = 0, last = 0>} : tensor<1x4x4x4xf32> -> tensor<1x4x4x4xf32> {
  ^bb0(%in: tensor<1x4x4x4xf32>):
    %dw = pico.conv2d %in, %w {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x4x4xf32>
    // expected-error @+1 {{a separable block streaming its rows has no buffer of its own}}
    %pw = pico.conv2d %dw, %p {pico.buffer = #pico.buffer<offset = 256, size = 64, first = 0, last = 0, kind = streamed, rows = 1, row_bytes = 64>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
    pico.yield %pw : tensor<1x4x4x4xf32>
  }
  return %y : tensor<1x4x4x4xf32>
}

// -----

func.func @whole_on_pointwise(%x: tensor<1x4x4x4xf32>, %w: tensor<4x1x3x3xf32>, %p: tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32> {
  %y = pico.separable_block %x : tensor<1x4x4x4xf32> -> tensor<1x4x4x4xf32> {
  ^bb0(%in: tensor<1x4x4x4xf32>):
    %dw = pico.conv2d %in, %w {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x4x4xf32>
    // expected-error @+1 {{a whole buffer for a separable block's result belongs on the block}}
    %pw = pico.conv2d %dw, %p {pico.buffer = #pico.buffer<offset = 0, size = 256, first = 0, last = 0>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
    pico.yield %pw : tensor<1x4x4x4xf32>
  }
  return %y : tensor<1x4x4x4xf32>
}

// -----

// expected-error @+1 {{argument #0: 'pico.buffer' must be a whole #pico.buffer}}
func.func @ring_argument(%x: tensor<4xf32> {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 16>}) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

func.func @plan_on_op(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'pico.memory_plan' is a function attribute}}
  %0 = pico.relu %x {pico.memory_plan = #pico.memory_plan<arena = 0, lower_bound = 0, peak_step = 0, steps = 1, input_order_lower_bound = 0, weights = 0, alignment = 1, element_bytes = 0, tiled_blocks = 0>} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{argument #1: 'pico.arena' marks the memref<bytes x i8> argument, of at least the plan's arena, of a function with a #pico.memory_plan}}
func.func @arena_size(%x: tensor<4xf32>, %arena: memref<16xi8> {pico.arena}) attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 32, peak_step = 0, steps = 1, input_order_lower_bound = 32, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>} {
  return
}

// -----

// Larger than the plan's arena (the rings of bands of rows past it,
// --pico-materialize-arena's row-bands): valid.
// CHECK-LABEL: func.func @arena_with_band_rings
// CHECK-SAME: memref<48xi8> {pico.arena}
func.func @arena_with_band_rings(%x: tensor<4xf32>, %arena: memref<48xi8> {pico.arena}) attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 32, peak_step = 0, steps = 1, input_order_lower_bound = 32, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>} {
  return
}
