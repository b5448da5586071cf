// RUN: picosam-opt %s --pico-plan-memory="alignment=1 tile-separable-blocks=1" | FileCheck %s --check-prefix=ALL
// RUN: picosam-opt %s --pico-plan-memory="alignment=1 tile-separable-blocks=1 tile-min-bytes=512" | FileCheck %s --check-prefix=ALL
// RUN: picosam-opt %s --pico-plan-memory="alignment=1 tile-separable-blocks=1 tile-min-bytes=513" | FileCheck %s --check-prefix=LARGE
// RUN: picosam-opt %s --pico-plan-memory="alignment=1 tile-separable-blocks=1 tile-min-bytes=1025" | FileCheck %s --check-prefix=NONE

// Two separable blocks: the first's depthwise result is 1x4x8x8 f32 (1024
// bytes), the second's 1x2x8x8 (512). With tile-min-bytes, only the blocks
// whose intermediate has at least that many bytes run row by row (a ring of
// one row: 4 x 8 x 4 = 128 or 2 x 8 x 4 = 64 bytes); the others keep their
// intermediate whole, between a depthwise and a pointwise step.
// Both tiled, one step each: x 1024 + ring 128 + y 512 at step 0.
// The first tiled alone (step 0: 1664 as in ALL), the second whole (steps
//   1, 2: y + its 512-byte intermediate, then that + z).
// Neither tiled, four steps; step 0: x + the 1024-byte intermediate = 2048.
// ALL: pico.memory_plan = #pico.memory_plan<arena = 1664, {{.*}}steps = 2, {{.*}}tiled_blocks = 2>
// ALL: pico.separable_block %arg0
// ALL: pico.conv2d {{.*}}size = 128, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 128>
// ALL: pico.separable_block
// ALL: pico.conv2d {{.*}}size = 64, first = 1, last = 1, kind = ring, rows = 1, row_bytes = 64>
// LARGE: pico.memory_plan = #pico.memory_plan<arena = 1664, {{.*}}steps = 3, {{.*}}tiled_blocks = 1>
// LARGE: pico.separable_block %arg0
// LARGE: pico.conv2d {{.*}}size = 128, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 128>
// LARGE: pico.separable_block
// LARGE: pico.conv2d {{.*}}size = 512, first = 1, last = 2>
// NONE: pico.memory_plan = #pico.memory_plan<arena = 2048, {{.*}}steps = 4, {{.*}}tiled_blocks = 0>
// NONE-NOT: kind = ring
func.func @blocks(%x: tensor<1x4x8x8xf32>) -> tensor<1x2x8x8xf32> {
  %wd = pico.constant dense<0.5> : tensor<4x1x3x3xf32>
  %wp = pico.constant dense<0.5> : tensor<2x4x1x1xf32>
  %big = pico.separable_block %x : tensor<1x4x8x8xf32> -> tensor<1x2x8x8xf32> {
  ^bb0(%in: tensor<1x4x8x8xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32>
    %pw = pico.conv2d %dw, %wp : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x8x8xf32>
    pico.yield %pw : tensor<1x2x8x8xf32>
  }
  %wd2 = pico.constant dense<0.25> : tensor<2x1x3x3xf32>
  %wp2 = pico.constant dense<0.25> : tensor<2x2x1x1xf32>
  %small = pico.separable_block %big : tensor<1x2x8x8xf32> -> tensor<1x2x8x8xf32> {
  ^bb0(%in: tensor<1x2x8x8xf32>):
    %dw = pico.conv2d %in, %wd2 {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x8x8xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x8x8xf32>
    %pw = pico.conv2d %dw, %wp2 : (tensor<1x2x8x8xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x8x8xf32>
    pico.yield %pw : tensor<1x2x8x8xf32>
  }
  return %small : tensor<1x2x8x8xf32>
}
