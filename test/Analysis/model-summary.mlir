// RUN: picosam-opt %s --pico-model-summary -o /dev/null 2>&1 | FileCheck %s

// MACs: conv 8 x (3/1) x 3 x 3 per output element, 1x8x4x4 outputs = 128 * 27
// = 3456; gemm 1x10 outputs x 8 inputs = 80. Total 3536.
// Weights: 8*3*3*3 + 8 + 10*8 + 10 = 314 f32 elements = 1256 bytes.

// CHECK-LABEL: function @tiny
// CHECK-NEXT:   inputs:
// CHECK-NEXT:     image: tensor<1x3x4x4xf32>
// CHECK-NEXT:   outputs:
// CHECK-NEXT:     fc: tensor<1x10xf32>
// CHECK-NEXT:   ops: 9
// CHECK-NEXT:     pico.constant 4
// CHECK-NEXT:     pico.conv2d 1
// CHECK-NEXT:     pico.gemm 1
// CHECK-NEXT:     pico.global_avg_pool 1
// CHECK-NEXT:     pico.relu 1
// CHECK-NEXT:     pico.reshape 1
// CHECK-NEXT:   weights: 314 elements, 1256 bytes
// CHECK-NEXT:   MACs: 3536
func.func @tiny(%image: tensor<1x3x4x4xf32> loc("image")) -> tensor<1x10xf32> {
  %w = pico.constant dense<0.5> : tensor<8x3x3x3xf32>
  %b = pico.constant dense<0.1> : tensor<8xf32>
  %conv = pico.conv2d %image, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x4x4xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32> loc("conv")
  %relu = pico.relu %conv : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32> loc("relu")
  %pool = pico.global_avg_pool %relu : tensor<1x8x4x4xf32> -> tensor<1x8x1x1xf32> loc("pool")
  %flat = pico.reshape %pool : tensor<1x8x1x1xf32> -> tensor<1x8xf32> loc("flatten")
  %fw = pico.constant dense<0.2> : tensor<10x8xf32>
  %fb = pico.constant dense<0.0> : tensor<10xf32>
  %fc = pico.gemm %flat, %fw, %fb {trans_b = true} : (tensor<1x8xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<1x10xf32> loc("fc")
  return %fc : tensor<1x10xf32>
}

// Fused ops: a separable block's convolutions are counted as nested ops and
// their MACs included; channel attention counts its 1x1 convolution. The
// output goes by the last node the block merged.
// MACs: depthwise 2x4x4 outputs x 1 x 3 x 3 = 288; pointwise 3x4x4 x 2 = 96;
// channel attention 2x2 weights x batch 1 = 4. Total 388.
// CHECK-LABEL: function @fused
// CHECK-NEXT:   inputs:
// CHECK-NEXT:     x: tensor<1x2x4x4xf32>
// CHECK-NEXT:   outputs:
// CHECK-NEXT:     /pw/Conv: tensor<1x3x4x4xf32>
// CHECK-NEXT:   ops: 5
// CHECK-NEXT:     pico.constant 3
// CHECK-NEXT:     pico.channel_attention 1
// CHECK-NEXT:     pico.separable_block 1
// CHECK-NEXT:   nested ops: 2
// CHECK-NEXT:     pico.conv2d 2
// CHECK-NEXT:   weights: 28 elements, 112 bytes
// CHECK-NEXT:   MACs: 388
func.func @fused(%x: tensor<1x2x4x4xf32> loc("x")) -> tensor<1x3x4x4xf32> {
  %wa = pico.constant dense<0.5> : tensor<2x2x1x1xf32>
  %wd = pico.constant dense<1.0> : tensor<2x1x3x3xf32>
  %wp = pico.constant dense<1.0> : tensor<3x2x1x1xf32>
  %0 = pico.channel_attention %x, %wa : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = pico.separable_block %0 : tensor<1x2x4x4xf32> -> tensor<1x3x4x4xf32> {
  ^bb0(%in: tensor<1x2x4x4xf32>):
    %dw = pico.conv2d %in, %wd {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x4x4xf32>
    %pw = pico.conv2d %dw, %wp : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
    pico.yield %pw : tensor<1x3x4x4xf32>
  } loc(fused["/dw/Conv", "/pw/Conv"])
  return %1 : tensor<1x3x4x4xf32>
}
