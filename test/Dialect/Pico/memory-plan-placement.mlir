// Where the memory plan's attributes may appear (the pico dialect's
// attribute hooks): pico.memory_plan on a function, pico.buffer on an op
// defining one tensor or on a function argument, each of its kind, and a
// buffer inside its function's arena.
// RUN: picosam-opt %s -split-input-file -verify-diagnostics

// Buffers ending exactly at the arena's end, on an argument and on an op of
// a planned function (one at the int64 maximum); buffers of a function
// without a plan.
func.func @fits(%x: tensor<4xf32> {pico.buffer = #pico.buffer<offset = 16, size = 16, first = 0, last = 1>}) -> tensor<4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 32, peak_step = 0, steps = 1, input_order_lower_bound = 32, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>} {
  %0 = pico.relu %x {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 1>} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

func.func @int64_arena(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 9223372036854775807, lower_bound = 0, peak_step = 0, steps = 1, input_order_lower_bound = 0, weights = 0, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  %0 = pico.relu %x {pico.buffer = #pico.buffer<offset = 9223372036854775806, size = 1, first = 0, last = 0>} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

func.func @unplanned(%x: tensor<4xf32> {pico.buffer = #pico.buffer<offset = 4096, size = 16, first = 0, last = 0>}) -> tensor<4xf32> {
  %0 = pico.relu %x {pico.buffer = #pico.buffer<offset = 8192, size = 16, first = 0, last = 0>} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @op_outside_arena(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 16, peak_step = 0, steps = 1, input_order_lower_bound = 16, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>} {
  // expected-error @+1 {{'pico.relu' op 'pico.buffer' (offset 32, size 16) ends past the function's arena of 32 bytes}}
  %0 = pico.relu %x {pico.buffer = #pico.buffer<offset = 32, size = 16, first = 0, last = 0>} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op argument #0: 'pico.buffer' (offset 16, size 32) ends past the function's arena of 32 bytes}}
func.func @argument_outside_arena(%x: tensor<4xf32> {pico.buffer = #pico.buffer<offset = 16, size = 32, first = 0, last = 0>}) -> tensor<4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 16, peak_step = 0, steps = 1, input_order_lower_bound = 16, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>} {
  return %x : tensor<4xf32>
}

// -----

func.func @buffer_kind(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'pico.relu' op 'pico.buffer' must be a #pico.buffer, got 16 : i64}}
  %0 = pico.relu %x {pico.buffer = 16} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op argument #0: 'pico.buffer' must be a whole #pico.buffer, got #pico.act<relu>}}
func.func @argument_buffer_kind(%x: tensor<4xf32> {pico.buffer = #pico.act<relu>}) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

func.func @buffer_without_result(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'func.return' op 'pico.buffer' belongs on an op defining one tensor or on a function argument}}
  return {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 0>} %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op 'pico.memory_plan' must be a #pico.memory_plan, got #pico.buffer<offset = 0, size = 16, first = 0, last = 0>}}
func.func @plan_kind() attributes {pico.memory_plan = #pico.buffer<offset = 0, size = 16, first = 0, last = 0>} {
  return
}

// -----

func.func @plan_on_op(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'pico.relu' op 'pico.memory_plan' is a function attribute}}
  %0 = pico.relu %x {pico.memory_plan = #pico.memory_plan<arena = 0, lower_bound = 0, peak_step = 0, steps = 1, input_order_lower_bound = 0, weights = 0, alignment = 1, element_bytes = 0, tiled_blocks = 0>} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op argument #0: 'pico.memory_plan' is a function attribute, not an argument's}}
func.func @plan_on_argument(%x: tensor<4xf32> {pico.memory_plan = #pico.memory_plan<arena = 0, lower_bound = 0, peak_step = 0, steps = 1, input_order_lower_bound = 0, weights = 0, alignment = 1, element_bytes = 0, tiled_blocks = 0>}) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// offset + size would overflow int64: still past the arena.
func.func @overflowing_end(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 9223372036854775807, lower_bound = 0, peak_step = 0, steps = 1, input_order_lower_bound = 0, weights = 0, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  // expected-error @+1 {{'pico.relu' op 'pico.buffer' (offset 9223372036854775807, size 9223372036854775807) ends past the function's arena of 9223372036854775807 bytes}}
  %0 = pico.relu %x {pico.buffer = #pico.buffer<offset = 9223372036854775807, size = 9223372036854775807, first = 0, last = 0>} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
