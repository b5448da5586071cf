// RUN: picosam-opt %s --pico-plan-memory="alignment=1 tile-separable-blocks=1" --pico-materialize-arena --pico-lower-to-kernel-calls="profile-hooks=1" | FileCheck %s
// Without the option, no hook and no record:
// RUN: picosam-opt %s --pico-plan-memory="alignment=1 tile-separable-blocks=1" --pico-materialize-arena --pico-lower-to-kernel-calls | FileCheck %s --check-prefix=OFF

// Each kernel call between picosam_profile_begin and picosam_profile_end,
// given its op's record (Profile.h): the MACs of one call (int64, little
// endian), then the op's name ("/dec/dw" is 47 100 101 99 47 100 119) and
// a NUL. Every conv of the tiled block and the conv it streams into
// computes one row per call (the rows before, in and after the loop are ops
// of their own, each with its record): the upsampled depthwise conv 4 x 9
// x 8 = 288 MACs (32 + 256) of the 576 its result's two rows take, the
// pointwise conv 2 x 4 x 8 = 64, the skip conv 2 x 4 x 8 = 64; 8 rows of
// each make the ops' 2304, 512 and 512.
// CHECK-DAG: memref.global "private" constant @streamed_conv2d_profile : memref<16xi8> = dense<[32, 1, 0, 0, 0, 0, 0, 0, 47, 100, 101, 99, 47, 100, 119, 0]> {alignment = 8 : i64}
// CHECK-DAG: memref.global "private" constant @streamed_conv2d_profile_{{[0-9]+}} : memref<16xi8> = dense<[64, 0, 0, 0, 0, 0, 0, 0, 47, 100, 101, 99, 47, 112, 119, 0]>
// CHECK-DAG: memref.global "private" constant @streamed_conv2d_profile_{{[0-9]+}} : memref<14xi8> = dense<[64, 0, 0, 0, 0, 0, 0, 0, 47, 115, 107, 105, 112, 0]>
// CHECK-LABEL: func.func @streamed
// CHECK: scf.for
// CHECK: %[[RECORD:.*]] = memref.extract_aligned_pointer_as_index %{{.*}} : memref<16xi8>
// CHECK-NEXT: func.call @picosam_profile_begin(%[[RECORD]]) : (index) -> ()
// CHECK-NEXT: func.call @picosam_uk_conv2d_f32(
// CHECK-NEXT: func.call @picosam_profile_end(%[[RECORD]]) : (index) -> ()
// CHECK: }
// CHECK-DAG: func.func private @picosam_profile_begin(index)
// CHECK-DAG: func.func private @picosam_profile_end(index)
// OFF-NOT: profile
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
