// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=1 schedule-beam-width=0" | FileCheck %s

// Hand-computed plans of small graphs in their input order (f32: 4 bytes an
// element). Steps number the ops; arguments are live from step 0, results
// of the function until the last step. The packer places buffers largest
// first (ties: longest-lived, then earliest), each in the smallest hole
// between buffers live at the same time that holds it, else on top.

// A chain: the relu writes over the conv result, which dies there, so the
// two are one buffer CR [0, 2]; X [0, 0] and D [2, 2] are never live
// together.
//   step 0: X 256 + CR 512 = 768; step 1: CR = 512; step 2: CR + D = 1024
//   lower bound 1024 at step 2.
//   Packing: CR (512, 3 steps) at 0; D (512) live with CR: on top, 512;
//   X (256) live with CR only: 512. Arena 1024.
//   Weights: 8x4 + 8x8 floats = 384 bytes.

// CHECK-LABEL: func.func @chain
// CHECK-SAME: {pico.buffer = #pico.buffer<offset = 512, size = 256, first = 0, last = 0>}
// CHECK-SAME: pico.memory_plan = #pico.memory_plan<arena = 1024, lower_bound = 1024, peak_step = 2, steps = 3, input_order_lower_bound = 1024, weights = 384, alignment = 1, element_bytes = 0, tiled_blocks = 0>
// CHECK: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 512, first = 0, last = 1>
// CHECK: pico.relu {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 512, first = 1, last = 2>
// CHECK: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 512, size = 512, first = 2, last = 2>
func.func @chain(%x: tensor<1x4x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %w1 = pico.constant dense<0.5> : tensor<8x4x1x1xf32>
  %w2 = pico.constant dense<0.5> : tensor<8x8x1x1xf32>
  %c = pico.conv2d %x, %w1 : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32>
  %r = pico.relu %c : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32>
  %d = pico.conv2d %r, %w2 : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %d : tensor<1x8x4x4xf32>
}

// -----

// A diamond: x feeds two convs; the add writes over its lhs, which dies
// there. Buffers (256 bytes each): X [0, 1], AS (a, then s) [0, 2], B [1, 2].
//   step 0: X + AS = 512; step 1: X + AS + B = 768; step 2: AS + B = 512.
//   Packing: AS (longest) at 0, X at 256, B (live with both) at 512.

// CHECK-LABEL: func.func @diamond
// CHECK-SAME: {pico.buffer = #pico.buffer<offset = 256, size = 256, first = 0, last = 1>}
// CHECK-SAME: pico.memory_plan = #pico.memory_plan<arena = 768, lower_bound = 768, peak_step = 1, steps = 3, input_order_lower_bound = 768, weights = 64, alignment = 1, element_bytes = 0, tiled_blocks = 0>
// CHECK: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 256, first = 0, last = 2>
// CHECK: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 512, size = 256, first = 1, last = 2>
// CHECK: pico.add {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 256, first = 2, last = 2>
func.func @diamond(%x: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %w = pico.constant dense<0.5> : tensor<4x4x1x1xf32>
  %a = pico.conv2d %x, %w : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %b = pico.conv2d %x, %w : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %s = pico.add %a, %b : tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32> -> tensor<1x4x4x4xf32>
  return %s : tensor<1x4x4x4xf32>
}

// -----

// A long-lived skip: e (2048) stays live across down/mid/up until its
// lateral l, run last as written. Steps: 0 e, 1 d, 2 m, 3 u, 4 v, 5 l, 6 s;
// s writes over v.
//   step 0: x 2048 + e 2048 = 4096; 1: e + d 512 = 2560; 2: e + d + m 512 =
//   3072; 3: e + m + u 2048 = 4608; 4: e + u + v 512 = 4608; 5: e + v + l
//   512 = 3072; 6: v/s + l = 1024. Lower bound 4608 at step 3.
//   Packing by size: e [0, 5] at 0; u [3, 4] above it at 2048; x [0, 0]
//   above e at 2048 (u is not live then); then the 512s: v/s [4, 6] (3
//   steps) above e and u at 4096; m [2, 3] above e, u at 4096 (v/s is not
//   live then); d [1, 2] above e, below m's 4096: 2048 (x is dead); l
//   [5, 6] above e at 2048 (u is dead). Arena 4608.

// CHECK-LABEL: func.func @skip
// CHECK-SAME: {pico.buffer = #pico.buffer<offset = 2048, size = 2048, first = 0, last = 0>}
// CHECK-SAME: pico.memory_plan = #pico.memory_plan<arena = 4608, lower_bound = 4608, peak_step = 3, steps = 7, input_order_lower_bound = 4608, weights = 320, alignment = 1, element_bytes = 0, tiled_blocks = 0>
// CHECK: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 2048, first = 0, last = 5>
// CHECK: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 2048, size = 512, first = 1, last = 2>
// CHECK: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 4096, size = 512, first = 2, last = 3>
// CHECK: pico.resize {{.*}}pico.buffer = #pico.buffer<offset = 2048, size = 2048, first = 3, last = 4>
// CHECK: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 4096, size = 512, first = 4, last = 6>
// CHECK: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 2048, size = 512, first = 5, last = 6>
// CHECK: pico.add {{.*}}pico.buffer = #pico.buffer<offset = 4096, size = 512, first = 6, last = 6>
func.func @skip(%x: tensor<1x8x8x8xf32>) -> tensor<1x2x8x8xf32> {
  %w8 = pico.constant dense<0.5> : tensor<8x8x1x1xf32>
  %w2 = pico.constant dense<0.5> : tensor<2x8x1x1xf32>
  %e = pico.conv2d %x, %w8 : (tensor<1x8x8x8xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x8x8xf32>
  %d = pico.conv2d %e, %w8 {strides = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  %m = pico.conv2d %d, %w8 : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  %u = pico.resize %m {coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x8x4x4xf32> -> tensor<1x8x8x8xf32>
  %v = pico.conv2d %u, %w2 : (tensor<1x8x8x8xf32>, tensor<2x8x1x1xf32>) -> tensor<1x2x8x8xf32>
  %l = pico.conv2d %e, %w2 : (tensor<1x8x8x8xf32>, tensor<2x8x1x1xf32>) -> tensor<1x2x8x8xf32>
  %s = pico.add %v, %l : tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32> -> tensor<1x2x8x8xf32>
  return %s : tensor<1x2x8x8xf32>
}

// -----

// In place over a conv2d's residual and under channel_attention: a, r and c
// are one buffer ARC [0, 2] at 0; x [0, 1] above it.

// CHECK-LABEL: func.func @fused_in_place
// CHECK-SAME: {pico.buffer = #pico.buffer<offset = 256, size = 256, first = 0, last = 1>}
// CHECK-SAME: pico.memory_plan = #pico.memory_plan<arena = 512, lower_bound = 512, peak_step = 0, steps = 3, input_order_lower_bound = 512, weights = 128, alignment = 1, element_bytes = 0, tiled_blocks = 0>
// CHECK: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 256, first = 0, last = 1>
// CHECK: pico.conv2d {{.*}} residual {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 256, first = 1, last = 2>
// CHECK: pico.channel_attention {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 256, first = 2, last = 2>
func.func @fused_in_place(%x: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %w = pico.constant dense<0.5> : tensor<4x4x1x1xf32>
  %wc = pico.constant dense<0.25> : tensor<4x4x1x1xf32>
  %a = pico.conv2d %x, %w : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %r = pico.conv2d %x, %w residual %a : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %c = pico.channel_attention %r, %wc : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  return %c : tensor<1x4x4x4xf32>
}

// -----

// An operand still read later is not written over, nor is a result of the
// function: the relu gets a buffer of its own, and the add writes over its
// rhs x (dying there), not over its lhs r (returned).
//   x [0, 1] and s [1, 1] are one buffer XS at 0, r [0, 1] at 64.

// CHECK-LABEL: func.func @in_place_choice
// CHECK-SAME: {pico.buffer = #pico.buffer<offset = 0, size = 64, first = 0, last = 1>}
// CHECK-SAME: pico.memory_plan = #pico.memory_plan<arena = 128, lower_bound = 128, peak_step = 0, steps = 2
// CHECK: pico.relu {{.*}}pico.buffer = #pico.buffer<offset = 64, size = 64, first = 0, last = 1>
// CHECK: pico.add {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 64, first = 1, last = 1>
func.func @in_place_choice(%x: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  %r = pico.relu %x : tensor<16xf32> -> tensor<16xf32>
  %s = pico.add %r, %x : tensor<16xf32>, tensor<16xf32> -> tensor<16xf32>
  return %r, %s : tensor<16xf32>, tensor<16xf32>
}
