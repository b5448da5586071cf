// Quantized ops the verifier accepts: every op with integer semantics in the
// forms picosam's quantization and --pico-fold-qdq make, and the edges of
// each rule (quantized-invalid.mlir has the other side of each).
// RUN: picosam-opt %s -split-input-file | FileCheck %s

!qx = !quant.uniform<i8:f32, 0.5:-128>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.0625}>
!qb = !quant.uniform<i32:f32:0, {0.125, 0.03125}>
!qy = !quant.uniform<i8:f32, 0.1:10>
!qr = !quant.uniform<u8:f32, 0.25>

// Per output channel weights and biases, a residual of another type, a
// clip; a per-tensor weight and bias (a QDQ model's) whose scale is
// 0.5 x 0.1 rounded to float32 (0.05000000074505806), within 1e-6 of the
// accumulator's.
// CHECK-LABEL: func.func @conv
// CHECK-COUNT-3: pico.conv2d
func.func @conv(%x: tensor<1x3x4x4x!qx>, %w: tensor<2x3x1x1x!qw>, %b: tensor<2x!qb>, %r: tensor<1x2x4x4x!qr>,
                %wt: tensor<2x3x3x3x!quant.uniform<i8:f32, 0.1>>, %bt: tensor<2x!quant.uniform<i32:f32, 0.05000000074505806>>)
    -> (tensor<1x2x4x4x!qy>, tensor<1x2x4x4x!qy>, tensor<1x2x4x4x!qy>) {
  %0 = pico.conv2d %x, %w, %b residual %r {activation = #pico.act<clip, min = 0.0, max = 6.0>} : (tensor<1x3x4x4x!qx>, tensor<2x3x1x1x!qw>, tensor<2x!qb>, tensor<1x2x4x4x!qr>) -> tensor<1x2x4x4x!qy>
  %1 = pico.conv2d %x, %wt, %bt {activation = #pico.act<relu>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x4x4x!qx>, tensor<2x3x3x3x!quant.uniform<i8:f32, 0.1>>, tensor<2x!quant.uniform<i32:f32, 0.05000000074505806>>) -> tensor<1x2x4x4x!qy>
  %2 = pico.conv2d %x, %w {input_upsample = 2 : i64, strides = array<i64: 2, 2>} : (tensor<1x3x4x4x!qx>, tensor<2x3x1x1x!qw>) -> tensor<1x2x4x4x!qy>
  return %0, %1, %2 : tensor<1x2x4x4x!qy>, tensor<1x2x4x4x!qy>, tensor<1x2x4x4x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-128>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qy = !quant.uniform<i8:f32, 0.1:10>

// 65793 products of magnitude 255 x 128 is the most an int32 holds.
// CHECK-LABEL: func.func @conv_accumulator_bound
func.func @conv_accumulator_bound(%x: tensor<1x65793x1x1x!qx>, %w: tensor<1x65793x1x1x!qw>) -> tensor<1x1x1x1x!qy> {
  %0 = pico.conv2d %x, %w : (tensor<1x65793x1x1x!qx>, tensor<1x65793x1x1x!qw>) -> tensor<1x1x1x1x!qy>
  return %0 : tensor<1x1x1x1x!qy>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:-3>
!qb = !quant.uniform<u8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 0.1:10>

// Operands of different types, broadcast, with clamps.
// CHECK-LABEL: func.func @binary
// CHECK: pico.add
// CHECK: pico.sub
// CHECK: pico.mul
func.func @binary(%a: tensor<2x3x!qa>, %b: tensor<3x!qb>) -> (tensor<2x3x!qy>, tensor<2x3x!qy>, tensor<2x3x!qy>) {
  %0 = pico.add %a, %b {activation = #pico.act<relu>} : tensor<2x3x!qa>, tensor<3x!qb> -> tensor<2x3x!qy>
  %1 = pico.sub %a, %b : tensor<2x3x!qa>, tensor<3x!qb> -> tensor<2x3x!qy>
  %2 = pico.mul %a, %b {activation = #pico.act<clip, min = -1.0, max = 1.0>} : tensor<2x3x!qa>, tensor<3x!qb> -> tensor<2x3x!qy>
  return %0, %1, %2 : tensor<2x3x!qy>, tensor<2x3x!qy>, tensor<2x3x!qy>
}

// -----

!qa = !quant.uniform<i8:f32, 0.0625>
!qs = !quant.uniform<u8:f32, 0.00390625>
!qh = !quant.uniform<i8:f32, 0.05:-20>

// Every standalone activation is a table between any two 8-bit types.
// CHECK-LABEL: func.func @tables
// CHECK-COUNT-7: pico.
func.func @tables(%x: tensor<4x!qa>) -> (tensor<4x!qs>, tensor<4x!qa>, tensor<4x!qh>, tensor<4x!qh>, tensor<4x!qs>, tensor<4x!qh>, tensor<4x!qh>) {
  %0 = pico.sigmoid %x : tensor<4x!qa> -> tensor<4x!qs>
  %1 = pico.relu %x : tensor<4x!qa> -> tensor<4x!qa>
  %2 = pico.clip %x {min = 0.0 : f32, max = 6.0 : f32} : tensor<4x!qa> -> tensor<4x!qh>
  %3 = pico.leaky_relu %x : tensor<4x!qa> -> tensor<4x!qh>
  %4 = pico.hard_sigmoid %x : tensor<4x!qa> -> tensor<4x!qs>
  %5 = pico.hard_swish %x : tensor<4x!qa> -> tensor<4x!qh>
  %6 = pico.tanh %x : tensor<4x!qa> -> tensor<4x!qh>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4x!qs>, tensor<4x!qa>, tensor<4x!qh>, tensor<4x!qh>, tensor<4x!qs>, tensor<4x!qh>, tensor<4x!qh>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-128>
!qy = !quant.uniform<i8:f32, 0.1:10>
!qz = !quant.uniform<u8:f32, 0.25>

// Averages of the most values an int32 sum holds (8421504 x 255 <= 2^31 -
// 1); a max_pool, a resize and a concat that rescale to another type.
// CHECK-LABEL: func.func @moves
// CHECK: pico.global_avg_pool
// CHECK: pico.avg_pool
// CHECK: pico.max_pool
// CHECK: pico.resize
// CHECK: pico.concat
// CHECK: pico.reshape
// CHECK: pico.transpose
func.func @moves(%big: tensor<1x1x8421504x1x!qx>, %x: tensor<1x2x4x4x!qx>, %z: tensor<1x1x4x4x!qz>)
    -> (tensor<1x1x1x1x!qy>, tensor<1x2x2x2x!qy>, tensor<1x2x2x2x!qz>, tensor<1x2x8x8x!qy>, tensor<1x3x4x4x!qy>, tensor<2x16x!qx>, tensor<1x4x4x2x!qx>) {
  %0 = pico.global_avg_pool %big : tensor<1x1x8421504x1x!qx> -> tensor<1x1x1x1x!qy>
  %1 = pico.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4x!qx> -> tensor<1x2x2x2x!qy>
  %2 = pico.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4x!qx> -> tensor<1x2x2x2x!qz>
  %3 = pico.resize %x {mode = #pico<resize_mode nearest>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x2x4x4x!qx> -> tensor<1x2x8x8x!qy>
  %4 = pico.concat %x, %z {axis = 1 : i64} : (tensor<1x2x4x4x!qx>, tensor<1x1x4x4x!qz>) -> tensor<1x3x4x4x!qy>
  %5 = pico.reshape %x : tensor<1x2x4x4x!qx> -> tensor<2x16x!qx>
  %6 = pico.transpose %x {perm = array<i64: 0, 2, 3, 1>} : tensor<1x2x4x4x!qx> -> tensor<1x4x4x2x!qx>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<1x1x1x1x!qy>, tensor<1x2x2x2x!qy>, tensor<1x2x2x2x!qz>, tensor<1x2x8x8x!qy>, tensor<1x3x4x4x!qy>, tensor<2x16x!qx>, tensor<1x4x4x2x!qx>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-3>
!qm = !quant.uniform<i8:f32, 0.25>
!ql = !quant.uniform<i8:f32, 0.125:2>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5}>
!qb = !quant.uniform<i32:f32:0, {0.0625, 0.125}>

// The bias is at the mean's scale x the weight's.
// CHECK-LABEL: func.func @channel_attention
// CHECK: pico.channel_attention
func.func @channel_attention(%x: tensor<1x2x4x4x!qx>, %w: tensor<2x2x1x1x!qw>, %b: tensor<2x!qb>) -> tensor<1x2x4x4x!qx> {
  %0 = pico.channel_attention %x, %w, %b {mean_type = !qm, logits_type = !ql} : (tensor<1x2x4x4x!qx>, tensor<2x2x1x1x!qw>, tensor<2x!qb>) -> tensor<1x2x4x4x!qx>
  return %0 : tensor<1x2x4x4x!qx>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-3>
!qd = !quant.uniform<u8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 0.1:10>
!qwd = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5}>
!qwp = !quant.uniform<i8<-127:127>:f32:0, {0.125, 0.25, 0.5}>

// A separable block is checked through its two convolutions.
// CHECK-LABEL: func.func @separable_block
// CHECK: pico.separable_block
func.func @separable_block(%x: tensor<1x2x4x4x!qx>, %wd: tensor<2x1x3x3x!qwd>, %wp: tensor<3x2x1x1x!qwp>) -> tensor<1x3x4x4x!qy> {
  %0 = pico.separable_block %x : tensor<1x2x4x4x!qx> -> tensor<1x3x4x4x!qy> {
  ^bb0(%in: tensor<1x2x4x4x!qx>):
    %dw = pico.conv2d %in, %wd {activation = #pico.act<relu>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4x!qx>, tensor<2x1x3x3x!qwd>) -> tensor<1x2x4x4x!qd>
    %pw = pico.conv2d %dw, %wp : (tensor<1x2x4x4x!qd>, tensor<3x2x1x1x!qwp>) -> tensor<1x3x4x4x!qy>
    pico.yield %pw : tensor<1x3x4x4x!qy>
  }
  return %0 : tensor<1x3x4x4x!qy>
}

// -----

// The float boundaries take any uniform type, per tensor or per axis, of
// the float type they express; ops without integer semantics stay between
// them in float.
// CHECK-LABEL: func.func @boundaries
// CHECK: pico.softmax {{.*}} : tensor<2x3xf32> -> tensor<2x3xf32>
func.func @boundaries(%x: tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>> {
  %0 = pico.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<u8:f32, 0.05:128>>
  %1 = pico.dequantize %0 : tensor<2x3x!quant.uniform<u8:f32, 0.05:128>> -> tensor<2x3xf32>
  %2 = pico.softmax %1 : tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = pico.quantize %2 : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>
  return %3 : tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>
}
