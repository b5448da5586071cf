// RUN: not picosam-opt %s --pico-check-imx500 -o /dev/null 2>&1 | FileCheck %s

// ReduceMean/Max/Sum are accepted (observed), but nothing reduced along the
// batch axis; PRelu only fused into a convolution, so a pico.prelu (a
// per-channel slope) is refused.
// CHECK: error: loc("/batch"): node '/batch' (ReduceSum): the IMX500 computes nothing along the batch axis; this reduces axis 0
// CHECK-NEXT: note: loc("/batch"): observed behaviour of Sony's converter, not a published limit
// CHECK: error: loc("/prelu"): node '/prelu' (PRelu): the IMX500 takes PRelu only fused into a convolution; a per-channel slope stays a separate op (one slope fuses, as a LeakyRelu)
// CHECK-NEXT: note: loc("/prelu"): observed behaviour of Sony's converter, not a published limit
// CHECK-NOT: error
func.func @reductions(%x: tensor<1x3x8x8xf32> loc("x"), %slope: tensor<3x1x1xf32> loc("slope"))
    -> (tensor<1x1x8x8xf32>, tensor<1x3xf32>, tensor<3x8x8xf32>, tensor<1x3x8x8xf32>) {
  %max = pico.reduce %x max axes [1] keep_dims : tensor<1x3x8x8xf32> -> tensor<1x1x8x8xf32> loc("/max")
  %mean = pico.reduce %x mean axes [2, 3] : tensor<1x3x8x8xf32> -> tensor<1x3xf32> loc("/mean")
  %batch = pico.reduce %x sum axes [0] : tensor<1x3x8x8xf32> -> tensor<3x8x8xf32> loc("/batch")
  %prelu = pico.prelu %x, %slope : tensor<1x3x8x8xf32>, tensor<3x1x1xf32> -> tensor<1x3x8x8xf32> loc("/prelu")
  return %max, %mean, %batch, %prelu : tensor<1x1x8x8xf32>, tensor<1x3xf32>, tensor<3x8x8xf32>, tensor<1x3x8x8xf32>
}
