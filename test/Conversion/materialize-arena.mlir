// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=1 tile-separable-blocks=1" --pico-materialize-arena | FileCheck %s
// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=1" --pico-materialize-arena | FileCheck %s --check-prefix=WHOLE
// The form prints, parses and verifies again:
// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=1 tile-separable-blocks=1" --pico-materialize-arena \
// RUN:   | picosam-opt --split-input-file | FileCheck %s

// A chain (plan-memory.mlir): the arena is an argument; each tensor a view
// at its offset (the relu's over the conv's, in place); each op reads its
// operands from their views and writes its result into its view.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x4xf32>, %[[ARENA:.*]]: memref<1024xi8> {pico.arena})
// CHECK-SAME: pico.memory_plan = #pico.memory_plan<arena = 1024,
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C512:.*]] = arith.constant 512 : index
// CHECK-DAG: %[[CONV1:.*]] = memref.view %[[ARENA]][%[[C0]]][] : memref<1024xi8> to memref<1x8x4x4xf32>
// CHECK-DAG: %[[INPUT:.*]] = memref.view %[[ARENA]][%[[C512]]][] : memref<1024xi8> to memref<1x4x4x4xf32>
// CHECK-DAG: %[[RELU:.*]] = memref.view %[[ARENA]][%[[C0]]][] : memref<1024xi8> to memref<1x8x4x4xf32>
// CHECK-DAG: %[[CONV2:.*]] = memref.view %[[ARENA]][%[[C512]]][] : memref<1024xi8> to memref<1x8x4x4xf32>
// CHECK: bufferization.materialize_in_destination %[[X]] in restrict writable %[[INPUT]]
// CHECK: %[[A:.*]] = bufferization.to_tensor %[[INPUT]] restrict
// CHECK-NEXT: %[[B:.*]] = pico.conv2d %[[A]]
// CHECK-NEXT: bufferization.materialize_in_destination %[[B]] in restrict writable %[[CONV1]]
// CHECK-NEXT: %[[C:.*]] = bufferization.to_tensor %[[CONV1]] restrict
// CHECK-NEXT: %[[D:.*]] = pico.relu %[[C]]
// CHECK-NEXT: bufferization.materialize_in_destination %[[D]] in restrict writable %[[RELU]]
// CHECK-NEXT: %[[E:.*]] = bufferization.to_tensor %[[RELU]] restrict
// CHECK-NEXT: %[[F:.*]] = pico.conv2d %[[E]]
// CHECK-NEXT: bufferization.materialize_in_destination %[[F]] in restrict writable %[[CONV2]]
// CHECK-NEXT: %[[OUT:.*]] = bufferization.to_tensor %[[CONV2]] restrict
// CHECK-NEXT: return %[[OUT]]
func.func @chain(%x: tensor<1x4x4x4xf32> loc("input")) -> tensor<1x8x4x4xf32> {
  %w1 = pico.constant dense<0.5> : tensor<8x4x1x1xf32>
  %w2 = pico.constant dense<0.5> : tensor<8x8x1x1xf32>
  %c = pico.conv2d %x, %w1 : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv1")
  %r = pico.relu %c : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32> loc("/relu")
  %d = pico.conv2d %r, %w2 : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %d : tensor<1x8x4x4xf32>
}

// -----

// A tiled block over 6 rows, 3x3 depthwise with pads 1: the input x (576
// bytes at 0), the result (288 at 576), the depthwise ring of 1 row of 4
// channels x 6 columns (96 bytes at 864). Row 0 (its window starts in the
// top padding) and row 5 (in the bottom padding) run alone; rows 1 to 4 in
// a loop reading 3 input rows from row r - 1. Each depthwise row goes to
// ring slot r mod 1, the pointwise conv reads it there and writes row r.
// CHECK-LABEL: func.func @block
// CHECK-DAG: %[[X:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<960xi8> to memref<1x4x6x6xf32>
// CHECK-DAG: %[[Y:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<960xi8> to memref<1x2x6x6xf32>
// CHECK-DAG: %[[RING:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<960xi8> to memref<1x4x1x6xf32>
// CHECK: memref.subview %[[X]][0, 0, 0, 0] [1, 4, 2, 6] [1, 1, 1, 1]
// CHECK: pico.conv2d {{.*}}pads = array<i64: 1, 1, 0, 1>} : (tensor<1x4x2x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x1x6xf32>
// CHECK: memref.subview %[[RING]][0, 0, 0, 0] [1, 4, 1, 6]
// CHECK: pico.conv2d {{.*}} : (tensor<1x4x1x6xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x1x6xf32>
// CHECK: memref.subview %[[Y]][0, 0, 0, 0] [1, 2, 1, 6]
// CHECK: scf.for %[[R:.*]] = %[[C1:.*]] to %{{.*}} step %[[C1]] {
// CHECK-NEXT: %[[FIRST:.*]] = arith.subi %[[R]], %[[C1]] : index
// CHECK-NEXT: %[[BAND:.*]] = memref.subview %[[X]][0, 0, %[[FIRST]], 0] [1, 4, 3, 6] [1, 1, 1, 1]
// CHECK-NEXT: %[[IN:.*]] = bufferization.to_tensor %[[BAND]] restrict
// CHECK-NEXT: %[[DW:.*]] = pico.conv2d %[[IN]], {{.*}}pads = array<i64: 0, 1, 0, 1>} : (tensor<1x4x3x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x1x6xf32>
// CHECK-NEXT: %[[SLOT:.*]] = arith.remui %[[R]], %[[C1]] : index
// CHECK-NEXT: %[[RINGROW:.*]] = memref.subview %[[RING]][0, 0, %[[SLOT]], 0] [1, 4, 1, 6] [1, 1, 1, 1]
// CHECK-NEXT: bufferization.materialize_in_destination %[[DW]] in restrict writable %[[RINGROW]]
// CHECK-NEXT: %[[DWROW:.*]] = bufferization.to_tensor %[[RINGROW]] restrict
// CHECK-NEXT: %[[PW:.*]] = pico.conv2d %[[DWROW]]
// CHECK-NEXT: %[[OUTROW:.*]] = memref.subview %[[Y]][0, 0, %[[R]], 0] [1, 2, 1, 6] [1, 1, 1, 1]
// CHECK-NEXT: bufferization.materialize_in_destination %[[PW]] in restrict writable %[[OUTROW]]
// CHECK-NEXT: }
// CHECK: memref.subview %[[X]][0, 0, 4, 0] [1, 4, 2, 6] [1, 1, 1, 1]
// CHECK: pico.conv2d {{.*}}pads = array<i64: 0, 1, 1, 1>} : (tensor<1x4x2x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x1x6xf32>
// CHECK: memref.subview %[[Y]][0, 0, 5, 0] [1, 2, 1, 6]
// CHECK: %[[RESULT:.*]] = bufferization.to_tensor %[[Y]] restrict
// CHECK-NEXT: return %[[RESULT]]
// Untiled, the block runs as its two convs, the intermediate whole.
// WHOLE-LABEL: func.func @block
// WHOLE-NOT: scf.for
// WHOLE: %[[DW:.*]] = pico.conv2d {{.*}} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
// WHOLE-NEXT: bufferization.materialize_in_destination %[[DW]] in restrict writable %[[VIEW:.*]] :
// WHOLE-NEXT: %[[READ:.*]] = bufferization.to_tensor %[[VIEW]] restrict
// WHOLE-NEXT: pico.conv2d %[[READ]], {{.*}} -> tensor<1x2x6x6xf32>
func.func @block(%x: tensor<1x4x6x6xf32> loc("x")) -> tensor<1x2x6x6xf32> {
  %wd = pico.constant dense<0.5> : tensor<4x1x3x3xf32>
  %wp = pico.constant dense<0.5> : tensor<2x4x1x1xf32>
  %y = pico.separable_block %x : tensor<1x4x6x6xf32> -> tensor<1x2x6x6xf32> {
  ^bb0(%in: tensor<1x4x6x6xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32> loc("/enc/dw")
    %pw = pico.conv2d %dw, %wp : (tensor<1x4x6x6xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x6x6xf32> loc("/enc/pw")
    pico.yield %pw : tensor<1x2x6x6xf32>
  } loc("/enc")
  return %y : tensor<1x2x6x6xf32>
}

// -----

// A block reading its 4-row input through a x2 upsample streams into /skip
// (plan-memory-tiling.mlir): e (1024 bytes at 0) and /skip's result (over
// e, 512 at 0), x (256 at 1024), the depthwise ring (128 at 1280), the
// block's one-row ring of results (64 at 1408). The interior rows 1 to 6
// read input rows (r - 1) / 2 and the next, compute the 2 depthwise rows
// they give and keep row (r - 1) mod 2; the pointwise row goes through the
// block's ring into /skip, which reads e's row r and writes its own.
// CHECK-LABEL: func.func @streamed
// CHECK-DAG: %[[E:.*]] = memref.view %{{.*}}[%[[C0:.*]]][] : memref<1472xi8> to memref<1x4x8x8xf32>
// CHECK-DAG: %[[SKIP:.*]] = memref.view %{{.*}}[%[[C0]]][] : memref<1472xi8> to memref<1x2x8x8xf32>
// CHECK-DAG: %[[X:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<1472xi8> to memref<1x4x4x4xf32>
// CHECK-DAG: %[[RING:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<1472xi8> to memref<1x4x1x8xf32>
// CHECK-DAG: %[[ROWS:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<1472xi8> to memref<1x2x1x8xf32>
// CHECK: scf.for %[[R:.*]] = %[[C1:.*]] to %{{.*}} step %[[C1]] {
// CHECK-NEXT: %[[TOP:.*]] = arith.subi %[[R]], %[[C1]] : index
// CHECK-NEXT: %[[FIRST:.*]] = arith.divui %[[TOP]], %[[C2:.*]] : index
// CHECK-NEXT: %[[PICK:.*]] = arith.remui %[[TOP]], %[[C2]] : index
// CHECK-NEXT: %[[BAND:.*]] = memref.subview %[[X]][0, 0, %[[FIRST]], 0] [1, 4, 2, 4] [1, 1, 1, 1]
// CHECK-NEXT: %[[IN:.*]] = bufferization.to_tensor %[[BAND]] restrict
// CHECK-NEXT: %[[DW:.*]] = pico.conv2d %[[IN]], {{.*}}input_upsample = 2 : i64, pads = array<i64: 0, 1, 0, 1>} : (tensor<1x4x2x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x2x8xf32>
// CHECK-NEXT: %[[DWROW:.*]] = tensor.extract_slice %[[DW]][0, 0, %[[PICK]], 0] [1, 4, 1, 8] [1, 1, 1, 1]
// CHECK: memref.subview %[[RING]][0, 0, %{{.*}}, 0] [1, 4, 1, 8]
// CHECK: %[[PW:.*]] = pico.conv2d {{.*}}activation = #pico.act<relu>{{.*}} -> tensor<1x2x1x8xf32>
// CHECK-NEXT: %[[SLOT:.*]] = arith.remui %[[R]], %[[C1]] : index
// CHECK-NEXT: %[[STREAMED:.*]] = memref.subview %[[ROWS]][0, 0, %[[SLOT]], 0] [1, 2, 1, 8] [1, 1, 1, 1]
// CHECK-NEXT: bufferization.materialize_in_destination %[[PW]] in restrict writable %[[STREAMED]]
// CHECK-NEXT: %[[RESIDUAL:.*]] = bufferization.to_tensor %[[STREAMED]] restrict
// CHECK-NEXT: %[[EROW:.*]] = memref.subview %[[E]][0, 0, %[[R]], 0] [1, 4, 1, 8] [1, 1, 1, 1]
// CHECK-NEXT: %[[ERead:.*]] = bufferization.to_tensor %[[EROW]] restrict
// CHECK-NEXT: %[[OUT:.*]] = pico.conv2d %[[ERead]], %{{.*}} residual %[[RESIDUAL]] : {{.*}} -> tensor<1x2x1x8xf32>
// CHECK-NEXT: %[[SKIPROW:.*]] = memref.subview %[[SKIP]][0, 0, %[[R]], 0] [1, 2, 1, 8] [1, 1, 1, 1]
// CHECK-NEXT: bufferization.materialize_in_destination %[[OUT]] in restrict writable %[[SKIPROW]]
// CHECK-NEXT: }
func.func @streamed(%x: tensor<1x4x4x4xf32> loc("x"), %e: tensor<1x4x8x8xf32> loc("e")) -> tensor<1x2x8x8xf32> {
  %wd = pico.constant dense<0.5> : tensor<4x1x3x3xf32>
  %wp = pico.constant dense<0.5> : tensor<2x4x1x1xf32>
  %ws = pico.constant dense<0.25> : tensor<2x4x1x1xf32>
  %y = pico.separable_block %x : tensor<1x4x4x4xf32> -> tensor<1x2x8x8xf32> {
  ^bb0(%in: tensor<1x4x4x4xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32> loc("/dec/dw")
    %pw = pico.conv2d %dw, %wp {activation = #pico.act<relu>} : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x8x8xf32> loc("/dec/pw")
    pico.yield %pw : tensor<1x2x8x8xf32>
  } loc("/dec")
  %s = pico.conv2d %e, %ws residual %y : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> loc("/skip")
  return %s : tensor<1x2x8x8xf32>
}

// -----

// Quantized tensors live in views of their storage type; quant.scast turns
// them back into the quantized type an op reads, and a result into storage
// before it is written.
// CHECK-LABEL: func.func @quantized
// CHECK: %[[Q:.*]] = memref.view %{{.*}} to memref<8xi8>
// CHECK: %[[QUANT:.*]] = pico.quantize
// CHECK-NEXT: %[[STORED:.*]] = quant.scast %[[QUANT]] : tensor<8x!quant.uniform<i8:f32, 5.000000e-01>> to tensor<8xi8>
// CHECK-NEXT: bufferization.materialize_in_destination %[[STORED]] in restrict writable %[[Q]]
// CHECK-NEXT: %[[READ:.*]] = bufferization.to_tensor %[[Q]] restrict : memref<8xi8> to tensor<8xi8>
// CHECK-NEXT: %[[TYPED:.*]] = quant.scast %[[READ]] : tensor<8xi8> to tensor<8x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-NEXT: pico.dequantize %[[TYPED]]
func.func @quantized(%x: tensor<8xf32>) -> tensor<8xf32> {
  %q = pico.quantize %x : tensor<8xf32> -> tensor<8x!quant.uniform<i8:f32, 5.000000e-01>>
  %d = pico.dequantize %q : tensor<8x!quant.uniform<i8:f32, 5.000000e-01>> -> tensor<8xf32>
  return %d : tensor<8xf32>
}

// -----

// A block reading a constant takes its rows with tensor.extract_slice; the
// constant stays a constant. Its two rows (1x1 kernels, no pads) run in one
// loop.
// CHECK-LABEL: func.func @constant_block
// CHECK: %[[C:.*]] = pico.constant
// CHECK: scf.for %[[R:.*]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT: tensor.extract_slice %[[C]][0, 0, %[[R]], 0] [1, 2, 1, 2] [1, 1, 1, 1]
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
