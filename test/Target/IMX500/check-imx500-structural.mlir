// RUN: not picosam-opt %s --pico-check-imx500 -o /dev/null 2>&1 | FileCheck %s

// The structural ops' rules (observed): Pad in constant mode only, nothing
// padded or sliced along the batch axis.
// CHECK: error: loc("/reflect"): node '/reflect' (Pad): the IMX500 pads with a constant only; this pads in reflect mode
// CHECK-NEXT: note: loc("/reflect"): observed behaviour of Sony's converter, not a published limit
// CHECK: error: loc("/pad_batch"): node '/pad_batch' (Pad): the IMX500 computes nothing along the batch axis; this pads axis 0
// CHECK-NEXT: note: loc("/pad_batch"): observed behaviour of Sony's converter, not a published limit
// CHECK: error: loc("/two"): node '/two' (Concat): the IMX500 computes nothing along the batch axis; this concatenates along axis 0
// CHECK-NEXT: note: loc("/two"): observed behaviour of Sony's converter, not a published limit
// CHECK: error: loc("/slice_batch"): node '/slice_batch' (Slice): the IMX500 computes nothing along the batch axis; this slices axis 0
// CHECK-NEXT: note: loc("/slice_batch"): observed behaviour of Sony's converter, not a published limit
// CHECK-NOT: error
func.func @structural(%x: tensor<1x3x64x64xf32> loc("x")) -> (tensor<1x3x66x66xf32>, tensor<1x3x66x66xf32>, tensor<2x3x64x64xf32>, tensor<1x1x64x64xf32>, tensor<1x1x64x64xf32>) {
  %zero = pico.pad %x constant pads [0, 0, 1, 1, 0, 0, 1, 1] : tensor<1x3x64x64xf32> -> tensor<1x3x66x66xf32> loc("/zero")
  %reflect = pico.pad %x reflect pads [0, 0, 1, 1, 0, 0, 1, 1] : tensor<1x3x64x64xf32> -> tensor<1x3x66x66xf32> loc("/reflect")
  %pad_batch = pico.pad %x constant pads [0, 0, 0, 0, 1, 0, 0, 0] : tensor<1x3x64x64xf32> -> tensor<2x3x64x64xf32> loc("/pad_batch")
  %channel = pico.slice %x offsets [0, 1, 0, 0] sizes [1, 1, 64, 64] strides [1, 1, 1, 1] : tensor<1x3x64x64xf32> -> tensor<1x1x64x64xf32> loc("/channel")
  %two = pico.concat %x, %x {axis = 0 : i64} : (tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32>) -> tensor<2x3x64x64xf32> loc("/two")
  %slice_batch = pico.slice %two offsets [1, 0, 0, 0] sizes [1, 1, 64, 64] strides [1, 1, 1, 1] : tensor<2x3x64x64xf32> -> tensor<1x1x64x64xf32> loc("/slice_batch")
  return %zero, %reflect, %pad_batch, %channel, %slice_batch : tensor<1x3x66x66xf32>, tensor<1x3x66x66xf32>, tensor<2x3x64x64xf32>, tensor<1x1x64x64xf32>, tensor<1x1x64x64xf32>
}
