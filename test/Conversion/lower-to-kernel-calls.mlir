// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=1 tile-separable-blocks=1" --pico-materialize-arena --pico-lower-to-kernel-calls | FileCheck %s
// The result is upstream dialects only, and lowers to the LLVM dialect:
// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=1 tile-separable-blocks=1" --pico-materialize-arena --pico-lower-to-kernel-calls \
// RUN:   --pico-cpu-lower-to-llvm | FileCheck %s --check-prefix=LLVM
// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=1 tile-separable-blocks=1" --pico-materialize-arena \
// RUN:   --pico-lower-to-kernel-calls=cpu-features=258 | FileCheck %s --check-prefix=FEATURES

// INT8 at the graph's boundary and inside: each op a call of its kernel
// entry on index pointers (the arena's aligned pointer plus the view's
// offset), its weights constant globals aligned to 64, its descriptor a
// constant of bytes (Ukernels.h's structs). The quantize descriptor: 4
// elements, scale 0.5f, zero point -3, storage [-128, 127], signed, per
// tensor (axis size 0). The
// conv's multipliers (the descriptor's tail), QuantizedArithmetic's:
// 0.5 * 0.25 / 0.25 = 2^30 * 2^(0 - 30) and 0.5 * 0.125 / 0.25 = 2^30 *
// 2^(-1 - 30), then its zero-point offsets, bias - (zp + 128) * the
// channel's weight sum (the input's zero point is -3): 10 - 125 * (1 + 2) =
// -365 and -20 - 125 * (-4 + 5) = -145. The kernels' workspace follows the 20 planned bytes at
// offset 64, as large as the largest call needs: channel attention's means,
// gates and its 1x1 convolution's sums and loaded means, 64 bytes each
// (Kernels/Workspace.h rounds every array up to 64).
// CHECK-DAG: memref.global "private" constant @quantized_quantize_descriptor : memref<64xi8> = dense<[4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 63, -3, -1, -1, -1, -128, -1, -1, -1, 127, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]> {alignment = 8 : i64}
// CHECK-DAG: memref.global "private" constant @quantized_weight : memref<2x2x1x1xi8> = dense<{{.*}}> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @quantized_weight_0 : memref<2xi32> = dense<[10, -20]> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @quantized_conv2d_descriptor : memref<320xi8> = dense<"0x{{[0-9A-F]*}}0000000000000000000000400000000000000040FFFFFFFF93FEFFFF6FFFFFFF"> {alignment = 8 : i64}
// The header's last field, before the multipliers, is the target CPU's
// features (cpu-features, 0 by default: baseline kernels only).
// FEATURES: memref.global "private" constant @quantized_conv2d_descriptor : memref<320xi8> = dense<"0x{{[0-9A-F]*}}0201000000000000000000400000000000000040FFFFFFFF93FEFFFF6FFFFFFF">
// CHECK-DAG: memref.global "private" constant @quantized_channel_attention_descriptor : memref<1216xi8>
// CHECK-LABEL: func.func @quantized
// CHECK-SAME: (%[[IN:.*]]: memref<1x2x1x2xf32>, %[[OUT:.*]]: memref<1x2x1x2xf32>, %[[ARENA:.*]]: memref<320xi8>)
// CHECK-SAME: pico.memory_plan<arena = 20,
// CHECK: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[ARENA]]
// CHECK-NEXT: %[[C64:.*]] = arith.constant 64 : index
// CHECK-NEXT: %[[WORKSPACE:.*]] = arith.addi %[[BASE]], %[[C64]] : index
// CHECK: memref.copy %[[IN]], %{{.*}} : memref<1x2x1x2xf32> to memref<1x2x1x2xf32>
// CHECK: %[[Q:.*]] = arith.addi %[[BASE]], %{{.*}} : index
// CHECK: %[[QD:.*]] = memref.get_global @quantized_quantize_descriptor
// CHECK: %[[QDP:.*]] = memref.extract_aligned_pointer_as_index %[[QD]]
// CHECK: call @picosam_uk_quantize(%[[QDP]], %[[BASE]], %[[Q]]) : (index, index, index) -> ()
// CHECK: call @picosam_uk_conv2d_q8({{.*}}, %[[WORKSPACE]]) :
// CHECK: call @picosam_uk_channel_attention_q8({{.*}}, %[[WORKSPACE]]) :
// CHECK: call @picosam_uk_dequantize(
// CHECK: memref.copy %{{.*}}, %[[OUT]]
// CHECK-NEXT: return
// CHECK-NOT: pico.
// CHECK-NOT: bufferization.
// CHECK-DAG: func.func private @picosam_uk_quantize(index, index, index)
// CHECK-DAG: func.func private @picosam_uk_conv2d_q8(index, index, index, index, index, index, index, index, index)
// LLVM-LABEL: llvm.func @quantized(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// LLVM: llvm.call @picosam_uk_conv2d_q8
func.func @quantized(%x: tensor<1x2x1x2xf32> loc("input")) -> tensor<1x2x1x2xf32> {
  %q = pico.quantize %x : tensor<1x2x1x2xf32> -> tensor<1x2x1x2x!quant.uniform<i8:f32, 0.5:-3>> loc("/quantize")
  %w = pico.constant dense<[[[[1]], [[2]]], [[[-4]], [[5]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>>
  %b = pico.constant dense<[10, -20]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {0.125, 0.0625}>>
  %c = pico.conv2d %q, %w, %b {activation = #pico.act<relu>} : (tensor<1x2x1x2x!quant.uniform<i8:f32, 0.5:-3>>, tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>>, tensor<2x!quant.uniform<i32:f32:0, {0.125, 0.0625}>>) -> tensor<1x2x1x2x!quant.uniform<u8:f32, 0.25>> loc("/conv")
  %wa = pico.constant dense<[[[[2]], [[0]]], [[[0]], [[-2]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>>
  %a = pico.channel_attention %c, %wa {mean_type = !quant.uniform<u8:f32, 0.25>, logits_type = !quant.uniform<i8:f32, 0.0625>} : (tensor<1x2x1x2x!quant.uniform<u8:f32, 0.25>>, tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x2x1x2x!quant.uniform<u8:f32, 0.25>> loc("/attention")
  %d = pico.dequantize %a : tensor<1x2x1x2x!quant.uniform<u8:f32, 0.25>> -> tensor<1x2x1x2xf32> loc("/dequantize")
  return %d : tensor<1x2x1x2xf32>
}

// -----

// A tiled block reading its input through an upsample, streaming into the
// conv that reads it as its residual: the depthwise conv of a row pair
// computes the one row kept (rows [row, row + 1) of its two); every row's
// pointer moves with the loop.
// CHECK-LABEL: func.func @streamed
// CHECK: scf.for %[[R:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT: %[[FIRST:.*]] = arith.subi %[[R]]
// CHECK-NEXT: %[[PAIR:.*]] = arith.divui %[[FIRST]]
// CHECK-NEXT: %[[ROW:.*]] = arith.remui %[[FIRST]]
// CHECK: %[[BAND:.*]] = arith.muli %[[PAIR]], %{{.*}} : index
// CHECK: %[[END:.*]] = arith.addi %[[ROW]], %{{.*}} : index
// CHECK: func.call @picosam_uk_conv2d_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ROW]], %[[END]], %{{.*}})
// CHECK: func.call @picosam_uk_conv2d_f32(
// CHECK: %[[OUTROW:.*]] = arith.muli %[[R]], %{{.*}} : index
// The last conv: a bias pointer of 0, the residual (the streamed row).
// CHECK: func.call @picosam_uk_conv2d_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[NOBIAS:.*]], %[[RESIDUAL:.*]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
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

// The float ops of an unfused graph (PicoSAM3 imported, planned without
// fusion): each its entry on dense tensors. The relu's descriptor: 8
// elements, kind relu (1), no quantization or table.
// CHECK-DAG: memref.global "private" constant @unfused_relu_descriptor : memref<88xi8> = dense<[8, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
// No kernel needs a workspace: the arena is the planned one.
// CHECK-LABEL: func.func @unfused
// CHECK-SAME: memref<[[ARENA:[0-9]+]]xi8>) attributes {pico.memory_plan = #pico.memory_plan<arena = [[ARENA]],
// CHECK: call @picosam_uk_batch_norm_f32(
// CHECK: call @picosam_uk_activation_f32(
// CHECK: call @picosam_uk_global_avg_pool_f32(
// CHECK: call @picosam_uk_activation_f32(
// CHECK: call @picosam_uk_binary_f32(
// CHECK: call @picosam_uk_binary_f32(
// CHECK: call @picosam_uk_resize_f32(
// CHECK-NOT: pico.
func.func @unfused(%x: tensor<1x2x2x2xf32> loc("input")) -> tensor<1x2x4x4xf32> {
  %scale = pico.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %bias = pico.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %mean = pico.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %var = pico.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %n = pico.batch_norm %x, %scale, %bias, %mean, %var {epsilon = 1.0e-05 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32> loc("/bn")
  %r = pico.relu %n : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xf32> loc("/relu")
  %g = pico.global_avg_pool %r : tensor<1x2x2x2xf32> -> tensor<1x2x1x1xf32> loc("/gap")
  %s = pico.sigmoid %g : tensor<1x2x1x1xf32> -> tensor<1x2x1x1xf32> loc("/sigmoid")
  %m = pico.mul %r, %s : tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32> -> tensor<1x2x2x2xf32> loc("/mul")
  %a = pico.add %m, %n : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32> -> tensor<1x2x2x2xf32> loc("/add")
  %u = pico.resize %a {coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x2x2x2xf32> -> tensor<1x2x4x4xf32> loc("/resize")
  return %u : tensor<1x2x4x4xf32>
}
