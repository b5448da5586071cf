// RUN: picosam-opt %s --pico-cpu-lower-to-llvm | FileCheck %s \
// RUN:   --implicit-check-not="{{(scf|memref|vector|math|linalg|affine|cf|func|arith)\.}}"

// A small convolution as loops over memrefs: a 3x3 window sum into a view of
// the arena with weights from a constant global, a call to an external C
// function (bare pointers, as the kernels library will be called), a copy
// out, and a vector exp over the result.

// The libm function @add_erf calls (below).
// CHECK: llvm.func @erff(f32) -> f32

// The weights: an LLVM constant global, initialised from the dense elements.
// CHECK: llvm.mlir.global private constant @weights(dense<{{\[\[\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00]
// CHECK-SAME: : !llvm.array<2 x array<1 x array<3 x array<3 x f32>>>>
memref.global "private" constant @weights : memref<2x1x3x3xf32> =
  dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]],
         [[[-1.0, 0.5, 0.0], [0.25, 0.0, -0.5], [1.0, -2.0, 0.125]]]]>

// CHECK: llvm.func @add_bias(!llvm.ptr, f32) attributes {sym_visibility = "private"}
func.func private @add_bias(memref<2x4x4xf32>, f32)

// Each memref argument is one pointer: void conv(const float *, float *, void *).
// CHECK-LABEL: llvm.func @conv(
// CHECK-SAME: %[[INPUT:.*]]: !llvm.ptr, %[[OUTPUT:.*]]: !llvm.ptr, %[[ARENA:.*]]: !llvm.ptr) {
func.func @conv(%input: memref<1x6x6xf32>, %output: memref<2x4x4xf32>,
                %arena: memref<256xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %bias = arith.constant 0.5 : f32
  // CHECK: %[[WEIGHTS:.*]] = llvm.mlir.addressof @weights : !llvm.ptr
  %weights = memref.get_global @weights : memref<2x1x3x3xf32>
  // The view is the arena's pointer, at its byte offset.
  // CHECK: %[[SCRATCH:.*]] = llvm.getelementptr %[[ARENA]][64] : (!llvm.ptr) -> !llvm.ptr, i8
  %c64 = arith.constant 64 : index
  %scratch = memref.view %arena[%c64][] : memref<256xi8> to memref<2x4x4xf32>
  // CHECK: llvm.getelementptr inbounds|nuw %[[INPUT]][%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
  // CHECK: llvm.fmul
  // CHECK: llvm.fadd
  // CHECK: llvm.getelementptr inbounds|nuw %[[SCRATCH]][%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
  // CHECK: llvm.store %{{.*}}, %{{.*}} : f32, !llvm.ptr
  scf.for %co = %c0 to %c2 step %c1 {
    scf.for %oh = %c0 to %c4 step %c1 {
      scf.for %ow = %c0 to %c4 step %c1 {
        %sum = scf.for %kh = %c0 to %c3 step %c1 iter_args(%acc = %zero) -> f32 {
          %row = scf.for %kw = %c0 to %c3 step %c1 iter_args(%inner = %acc) -> f32 {
            %ih = arith.addi %oh, %kh : index
            %iw = arith.addi %ow, %kw : index
            %x = memref.load %input[%c0, %ih, %iw] : memref<1x6x6xf32>
            %w = memref.load %weights[%co, %c0, %kh, %kw] : memref<2x1x3x3xf32>
            %product = arith.mulf %x, %w : f32
            %next = arith.addf %inner, %product : f32
            scf.yield %next : f32
          }
          scf.yield %row : f32
        }
        memref.store %sum, %scratch[%co, %oh, %ow] : memref<2x4x4xf32>
      }
    }
  }
  // CHECK: llvm.call @add_bias(%[[SCRATCH]], %{{.*}}) : (!llvm.ptr, f32) -> ()
  func.call @add_bias(%scratch, %bias) : (memref<2x4x4xf32>, f32) -> ()
  // CHECK: "llvm.intr.memcpy"(%[[OUTPUT]], %[[SCRATCH]], %{{.*}})
  memref.copy %scratch, %output : memref<2x4x4xf32> to memref<2x4x4xf32>
  // CHECK: llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
  // CHECK: llvm.intr.exp(%{{.*}}) : (vector<4xf32>) -> vector<4xf32>
  // CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr
  %v = vector.load %output[%c1, %c2, %c0] : memref<2x4x4xf32>, vector<4xf32>
  %e = math.exp %v : vector<4xf32>
  vector.store %e, %output[%c1, %c2, %c0] : memref<2x4x4xf32>, vector<4xf32>
  // CHECK: llvm.return
  return
}

// Linalg on memrefs becomes loops; math without an LLVM intrinsic (erf) calls libm.
// CHECK-LABEL: llvm.func @add_erf(
// CHECK: llvm.cond_br
// CHECK: llvm.fadd
// CHECK: llvm.call @erff(%{{.*}}) : (f32) -> f32
func.func @add_erf(%a: memref<8xf32>, %b: memref<8xf32>, %c: memref<8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>,
                                   affine_map<(i) -> (i)>],
                  iterator_types = ["parallel"]}
      ins(%a, %b : memref<8xf32>, memref<8xf32>) outs(%c : memref<8xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %sum = arith.addf %x, %y : f32
    %t = math.erf %sum : f32
    linalg.yield %t : f32
  }
  return
}
