// The fused ops against PyTorch: a convolution reading its input through a
// nearest x2 upsample and adding a residual, channel attention, and a
// separable block (upsampling depthwise, pointwise with a residual).
// RUN: rm -rf %t && %python %S/Inputs/check_ops.py --tool picosam-run --ir %s --work %t \
// RUN:   conv_residual_upsample channel_attention separable_block | FileCheck %s

// The block's nested results are recorded by name, before the block's own.
// RUN: %python %S/Inputs/save.py %t/x.npy float32 1x2x1x1 1 -2
// RUN: picosam-run %s --entry=named_block -i %t/x.npy --dump=%t/dump.npz
// RUN: %python %S/Inputs/npz_summary.py %t/dump.npz | FileCheck %s --check-prefix=DUMP

// CHECK: conv_residual_upsample: ok
func.func @conv_residual_upsample(%x: tensor<1x3x5x4xf32>, %w: tensor<6x3x3x3xf32>, %b: tensor<6xf32>, %r: tensor<1x6x10x8xf32>) -> tensor<1x6x10x8xf32> {
  %0 = pico.conv2d %x, %w, %b residual %r {activation = #pico.act<relu>, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x5x4xf32>, tensor<6x3x3x3xf32>, tensor<6xf32>, tensor<1x6x10x8xf32>) -> tensor<1x6x10x8xf32>
  return %0 : tensor<1x6x10x8xf32>
}

// CHECK: channel_attention: ok
func.func @channel_attention(%x: tensor<2x4x5x6xf32>, %w: tensor<4x4x1x1xf32>, %b: tensor<4xf32>) -> tensor<2x4x5x6xf32> {
  %0 = pico.channel_attention %x, %w, %b : (tensor<2x4x5x6xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>) -> tensor<2x4x5x6xf32>
  return %0 : tensor<2x4x5x6xf32>
}

// CHECK: separable_block: ok
func.func @separable_block(%x: tensor<1x4x5x5xf32>, %wd: tensor<4x1x3x3xf32>, %bd: tensor<4xf32>, %wp: tensor<6x4x1x1xf32>, %bp: tensor<6xf32>, %r: tensor<1x6x10x10xf32>) -> tensor<1x6x10x10xf32> {
  %0 = pico.separable_block %x : tensor<1x4x5x5xf32> -> tensor<1x6x10x10xf32> {
  ^bb0(%in: tensor<1x4x5x5xf32>):
    %dw = pico.conv2d %in, %wd, %bd {activation = #pico.act<relu>, group = 4 : i64, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x5x5xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<1x4x10x10xf32>
    %pw = pico.conv2d %dw, %wp, %bp residual %r {activation = #pico.act<clip, min = 0.0, max = 6.0>} : (tensor<1x4x10x10xf32>, tensor<6x4x1x1xf32>, tensor<6xf32>, tensor<1x6x10x10xf32>) -> tensor<1x6x10x10xf32>
    pico.yield %pw : tensor<1x6x10x10xf32>
  }
  return %0 : tensor<1x6x10x10xf32>
}

// DUMP:      x float32 [1, 2, 1, 1] 1 -2
// DUMP-NEXT: /dw/Conv+/dw/Relu float32 [1, 2, 1, 1] 3 0
// DUMP-NEXT: /pw/Conv float32 [1, 1, 1, 1] 2
// DUMP-NEXT: /dw/Conv+/dw/Relu+/pw/Conv float32 [1, 1, 1, 1] 2
// DUMP-NEXT: /out/Add float32 [1, 1, 1, 1] 4
// DUMP-NOT: {{.}}
func.func @named_block(%x: tensor<1x2x1x1xf32> loc("x")) -> tensor<1x1x1x1xf32> {
  %wd = pico.constant dense<3.0> : tensor<2x1x1x1xf32>
  %wp = pico.constant dense<[[[[0.5]], [[7.0]]]]> : tensor<1x2x1x1xf32>
  %bp = pico.constant dense<0.5> : tensor<1xf32>
  %0 = pico.separable_block %x : tensor<1x2x1x1xf32> -> tensor<1x1x1x1xf32> {
  ^bb0(%in: tensor<1x2x1x1xf32>):
    %dw = pico.conv2d %in, %wd {activation = #pico.act<relu>, group = 2 : i64} : (tensor<1x2x1x1xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x1x1xf32> loc(fused["/dw/Conv", "/dw/Relu"])
    %pw = pico.conv2d %dw, %wp, %bp : (tensor<1x2x1x1xf32>, tensor<1x2x1x1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32> loc("/pw/Conv")
    pico.yield %pw : tensor<1x1x1x1xf32>
  } loc(fused["/dw/Conv", "/dw/Relu", "/pw/Conv"])
  %1 = pico.add %0, %0 : tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32> -> tensor<1x1x1x1xf32> loc("/out/Add")
  return %1 : tensor<1x1x1x1xf32>
}
