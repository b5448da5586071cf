// picosam-run --planned: the function is materialised over one arena
// (--pico-materialize-arena) and executed there: every activation lives at
// its planned offset, operands are read back from there, tiled blocks run
// row by row through their rings, so the results prove a plan safe (or show
// it is not). The plan is not verified first: a wrong one runs, and gives
// wrong numbers.
// RUN: rm -rf %t && mkdir %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', (3 * np.sin(0.7 * np.arange(128))).astype(np.float32).reshape(1, 2, 8, 8))"

// Planned by the pass, whole and tiled, the network runs planned exactly as
// unplanned: every recorded tensor and the output are bit-identical.
// RUN: picosam-run %s --entry=net -i %t/x.npy -o %t/ref.npy --dump=%t/ref.npz
// RUN: picosam-opt %s --pico-plan-memory --mlir-print-debuginfo -o %t/whole.mlir
// RUN: picosam-run %t/whole.mlir --entry=net --planned -i %t/x.npy -o %t/whole.npy \
// RUN:   --compare=%t/ref.npz --max-abs-error=0 | FileCheck %s --check-prefix=SAME
// RUN: cmp %t/ref.npy %t/whole.npy
// RUN: picosam-opt %s --pico-plan-memory=tile-separable-blocks=1 --mlir-print-debuginfo -o %t/tiled.mlir
// RUN: picosam-run %t/tiled.mlir --entry=net --planned -i %t/x.npy -o %t/tiled.npy \
// RUN:   --compare=%t/ref.npz --max-abs-error=0 | FileCheck %s --check-prefix=SAME
// RUN: cmp %t/ref.npy %t/tiled.npy
// In bands of rows, each through its own rings (--row-bands, as the CPU
// program runs tiled blocks; here one band after the other), the same:
// RUN: picosam-run %t/tiled.mlir --entry=net --planned --row-bands=2 -i %t/x.npy -o %t/bands2.npy \
// RUN:   --compare=%t/ref.npz --max-abs-error=0 | FileCheck %s --check-prefix=SAME
// RUN: cmp %t/ref.npy %t/bands2.npy
// RUN: picosam-run %t/tiled.mlir --entry=net --planned --row-bands=3 -i %t/x.npy -o %t/bands3.npy \
// RUN:   --compare=%t/ref.npz --max-abs-error=0 | FileCheck %s --check-prefix=SAME
// RUN: cmp %t/ref.npy %t/bands3.npy
// RUN: FileCheck %s --check-prefix=STREAMED < %t/tiled.mlir
// The tiled plan streams the block into /skip, which takes /enc's memory.
// STREAMED: pico.conv2d %arg0, {{.*}}pico.buffer = #pico.buffer<offset = [[ENC:[0-9]+]], size = 1024,
// STREAMED: pico.separable_block {{%[0-9]+}} : tensor
// STREAMED: pico.conv2d {{.*}}, size = 64, first = 2, last = 2, kind = ring, rows = 1, row_bytes = 64>
// STREAMED: pico.conv2d {{.*}}, size = 128, first = 2, last = 2, kind = streamed, rows = 1, row_bytes = 128>
// STREAMED: pico.conv2d {{.*}} residual {{.*}}pico.buffer = #pico.buffer<offset = [[ENC]], size = 1024, first = 2,
// Moved over a tensor live while the block runs (/enc, read by /skip at
// offset 0), the depthwise ring corrupts the results: rings are checked
// too.
// RUN: sed -e 's/offset = [0-9]*, size = 64, first = 2, last = 2/offset = 0, size = 64, first = 2, last = 2/' \
// RUN:   %t/tiled.mlir > %t/bad-ring.mlir
// RUN: not picosam-run %t/bad-ring.mlir --entry=net --planned -i %t/x.npy --compare=%t/ref.npz --max-abs-error=0 \
// RUN:   | FileCheck %s --check-prefix=BAD-RING
// BAD-RING: /skip {{.*}} FAIL
// The plan verifier finds the same fault without running anything.
// RUN: not picosam-opt %t/bad-ring.mlir --pico-verify-memory-plan -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-RING-STATIC
// BAD-RING-STATIC: error: loc("/dec/dw"): '/dec/dw' (bytes [0, 64), steps 2 to 2) overlaps '/enc' (bytes [0, 1024), steps 0 to 2) while both are live
// SAME: compared 9 tensors, 0 failed

// A function materialised already runs as it is, planned or not; its block
// is a loop over rows.
// RUN: picosam-opt %t/tiled.mlir --pico-materialize-arena --mlir-print-debuginfo -o %t/arena.mlir
// RUN: FileCheck %s --check-prefix=ARENA < %t/arena.mlir
// ARENA: func.func @net(%arg0: tensor<1x2x8x8xf32> loc("x"), %arg1: memref<{{[0-9]+}}xi8> {pico.arena}
// ARENA: scf.for
// RUN: picosam-run %t/arena.mlir --entry=net -i %t/x.npy -o %t/arena.npy --compare=%t/ref.npz --max-abs-error=0 \
// RUN:   | FileCheck %s --check-prefix=SAME
// RUN: picosam-run %t/arena.mlir --entry=net --planned -i %t/x.npy -o %t/arena-planned.npy
// RUN: cmp %t/ref.npy %t/arena.npy
// RUN: cmp %t/ref.npy %t/arena-planned.npy

// RUN: %python %S/Inputs/save.py %t/v.npy float32 4 1 -2 3 -4
// RUN: picosam-run %s --entry=overlap -i %t/v.npy --dump=%t/overlap.npz
// RUN: picosam-run %s --entry=disjoint --planned -i %t/v.npy --compare=%t/overlap.npz --max-abs-error=0 \
// RUN:   | FileCheck %s --check-prefix=DISJOINT
// RUN: not picosam-run %s --entry=overlap --planned -i %t/v.npy --compare=%t/overlap.npz --max-abs-error=0 \
// RUN:   | FileCheck %s --check-prefix=OVERLAP
// DISJOINT: sum {{.*}} ok
// OVERLAP: sum {{.*}} FAIL

// RUN: not picosam-run %s --entry=unplanned --planned -i %t/v.npy 2>&1 | FileCheck %s --check-prefix=NOPLAN
// The error shows the function's line, not the whole function.
// NOPLAN:      planned.mlir:{{[0-9]+}}:1: error: @unplanned has no memory plan; plan it with --pico-plan-memory first
// NOPLAN-NEXT: func.func @unplanned(%v: tensor<4xf32>) -> tensor<4xf32> {
// NOPLAN-NEXT: ^
// NOPLAN-NOT:  {{.}}
// RUN: not picosam-run %s --entry=small --planned -i %t/v.npy 2>&1 | FileCheck %s --check-prefix=SMALL
// SMALL: error: {{.*}}'relu' ('tensor<4xf32>') takes 16 bytes; its planned buffer holds 4

// An encoder conv, a strided conv, a separable block reading it through an
// upsample, a skip conv adding the block's result, channel attention and a
// clip: in place, whole or tiled intermediates, a long-lived skip, and, when
// tiled, the block's rows streamed into the skip conv, which writes its
// rows over the encoder output.
func.func @net(%x: tensor<1x2x8x8xf32> loc("x")) -> tensor<1x4x8x8xf32> {
  %we = pico.constant dense<[[[[0.5]], [[-1.0]]], [[[0.25]], [[0.75]]], [[[1.5]], [[0.5]]], [[[-0.5]], [[1.0]]]]> : tensor<4x2x1x1xf32>
  %wd = pico.constant dense<[[[[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [0.7, 0.8, 0.9]], [[-0.1, 0.2, 0.3], [0.4, -0.5, 0.6], [0.7, -0.8, 0.9]], [[0.2, 0.1, 0.0], [-0.1, 0.3, 0.2], [0.1, 0.1, -0.2]], [[0.0, 0.5, -0.5], [0.3, -0.3, 0.1], [0.2, 0.4, 0.6]]], [[[0.3, 0.2, 0.1], [-0.4, 0.5, 0.6], [0.2, 0.1, -0.9]], [[0.5, -0.5, 0.5], [0.25, 0.25, -0.25], [1.0, 0.0, -1.0]], [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]], [[-0.3, 0.1, 0.2], [0.6, -0.2, 0.1], [0.0, 0.3, -0.1]]]]> : tensor<2x4x3x3xf32>
  %wdw = pico.constant dense<[[[[0.2, -0.1, 0.3], [0.5, 1.0, -0.5], [0.1, 0.2, 0.3]]], [[[-0.3, 0.6, 0.1], [0.2, 0.7, 0.2], [-0.1, 0.4, 0.5]]]]> : tensor<2x1x3x3xf32>
  %bdw = pico.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %wpw = pico.constant dense<[[[[1.0]], [[-0.5]]], [[[0.25]], [[0.5]]], [[[-1.0]], [[2.0]]], [[[0.75]], [[0.125]]]]> : tensor<4x2x1x1xf32>
  %ws = pico.constant dense<[[[[0.3]], [[0.6]], [[-0.1]], [[0.2]]], [[[-0.2]], [[0.4]], [[0.5]], [[0.1]]], [[[0.9]], [[-0.1]], [[0.3]], [[-0.4]]], [[[0.5]], [[0.5]], [[0.25]], [[0.125]]]]> : tensor<4x4x1x1xf32>
  %bs = pico.constant dense<[0.0, 0.5, -0.5, 1.0]> : tensor<4xf32>
  %wc = pico.constant dense<[[[[0.1]], [[0.2]], [[-0.3]], [[0.4]]], [[[0.5]], [[-0.6]], [[0.7]], [[0.8]]], [[[-0.9]], [[1.0]], [[0.1]], [[0.2]]], [[[0.3]], [[0.4]], [[0.5]], [[-0.6]]]]> : tensor<4x4x1x1xf32>
  %e = pico.conv2d %x, %we {activation = #pico.act<relu>} : (tensor<1x2x8x8xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x8x8xf32> loc("/enc")
  %d = pico.conv2d %e, %wd {activation = #pico.act<relu>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<2x4x3x3xf32>) -> tensor<1x2x4x4xf32> loc("/down")
  %b = pico.separable_block %d : tensor<1x2x4x4xf32> -> tensor<1x4x8x8xf32> {
  ^bb0(%in: tensor<1x2x4x4xf32>):
    %dw = pico.conv2d %in, %wdw, %bdw {activation = #pico.act<relu>, group = 2 : i64, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32> loc("/dec/dw")
    %pw = pico.conv2d %dw, %wpw {activation = #pico.act<relu>} : (tensor<1x2x8x8xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x8x8xf32> loc("/dec/pw")
    pico.yield %pw : tensor<1x4x8x8xf32>
  } loc("/dec")
  %s = pico.conv2d %e, %ws, %bs residual %b : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> loc("/skip")
  %c = pico.channel_attention %s, %wc : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32> loc("/eca")
  %h = pico.clip %c {min = -1.0 : f32, max = 1.0 : f32} : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32> loc("/out")
  return %h : tensor<1x4x8x8xf32>
}

// Hand-written plans of one graph (16-byte tensors). In @disjoint the relu's
// result r is placed apart from v, which the add reads after it; the sum
// writes over r. In @overlap r is placed over v while v is still live: the
// relu overwrites v, and the sum reads relu(v) where it should read v.
func.func @disjoint(%v: tensor<4xf32> {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 1>} loc("v")) -> tensor<4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 32, peak_step = 0, steps = 2, input_order_lower_bound = 32, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>} {
  %r = pico.relu %v {pico.buffer = #pico.buffer<offset = 16, size = 16, first = 0, last = 1>} : tensor<4xf32> -> tensor<4xf32> loc("relu")
  %s = pico.add %r, %v {pico.buffer = #pico.buffer<offset = 16, size = 16, first = 1, last = 1>} : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32> loc("sum")
  return %s : tensor<4xf32>
}

func.func @overlap(%v: tensor<4xf32> {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 1>} loc("v")) -> tensor<4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 16, lower_bound = 16, peak_step = 0, steps = 2, input_order_lower_bound = 16, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>} {
  %r = pico.relu %v {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 1>} : tensor<4xf32> -> tensor<4xf32> loc("relu")
  %s = pico.add %r, %v {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 1, last = 1>} : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32> loc("sum")
  return %s : tensor<4xf32>
}

func.func @unplanned(%v: tensor<4xf32>) -> tensor<4xf32> {
  %r = pico.relu %v : tensor<4xf32> -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// Planned with 1-byte elements (the INT8 estimate): an f32 graph does not
// fit.
func.func @small(%v: tensor<4xf32> {pico.buffer = #pico.buffer<offset = 0, size = 16, first = 0, last = 0>} loc("v")) -> tensor<4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 32, lower_bound = 20, peak_step = 0, steps = 1, input_order_lower_bound = 20, weights = 0, alignment = 16, element_bytes = 1, tiled_blocks = 0>} {
  %r = pico.relu %v {pico.buffer = #pico.buffer<offset = 16, size = 4, first = 0, last = 0>} : tensor<4xf32> -> tensor<4xf32> loc("relu")
  return %r : tensor<4xf32>
}

// A block reading a constant: the constant stays outside the arena.
// RUN: picosam-opt %s --pico-plan-memory -o %t/constant.mlir
// RUN: picosam-run %t/constant.mlir --entry=constant_block -o %t/constant-ref.npy
// RUN: picosam-run %t/constant.mlir --entry=constant_block --planned -o %t/constant-planned.npy
// RUN: cmp %t/constant-ref.npy %t/constant-planned.npy
func.func @constant_block() -> tensor<1x2x2x2xf32> {
  %c = pico.constant dense<[[[[1.0, -2.0], [3.0, -4.0]], [[0.5, 0.25], [-1.0, 2.0]]]]> : tensor<1x2x2x2xf32>
  %wd = pico.constant dense<[[[[0.5]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>
  %wp = pico.constant dense<[[[[1.0]], [[2.0]]], [[[-1.0]], [[0.5]]]]> : tensor<2x2x1x1xf32>
  %y = pico.separable_block %c : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xf32> {
  ^bb0(%in: tensor<1x2x2x2xf32>):
    %dw = pico.conv2d %in, %wd {group = 2 : i64} : (tensor<1x2x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
    %pw = pico.conv2d %dw, %wp : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x2xf32>
    pico.yield %pw : tensor<1x2x2x2xf32>
  }
  return %y : tensor<1x2x2x2xf32>
}
