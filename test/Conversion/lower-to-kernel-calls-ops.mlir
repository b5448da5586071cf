// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=1" --pico-materialize-arena --pico-lower-to-kernel-calls | FileCheck %s
// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=1" --pico-materialize-arena --pico-lower-to-kernel-calls \
// RUN:   --pico-cpu-lower-to-llvm | FileCheck %s --check-prefix=LLVM

// The ops beyond PicoSAM3's (a second architecture's and the importer's),
// in float: each its entry on dense tensors, its descriptor the geometry.
// The concat passes its inputs' pointers in an array on the stack; its
// descriptor: 2 inputs, 1 row, the row sizes at byte 32 (8 and 8), no
// rescales. The
// reshape copies its 64 bytes; the softmax is 1 x 5 x 1, not log.
// CHECK-DAG: memref.global "private" constant @float_ops_concat_descriptor : memref<48xi8> = dense<[2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0]>
// CHECK-DAG: memref.global "private" constant @float_ops_reshape_descriptor : memref<8xi8> = dense<[64, 0, 0, 0, 0, 0, 0, 0]>
// CHECK-DAG: memref.global "private" constant @float_ops_softmax_descriptor : memref<32xi8> = dense<[1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
// CHECK-LABEL: func.func @float_ops
// CHECK: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %arg2
// CHECK: call @picosam_uk_avg_pool_f32(%{{.*}}, %[[BASE]], %[[AVG:.*]]) : (index, index, index) -> ()
// CHECK: call @picosam_uk_max_pool_f32(%{{.*}}, %[[BASE]], %[[MAX:.*]]) : (index, index, index) -> ()
// CHECK: %[[A:.*]] = arith.addi %[[BASE]], %{{.*}} : index
// CHECK: %[[M:.*]] = arith.addi %[[BASE]], %{{.*}} : index
// CHECK: %[[ARRAY:.*]] = memref.alloca() : memref<2xindex>
// CHECK: memref.store %[[A]], %[[ARRAY]][%{{.*}}] : memref<2xindex>
// CHECK: memref.store %[[M]], %[[ARRAY]][%{{.*}}] : memref<2xindex>
// CHECK: %[[POINTERS:.*]] = memref.extract_aligned_pointer_as_index %[[ARRAY]]
// CHECK: call @picosam_uk_concat_f32(%{{.*}}, %[[POINTERS]], %[[BASE]])
// CHECK: call @picosam_uk_transpose_elements(
// CHECK: call @picosam_uk_copy_bytes(
// CHECK: call @picosam_uk_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (index, index, index, index) -> ()
// CHECK: call @picosam_uk_gemm_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (index, index, index, index, index) -> ()
// CHECK: call @picosam_uk_softmax_f32(
// CHECK-NOT: pico.
// LLVM-LABEL: llvm.func @float_ops
// LLVM: llvm.alloca
// LLVM: llvm.call @picosam_uk_concat_f32
func.func @float_ops(%x: tensor<1x2x4x4xf32> loc("input")) -> tensor<1x5xf32> {
  %a = pico.avg_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32> loc("/avg")
  %m = pico.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32> loc("/max")
  %c = pico.concat %a, %m {axis = 1 : i64} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x4x2x2xf32> loc("/concat")
  %t = pico.transpose %c {perm = array<i64: 0, 1, 3, 2>} : tensor<1x4x2x2xf32> -> tensor<1x4x2x2xf32> loc("/transpose")
  %r = pico.reshape %t : tensor<1x4x2x2xf32> -> tensor<1x16xf32> loc("/flatten")
  %w = pico.constant dense<0.5> : tensor<16x8xf32>
  %mm = pico.matmul %r, %w : tensor<1x16xf32>, tensor<16x8xf32> -> tensor<1x8xf32> loc("/matmul")
  %gw = pico.constant dense<0.25> : tensor<5x8xf32>
  %gb = pico.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0]> : tensor<5xf32>
  %g = pico.gemm %mm, %gw, %gb {trans_b = true} : (tensor<1x8xf32>, tensor<5x8xf32>, tensor<5xf32>) -> tensor<1x5xf32> loc("/gemm")
  %s = pico.softmax %g {axis = 1 : i64} : tensor<1x5xf32> -> tensor<1x5xf32> loc("/softmax")
  return %s : tensor<1x5xf32>
}

// -----

// Their integer forms, with QuantizedArithmetic's constants in the
// descriptors: the concat's of an int8 and a uint8 input (2 inputs, 1 row,
// the row sizes at byte 32, the rescales at byte 48: the first from scale
// 0.25 (0x3FD0000000000000), zero point 1, [-128, 127], signed), the
// sigmoid's table of 256 entries, the add of an int8 and a uint8 operand in
// place.
// CHECK-DAG: memref.global "private" constant @integer_ops_concat_descriptor : memref<160xi8> = dense<"0x020000000000000001000000000000002000000000000000300000000000000008000000000000000800000000000000000000000000D03F0100000080FFFFFF7F00000001000000
// CHECK-DAG: memref.global "private" constant @integer_ops_sigmoid_descriptor : memref<1112xi8>
// CHECK-LABEL: func.func @integer_ops
// CHECK: call @picosam_uk_quantize(
// CHECK: call @picosam_uk_max_pool_q8(
// CHECK: call @picosam_uk_avg_pool_q8(
// CHECK: call @picosam_uk_concat_q8(
// CHECK: call @picosam_uk_activation_q8(
// CHECK: call @picosam_uk_binary_q8(%{{.*}}, %[[LHS:.*]], %{{.*}}, %[[LHS]]) : (index, index, index, index) -> ()
// CHECK: call @picosam_uk_binary_q8(
// CHECK: call @picosam_uk_global_avg_pool_q8(
// CHECK: call @picosam_uk_copy_bytes(
// CHECK: call @picosam_uk_dequantize(
// CHECK-NOT: pico.
!i8a = !quant.uniform<i8:f32, 0.5:-3>
!i8b = !quant.uniform<i8:f32, 0.25:1>
!u8c = !quant.uniform<u8:f32, 0.125:128>
func.func @integer_ops(%x: tensor<1x2x4x4xf32> loc("input")) -> tensor<1x4xf32> {
  %q = pico.quantize %x : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!i8a> loc("/quantize")
  %m = pico.max_pool %q {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4x!i8a> -> tensor<1x2x2x2x!i8b> loc("/max")
  %a = pico.avg_pool %q {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x2x4x4x!i8a> -> tensor<1x2x2x2x!u8c> loc("/avg")
  %c = pico.concat %m, %a {axis = 1 : i64} : (tensor<1x2x2x2x!i8b>, tensor<1x2x2x2x!u8c>) -> tensor<1x4x2x2x!i8a> loc("/concat")
  %s = pico.sigmoid %c : tensor<1x4x2x2x!i8a> -> tensor<1x4x2x2x!u8c> loc("/sigmoid")
  %p = pico.add %c, %s : tensor<1x4x2x2x!i8a>, tensor<1x4x2x2x!u8c> -> tensor<1x4x2x2x!i8b> loc("/add")
  %u = pico.mul %p, %p : tensor<1x4x2x2x!i8b>, tensor<1x4x2x2x!i8b> -> tensor<1x4x2x2x!i8a> loc("/mul")
  %g = pico.global_avg_pool %u : tensor<1x4x2x2x!i8a> -> tensor<1x4x1x1x!i8b> loc("/gap")
  %r = pico.reshape %g : tensor<1x4x1x1x!i8b> -> tensor<1x4x!i8b> loc("/flatten")
  %d = pico.dequantize %r : tensor<1x4x!i8b> -> tensor<1x4xf32> loc("/dequantize")
  return %d : tensor<1x4xf32>
}

// -----

// At the function's boundary: a quantized input and result pass as their
// storage bytes, a constant result is copied from its global; a per-axis
// dequantize has the slot stride and count (2 and 2) and its scales (0.5f,
// 0.25f) and zero points after the struct.
// CHECK-DAG: memref.global "private" constant @boundary_weight : memref<2xi1> = dense<true>
// CHECK-DAG: memref.global "private" constant @boundary_dequantize_descriptor_1 : memref<80xi8> = dense<[4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -128, -1, -1, -1, 127, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 72, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 63, 0, 0, -128, 62, 0, 0, 0, 0, 0, 0, 0, 0]>
// CHECK-LABEL: func.func @boundary
// CHECK-SAME: (%[[IN:.*]]: memref<4xi8>, %[[Q:.*]]: memref<4xi8>, %[[W:.*]]: memref<2x2x1x1xf32>, %[[MASK:.*]]: memref<2xi1>, %{{.*}}: memref<20xi8>)
// CHECK: memref.copy %[[IN]], %{{.*}} : memref<4xi8> to memref<4xi8>
// CHECK: call @picosam_uk_dequantize(
// CHECK: call @picosam_uk_quantize(
// CHECK: call @picosam_uk_dequantize(
// CHECK: memref.copy %{{.*}}, %[[Q]] : memref<4xi8> to memref<4xi8>
// CHECK: memref.copy %{{.*}}, %[[W]]
// CHECK: %[[CONSTANT:.*]] = memref.get_global @boundary_weight : memref<2xi1>
// CHECK: memref.copy %[[CONSTANT]], %[[MASK]]
// CHECK-NEXT: return
// LLVM-LABEL: llvm.func @boundary
func.func @boundary(%x: tensor<4x!quant.uniform<u8:f32, 0.5:128>> loc("input")) -> (tensor<4x!quant.uniform<i8:f32, 0.25>>, tensor<2x2x1x1xf32>, tensor<2xi1>) {
  %d = pico.dequantize %x : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4xf32> loc("/dequantize")
  %q = pico.quantize %d : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.25>> loc("/quantize")
  %w = pico.constant dense<[[[[-2]], [[1]]], [[[3]], [[-1]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  %wd = pico.dequantize %w : tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<2x2x1x1xf32> loc("/dequantize_w")
  %mask = pico.constant dense<true> : tensor<2xi1>
  return %q, %wd, %mask : tensor<4x!quant.uniform<i8:f32, 0.25>>, tensor<2x2x1x1xf32>, tensor<2xi1>
}
