// RUN: picosam-opt %s --pico-plan-memory="alignment=1 tile-separable-blocks=1" --pico-materialize-arena=row-bands=2 \
// RUN:   --pico-lower-to-kernel-calls --pico-outline-row-bands | FileCheck %s
// RUN: picosam-opt %s --pico-plan-memory="alignment=1 tile-separable-blocks=1" --pico-materialize-arena=row-bands=2 \
// RUN:   --pico-lower-to-kernel-calls --pico-outline-row-bands --pico-cpu-lower-to-llvm | FileCheck %s --check-prefix=LLVM
// Without bands (row-bands=1, the default) there is nothing to outline:
// RUN: picosam-opt %s --pico-plan-memory="alignment=1 tile-separable-blocks=1" --pico-materialize-arena \
// RUN:   --pico-lower-to-kernel-calls --pico-outline-row-bands | FileCheck %s --check-prefix=NONE
// NONE-NOT: picosam_cpu_run_bands
// NONE-NOT: _bands

// The tiled block of materialize-arena-bands.mlir, in 2 bands, lowered to
// kernel calls: the forall's body becomes @block_bands, which reads the
// arena's address and the workspace's (arena + 1088: the arena of 1056
// bytes, band 1's ring at 960 past the plan's 960, rounded up to 64) from
// its first argument and takes its band as the second; @block stores them
// into a stack array and calls the runtime with 2 bands.
// CHECK-LABEL: func.func @block
// CHECK-SAME: %[[ARENA:[a-z0-9]*]]: memref<1472xi8>
// CHECK: %[[ADDRESSES:.*]] = memref.alloca() : memref<2xindex>
// CHECK: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[ARENA]]
// CHECK: %[[WORKSPACE:.*]] = arith.addi %[[BASE]], %[[C1088:.*]] : index
// CHECK-NOT: picosam_uk_conv2d_f32
// CHECK: memref.store %[[BASE]], %[[ADDRESSES]][%{{.*}}] : memref<2xindex>
// CHECK: memref.store %[[WORKSPACE]], %[[ADDRESSES]][%{{.*}}] : memref<2xindex>
// CHECK-NEXT: %[[BODY:.*]] = constant @block_bands : (memref<2xindex>, index) -> ()
// CHECK-NEXT: %[[TWO:.*]] = arith.constant 2 : index
// CHECK-NEXT: call @picosam_cpu_run_bands(%[[TWO]], %[[BODY]], %[[ADDRESSES]]) : (index, (memref<2xindex>, index) -> (), memref<2xindex>) -> ()
// CHECK-NEXT: memref.copy
// CHECK-NEXT: return
// CHECK-LABEL: func.func private @block_bands
// CHECK-SAME: (%[[ARG:.*]]: memref<2xindex>, %[[BAND:.*]]: index)
// CHECK: %[[BASE:.*]] = memref.load %[[ARG]][%{{.*}}] : memref<2xindex>
// CHECK: %[[WORKSPACE:.*]] = memref.load %[[ARG]][%{{.*}}] : memref<2xindex>
// CHECK: arith.muli %[[BAND]], %{{.*}} : index
// CHECK: %[[RINGAT:.*]] = arith.select
// CHECK: scf.for
// CHECK: %[[RING:.*]] = arith.addi %[[BASE]], %[[RINGAT]] : index
// CHECK: func.call @picosam_uk_conv2d_f32(%{{.*}}, %[[BASE]], %{{.*}}, %{{.*}}, %{{.*}}, %[[RING]], %{{.*}}, %{{.*}}, %[[WORKSPACE]])
// CHECK: func.func private @picosam_cpu_run_bands(index, (memref<2xindex>, index) -> (), memref<2xindex>)
// In C: run_bands(int64_t bands, void (*body)(void *, int64_t), void *).
// LLVM: llvm.func @block(
// LLVM: %[[BODY:.*]] = llvm.mlir.addressof @block_bands : !llvm.ptr
// LLVM: llvm.call @picosam_cpu_run_bands(%{{.*}}, %[[BODY]], %{{.*}}) : (i64, !llvm.ptr, !llvm.ptr) -> ()
// LLVM: llvm.func @block_bands(%{{.*}}: !llvm.ptr, %{{.*}}: i64)
// LLVM: llvm.func @picosam_cpu_run_bands(i64, !llvm.ptr, !llvm.ptr)
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
