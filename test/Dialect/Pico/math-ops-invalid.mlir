// Verifier and shape-inference errors of the element-wise math ops and
// pico.instance_norm, one case each.
// RUN: picosam-opt %s -split-input-file -verify-diagnostics

func.func @pow_exponent(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.pow' op pow exponent must be finite, got nan}}
  %0 = pico.pow %x {exponent = 0x7FC00000 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @elu_alpha(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.elu' op elu alpha must be finite, got -INF}}
  %0 = pico.elu %x {alpha = 0xFF800000 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @selu_gamma(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.selu' op selu gamma must be finite, got INF}}
  %0 = pico.selu %x {gamma = 0x7F800000 : f32} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @activation_attr_parameters(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{activation 'pow' needs exponent}}
  %0 = pico.add %x, %x {activation = #pico.act<pow>} : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @abs_shape(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'pico.abs' op}}
  %0 = pico.abs %x : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @max_broadcast(%x: tensor<2x3xf32>, %y: tensor<2x4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'pico.max' op}}
  %0 = pico.max %x, %y : tensor<2x3xf32>, tensor<2x4xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @instance_norm_rank(%x: tensor<2x4xf32>, %p: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'pico.instance_norm' op expects an input of rank >= 3 (N, C, D1, ...), got rank 2}}
  %0 = pico.instance_norm %x, %p, %p : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @instance_norm_scale(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf32>, %s: tensor<3xf32>) -> tensor<1x4x2x2xf32> {
  // expected-error @+1 {{'pico.instance_norm' op 'scale' must have shape [4], got [3]}}
  %0 = pico.instance_norm %x, %s, %p : (tensor<1x4x2x2xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

func.func @instance_norm_epsilon(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf32>) -> tensor<1x4x2x2xf32> {
  // expected-error @+1 {{'pico.instance_norm' op epsilon must be positive and finite, got -1.000000e+00}}
  %0 = pico.instance_norm %x, %p, %p {epsilon = -1.0 : f32} : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}
