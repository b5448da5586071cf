// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=1 tile-separable-blocks=1" \
// RUN:   --pico-materialize-arena=row-bands=2 | FileCheck %s
// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=1 tile-separable-blocks=1" \
// RUN:   --pico-materialize-arena=row-bands=3 | FileCheck %s --check-prefix=THREE
// The form prints, parses and verifies again:
// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=1 tile-separable-blocks=1" \
// RUN:   --pico-materialize-arena=row-bands=2 | picosam-opt --split-input-file | FileCheck %s
// RUN: not picosam-opt %s --split-input-file --pico-plan-memory="tile-separable-blocks=1" \
// RUN:   --pico-materialize-arena=row-bands=0 -o /dev/null 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: error: materialize-arena: row-bands must be at least 1, not 0

// The tiled block of materialize-arena.mlir in 2 bands: x (576 bytes at 0),
// the result (288 at 576), the planned ring (96 at 864) fill the arena of
// 960, so band 1's ring goes past it, at 960: the arena argument grows to
// 1056 (the plan keeps 960). Band i computes rows [6i/2, 6(i+1)/2) through
// the same three loops (row 0, rows 1 to 4, row 5), each clipped to them,
// and its ring at 864 (band 0) or 960 + (i - 1) x 96.
// CHECK-LABEL: func.func @block
// CHECK-SAME: %[[ARENA:[a-z0-9]*]]: memref<1056xi8> {pico.arena}
// CHECK-SAME: #pico.memory_plan<arena = 960,
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : index
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[C96:.*]] = arith.constant 96 : index
// CHECK-DAG: %[[C864:.*]] = arith.constant 864 : index
// CHECK-DAG: %[[C960:.*]] = arith.constant 960 : index
// CHECK-DAG: %[[X:.*]] = memref.view %[[ARENA]][%[[C0]]][] : memref<1056xi8> to memref<1x4x6x6xf32>
// CHECK: scf.forall (%[[BAND:.*]]) in (2) {
// CHECK-NEXT: %[[START:.*]] = arith.muli %[[BAND]], %[[C6]] : index
// CHECK-NEXT: %[[LOW:.*]] = arith.divui %[[START]], %[[C2]] : index
// CHECK-NEXT: %[[END:.*]] = arith.addi %[[START]], %[[C6]] : index
// CHECK-NEXT: %[[HIGH:.*]] = arith.divui %[[END]], %[[C2]] : index
// CHECK-NEXT: %[[FIRST:.*]] = arith.cmpi eq, %[[BAND]], %[[C0]] : index
// CHECK-NEXT: %[[OTHER:.*]] = arith.subi %[[BAND]], %[[C1]] : index
// CHECK-NEXT: %[[SKIP:.*]] = arith.muli %[[OTHER]], %[[C96]] : index
// CHECK-NEXT: %[[SET:.*]] = arith.addi %[[C960]], %[[SKIP]] : index
// CHECK-NEXT: %[[OFFSET:.*]] = arith.select %[[FIRST]], %[[C864]], %[[SET]] : index
// CHECK-NEXT: %[[RING:.*]] = memref.view %[[ARENA]][%[[OFFSET]]][] : memref<1056xi8> to memref<1x4x1x6xf32>
// CHECK-NEXT: %[[B0:.*]] = arith.maxui %[[C0]], %[[LOW]] : index
// CHECK-NEXT: %[[E0:.*]] = arith.minui %[[C1]], %[[HIGH]] : index
// CHECK-NEXT: scf.for %{{.*}} = %[[B0]] to %[[E0]] step %[[C1]] {
// CHECK-NEXT: memref.subview %[[X]][0, 0, 0, 0] [1, 4, 2, 6]
// CHECK: pico.conv2d {{.*}}pads = array<i64: 1, 1, 0, 1>} : (tensor<1x4x2x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x1x6xf32>
// CHECK-NEXT: memref.subview %[[RING]][0, 0, 0, 0] [1, 4, 1, 6]
// CHECK: {{^ +}}}{{$}}
// CHECK-NEXT: %[[B1:.*]] = arith.maxui %[[C1]], %[[LOW]] : index
// CHECK-NEXT: %[[E1:.*]] = arith.minui %[[C5]], %[[HIGH]] : index
// CHECK-NEXT: scf.for %[[R:.*]] = %[[B1]] to %[[E1]] step %[[C1]] {
// CHECK-NEXT: %[[TOP:.*]] = arith.subi %[[R]], %[[C1]] : index
// CHECK-NEXT: memref.subview %[[X]][0, 0, %[[TOP]], 0] [1, 4, 3, 6]
// CHECK: %[[SLOT:.*]] = arith.remui %[[R]], %[[C1]] : index
// CHECK-NEXT: memref.subview %[[RING]][0, 0, %[[SLOT]], 0] [1, 4, 1, 6]
// CHECK: {{^ +}}}{{$}}
// CHECK-NEXT: %[[B2:.*]] = arith.maxui %[[C5]], %[[LOW]] : index
// CHECK-NEXT: %[[E2:.*]] = arith.minui %[[C6]], %[[HIGH]] : index
// CHECK-NEXT: scf.for %{{.*}} = %[[B2]] to %[[E2]] step %[[C1]] {
// CHECK-NEXT: memref.subview %[[X]][0, 0, 4, 0] [1, 4, 2, 6]
// CHECK: {{^ +}}}{{$}}
// CHECK-NEXT: {{^ +}}}{{$}}
// CHECK-NEXT: bufferization.to_tensor
// CHECK-NEXT: return
// Three bands: bands 1 and 2's rings at 960 and 1056, the arena 1152.
// THREE-LABEL: func.func @block
// THREE-SAME: memref<1152xi8> {pico.arena}
// THREE-DAG: %[[C960:.*]] = arith.constant 960 : index
// THREE-DAG: %[[C96:.*]] = arith.constant 96 : index
// THREE: scf.forall (%[[BAND:.*]]) in (3) {
// THREE: %[[SKIP:.*]] = arith.muli %{{.*}}, %[[C96]] : index
// THREE-NEXT: arith.addi %[[C960]], %[[SKIP]] : index
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

// Two convs before the block: at the block's step, /b's result (its input,
// 576 bytes at 576), the block's result (288 at 0) and its ring (96 at 288)
// are live; x and /a's result, dead, leave [384, 576) free: band 1's ring
// goes there, at 384, and the arena keeps its 1152 bytes.
// CHECK-LABEL: func.func @gap
// CHECK-SAME: memref<1152xi8> {pico.arena}
// CHECK-DAG: %[[C288:.*]] = arith.constant 288 : index
// CHECK-DAG: %[[C384:.*]] = arith.constant 384 : index
// CHECK: scf.forall (%[[BAND:.*]]) in (2) {
// CHECK: %[[SET:.*]] = arith.addi %[[C384]], %{{.*}} : index
// CHECK-NEXT: %[[OFFSET:.*]] = arith.select %{{.*}}, %[[C288]], %[[SET]] : index
// CHECK-NEXT: memref.view %{{.*}}[%[[OFFSET]]][] : memref<1152xi8> to memref<1x4x1x6xf32>
// With three bands, bands 1 and 2's rings (192 bytes) fit the gap too.
// THREE-LABEL: func.func @gap
// THREE-SAME: memref<1152xi8> {pico.arena}
func.func @gap(%x: tensor<1x4x6x6xf32> loc("x")) -> tensor<1x2x6x6xf32> {
  %w = pico.constant dense<0.5> : tensor<4x4x1x1xf32>
  %wd = pico.constant dense<0.5> : tensor<4x1x3x3xf32>
  %wp = pico.constant dense<0.5> : tensor<2x4x1x1xf32>
  %a = pico.conv2d %x, %w : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32> loc("/a")
  %b = pico.conv2d %a, %w : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32> loc("/b")
  %y = pico.separable_block %b : tensor<1x4x6x6xf32> -> tensor<1x2x6x6xf32> {
  ^bb0(%in: tensor<1x4x6x6xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32> loc("/enc/dw")
    %pw = pico.conv2d %dw, %wp : (tensor<1x4x6x6xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x6x6xf32> loc("/enc/pw")
    pico.yield %pw : tensor<1x2x6x6xf32>
  } loc("/enc")
  return %y : tensor<1x2x6x6xf32>
}

// -----

// The streamed block of materialize-arena.mlir: a band's set is its
// depthwise ring (128 bytes) and its one-row ring of results (64), band 1's
// past the arena of 1472: the ring at 1472, the results' at 1600, the arena
// 1664. The conv it streams into runs in the band's loops.
// CHECK-LABEL: func.func @streamed
// CHECK-SAME: %[[ARENA:[a-z0-9]*]]: memref<1664xi8> {pico.arena}
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG: %[[C192:.*]] = arith.constant 192 : index
// CHECK-DAG: %[[C1280:.*]] = arith.constant 1280 : index
// CHECK-DAG: %[[C1408:.*]] = arith.constant 1408 : index
// CHECK-DAG: %[[C1472:.*]] = arith.constant 1472 : index
// CHECK: scf.forall (%[[BAND:.*]]) in (2) {
// CHECK: %[[SKIP:.*]] = arith.muli %{{.*}}, %[[C192]] : index
// CHECK-NEXT: %[[SET:.*]] = arith.addi %[[C1472]], %[[SKIP]] : index
// CHECK-NEXT: %[[RINGAT:.*]] = arith.select %[[FIRST:.*]], %[[C1280]], %[[SET]] : index
// CHECK-NEXT: %[[RING:.*]] = memref.view %[[ARENA]][%[[RINGAT]]][] : memref<1664xi8> to memref<1x4x1x8xf32>
// CHECK-NEXT: %[[ROWSSET:.*]] = arith.addi %[[SET]], %[[C128]] : index
// CHECK-NEXT: %[[ROWSAT:.*]] = arith.select %[[FIRST]], %[[C1408]], %[[ROWSSET]] : index
// CHECK-NEXT: %[[ROWS:.*]] = memref.view %[[ARENA]][%[[ROWSAT]]][] : memref<1664xi8> to memref<1x2x1x8xf32>
// CHECK: scf.for %[[R:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: memref.subview %[[RING]][0, 0, %{{.*}}, 0] [1, 4, 1, 8]
// CHECK: memref.subview %[[ROWS]][0, 0, %{{.*}}, 0] [1, 2, 1, 8]
// CHECK: pico.conv2d %{{.*}}, %{{.*}} residual %{{.*}} : {{.*}} -> tensor<1x2x1x8xf32>
// CHECK: {{^ +}}}{{$}}
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
