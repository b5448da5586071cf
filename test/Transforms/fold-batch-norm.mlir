// --pico-fold-batch-norm: batch_norm folds into the convolution before it
// (weights scaled per output channel, bias shifted or created); any other
// batch_norm becomes a per-channel scale and shift. The numbers stay.
// RUN: picosam-opt %s --pico-fold-batch-norm -o %t.mlir
// RUN: FileCheck %s < %t.mlir
// RUN: %python %S/Inputs/same_outputs.py --run picosam-run --work %t.d %s %t.mlir \
// RUN:   | FileCheck %s --check-prefix=SAME

// SAME: conv_bias: same
// SAME: conv_no_bias: same
// SAME: conv_second_user: same
// SAME: conv_with_activation: same
// SAME: no_conv: same
// SAME: rank2: same
// SAME: parameters_not_constant: same
// SAME: conv_transpose: same

// factor = scale / sqrt(variance + epsilon) = [2, 1]:
// w' = w * factor per output channel, b' = (b - mean) * factor + bias.
// CHECK-LABEL: func.func @conv_bias(
// CHECK-DAG: %[[W:.+]] = pico.constant dense<{{\[\[\[\[}}2.000000e+00]], {{\[\[}}4.000000e+00]]], {{\[\[\[}}3.000000e+00]], {{\[\[}}4.000000e+00]]]]> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B:.+]] = pico.constant dense<[0.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK:     %[[Y:.+]] = pico.conv2d %arg0, %[[W]], %[[B]] : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
// CHECK-NOT: pico.batch_norm
// CHECK:     return %[[Y]]
func.func @conv_bias(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = pico.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %b = pico.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %scale = pico.constant dense<[4.0, 1.0]> : tensor<2xf32>
  %shift = pico.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = pico.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = pico.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = pico.conv2d %x, %w, %b : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %1 = pico.batch_norm %0, %scale, %shift, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// A convolution without bias gets one: b' = shift - mean * factor. The
// window attributes stay.
// CHECK-LABEL: func.func @conv_no_bias(
// CHECK-DAG: %[[W:.+]] = pico.constant dense<{{\[\[\[\[}}2.000000e+00, 2.000000e+00, 2.000000e+00]
// CHECK-DAG: %[[B:.+]] = pico.constant dense<[-1.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK:     pico.conv2d %arg0, %[[W]], %[[B]] {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
// CHECK-NOT: pico.batch_norm
func.func @conv_no_bias(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = pico.constant dense<1.0> : tensor<2x1x3x3xf32>
  %scale = pico.constant dense<[4.0, 1.0]> : tensor<2xf32>
  %shift = pico.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = pico.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = pico.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = pico.conv2d %x, %w {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x3x3xf32>
  %1 = pico.batch_norm %0, %scale, %shift, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// Not folded: the convolution's result has a second user, which needs the
// unscaled values. The convolution keeps its weights; the batch_norm
// becomes a depthwise 1x1 scale and shift of it.
// CHECK-LABEL: func.func @conv_second_user(
// CHECK-DAG: %[[W:.+]] = pico.constant dense<1.000000e+00> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[F:.+]] = pico.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}1.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[S:.+]] = pico.constant dense<[-1.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK:     %[[C:.+]] = pico.conv2d %arg0, %[[W]] : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
// CHECK:     %[[N:.+]] = pico.conv2d %[[C]], %[[F]], %[[S]] {group = 2 : i64}
// CHECK:     return %[[N]], %[[C]]
func.func @conv_second_user(%x: tensor<1x2x3x3xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %w = pico.constant dense<1.0> : tensor<2x2x1x1xf32>
  %scale = pico.constant dense<[4.0, 1.0]> : tensor<2xf32>
  %shift = pico.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = pico.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = pico.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = pico.conv2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %1 = pico.batch_norm %0, %scale, %shift, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %1, %0 : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// Not folded: the activation comes between the convolution and the
// batch_norm.
// CHECK-LABEL: func.func @conv_with_activation(
// CHECK:     %[[C:.+]] = pico.conv2d %arg0, %{{.+}} {activation = #pico.act<relu>}
// CHECK:     pico.conv2d %[[C]], %{{.+}}, %{{.+}} {group = 2 : i64}
func.func @conv_with_activation(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = pico.constant dense<1.0> : tensor<2x2x1x1xf32>
  %scale = pico.constant dense<[4.0, 1.0]> : tensor<2xf32>
  %shift = pico.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = pico.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = pico.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = pico.conv2d %x, %w {activation = #pico.act<relu>} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %1 = pico.batch_norm %0, %scale, %shift, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// No convolution before it: NCHW becomes a depthwise 1x1 convolution.
// CHECK-LABEL: func.func @no_conv(
// CHECK-DAG: %[[F:.+]] = pico.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}1.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[S:.+]] = pico.constant dense<[-1.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK:     %[[Y:.+]] = pico.conv2d %arg0, %[[F]], %[[S]] {group = 2 : i64} : (tensor<1x2x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
// CHECK:     return %[[Y]]
func.func @no_conv(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %scale = pico.constant dense<[4.0, 1.0]> : tensor<2xf32>
  %shift = pico.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = pico.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = pico.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %1 = pico.batch_norm %x, %scale, %shift, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// Other ranks: mul and add with [1, C, 1, ...] constants.
// CHECK-LABEL: func.func @rank2(
// CHECK-DAG: %[[F:.+]] = pico.constant dense<{{\[\[}}2.000000e+00, 1.000000e+00]]> : tensor<1x2xf32>
// CHECK-DAG: %[[S:.+]] = pico.constant dense<{{\[\[}}-1.000000e+00, 0.000000e+00]]> : tensor<1x2xf32>
// CHECK:     %[[M:.+]] = pico.mul %arg0, %[[F]] : tensor<5x2xf32>, tensor<1x2xf32> -> tensor<5x2xf32>
// CHECK:     %[[A:.+]] = pico.add %[[M]], %[[S]] : tensor<5x2xf32>, tensor<1x2xf32> -> tensor<5x2xf32>
// CHECK:     return %[[A]]
func.func @rank2(%x: tensor<5x2xf32>) -> tensor<5x2xf32> {
  %scale = pico.constant dense<[4.0, 1.0]> : tensor<2xf32>
  %shift = pico.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = pico.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = pico.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %1 = pico.batch_norm %x, %scale, %shift, %mean, %var {epsilon = 1.0 : f32} : (tensor<5x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<5x2xf32>
  return %1 : tensor<5x2xf32>
}

// Parameters that are not constants: nothing to fold.
// CHECK-LABEL: func.func @parameters_not_constant(
// CHECK:     pico.batch_norm
func.func @parameters_not_constant(%x: tensor<1x2x3x3xf32>, %scale: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %shift = pico.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = pico.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = pico.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %1 = pico.batch_norm %x, %scale, %shift, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// A transposed convolution's weights are output channel first too: the
// same fold (here without a bias: b' = shift - mean * factor).
// CHECK-LABEL: func.func @conv_transpose(
// CHECK-DAG: %[[W:.+]] = pico.constant dense<{{\[\[\[\[}}2.000000e+00, 2.000000e+00], [2.000000e+00, 2.000000e+00]]], {{\[\[\[}}1.000000e+00, 1.000000e+00]
// CHECK-DAG: %[[B:.+]] = pico.constant dense<[-1.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK:     pico.conv_transpose2d %arg0, %[[W]], %[[B]] {strides = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32>
// CHECK-NOT: pico.batch_norm
func.func @conv_transpose(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x6x6xf32> {
  %w = pico.constant dense<1.0> : tensor<2x1x2x2xf32>
  %scale = pico.constant dense<[4.0, 1.0]> : tensor<2xf32>
  %shift = pico.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = pico.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = pico.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = pico.conv_transpose2d %x, %w {strides = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x2x6x6xf32>
  %1 = pico.batch_norm %0, %scale, %shift, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x6x6xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32>
  return %1 : tensor<1x2x6x6xf32>
}
