// RUN: picosam-opt %s --split-input-file --pico-materialize-arena -verify-diagnostics

// What --pico-materialize-arena refuses, at the function or op. The plans
// are --pico-plan-memory's (alignment=1; tiled where a block has a ring).

// expected-error @+1 {{@unplanned has no memory plan; plan it with --pico-plan-memory first}}
func.func @unplanned(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = pico.relu %x : tensor<4xf32> -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A plan that fails --pico-verify-memory-plan goes no further: the relu
// written over x, which the add reads after it.
func.func @overlap(%x: tensor<4xf32> {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 1>}) -> tensor<4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 32, peak_step = 0, steps = 2, input_order_lower_bound = 32, weights = 0, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  // expected-error @+1 {{'pico.relu#0' (bytes [0, 16), steps 0 to 1) overlaps 'arg0' (bytes [0, 16), steps 0 to 1) while both are live}}
  %r = pico.relu %x {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 1>} : tensor<4xf32> -> tensor<4xf32>
  %s = pico.add %r, %x {pico.buffer = #pico.buffer<offset = 16, size = 16, first = 1, last = 1>} : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %s : tensor<4xf32>
}

// -----

// An estimate (every element counted as 1 byte) verifies as a plan but
// cannot hold the f32 tensors.
// expected-error @+1 {{'arg0' ('tensor<4xf32>') takes 16 bytes; its planned buffer holds 4}}
func.func @estimate(%x: tensor<4xf32> {pico.buffer = #pico.buffer<offset = 0, size = 4, first = 0, last = 1>}) -> tensor<4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 8, lower_bound = 8, peak_step = 0, steps = 2, input_order_lower_bound = 8, weights = 0, alignment = 1, element_bytes = 1, tiled_blocks = 0>} {
  %r = pico.relu %x {pico.buffer = #pico.buffer<offset = 4, size = 4, first = 0, last = 1>} : tensor<4xf32> -> tensor<4xf32>
  %s = pico.add %r, %x {pico.buffer = #pico.buffer<offset = 4, size = 4, first = 1, last = 1>} : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %s : tensor<4xf32>
}

// -----

func.func @not_pico(%x: tensor<4xf32> {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 1>}) -> tensor<4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 32, peak_step = 0, steps = 2, input_order_lower_bound = 32, weights = 0, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  // expected-error @+1 {{'tensor.empty' op cannot be materialised over the arena: it is not a pico op}}
  %e = tensor.empty() {pico.buffer = #pico.buffer<offset = 16, size = 16, first = 0, last = 1>} : tensor<4xf32>
  %s = pico.add %e, %x {pico.buffer = #pico.buffer<offset = 16, size = 16, first = 1, last = 1>} : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %s : tensor<4xf32>
}

// -----

// A block streaming into a conv that reads its input through an upsample:
// that conv's row would have to be computed with its neighbour, and the
// streamed residual is one row.
func.func @streamed_upsampled(%x: tensor<1x4x8x8xf32> {pico.buffer = #pico.buffer<offset = 0, size = 1024, first = 0, last = 0>}, %e: tensor<1x4x4x4xf32> {pico.buffer = #pico.buffer<offset = 1536, size = 256, first = 0, last = 0>}) -> tensor<1x2x8x8xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 1984, lower_bound = 1984, peak_step = 0, steps = 1, input_order_lower_bound = 1984, weights = 208, alignment = 1, element_bytes = 0, tiled_blocks = 1>} {
  %wd = pico.constant dense<0.5> : tensor<4x1x3x3xf32>
  %wp = pico.constant dense<0.5> : tensor<2x4x1x1xf32>
  %ws = pico.constant dense<0.25> : tensor<2x4x1x1xf32>
  %y = pico.separable_block %x : tensor<1x4x8x8xf32> -> tensor<1x2x8x8xf32> {
  ^bb0(%in: tensor<1x4x8x8xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>, pico.buffer = #pico.buffer<offset = 1792, size = 128, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 128>} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32>
    %pw = pico.conv2d %dw, %wp {pico.buffer = #pico.buffer<offset = 1920, size = 64, first = 0, last = 0, kind = streamed, rows = 1, row_bytes = 64>} : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x8x8xf32>
    pico.yield %pw : tensor<1x2x8x8xf32>
  }
  // expected-error @+1 {{'pico.conv2d' op cannot be materialised row by row with the block streaming into it: its row 0 needs more than one row computed (its input is upsampled)}}
  %s = pico.conv2d %e, %ws residual %y {input_upsample = 2 : i64, pico.buffer = #pico.buffer<offset = 1024, size = 512, first = 0, last = 0>} : (tensor<1x4x4x4xf32>, tensor<2x4x1x1xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  return %s : tensor<1x2x8x8xf32>
}

// -----

// A depthwise conv whose first row's window lies in its top padding.
func.func @padding_row(%x: tensor<1x4x2x2xf32> {pico.buffer = #pico.buffer<offset = 672, size = 64, first = 0, last = 0>}) -> tensor<1x4x6x6xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 736, lower_bound = 736, peak_step = 0, steps = 1, input_order_lower_bound = 736, weights = 208, alignment = 1, element_bytes = 0, tiled_blocks = 1>} {
  %wd = pico.constant dense<0.5> : tensor<4x1x3x3xf32>
  %wp = pico.constant dense<0.5> : tensor<4x4x1x1xf32>
  %y = pico.separable_block %x {pico.buffer = #pico.buffer<offset = 0, size = 576, first = 0, last = 0>} : tensor<1x4x2x2xf32> -> tensor<1x4x6x6xf32> {
  ^bb0(%in: tensor<1x4x2x2xf32>):
    // expected-error @+1 {{'pico.conv2d' op cannot be materialised row by row: row 0 reads padding only}}
    %dw = pico.conv2d %in, %wd {group = 4 : i64, pads = array<i64: 3, 3, 3, 3>, pico.buffer = #pico.buffer<offset = 576, size = 96, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 96>} : (tensor<1x4x2x2xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
    %pw = pico.conv2d %dw, %wp : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
    pico.yield %pw : tensor<1x4x6x6xf32>
  }
  return %y : tensor<1x4x6x6xf32>
}
