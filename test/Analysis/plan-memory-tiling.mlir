// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=1" | FileCheck %s --check-prefix=WHOLE
// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=1 tile-separable-blocks=1" | FileCheck %s --check-prefix=TILED

// A separable block reading its 4x4 input through a x2 upsample (never
// stored): the depthwise result is 1x4x8x8 (1024 bytes), the block's
// 1x2x8x8 (512).
// Whole: the depthwise and pointwise convs are steps 0 and 1.
//   x [0, 0] 256, dw [0, 1] 1024, y [1, 1] 512: step 0: 1280, step 1: 1536.
//   Packing: dw at 0, y above it at 1024, x above it at 1024 (y is not live
//   at step 0).
// Tiled: the block is one step; the 1x1 pointwise conv reads one row of the
// depthwise result at a time: a ring of 1 row x 4 channels x 8 columns x 4
// bytes = 128. x, ring and y all live at step 0: 896. Packing: y at 0, x at
// 512, the ring at 768.

// WHOLE-LABEL: func.func @block
// WHOLE-SAME: {pico.buffer = #pico.buffer<offset = 1024, size = 256, first = 0, last = 0>}
// WHOLE-SAME: pico.memory_plan = #pico.memory_plan<arena = 1536, lower_bound = 1536, peak_step = 1, steps = 2, input_order_lower_bound = 1536, weights = 176, alignment = 1, element_bytes = 0, tiled_blocks = 0>
// WHOLE: pico.separable_block %arg0 {pico.buffer = #pico.buffer<offset = 1024, size = 512, first = 1, last = 1>}
// WHOLE: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 1024, first = 0, last = 1>
// WHOLE-NOT: pico.buffer
// WHOLE: pico.yield

// TILED-LABEL: func.func @block
// TILED-SAME: {pico.buffer = #pico.buffer<offset = 512, size = 256, first = 0, last = 0>}
// TILED-SAME: pico.memory_plan = #pico.memory_plan<arena = 896, lower_bound = 896, peak_step = 0, steps = 1, input_order_lower_bound = 896, weights = 176, alignment = 1, element_bytes = 0, tiled_blocks = 1>
// TILED: pico.separable_block %arg0 {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 0>}
// TILED: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 768, size = 128, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 128>
func.func @block(%x: tensor<1x4x4x4xf32>) -> tensor<1x2x8x8xf32> {
  %wd = pico.constant dense<0.5> : tensor<4x1x3x3xf32>
  %wp = pico.constant dense<0.5> : tensor<2x4x1x1xf32>
  %y = pico.separable_block %x : tensor<1x4x4x4xf32> -> tensor<1x2x8x8xf32> {
  ^bb0(%in: tensor<1x4x4x4xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32>
    %pw = pico.conv2d %dw, %wp : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x8x8xf32>
    pico.yield %pw : tensor<1x2x8x8xf32>
  }
  return %y : tensor<1x2x8x8xf32>
}

// -----

// The pointwise conv's residual r dies in the block: the block's result is
// written over it, whole or tiled.
// Whole: x [0, 0] 256, r [0, 1] 512 then y over it, dw [0, 1] 1024:
//   step 0: 1792, step 1: 1536. Packing: dw at 0, r/y at 1024, x at 1536.
// Tiled: x, r/y and the ring (128) at step 0: 896; r/y at 0, x at 512, ring
//   at 768.

// WHOLE-LABEL: func.func @block_residual
// WHOLE-SAME: {pico.buffer = #pico.buffer<offset = 1024, size = 512, first = 0, last = 1>}
// WHOLE-SAME: pico.memory_plan = #pico.memory_plan<arena = 1792, lower_bound = 1792, peak_step = 0, steps = 2
// WHOLE: pico.separable_block %arg0 {pico.buffer = #pico.buffer<offset = 1024, size = 512, first = 1, last = 1>}
// TILED-LABEL: func.func @block_residual
// TILED-SAME: {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 0>}
// TILED-SAME: pico.memory_plan = #pico.memory_plan<arena = 896, lower_bound = 896, peak_step = 0, steps = 1
// TILED: pico.separable_block %arg0 {pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 0>}
// TILED: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 768, size = 128, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 128>
func.func @block_residual(%x: tensor<1x4x4x4xf32>, %r: tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> {
  %wd = pico.constant dense<0.5> : tensor<4x1x3x3xf32>
  %wp = pico.constant dense<0.5> : tensor<2x4x1x1xf32>
  %y = pico.separable_block %x : tensor<1x4x4x4xf32> -> tensor<1x2x8x8xf32> {
  ^bb0(%in: tensor<1x4x4x4xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32>
    %pw = pico.conv2d %dw, %wp residual %r : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
    pico.yield %pw : tensor<1x2x8x8xf32>
  }
  return %y : tensor<1x2x8x8xf32>
}

// -----

// The block's result is read only as the residual of a 1x1 conv: tiled, the
// block's rows flow into that conv as they are made, so its result is a
// one-row ring too (2 channels x 8 columns x 4 bytes = 64), and the conv,
// whose input e dies there, writes each output row over the input row it
// has just read: s lives in e's 1024 bytes. The block has no buffer of its
// own.
//   Whole: steps 0 dw, 1 pw, 2 s; s writes over y, its residual.
//   x [0, 0] 256, e [0, 2] 1024, dw [0, 1] 1024, y/s [1, 2] 512:
//   step 0: 2304, step 1: 2560, step 2: 1536. Packing: e at 0, dw at 1024,
//   y/s at 2048, x at 2048 (y/s is not live at step 0).
//   Tiled: one step: e/s 1024 at 0, x 256 at 1024, dw ring 128 at 1280,
//   y ring 64 at 1408.

// WHOLE-LABEL: func.func @streamed
// WHOLE-SAME: {pico.buffer = #pico.buffer<offset = 2048, size = 256, first = 0, last = 0>}
// WHOLE-SAME: {pico.buffer = #pico.buffer<offset = 0, size = 1024, first = 0, last = 2>}
// WHOLE-SAME: pico.memory_plan = #pico.memory_plan<arena = 2560, lower_bound = 2560, peak_step = 1, steps = 3
// WHOLE: pico.separable_block %arg0 {pico.buffer = #pico.buffer<offset = 2048, size = 512, first = 1, last = 2>}
// WHOLE: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 1024, size = 1024, first = 0, last = 1>
// WHOLE: pico.conv2d %arg1, {{.*}}pico.buffer = #pico.buffer<offset = 2048, size = 512, first = 2, last = 2>

// TILED-LABEL: func.func @streamed
// TILED-SAME: {pico.buffer = #pico.buffer<offset = 1024, size = 256, first = 0, last = 0>}
// TILED-SAME: {pico.buffer = #pico.buffer<offset = 0, size = 1024, first = 0, last = 0>}
// TILED-SAME: pico.memory_plan = #pico.memory_plan<arena = 1472, lower_bound = 1472, peak_step = 0, steps = 1, input_order_lower_bound = 1472, weights = 208, alignment = 1, element_bytes = 0, tiled_blocks = 1>
// TILED: pico.separable_block %arg0 : tensor
// TILED: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 1280, size = 128, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 128>
// TILED: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 1408, size = 64, first = 0, last = 0, kind = streamed, rows = 1, row_bytes = 64>
// TILED: pico.conv2d %arg1, {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 0>
func.func @streamed(%x: tensor<1x4x4x4xf32>, %e: tensor<1x4x8x8xf32>) -> tensor<1x2x8x8xf32> {
  %wd = pico.constant dense<0.5> : tensor<4x1x3x3xf32>
  %wp = pico.constant dense<0.5> : tensor<2x4x1x1xf32>
  %ws = pico.constant dense<0.25> : tensor<2x4x1x1xf32>
  %y = pico.separable_block %x : tensor<1x4x4x4xf32> -> tensor<1x2x8x8xf32> {
  ^bb0(%in: tensor<1x4x4x4xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32>
    %pw = pico.conv2d %dw, %wp {activation = #pico.act<relu>} : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x8x8xf32>
    pico.yield %pw : tensor<1x2x8x8xf32>
  }
  %s = pico.conv2d %e, %ws residual %y : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  return %s : tensor<1x2x8x8xf32>
}
