// RUN: picosam-opt %s --split-input-file --pico-verify-memory-plan -verify-diagnostics | FileCheck %s
// RUN: not picosam-opt %s --split-input-file --pico-verify-memory-plan -o /dev/null 2>&1 | FileCheck %s --check-prefix=LOC

// Plans printed by --pico-plan-memory (alignment=1, tile-separable-blocks=1
// for the block), then corrupted by hand: every corruption fails at the op
// of the tensor, naming the tensors by their location (ONNX) names. Those
// locations have no line (expected-error @unknown); the LOC lines show
// where the errors are reported.
// LOC: error: loc("/conv2"): '/conv2' (bytes [256, 768), steps 2 to 2) overlaps '/relu'
// LOC: error: loc("/conv1"): '/conv1' ('tensor<1x8x4x4xf32>') takes 512 bytes
// LOC: error: loc("/dec/dw"): '/dec/dw' is a ring of 0 rows
// LOC: error: loc("/dec/dw"): '/dec/dw' (bytes [0, 128), steps 0 to 0) overlaps 'e'
// LOC: error: 'func.func' op argument #1: 'pico.buffer' (offset 32, size 20) ends past the function's arena of 48 bytes

// The plans as made pass, and are left unchanged: a chain whose relu writes
// over the conv's result, a tiled block streaming into /skip, which writes
// its rows over its input e (1024 bytes at 0, the result 512), and a tiled
// block whose result a clip writes over.
// CHECK-LABEL: func.func @chain
// CHECK: pico.relu {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 512, first = 1, last = 2>
func.func @chain(%x: tensor<1x4x4x4xf32> {pico.buffer = #pico.buffer<offset = 512, size = 256, first = 0, last = 0>} loc("input")) -> tensor<1x8x4x4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 1024, lower_bound = 1024, peak_step = 2, steps = 3, input_order_lower_bound = 1024, weights = 384, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  %w1 = pico.constant dense<0.5> : tensor<8x4x1x1xf32>
  %w2 = pico.constant dense<0.5> : tensor<8x8x1x1xf32>
  %c = pico.conv2d %x, %w1 {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 1>} : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv1")
  %r = pico.relu %c {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 1, last = 2>} : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32> loc("/relu")
  %d = pico.conv2d %r, %w2 {pico.buffer = #pico.buffer<offset = 512, size = 512, first = 2, last = 2>} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv2")
  return %d : tensor<1x8x4x4xf32>
}

func.func @streamed(%x: tensor<1x4x4x4xf32> {pico.buffer = #pico.buffer<offset = 1024, size = 256, first = 0, last = 0>} loc("x"), %e: tensor<1x4x8x8xf32> {pico.buffer = #pico.buffer<offset = 0, size = 1024, first = 0, last = 0>} loc("e")) -> tensor<1x2x8x8xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 1472, lower_bound = 1472, peak_step = 0, steps = 1, input_order_lower_bound = 1472, weights = 208, alignment = 1, element_bytes = 0, tiled_blocks = 1>} {
  %wd = pico.constant dense<0.5> : tensor<4x1x3x3xf32>
  %wp = pico.constant dense<0.5> : tensor<2x4x1x1xf32>
  %ws = pico.constant dense<0.25> : tensor<2x4x1x1xf32>
  %y = pico.separable_block %x : tensor<1x4x4x4xf32> -> tensor<1x2x8x8xf32> {
  ^bb0(%in: tensor<1x4x4x4xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>, pico.buffer = #pico.buffer<offset = 1280, size = 128, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 128>} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32> loc("/dec/dw")
    %pw = pico.conv2d %dw, %wp {activation = #pico.act<relu>, pico.buffer = #pico.buffer<offset = 1408, size = 64, first = 0, last = 0, kind = streamed, rows = 1, row_bytes = 64>} : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x8x8xf32> loc("/dec/pw")
    pico.yield %pw : tensor<1x2x8x8xf32>
  } loc("/dec")
  %s = pico.conv2d %e, %ws residual %y {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 0>} : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> loc("/skip")
  return %s : tensor<1x2x8x8xf32>
}

func.func @tiled(%x: tensor<1x4x4x4xf32> {pico.buffer = #pico.buffer<offset = 0, size = 256, first = 0, last = 0>} loc("x")) -> tensor<1x2x4x4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 448, lower_bound = 448, peak_step = 0, steps = 2, input_order_lower_bound = 448, weights = 176, alignment = 1, element_bytes = 0, tiled_blocks = 1>} {
  %wd = pico.constant dense<0.5> : tensor<4x1x3x3xf32>
  %wp = pico.constant dense<0.5> : tensor<2x4x1x1xf32>
  %y = pico.separable_block %x {pico.buffer = #pico.buffer<offset = 256, size = 128, first = 0, last = 1>} : tensor<1x4x4x4xf32> -> tensor<1x2x4x4xf32> {
  ^bb0(%in: tensor<1x4x4x4xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>, pico.buffer = #pico.buffer<offset = 384, size = 64, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 64>} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x4x4xf32> loc("/enc/dw")
    %pw = pico.conv2d %dw, %wp : (tensor<1x4x4x4xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x4x4xf32> loc("/enc/pw")
    pico.yield %pw : tensor<1x2x4x4xf32>
  } loc("/enc")
  %r = pico.clip %y {min = -1.0 : f32, max = 1.0 : f32, pico.buffer = #pico.buffer<offset = 256, size = 128, first = 1, last = 1>} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32> loc("/clip")
  return %r : tensor<1x2x4x4xf32>
}

// A function without a plan is left alone.
func.func @unplanned(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = pico.relu %x : tensor<4xf32> -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// An offset: /conv2 moved from 512 to 256 overlaps the relu's result, which
// it reads at the same step.
func.func @chain(%x: tensor<1x4x4x4xf32> {pico.buffer = #pico.buffer<offset = 512, size = 256, first = 0, last = 0>} loc("input")) -> tensor<1x8x4x4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 1024, lower_bound = 1024, peak_step = 2, steps = 3, input_order_lower_bound = 1024, weights = 384, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  %w1 = pico.constant dense<0.5> : tensor<8x4x1x1xf32>
  %w2 = pico.constant dense<0.5> : tensor<8x8x1x1xf32>
  %c = pico.conv2d %x, %w1 {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 1>} : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv1")
  %r = pico.relu %c {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 1, last = 2>} : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32> loc("/relu")
  // expected-error @unknown {{'/conv2' (bytes [256, 768), steps 2 to 2) overlaps '/relu' (bytes [0, 512), steps 1 to 2) while both are live}}
  %d = pico.conv2d %r, %w2 {pico.buffer = #pico.buffer<offset = 256, size = 512, first = 2, last = 2>} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv2")
  return %d : tensor<1x8x4x4xf32>
}

// -----

// A size: /conv1's 1x8x4x4 f32 result takes 512 bytes, not 500.
func.func @chain(%x: tensor<1x4x4x4xf32> {pico.buffer = #pico.buffer<offset = 512, size = 256, first = 0, last = 0>} loc("input")) -> tensor<1x8x4x4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 1024, lower_bound = 1024, peak_step = 2, steps = 3, input_order_lower_bound = 1024, weights = 384, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  %w1 = pico.constant dense<0.5> : tensor<8x4x1x1xf32>
  %w2 = pico.constant dense<0.5> : tensor<8x8x1x1xf32>
  // expected-error @unknown {{'/conv1' ('tensor<1x8x4x4xf32>') takes 512 bytes; its planned buffer holds 500}}
  %c = pico.conv2d %x, %w1 {pico.buffer = #pico.buffer<offset = 0, size = 500, first = 0, last = 1>} : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv1")
  %r = pico.relu %c {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 1, last = 2>} : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32> loc("/relu")
  %d = pico.conv2d %r, %w2 {pico.buffer = #pico.buffer<offset = 512, size = 512, first = 2, last = 2>} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv2")
  return %d : tensor<1x8x4x4xf32>
}

// -----

// A lifetime: /relu is read by /conv2 at step 2, but its buffer ends at 1.
func.func @chain(%x: tensor<1x4x4x4xf32> {pico.buffer = #pico.buffer<offset = 512, size = 256, first = 0, last = 0>} loc("input")) -> tensor<1x8x4x4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 1024, lower_bound = 1024, peak_step = 2, steps = 3, input_order_lower_bound = 1024, weights = 384, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  %w1 = pico.constant dense<0.5> : tensor<8x4x1x1xf32>
  %w2 = pico.constant dense<0.5> : tensor<8x8x1x1xf32>
  %c = pico.conv2d %x, %w1 {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 1>} : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv1")
  // expected-error @unknown {{'/relu' is read at step 2 but its buffer is live only to step 1}}
  %r = pico.relu %c {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 1, last = 1>} : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32> loc("/relu")
  %d = pico.conv2d %r, %w2 {pico.buffer = #pico.buffer<offset = 512, size = 512, first = 2, last = 2>} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv2")
  return %d : tensor<1x8x4x4xf32>
}

// -----

// A lifetime's start: the tiled block /enc runs at step 0 and makes its
// ring's rows there, not at step 1 (the clip writes in place over the
// block's result at step 1).
func.func @tiled(%x: tensor<1x4x4x4xf32> {pico.buffer = #pico.buffer<offset = 0, size = 256, first = 0, last = 0>} loc("x")) -> tensor<1x2x4x4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 448, lower_bound = 448, peak_step = 0, steps = 2, input_order_lower_bound = 448, weights = 176, alignment = 1, element_bytes = 0, tiled_blocks = 1>} {
  %wd = pico.constant dense<0.5> : tensor<4x1x3x3xf32>
  %wp = pico.constant dense<0.5> : tensor<2x4x1x1xf32>
  %y = pico.separable_block %x {pico.buffer = #pico.buffer<offset = 256, size = 128, first = 0, last = 1>} : tensor<1x4x4x4xf32> -> tensor<1x2x4x4xf32> {
  ^bb0(%in: tensor<1x4x4x4xf32>):
    // expected-error @unknown {{'/enc/dw' is defined at step 0 but its buffer is live from step 1}}
    %dw = pico.conv2d %in, %wd {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>, pico.buffer = #pico.buffer<offset = 384, size = 64, first = 1, last = 1, kind = ring, rows = 1, row_bytes = 64>} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x4x4xf32> loc("/enc/dw")
    %pw = pico.conv2d %dw, %wp : (tensor<1x4x4x4xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x4x4xf32> loc("/enc/pw")
    pico.yield %pw : tensor<1x2x4x4xf32>
  } loc("/enc")
  %r = pico.clip %y {min = -1.0 : f32, max = 1.0 : f32, pico.buffer = #pico.buffer<offset = 256, size = 128, first = 1, last = 1>} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32> loc("/clip")
  return %r : tensor<1x2x4x4xf32>
}

// -----

// Written in place where the rules do not allow it: /relu over the input,
// which /conv2 still reads (the hand-made plan test/Interpreter/planned.mlir
// runs as @overlap).
func.func @chain(%x: tensor<1x8x4x4xf32> {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 1>} loc("input")) -> tensor<1x8x4x4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 1024, lower_bound = 1024, peak_step = 0, steps = 2, input_order_lower_bound = 1024, weights = 256, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  %w2 = pico.constant dense<0.5> : tensor<8x8x1x1xf32>
  // expected-error @unknown {{'/relu' (bytes [0, 512), steps 0 to 1) overlaps 'input' (bytes [0, 512), steps 0 to 1) while both are live}}
  %r = pico.relu %x {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 1>} : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32> loc("/relu")
  %d = pico.add %r, %x {pico.buffer = #pico.buffer<offset = 512, size = 512, first = 1, last = 1>} : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32> loc("/sum")
  return %d : tensor<1x8x4x4xf32>
}

// -----

// A ring's rows: the pointwise conv reads one row of /dec/dw at a time; a
// ring of none cannot hold it.
func.func @streamed(%x: tensor<1x4x4x4xf32> {pico.buffer = #pico.buffer<offset = 1024, size = 256, first = 0, last = 0>} loc("x"), %e: tensor<1x4x8x8xf32> {pico.buffer = #pico.buffer<offset = 0, size = 1024, first = 0, last = 0>} loc("e")) -> tensor<1x2x8x8xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 1472, lower_bound = 1472, peak_step = 0, steps = 1, input_order_lower_bound = 1472, weights = 208, alignment = 1, element_bytes = 0, tiled_blocks = 1>} {
  %wd = pico.constant dense<0.5> : tensor<4x1x3x3xf32>
  %wp = pico.constant dense<0.5> : tensor<2x4x1x1xf32>
  %ws = pico.constant dense<0.25> : tensor<2x4x1x1xf32>
  %y = pico.separable_block %x : tensor<1x4x4x4xf32> -> tensor<1x2x8x8xf32> {
  ^bb0(%in: tensor<1x4x4x4xf32>):
    // expected-error @unknown {{'/dec/dw' is a ring of 0 rows; its reader needs 1 at once}}
    %dw = pico.conv2d %in, %wd {group = 4 : i64, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>, pico.buffer = #pico.buffer<offset = 1280, size = 128, first = 0, last = 0, kind = ring, rows = 0, row_bytes = 128>} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32> loc("/dec/dw")
    %pw = pico.conv2d %dw, %wp {activation = #pico.act<relu>, pico.buffer = #pico.buffer<offset = 1408, size = 64, first = 0, last = 0, kind = streamed, rows = 1, row_bytes = 64>} : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x8x8xf32> loc("/dec/pw")
    pico.yield %pw : tensor<1x2x8x8xf32>
  } loc("/dec")
  %s = pico.conv2d %e, %ws residual %y {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 0>} : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> loc("/skip")
  return %s : tensor<1x2x8x8xf32>
}

// -----

// A ring's row size: a row of the streamed 1x2x8x8 f32 result is 2 x 8 x 4
// = 64 bytes.
func.func @streamed(%x: tensor<1x4x4x4xf32> {pico.buffer = #pico.buffer<offset = 1024, size = 256, first = 0, last = 0>} loc("x"), %e: tensor<1x4x8x8xf32> {pico.buffer = #pico.buffer<offset = 0, size = 1024, first = 0, last = 0>} loc("e")) -> tensor<1x2x8x8xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 1472, lower_bound = 1472, peak_step = 0, steps = 1, input_order_lower_bound = 1472, weights = 208, alignment = 1, element_bytes = 0, tiled_blocks = 1>} {
  %wd = pico.constant dense<0.5> : tensor<4x1x3x3xf32>
  %wp = pico.constant dense<0.5> : tensor<2x4x1x1xf32>
  %ws = pico.constant dense<0.25> : tensor<2x4x1x1xf32>
  %y = pico.separable_block %x : tensor<1x4x4x4xf32> -> tensor<1x2x8x8xf32> {
  ^bb0(%in: tensor<1x4x4x4xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>, pico.buffer = #pico.buffer<offset = 1280, size = 128, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 128>} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32> loc("/dec/dw")
    // expected-error @unknown {{'/dec/pw' ('tensor<1x2x8x8xf32>') has rows of 64 bytes; its planned ring's rows hold 32}}
    %pw = pico.conv2d %dw, %wp {activation = #pico.act<relu>, pico.buffer = #pico.buffer<offset = 1408, size = 64, first = 0, last = 0, kind = streamed, rows = 1, row_bytes = 32>} : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x8x8xf32> loc("/dec/pw")
    pico.yield %pw : tensor<1x2x8x8xf32>
  } loc("/dec")
  %s = pico.conv2d %e, %ws residual %y {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 0>} : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> loc("/skip")
  return %s : tensor<1x2x8x8xf32>
}

// -----

// A ring moved over a live tensor: the depthwise ring at 0 clobbers e,
// which /skip reads in the same step (test/Interpreter/planned.mlir runs
// this corruption and shows the wrong numbers).
func.func @streamed(%x: tensor<1x4x4x4xf32> {pico.buffer = #pico.buffer<offset = 1024, size = 256, first = 0, last = 0>} loc("x"), %e: tensor<1x4x8x8xf32> {pico.buffer = #pico.buffer<offset = 0, size = 1024, first = 0, last = 0>} loc("e")) -> tensor<1x2x8x8xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 1472, lower_bound = 1472, peak_step = 0, steps = 1, input_order_lower_bound = 1472, weights = 208, alignment = 1, element_bytes = 0, tiled_blocks = 1>} {
  %wd = pico.constant dense<0.5> : tensor<4x1x3x3xf32>
  %wp = pico.constant dense<0.5> : tensor<2x4x1x1xf32>
  %ws = pico.constant dense<0.25> : tensor<2x4x1x1xf32>
  %y = pico.separable_block %x : tensor<1x4x4x4xf32> -> tensor<1x2x8x8xf32> {
  ^bb0(%in: tensor<1x4x4x4xf32>):
    // expected-error @unknown {{'/dec/dw' (bytes [0, 128), steps 0 to 0) overlaps 'e' (bytes [0, 1024), steps 0 to 0) while both are live}}
    %dw = pico.conv2d %in, %wd {group = 4 : i64, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>, pico.buffer = #pico.buffer<offset = 0, size = 128, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 128>} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32> loc("/dec/dw")
    %pw = pico.conv2d %dw, %wp {activation = #pico.act<relu>, pico.buffer = #pico.buffer<offset = 1408, size = 64, first = 0, last = 0, kind = streamed, rows = 1, row_bytes = 64>} : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x8x8xf32> loc("/dec/pw")
    pico.yield %pw : tensor<1x2x8x8xf32>
  } loc("/dec")
  %s = pico.conv2d %e, %ws residual %y {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 0>} : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> loc("/skip")
  return %s : tensor<1x2x8x8xf32>
}

// -----

// The arena: planned with alignment 16, y sits at [32, 52); an arena of 48
// bytes does not hold it (the dialect's attribute verifier says so).
// expected-error @+1 {{'func.func' op argument #1: 'pico.buffer' (offset 32, size 20) ends past the function's arena of 48 bytes}}
func.func @aligned(%x: tensor<5xf32> {pico.buffer = #pico.buffer<offset = 0, size = 20, first = 0, last = 0>} loc("x"), %y: tensor<5xf32> {pico.buffer = #pico.buffer<offset = 32, size = 20, first = 0, last = 0>} loc("y")) -> tensor<5xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 48, lower_bound = 40, peak_step = 0, steps = 1, input_order_lower_bound = 40, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>} {
  %s = pico.add %x, %y {pico.buffer = #pico.buffer<offset = 0, size = 20, first = 0, last = 0>} : tensor<5xf32>, tensor<5xf32> -> tensor<5xf32> loc("/sum")
  return %s : tensor<5xf32>
}

// -----

// An offset off the alignment.
// expected-error @unknown {{'y' is planned at offset 24, not a multiple of the plan's alignment 16}}
func.func @aligned(%x: tensor<5xf32> {pico.buffer = #pico.buffer<offset = 0, size = 20, first = 0, last = 0>} loc("x"), %y: tensor<5xf32> {pico.buffer = #pico.buffer<offset = 24, size = 20, first = 0, last = 0>} loc("y")) -> tensor<5xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 52, lower_bound = 40, peak_step = 0, steps = 1, input_order_lower_bound = 40, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>} {
  %s = pico.add %x, %y {pico.buffer = #pico.buffer<offset = 0, size = 20, first = 0, last = 0>} : tensor<5xf32>, tensor<5xf32> -> tensor<5xf32> loc("/sum")
  return %s : tensor<5xf32>
}

// -----

// The recorded lower bound: the buffers give 40 bytes at step 0.
// expected-error @+1 {{the memory plan records a lower bound of 36 bytes at step 0; its buffers give 40 at step 0}}
func.func @aligned(%x: tensor<5xf32> {pico.buffer = #pico.buffer<offset = 0, size = 20, first = 0, last = 0>} loc("x"), %y: tensor<5xf32> {pico.buffer = #pico.buffer<offset = 32, size = 20, first = 0, last = 0>} loc("y")) -> tensor<5xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 52, lower_bound = 36, peak_step = 0, steps = 1, input_order_lower_bound = 40, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>} {
  %s = pico.add %x, %y {pico.buffer = #pico.buffer<offset = 0, size = 20, first = 0, last = 0>} : tensor<5xf32>, tensor<5xf32> -> tensor<5xf32> loc("/sum")
  return %s : tensor<5xf32>
}

// -----

// The schedule: ops run their steps in program order.
func.func @chain(%x: tensor<1x4x4x4xf32> {pico.buffer = #pico.buffer<offset = 512, size = 256, first = 0, last = 0>} loc("input")) -> tensor<1x8x4x4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 1024, lower_bound = 1024, peak_step = 2, steps = 3, input_order_lower_bound = 1024, weights = 384, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  %w1 = pico.constant dense<0.5> : tensor<8x4x1x1xf32>
  %w2 = pico.constant dense<0.5> : tensor<8x8x1x1xf32>
  %c = pico.conv2d %x, %w1 {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 1>} : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv1")
  // expected-error @unknown {{'pico.relu' op runs at step 2 of the plan, but ops run their steps in program order: step 1 expected}}
  %r = pico.relu %c {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 2, last = 2>} : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32> loc("/relu")
  %d = pico.conv2d %r, %w2 {pico.buffer = #pico.buffer<offset = 512, size = 512, first = 1, last = 2>} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv2")
  return %d : tensor<1x8x4x4xf32>
}

// -----

// An activation without a buffer.
func.func @chain(%x: tensor<1x4x4x4xf32> {pico.buffer = #pico.buffer<offset = 512, size = 256, first = 0, last = 0>} loc("input")) -> tensor<1x8x4x4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 1024, lower_bound = 1024, peak_step = 2, steps = 3, input_order_lower_bound = 1024, weights = 384, alignment = 1, element_bytes = 0, tiled_blocks = 0>} {
  %w1 = pico.constant dense<0.5> : tensor<8x4x1x1xf32>
  %w2 = pico.constant dense<0.5> : tensor<8x8x1x1xf32>
  %c = pico.conv2d %x, %w1 {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 1>} : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv1")
  // expected-error @unknown {{'/relu' has no planned buffer; plan the function with --pico-plan-memory first}}
  %r = pico.relu %c : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32> loc("/relu")
  %d = pico.conv2d %r, %w2 {pico.buffer = #pico.buffer<offset = 512, size = 512, first = 2, last = 2>} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv2")
  return %d : tensor<1x8x4x4xf32>
}
