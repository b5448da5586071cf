// Every rule the integer semantics of docs/quantization.md put on a
// quantized op's types and shapes, one case each: the verifier refuses what
// the integer kernels could not execute exactly.
// RUN: picosam-opt %s -split-input-file -verify-diagnostics

!q = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:4>

//===----------------------------------------------------------------------===//
// pico.conv2d
//===----------------------------------------------------------------------===//

func.func @conv_input_per_axis(%x: tensor<1x2x4x4x!quant.uniform<i8:f32:1, {0.5, 0.25}>>, %w: tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32, 0.1>>) -> tensor<1x2x4x4x!qy> {
  // expected-error @+1 {{'pico.conv2d' op integer semantics need a per-tensor 8-bit !quant.uniform input, got 'tensor<1x2x4x4x!quant.uniform<i8:f32:1, {5.000000e-01,2.500000e-01}>>'}}
  %0 = pico.conv2d %x, %w : (tensor<1x2x4x4x!quant.uniform<i8:f32:1, {0.5, 0.25}>>, tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32, 0.1>>) -> tensor<1x2x4x4x!qy>
  return %0 : tensor<1x2x4x4x!qy>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>

func.func @conv_float_result(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32, 0.1>>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'pico.conv2d' op integer semantics need a per-tensor 8-bit !quant.uniform result, got 'tensor<1x2x4x4xf32>'}}
  %0 = pico.conv2d %x, %w : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32, 0.1>>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>

func.func @conv_16_bit_result(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32, 0.1>>) -> tensor<1x2x4x4x!quant.uniform<i16:f32, 0.5>> {
  // expected-error @+1 {{'pico.conv2d' op integer semantics need a per-tensor 8-bit !quant.uniform result, got 'tensor<1x2x4x4x!quant.uniform<i16:f32, 5.000000e-01>>'}}
  %0 = pico.conv2d %x, %w : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32, 0.1>>) -> tensor<1x2x4x4x!quant.uniform<i16:f32, 0.5>>
  return %0 : tensor<1x2x4x4x!quant.uniform<i16:f32, 0.5>>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:4>

func.func @conv_float_weight(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x4x4x!qy> {
  // expected-error @+1 {{'pico.conv2d' op weight 'tensor<2x2x1x1xf32>': integer semantics need signed 8-bit !quant.uniform weights}}
  %0 = pico.conv2d %x, %w : (tensor<1x2x4x4x!q>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4x!qy>
  return %0 : tensor<1x2x4x4x!qy>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:4>

func.func @conv_unsigned_weight(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!quant.uniform<u8:f32, 0.1>>) -> tensor<1x2x4x4x!qy> {
  // expected-error @+1 {{'pico.conv2d' op weight 'tensor<2x2x1x1x!quant.uniform<u8:f32, 1.000000e-01>>': integer semantics need signed 8-bit !quant.uniform weights}}
  %0 = pico.conv2d %x, %w : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!quant.uniform<u8:f32, 0.1>>) -> tensor<1x2x4x4x!qy>
  return %0 : tensor<1x2x4x4x!qy>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:4>

func.func @conv_asymmetric_weight(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!quant.uniform<i8:f32, 0.1:2>>) -> tensor<1x2x4x4x!qy> {
  // expected-error @+1 {{'pico.conv2d' op weight 'tensor<2x2x1x1x!quant.uniform<i8:f32, 1.000000e-01:2>>': weights are symmetric (zero point 0)}}
  %0 = pico.conv2d %x, %w : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!quant.uniform<i8:f32, 0.1:2>>) -> tensor<1x2x4x4x!qy>
  return %0 : tensor<1x2x4x4x!qy>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:4>

func.func @conv_asymmetric_channel(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.1, 0.2:1}>>) -> tensor<1x2x4x4x!qy> {
  // expected-error @+1 {{'pico.conv2d' op weight 'tensor<2x2x1x1x!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01:1}>>': weights are symmetric (zero points 0)}}
  %0 = pico.conv2d %x, %w : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.1, 0.2:1}>>) -> tensor<1x2x4x4x!qy>
  return %0 : tensor<1x2x4x4x!qy>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:4>

// Per input channel (axis 1) is not per output channel.
func.func @conv_weight_axis(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!quant.uniform<i8:f32:1, {0.1, 0.2}>>) -> tensor<1x2x4x4x!qy> {
  // expected-error @+1 {{'pico.conv2d' op weight 'tensor<2x2x1x1x!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01}>>': weights are quantized per tensor or per output channel (axis 0)}}
  %0 = pico.conv2d %x, %w : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!quant.uniform<i8:f32:1, {0.1, 0.2}>>) -> tensor<1x2x4x4x!qy>
  return %0 : tensor<1x2x4x4x!qy>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:4>

func.func @conv_weight_scale_count(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>>) -> tensor<1x2x4x4x!qy> {
  // expected-error @+1 {{'pico.conv2d' op weight 'tensor<2x2x1x1x!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01,3.000000e-01}>>': weights are quantized per tensor or per output channel (axis 0)}}
  %0 = pico.conv2d %x, %w : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>>) -> tensor<1x2x4x4x!qy>
  return %0 : tensor<1x2x4x4x!qy>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.0625}>
!qy = !quant.uniform<i8:f32, 0.25:4>

func.func @conv_float_bias(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!qw>, %b: tensor<2xf32>) -> tensor<1x2x4x4x!qy> {
  // expected-error @+1 {{'pico.conv2d' op bias 'tensor<2xf32>': integer semantics need a signed 32-bit !quant.uniform bias}}
  %0 = pico.conv2d %x, %w, %b : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!qw>, tensor<2xf32>) -> tensor<1x2x4x4x!qy>
  return %0 : tensor<1x2x4x4x!qy>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.0625}>
!qy = !quant.uniform<i8:f32, 0.25:4>

func.func @conv_8_bit_bias(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!qw>, %b: tensor<2x!quant.uniform<i8:f32:0, {0.125, 0.03125}>>) -> tensor<1x2x4x4x!qy> {
  // expected-error @+1 {{'pico.conv2d' op bias 'tensor<2x!quant.uniform<i8:f32:0, {1.250000e-01,3.125000e-02}>>': integer semantics need a signed 32-bit !quant.uniform bias}}
  %0 = pico.conv2d %x, %w, %b : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!qw>, tensor<2x!quant.uniform<i8:f32:0, {0.125, 0.03125}>>) -> tensor<1x2x4x4x!qy>
  return %0 : tensor<1x2x4x4x!qy>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.0625}>
!qy = !quant.uniform<i8:f32, 0.25:4>

// The bias joins the accumulator as is: channel 1 needs 0.5 x 0.0625.
func.func @conv_bias_scale(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!qw>, %b: tensor<2x!quant.uniform<i32:f32:0, {0.125, 0.0625}>>) -> tensor<1x2x4x4x!qy> {
  // expected-error @+1 {{'pico.conv2d' op bias channel 1 has scale 6.250000e-02 and zero point 0; the accumulator needs scale 3.125000e-02 (input scale x weight scale) and zero point 0}}
  %0 = pico.conv2d %x, %w, %b : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!qw>, tensor<2x!quant.uniform<i32:f32:0, {0.125, 0.0625}>>) -> tensor<1x2x4x4x!qy>
  return %0 : tensor<1x2x4x4x!qy>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:4>

// The scale is right to 1e-6 (relative), the zero point is not 0.
func.func @conv_bias_zero_point(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32, 0.25>>, %b: tensor<2x!quant.uniform<i32:f32, 0.1250001:5>>) -> tensor<1x2x4x4x!qy> {
  // expected-error @+1 {{'pico.conv2d' op bias channel 0 has scale 1.250001e-01 and zero point 5; the accumulator needs scale 1.250000e-01 (input scale x weight scale) and zero point 0}}
  %0 = pico.conv2d %x, %w, %b : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32, 0.25>>, tensor<2x!quant.uniform<i32:f32, 0.1250001:5>>) -> tensor<1x2x4x4x!qy>
  return %0 : tensor<1x2x4x4x!qy>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.0625}>
!qy = !quant.uniform<i8:f32, 0.25:4>

func.func @conv_bias_scale_count(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!qw>, %b: tensor<2x!quant.uniform<i32:f32:0, {0.125, 0.03125, 1.0}>>) -> tensor<1x2x4x4x!qy> {
  // expected-error @+1 {{'pico.conv2d' op bias 'tensor<2x!quant.uniform<i32:f32:0, {1.250000e-01,3.125000e-02,1.000000e+00}>>' must be quantized per tensor or along axis 0}}
  %0 = pico.conv2d %x, %w, %b : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!qw>, tensor<2x!quant.uniform<i32:f32:0, {0.125, 0.03125, 1.0}>>) -> tensor<1x2x4x4x!qy>
  return %0 : tensor<1x2x4x4x!qy>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qy = !quant.uniform<i8:f32, 0.25:4>

func.func @conv_float_residual(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!qw>, %r: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4x!qy> {
  // expected-error @+1 {{'pico.conv2d' op integer semantics need a per-tensor 8-bit !quant.uniform residual, got 'tensor<1x2x4x4xf32>'}}
  %0 = pico.conv2d %x, %w residual %r : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!qw>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4x!qy>
  return %0 : tensor<1x2x4x4x!qy>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32, 1.0e-6>
!qy = !quant.uniform<i8:f32, 0.25:4>

// The residual joins the accumulator (scale 5e-7) through MBQM, whose left
// shift would saturate for a residual at scale 1000: 255 x 2^31 >= 2^31.
func.func @conv_residual_scale(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!qw>, %r: tensor<1x2x4x4x!quant.uniform<i8:f32, 1000.0>>) -> tensor<1x2x4x4x!qy> {
  // expected-error @+1 {{'pico.conv2d' op residual scale 1.000000e+03 is too large for the accumulator scale 5.000000e-07}}
  %0 = pico.conv2d %x, %w residual %r : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!qw>, tensor<1x2x4x4x!quant.uniform<i8:f32, 1000.0>>) -> tensor<1x2x4x4x!qy>
  return %0 : tensor<1x2x4x4x!qy>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qy = !quant.uniform<i8:f32, 0.25:4>

// Only relu and clip are clamps of the integer result.
func.func @conv_activation(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!qw>) -> tensor<1x2x4x4x!qy> {
  // expected-error @+1 {{'pico.conv2d' op fused activation #pico.act<sigmoid> is not a clamp; a quantized op fuses only relu and clip (others are separate table ops)}}
  %0 = pico.conv2d %x, %w {activation = #pico.act<sigmoid>} : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!qw>) -> tensor<1x2x4x4x!qy>
  return %0 : tensor<1x2x4x4x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-128>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qy = !quant.uniform<i8:f32, 0.25:4>

// 1024 x 9 x 9 = 82944 products of |x - z| <= 255 and |w| <= 128: the
// bound, 82944 x 32640, is past 2^31 - 1 (65793 taps is the most).
func.func @conv_accumulator(%x: tensor<1x1024x9x9x!qx>, %w: tensor<1x1024x9x9x!qw>) -> tensor<1x1x1x1x!qy> {
  // expected-error @+1 {{'pico.conv2d' op sums 82944 products per output of magnitude up to 32640: the int32 accumulator could overflow (82944 x 32640 > 2^31 - 1)}}
  %0 = pico.conv2d %x, %w : (tensor<1x1024x9x9x!qx>, tensor<1x1024x9x9x!qw>) -> tensor<1x1x1x1x!qy>
  return %0 : tensor<1x1x1x1x!qy>
}

//===----------------------------------------------------------------------===//
// pico.add, pico.sub, pico.mul
//===----------------------------------------------------------------------===//

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>

func.func @add_16_bit_lhs(%a: tensor<4x!quant.uniform<i16:f32, 0.5>>, %b: tensor<4x!q>) -> tensor<4x!q> {
  // expected-error @+1 {{'pico.add' op integer semantics need a per-tensor 8-bit !quant.uniform lhs, got 'tensor<4x!quant.uniform<i16:f32, 5.000000e-01>>'}}
  %0 = pico.add %a, %b : tensor<4x!quant.uniform<i16:f32, 0.5>>, tensor<4x!q> -> tensor<4x!q>
  return %0 : tensor<4x!q>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>

func.func @sub_activation(%a: tensor<4x!q>, %b: tensor<4x!q>) -> tensor<4x!q> {
  // expected-error @+1 {{'pico.sub' op fused activation #pico.act<tanh> is not a clamp; a quantized op fuses only relu and clip (others are separate table ops)}}
  %0 = pico.sub %a, %b {activation = #pico.act<tanh>} : tensor<4x!q>, tensor<4x!q> -> tensor<4x!q>
  return %0 : tensor<4x!q>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>

func.func @mul_float_rhs(%a: tensor<4x!q>, %b: tensor<4xf32>) -> tensor<4x!q> {
  // expected-error @+1 {{'pico.mul' op integer semantics need a per-tensor 8-bit !quant.uniform rhs, got 'tensor<4xf32>'}}
  %0 = pico.mul %a, %b : tensor<4x!q>, tensor<4xf32> -> tensor<4x!q>
  return %0 : tensor<4x!q>
}

//===----------------------------------------------------------------------===//
// Activations (tables)
//===----------------------------------------------------------------------===//

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>

func.func @sigmoid_float_result(%x: tensor<4x!q>) -> tensor<4xf32> {
  // expected-error @+1 {{'pico.sigmoid' op integer semantics need a per-tensor 8-bit !quant.uniform result, got 'tensor<4xf32>'}}
  %0 = pico.sigmoid %x : tensor<4x!q> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A table has one entry per input storage value: 8-bit inputs only.
func.func @relu_16_bit(%x: tensor<4x!quant.uniform<i16:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{'pico.relu' op integer semantics need a per-tensor 8-bit !quant.uniform input, got 'tensor<4x!quant.uniform<i16:f32, 5.000000e-01>>'}}
  %0 = pico.relu %x : tensor<4x!quant.uniform<i16:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

//===----------------------------------------------------------------------===//
// Pools, resize, concat, reshape, transpose
//===----------------------------------------------------------------------===//

// -----

!qx = !quant.uniform<i8:f32, 0.5:-128>
!q = !quant.uniform<i8:f32, 0.5:-3>

// 4096 x 4096 values of |x - z| <= 255 sum past 2^31 - 1.
func.func @global_avg_pool_accumulator(%x: tensor<1x1x4096x4096x!qx>) -> tensor<1x1x1x1x!q> {
  // expected-error @+1 {{'pico.global_avg_pool' op sums 16777216 input values per average of magnitude up to 255: the int32 accumulator could overflow (16777216 x 255 > 2^31 - 1)}}
  %0 = pico.global_avg_pool %x : tensor<1x1x4096x4096x!qx> -> tensor<1x1x1x1x!q>
  return %0 : tensor<1x1x1x1x!q>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>

func.func @global_avg_pool_float_result(%x: tensor<1x2x4x4x!q>) -> tensor<1x2x1x1xf32> {
  // expected-error @+1 {{'pico.global_avg_pool' op integer semantics need a per-tensor 8-bit !quant.uniform result, got 'tensor<1x2x1x1xf32>'}}
  %0 = pico.global_avg_pool %x : tensor<1x2x4x4x!q> -> tensor<1x2x1x1xf32>
  return %0 : tensor<1x2x1x1xf32>
}

// -----

!qx = !quant.uniform<u8:f32, 0.5>
!q = !quant.uniform<i8:f32, 0.5:-3>

// A 3000 x 3000 window of u8 values (|x - 0| <= 255).
func.func @avg_pool_accumulator(%x: tensor<1x1x3000x3000x!qx>) -> tensor<1x1x1x1x!q> {
  // expected-error @+1 {{'pico.avg_pool' op sums 9000000 input values per average of magnitude up to 255: the int32 accumulator could overflow (9000000 x 255 > 2^31 - 1)}}
  %0 = pico.avg_pool %x {kernel_shape = array<i64: 3000, 3000>} : tensor<1x1x3000x3000x!qx> -> tensor<1x1x1x1x!q>
  return %0 : tensor<1x1x1x1x!q>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>

func.func @max_pool_16_bit_result(%x: tensor<1x1x4x4x!q>) -> tensor<1x1x2x2x!quant.uniform<i16:f32, 0.5>> {
  // expected-error @+1 {{'pico.max_pool' op integer semantics need a per-tensor 8-bit !quant.uniform result, got 'tensor<1x1x2x2x!quant.uniform<i16:f32, 5.000000e-01>>'}}
  %0 = pico.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x4x4x!q> -> tensor<1x1x2x2x!quant.uniform<i16:f32, 0.5>>
  return %0 : tensor<1x1x2x2x!quant.uniform<i16:f32, 0.5>>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>

func.func @resize_linear(%x: tensor<1x1x2x2x!q>) -> tensor<1x1x4x4x!q> {
  // expected-error @+1 {{'pico.resize' op integer semantics are defined for nearest resizing only}}
  %0 = pico.resize %x {mode = #pico<resize_mode linear>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x1x2x2x!q> -> tensor<1x1x4x4x!q>
  return %0 : tensor<1x1x4x4x!q>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>

func.func @concat_float_input(%a: tensor<1x2x!q>, %b: tensor<1x3xf32>) -> tensor<1x5x!q> {
  // expected-error @+1 {{'pico.concat' op integer semantics need a per-tensor 8-bit !quant.uniform input #1, got 'tensor<1x3xf32>'}}
  %0 = pico.concat %a, %b {axis = 1 : i64} : (tensor<1x2x!q>, tensor<1x3xf32>) -> tensor<1x5x!q>
  return %0 : tensor<1x5x!q>
}

// -----

!qa = !quant.uniform<i8:f32:0, {0.5, 0.25}>

// A per-axis quantization would not follow its axis through a reshape.
func.func @reshape_per_axis(%x: tensor<2x3x!qa>) -> tensor<3x2x!qa> {
  // expected-error @+1 {{'pico.reshape' op moves storage values unchanged, which keeps a per-tensor !quant.uniform only, got '!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>'}}
  %0 = pico.reshape %x : tensor<2x3x!qa> -> tensor<3x2x!qa>
  return %0 : tensor<3x2x!qa>
}

// -----

!qa = !quant.uniform<i8:f32:1, {0.5, 0.25}>

func.func @transpose_per_axis(%x: tensor<2x2x!qa>) -> tensor<2x2x!qa> {
  // expected-error @+1 {{'pico.transpose' op moves storage values unchanged, which keeps a per-tensor !quant.uniform only, got '!quant.uniform<i8:f32:1, {5.000000e-01,2.500000e-01}>'}}
  %0 = pico.transpose %x {perm = array<i64: 1, 0>} : tensor<2x2x!qa> -> tensor<2x2x!qa>
  return %0 : tensor<2x2x!qa>
}

//===----------------------------------------------------------------------===//
// pico.channel_attention
//===----------------------------------------------------------------------===//

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>

func.func @attention_intermediate_types(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!qw>) -> tensor<1x2x4x4x!q> {
  // expected-error @+1 {{'pico.channel_attention' op a quantized channel_attention needs mean_type and logits_type}}
  %0 = pico.channel_attention %x, %w : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!qw>) -> tensor<1x2x4x4x!q>
  return %0 : tensor<1x2x4x4x!q>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>

func.func @attention_mean_type(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!qw>) -> tensor<1x2x4x4x!q> {
  // expected-error @+1 {{'pico.channel_attention' op integer semantics need a per-tensor 8-bit !quant.uniform mean_type, got '!quant.uniform<i32:f32, 5.000000e-01>'}}
  %0 = pico.channel_attention %x, %w {mean_type = !quant.uniform<i32:f32, 0.5>, logits_type = !q} : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!qw>) -> tensor<1x2x4x4x!q>
  return %0 : tensor<1x2x4x4x!q>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>

func.func @attention_asymmetric_weight(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25:1>>) -> tensor<1x2x4x4x!q> {
  // expected-error @+1 {{'pico.channel_attention' op weight 'tensor<2x2x1x1x!quant.uniform<i8:f32, 2.500000e-01:1>>': weights are symmetric (zero point 0)}}
  %0 = pico.channel_attention %x, %w {mean_type = !q, logits_type = !q} : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25:1>>) -> tensor<1x2x4x4x!q>
  return %0 : tensor<1x2x4x4x!q>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>

// The bias is at the mean's scale x the weight's: 0.25 x 0.25, not the
// input's 0.5 x 0.25.
func.func @attention_bias_scale(%x: tensor<1x2x4x4x!q>, %w: tensor<2x2x1x1x!qw>, %b: tensor<2x!quant.uniform<i32:f32, 0.125>>) -> tensor<1x2x4x4x!q> {
  // expected-error @+1 {{'pico.channel_attention' op bias channel 0 has scale 1.250000e-01 and zero point 0; the accumulator needs scale 6.250000e-02 (mean scale x weight scale) and zero point 0}}
  %0 = pico.channel_attention %x, %w, %b {mean_type = !quant.uniform<i8:f32, 0.25>, logits_type = !q} : (tensor<1x2x4x4x!q>, tensor<2x2x1x1x!qw>, tensor<2x!quant.uniform<i32:f32, 0.125>>) -> tensor<1x2x4x4x!q>
  return %0 : tensor<1x2x4x4x!q>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-128>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>

func.func @attention_mean_accumulator(%x: tensor<1x2x4096x4096x!qx>, %w: tensor<2x2x1x1x!qw>) -> tensor<1x2x4096x4096x!qx> {
  // expected-error @+1 {{'pico.channel_attention' op sums 16777216 input values per mean of magnitude up to 255: the int32 accumulator could overflow (16777216 x 255 > 2^31 - 1)}}
  %0 = pico.channel_attention %x, %w {mean_type = !qx, logits_type = !qx} : (tensor<1x2x4096x4096x!qx>, tensor<2x2x1x1x!qw>) -> tensor<1x2x4096x4096x!qx>
  return %0 : tensor<1x2x4096x4096x!qx>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-128>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>

func.func @attention_logit_accumulator(%x: tensor<1x65794x1x1x!qx>, %w: tensor<65794x65794x1x1x!qw>) -> tensor<1x65794x1x1x!qx> {
  // expected-error @+1 {{'pico.channel_attention' op sums 65794 products per logit of magnitude up to 32640: the int32 accumulator could overflow (65794 x 32640 > 2^31 - 1)}}
  %0 = pico.channel_attention %x, %w {mean_type = !qx, logits_type = !qx} : (tensor<1x65794x1x1x!qx>, tensor<65794x65794x1x1x!qw>) -> tensor<1x65794x1x1x!qx>
  return %0 : tensor<1x65794x1x1x!qx>
}

// -----

func.func @attention_float_with_types(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'pico.channel_attention' op 'mean_type' and 'logits_type' are the intermediate types of a quantized channel_attention; a float one has neither}}
  %0 = pico.channel_attention %x, %w {mean_type = !quant.uniform<i8:f32, 0.5>, logits_type = !quant.uniform<i8:f32, 0.5>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

//===----------------------------------------------------------------------===//
// Ops without integer semantics
//===----------------------------------------------------------------------===//

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>

func.func @softmax_quantized(%x: tensor<2x4x!q>) -> tensor<2x4x!q> {
  // expected-error @+1 {{'pico.softmax' op has no integer semantics (docs/quantization.md): its operands and results must be float; keep it between pico.dequantize and pico.quantize}}
  %0 = pico.softmax %x : tensor<2x4x!q> -> tensor<2x4x!q>
  return %0 : tensor<2x4x!q>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>

func.func @div_quantized_result(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4x!q> {
  // expected-error @+1 {{'pico.div' op has no integer semantics (docs/quantization.md): its operands and results must be float; keep it between pico.dequantize and pico.quantize}}
  %0 = pico.div %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4x!q>
  return %0 : tensor<4x!q>
}
