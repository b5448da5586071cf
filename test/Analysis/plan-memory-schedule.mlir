// RUN: picosam-opt %s --pico-plan-memory="alignment=1" | FileCheck %s
// A beam narrower than the partial schedules of a step makes the search a
// heuristic, which the pass warns about.
// RUN: picosam-opt %s --pico-plan-memory="alignment=1 schedule-beam-width=1" -verify-diagnostics -o /dev/null

// The schedule search moves the skip lateral l next to the encoder output e
// it reads, so e dies at step 2 instead of staying live across the
// decoder (plan-memory.mlir has this graph in its input order: lower bound
// 4608). The peak is then step 0, where the encoder conv reads x: no order
// avoids it. Order found: e, d, l, m, u, v, s.
//   x [0, 0] 2048, e [0, 2] 2048, d [1, 3] 512, l [2, 6] 512, m [3, 4] 512,
//   u [4, 5] 2048, v/s [5, 6] 512 (s over v).
//   step 0: x + e = 4096; 1: e + d = 2560; 2: e + d + l = 3072;
//   3: d + l + m = 1536; 4: l + m + u = 3072; 5: l + u + v = 3072; 6: 1024.
//   Packing by size: e at 0; u at 0 (e is dead); x above e at 2048; l above
//   e and u at 2048; d above e and l at 2560; v/s above u and l at 2560 (d
//   is dead); m above d at 3072.

// CHECK-LABEL: func.func @skip
// CHECK-SAME: {pico.buffer = #pico.buffer<offset = 2048, size = 2048, first = 0, last = 0>}
// CHECK-SAME: pico.memory_plan = #pico.memory_plan<arena = 4096, lower_bound = 4096, peak_step = 0, steps = 7, input_order_lower_bound = 4608, weights = 320, alignment = 1, element_bytes = 0, tiled_blocks = 0>
// CHECK: %2 = pico.conv2d %arg0, {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 2048, first = 0, last = 2>
// CHECK-NEXT: pico.conv2d %2, %0 {pico.buffer = #pico.buffer<offset = 2560, size = 512, first = 1, last = 3>, strides
// CHECK-NEXT: pico.conv2d %2, %1 {pico.buffer = #pico.buffer<offset = 2048, size = 512, first = 2, last = 6>
// CHECK-NEXT: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 3072, size = 512, first = 3, last = 4>
// CHECK-NEXT: pico.resize {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 2048, first = 4, last = 5>
// CHECK-NEXT: pico.conv2d {{.*}}pico.buffer = #pico.buffer<offset = 2560, size = 512, first = 5, last = 6>
// CHECK-NEXT: pico.add {{.*}}pico.buffer = #pico.buffer<offset = 2560, size = 512, first = 6, last = 6>
// expected-warning @+1 {{the schedule search kept only the best 1 partial schedules at some steps (schedule-beam-width): a lower peak may exist}}
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
