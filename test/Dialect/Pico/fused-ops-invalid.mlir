// Every verifier and shape-inference error of the fused ops (conv2d's
// residual and input_upsample, channel_attention, separable_block), one
// case each.
// RUN: picosam-opt %s -split-input-file -verify-diagnostics

func.func @conv_residual_shape(%x: tensor<1x4x6x6xf32>, %w: tensor<8x4x1x1xf32>, %r: tensor<1x8x6x5xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'pico.conv2d' op residual must have the result's shape [1, 8, 6, 6], got [1, 8, 6, 5]}}
  %0 = pico.conv2d %x, %w residual %r : (tensor<1x4x6x6xf32>, tensor<8x4x1x1xf32>, tensor<1x8x6x5xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_residual_broadcast(%x: tensor<1x4x6x6xf32>, %w: tensor<8x4x1x1xf32>, %r: tensor<1x8x1x1xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'pico.conv2d' op residual must have the result's shape [1, 8, 6, 6], got [1, 8, 1, 1]}}
  %0 = pico.conv2d %x, %w residual %r : (tensor<1x4x6x6xf32>, tensor<8x4x1x1xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_upsample_zero(%x: tensor<1x4x6x6xf32>, %w: tensor<8x4x1x1xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'pico.conv2d' op 'input_upsample' must be >= 1, got 0}}
  %0 = pico.conv2d %x, %w {input_upsample = 0 : i64} : (tensor<1x4x6x6xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_upsample_shape(%x: tensor<1x4x6x6xf32>, %w: tensor<8x4x1x1xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'pico.conv2d' op result #0 has shape [1, 8, 6, 6] but the operands and attributes give [1, 8, 12, 12]}}
  %0 = pico.conv2d %x, %w {input_upsample = 2 : i64} : (tensor<1x4x6x6xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @channel_attention_rank(%x: tensor<4x5x5xf32>, %w: tensor<4x4x1x1xf32>) -> tensor<4x5x5xf32> {
  // expected-error @+1 {{'pico.channel_attention' op expects a 4-D NCHW input, got rank 3}}
  %0 = pico.channel_attention %x, %w : (tensor<4x5x5xf32>, tensor<4x4x1x1xf32>) -> tensor<4x5x5xf32>
  return %0 : tensor<4x5x5xf32>
}

// -----

func.func @channel_attention_weight(%x: tensor<1x4x5x5xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x5x5xf32> {
  // expected-error @+1 {{'pico.channel_attention' op weight must have shape [4, 4, 1, 1], got [4, 4, 3, 3]}}
  %0 = pico.channel_attention %x, %w : (tensor<1x4x5x5xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x5x5xf32>
  return %0 : tensor<1x4x5x5xf32>
}

// -----

func.func @channel_attention_bias(%x: tensor<1x4x5x5xf32>, %w: tensor<4x4x1x1xf32>, %b: tensor<5xf32>) -> tensor<1x4x5x5xf32> {
  // expected-error @+1 {{'pico.channel_attention' op bias must have shape [4], got [5]}}
  %0 = pico.channel_attention %x, %w, %b : (tensor<1x4x5x5xf32>, tensor<4x4x1x1xf32>, tensor<5xf32>) -> tensor<1x4x5x5xf32>
  return %0 : tensor<1x4x5x5xf32>
}

// -----

func.func @channel_attention_result(%x: tensor<1x4x5x5xf32>, %w: tensor<4x4x1x1xf32>) -> tensor<1x4x1x1xf32> {
  // expected-error @+1 {{'pico.channel_attention' op result #0 has shape [1, 4, 1, 1] but the operands and attributes give [1, 4, 5, 5]}}
  %0 = pico.channel_attention %x, %w : (tensor<1x4x5x5xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  return %0 : tensor<1x4x1x1xf32>
}

// -----

func.func @block_result_shape(%x: tensor<1x4x6x6xf32>, %wd: tensor<4x1x3x3xf32>, %wp: tensor<8x4x1x1xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'pico.separable_block' op result #0 has shape [1, 4, 6, 6] but the operands and attributes give [1, 8, 6, 6]}}
  %0 = pico.separable_block %x : tensor<1x4x6x6xf32> -> tensor<1x4x6x6xf32> {
  ^bb0(%in: tensor<1x4x6x6xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
    %pw = pico.conv2d %dw, %wp : (tensor<1x4x6x6xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x6x6xf32>
    pico.yield %pw : tensor<1x8x6x6xf32>
  }
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @block_argument_type(%x: tensor<1x4x6x6xf32>, %wd: tensor<4x1x3x3xf32>, %wp: tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'pico.separable_block' op body must have one argument, of the input's type 'tensor<1x4x6x6xf32>'}}
  %0 = pico.separable_block %x : tensor<1x4x6x6xf32> -> tensor<1x8x4x4xf32> {
  ^bb0(%in: tensor<1x4x4x4xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x4x4xf32>
    %pw = pico.conv2d %dw, %wp : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32>
    pico.yield %pw : tensor<1x8x4x4xf32>
  }
  return %0 : tensor<1x8x4x4xf32>
}

// -----

func.func @block_three_convs(%x: tensor<1x4x6x6xf32>, %wd: tensor<4x1x3x3xf32>, %wp: tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'pico.separable_block' op body must be a depthwise pico.conv2d, a pointwise pico.conv2d and pico.yield, got 4 ops}}
  %0 = pico.separable_block %x : tensor<1x4x6x6xf32> -> tensor<1x4x6x6xf32> {
  ^bb0(%in: tensor<1x4x6x6xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
    %pw = pico.conv2d %dw, %wp : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
    %pw2 = pico.conv2d %pw, %wp : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
    pico.yield %pw2 : tensor<1x4x6x6xf32>
  }
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @block_not_convs(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'pico.separable_block' op body must be a depthwise pico.conv2d, a pointwise pico.conv2d and pico.yield}}
  %0 = pico.separable_block %x : tensor<1x4x6x6xf32> -> tensor<1x4x6x6xf32> {
  ^bb0(%in: tensor<1x4x6x6xf32>):
    %a = pico.relu %in : tensor<1x4x6x6xf32> -> tensor<1x4x6x6xf32>
    %b = pico.relu %a : tensor<1x4x6x6xf32> -> tensor<1x4x6x6xf32>
    pico.yield %b : tensor<1x4x6x6xf32>
  }
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @block_not_depthwise(%x: tensor<1x4x6x6xf32>, %wd: tensor<4x2x3x3xf32>, %wp: tensor<8x4x1x1xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'pico.separable_block' op the first convolution must be depthwise: group 2 differs from its 4 input channels}}
  %0 = pico.separable_block %x : tensor<1x4x6x6xf32> -> tensor<1x8x6x6xf32> {
  ^bb0(%in: tensor<1x4x6x6xf32>):
    %dw = pico.conv2d %in, %wd {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
    %pw = pico.conv2d %dw, %wp : (tensor<1x4x6x6xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x6x6xf32>
    pico.yield %pw : tensor<1x8x6x6xf32>
  }
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @block_argument_used_twice(%x: tensor<1x4x6x6xf32>, %wd: tensor<4x1x3x3xf32>, %wp: tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'pico.separable_block' op the body's argument must be the depthwise convolution's input and nothing else}}
  %0 = pico.separable_block %x : tensor<1x4x6x6xf32> -> tensor<1x4x6x6xf32> {
  ^bb0(%in: tensor<1x4x6x6xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
    %pw = pico.conv2d %dw, %wp residual %in : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
    pico.yield %pw : tensor<1x4x6x6xf32>
  }
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @block_depthwise_residual(%x: tensor<1x4x6x6xf32>, %wd: tensor<4x1x3x3xf32>, %wp: tensor<8x4x1x1xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'pico.separable_block' op the depthwise convolution cannot have a residual}}
  %0 = pico.separable_block %x : tensor<1x4x6x6xf32> -> tensor<1x8x6x6xf32> {
  ^bb0(%in: tensor<1x4x6x6xf32>):
    %dw = pico.conv2d %in, %wd residual %x {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
    %pw = pico.conv2d %dw, %wp : (tensor<1x4x6x6xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x6x6xf32>
    pico.yield %pw : tensor<1x8x6x6xf32>
  }
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @block_depthwise_result_used_twice(%x: tensor<1x4x6x6xf32>, %wd: tensor<4x1x3x3xf32>, %wp: tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'pico.separable_block' op the depthwise result must be the pointwise convolution's input and nothing else}}
  %0 = pico.separable_block %x : tensor<1x4x6x6xf32> -> tensor<1x4x6x6xf32> {
  ^bb0(%in: tensor<1x4x6x6xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
    %pw = pico.conv2d %dw, %wp residual %dw : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
    pico.yield %pw : tensor<1x4x6x6xf32>
  }
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @block_not_pointwise(%x: tensor<1x4x6x6xf32>, %wd: tensor<4x1x3x3xf32>, %wp: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'pico.separable_block' op the second convolution must be pointwise: 1x1 kernel, unit strides, no pads, group 1, no input_upsample}}
  %0 = pico.separable_block %x : tensor<1x4x6x6xf32> -> tensor<1x8x6x6xf32> {
  ^bb0(%in: tensor<1x4x6x6xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
    %pw = pico.conv2d %dw, %wp {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
    pico.yield %pw : tensor<1x8x6x6xf32>
  }
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @block_pointwise_upsample(%x: tensor<1x4x6x6xf32>, %wd: tensor<4x1x3x3xf32>, %wp: tensor<8x4x1x1xf32>) -> tensor<1x8x12x12xf32> {
  // expected-error @+1 {{'pico.separable_block' op the second convolution must be pointwise}}
  %0 = pico.separable_block %x : tensor<1x4x6x6xf32> -> tensor<1x8x12x12xf32> {
  ^bb0(%in: tensor<1x4x6x6xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
    %pw = pico.conv2d %dw, %wp {input_upsample = 2 : i64} : (tensor<1x4x6x6xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x12x12xf32>
    pico.yield %pw : tensor<1x8x12x12xf32>
  }
  return %0 : tensor<1x8x12x12xf32>
}

// -----

func.func @block_yields_input(%x: tensor<1x4x6x6xf32>, %wd: tensor<4x1x3x3xf32>, %wp: tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'pico.separable_block' op the body must yield the pointwise result}}
  %0 = pico.separable_block %x : tensor<1x4x6x6xf32> -> tensor<1x4x6x6xf32> {
  ^bb0(%in: tensor<1x4x6x6xf32>):
    %dw = pico.conv2d %in, %wd {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
    %pw = pico.conv2d %dw, %wp : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
    pico.yield %x : tensor<1x4x6x6xf32>
  }
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @yield_outside_block(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'pico.yield' op expects parent op 'pico.separable_block'}}
  pico.yield %x : tensor<1x4x6x6xf32>
}
