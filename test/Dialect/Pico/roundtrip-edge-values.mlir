// Every attribute of every pico op, with edge values, through the printer
// and the parser (docs/architecture.md, "Text round trip"):
// - what is parsed is what the source says: the CHECK lines are the first
//   print, and the second set goes through the generic form first;
// - print -> parse -> print is a fixed point, in the custom and in the
//   generic form (diff);
// - the executable functions give the same tensors, bit for bit, run from
//   the source and from each printed form (cmp), and the values of the ops
//   holding clips show the bounds applied (VALUES).
// Floats: +-inf and NaN (as f32 bits in hex, how MLIR prints them; NaN
// where the verifiers allow it: constants, gemm's alpha and beta), -0.0,
// the smallest and largest denormals and their negatives (written as hex
// bits, printed in decimal), the smallest normal, the largest finite, and
// values 6 digits cannot hold; empty arrays and tensors; every enum case;
// int64 extremes in the plan attributes; quantized types with the extreme
// scales the quant dialect accepts, full-precision double scales, zero
// points at the storage ends, narrow ranges and per-axis scales.
// RUN: rm -rf %t && mkdir %t
// RUN: picosam-opt %s | FileCheck %s
// RUN: picosam-opt %s --mlir-print-op-generic | picosam-opt | FileCheck %s
// RUN: picosam-opt %s -o %t/custom.mlir
// RUN: picosam-opt %t/custom.mlir | diff %t/custom.mlir -
// RUN: picosam-opt %s --mlir-print-op-generic -o %t/generic.mlir
// RUN: picosam-opt %t/generic.mlir --mlir-print-op-generic | diff %t/generic.mlir -
// RUN: picosam-run %s --entry=ops --dump=%t/ops.npz
// RUN: picosam-run %t/custom.mlir --entry=ops --dump=%t/ops-custom.npz
// RUN: picosam-run %t/generic.mlir --entry=ops --dump=%t/ops-generic.npz
// RUN: cmp %t/ops.npz %t/ops-custom.npz
// RUN: cmp %t/ops.npz %t/ops-generic.npz
// RUN: picosam-run %s --entry=quantized --dump=%t/quantized.npz
// RUN: picosam-run %t/custom.mlir --entry=quantized --dump=%t/quantized-custom.npz
// RUN: picosam-run %t/generic.mlir --entry=quantized --dump=%t/quantized-generic.npz
// RUN: cmp %t/quantized.npz %t/quantized-custom.npz
// RUN: cmp %t/quantized.npz %t/quantized-generic.npz
// RUN: %python %S/../../Interpreter/Inputs/npz_summary.py %t/ops.npz %t/quantized.npz \
// RUN:   | FileCheck %s --check-prefix=VALUES

// The clips' bounds applied: the fused one-sided clips of the convolutions
// and the elementwise ops keep what is on their open side (a bound read as
// 0 would clamp it), gemm's NaN alpha gives NaN, and the quantized
// convolutions clamp at 0.5 (below: the i8 range) and at 0 (above: the u8
// range).
// VALUES: pico.conv2d#0 float32 [1, 2, 4, 4] -6 0.0625 -1.66667 -0.583333 -4.96667 -2.35833 0.0625 -1.97917
// VALUES: pico.conv2d#1 float32 [1, 1, 4, 4] 0 2.5 0 1.4013e-45 0 1.17549e-38 1 0
// VALUES: pico.clip#0 float32 [16] inf 0 nan -0 1.4013e-45 0 1.17549e-38 1.17549e-38
// VALUES: pico.clip#1 float32 [16] 1.4013e-45 -inf nan -0 1.4013e-45 -1.4013e-45 1.4013e-45 1.4013e-45
// VALUES: pico.clip#2 float32 [16] 0 -0 nan -0 0 -0 0 0
// VALUES: pico.mul#0 float32 [16] 1.4013e-45 nan nan 0 0 -0 0 0
// VALUES: pico.div#0 float32 [16] inf nan nan nan 1 1 8.38861e+06 8.38861e+06
// VALUES: pico.gemm#1 float32 [4, 4] nan nan nan nan nan nan nan nan
// VALUES: pico.conv2d#2 float32 [1, 2, 4, 4] 0 4.5 0 0 0 0 3 0
// VALUES: pico.conv2d#3 float32 [1, 2, 4, 4] -3 0.0625 0 1.4013e-45 -1.4013e-45 1.17549e-38 0.0625 -1
// VALUES: pico.conv2d#0 float32 [1, 2, 4, 4] -0.992188 0.5 0.242188 0.242188 0.242188 0.242188 0.5 -0.257812
// VALUES: pico.conv2d#1 float32 [1, 2, 4, 4] 0 1.25 0 0 0 0 0.5 0

// #pico.act of every kind, with the edge values its verifier accepts
// (discardable attributes: an op's verifier rejects an explicit <none>).
// CHECK-LABEL: func.func @activation_attributes() attributes {test.activations = [#pico.act<none>, #pico.act<relu>, #pico.act<sigmoid>, #pico.act<hard_swish>, #pico.act<tanh>, #pico.act<clip, min = 0.000000e+00, max = 0x7F800000>, #pico.act<clip, min = 0xFF800000, max = 6.250000e-02>, #pico.act<clip, min = 0xFF800000, max = 0x7F800000>, #pico.act<clip, min = 0x7F800000, max = 0x7F800000>, #pico.act<clip, min = 0xFF800000, max = 0xFF800000>, #pico.act<clip, min = -0.000000e+00, max = 0.000000e+00>, #pico.act<clip, min = -1.401300e-45, max = 1.401300e-45>, #pico.act<clip, min = 1.17549421E-38, max = 1.17549435E-38>, #pico.act<clip, min = -3.40282347E+38, max = 3.40282347E+38>, #pico.act<clip, min = 1.000000e-01, max = 0.333333343>, #pico.act<leaky_relu, alpha = -0.000000e+00>, #pico.act<leaky_relu, alpha = 1.401300e-45>, #pico.act<leaky_relu, alpha = 3.40282347E+38>, #pico.act<hard_sigmoid, alpha = -3.40282347E+38, beta = -1.401300e-45>, #pico.act<hard_sigmoid, alpha = 1.17549435E-38, beta = -0.000000e+00>]} {
// CHECK-NEXT: return
// CHECK-NEXT: }
func.func @activation_attributes() attributes {test.activations = [
    #pico.act<none>, #pico.act<relu>, #pico.act<sigmoid>, #pico.act<hard_swish>, #pico.act<tanh>,
    #pico.act<clip, min = 0.0, max = 0x7F800000>,
    #pico.act<clip, min = 0xFF800000, max = 6.250000e-02>,
    #pico.act<clip, min = 0xFF800000, max = 0x7F800000>,
    #pico.act<clip, min = 0x7F800000, max = 0x7F800000>,
    #pico.act<clip, min = 0xFF800000, max = 0xFF800000>,
    #pico.act<clip, min = -0.0, max = 0.0>,
    #pico.act<clip, min = 0x80000001, max = 0x00000001>,
    #pico.act<clip, min = 0x007FFFFF, max = 0x00800000>,
    #pico.act<clip, min = 0xFF7FFFFF, max = 0x7F7FFFFF>,
    #pico.act<clip, min = 0.1, max = 0.333333343>,
    #pico.act<leaky_relu, alpha = -0.0>,
    #pico.act<leaky_relu, alpha = 0x00000001>,
    #pico.act<leaky_relu, alpha = 0x7F7FFFFF>,
    #pico.act<hard_sigmoid, alpha = 0xFF7FFFFF, beta = 0x80000001>,
    #pico.act<hard_sigmoid, alpha = 0x00800000, beta = -0.0>]} {
  return
}

// The plan attributes at 0 and at the int64 maximum (every buffer inside
// the arena, which the dialect verifies: offset and size are at the maximum
// in two buffers).
// CHECK-LABEL: func.func @memory_plan(%arg0: tensor<4xf32> {pico.buffer = #pico.buffer<offset = 0, size = 0, first = 0, last = 0>}) -> tensor<4xf32> attributes {pico.memory_plan = #pico.memory_plan<arena = 9223372036854775807, lower_bound = 9223372036854775807, peak_step = 9223372036854775807, steps = 9223372036854775807, input_order_lower_bound = 9223372036854775807, weights = 9223372036854775807, alignment = 9223372036854775807, element_bytes = 9223372036854775807, tiled_blocks = 9223372036854775807>} {
// CHECK-NEXT: %0 = pico.relu %arg0 {pico.buffer = #pico.buffer<offset = 9223372036854775807, size = 0, first = 9223372036854775807, last = 9223372036854775807>} : tensor<4xf32> -> tensor<4xf32>
// CHECK-NEXT: %1 = pico.relu %0 {pico.buffer = #pico.buffer<offset = 0, size = 9223372036854775807, first = 0, last = 9223372036854775807>} : tensor<4xf32> -> tensor<4xf32>
// CHECK-NEXT: return %1 : tensor<4xf32>
// CHECK-NEXT: }
func.func @memory_plan(%x: tensor<4xf32> {pico.buffer = #pico.buffer<offset = 0, size = 0, first = 0, last = 0>}) -> tensor<4xf32>
    attributes {pico.memory_plan = #pico.memory_plan<arena = 9223372036854775807, lower_bound = 9223372036854775807, peak_step = 9223372036854775807, steps = 9223372036854775807, input_order_lower_bound = 9223372036854775807, weights = 9223372036854775807, alignment = 9223372036854775807, element_bytes = 9223372036854775807, tiled_blocks = 9223372036854775807>} {
  %0 = pico.relu %x {pico.buffer = #pico.buffer<offset = 9223372036854775807, size = 0, first = 9223372036854775807, last = 9223372036854775807>} : tensor<4xf32> -> tensor<4xf32>
  %1 = pico.relu %0 {pico.buffer = #pico.buffer<offset = 0, size = 9223372036854775807, first = 0, last = 9223372036854775807>} : tensor<4xf32> -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// Every float op; %c holds the special values, %f the finite edge values
// for the ops whose clips must show in VALUES.
// CHECK-LABEL: func.func @ops() -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
// CHECK-NEXT: %0 = pico.constant dense<[0x7F800000, 0xFF800000, 0x7FC00000, -0.000000e+00, 1.401300e-45, -1.401300e-45, 1.17549421E-38, 1.17549435E-38, 3.40282347E+38, -3.40282347E+38, 1.000000e+00, -1.000000e+00, 1.000000e-01, -2.500000e+00, 0.000000e+00, 6.250000e-02]> : tensor<16xf32>
// CHECK-NEXT: %1 = pico.constant dense<[-3.000000e+00, 2.500000e+00, -0.000000e+00, 1.401300e-45, -1.401300e-45, 1.17549435E-38, 1.000000e+00, -1.000000e+00, 1.000000e-01, -2.500000e+00, 0.000000e+00, 6.250000e-02, 4.000000e+00, -5.000000e-01, 0.333333343, 1.17549421E-38]> : tensor<16xf32>
// CHECK-NEXT: %2 = pico.reshape %1 : tensor<16xf32> -> tensor<1x1x4x4xf32>
// CHECK-NEXT: %3 = pico.concat %2, %2 {axis = -3 : i64} : (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %4 = pico.constant dense<[5.000000e-01, -0.000000e+00, 1.401300e-45, -1.401300e-45, 1.000000e+00, 1.17549435E-38, -2.500000e-01, 0.333333343, 2.000000e+00, 5.000000e-01, -0.000000e+00, 1.401300e-45, -1.401300e-45, 1.000000e+00, 1.17549435E-38, -2.500000e-01, 0.333333343, 2.000000e+00]> : tensor<18xf32>
// CHECK-NEXT: %5 = pico.reshape %4 : tensor<18xf32> -> tensor<2x1x3x3xf32>
// CHECK-NEXT: %6 = pico.constant dense<[-0.000000e+00, 1.401300e-45]> : tensor<2xf32>
// CHECK-NEXT: %7 = pico.constant dense<[0x7F800000, -0.000000e+00, 0xFF800000, -1.401300e-45]> : tensor<4xf32>
// CHECK-NEXT: %8 = pico.conv2d %3, %5, %6 residual %3 {activation = #pico.act<clip, min = 0xFF800000, max = 6.250000e-02>, dilations = array<i64: 2, 2>, group = 2 : i64, input_upsample = 2 : i64, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %9 = pico.constant dense<1.000000e+00> : tensor<1x1x1x1xf32>
// CHECK-NEXT: %10 = pico.conv2d %2, %9 {activation = #pico.act<clip, min = 0.000000e+00, max = 0x7F800000>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
// CHECK-NEXT: %11 = pico.batch_norm %3, %6, %6, %6, %6 {epsilon = 1.401300e-45 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %12 = pico.batch_norm %3, %6, %6, %6, %6 {epsilon = 3.40282347E+38 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %13 = pico.relu %0 : tensor<16xf32> -> tensor<16xf32>
// CHECK-NEXT: %14 = pico.clip %0 {max = 0x7F800000 : f32, min = 0.000000e+00 : f32} : tensor<16xf32> -> tensor<16xf32>
// CHECK-NEXT: %15 = pico.clip %0 {max = 1.401300e-45 : f32, min = 0xFF800000 : f32} : tensor<16xf32> -> tensor<16xf32>
// CHECK-NEXT: %16 = pico.clip %0 {max = 0.000000e+00 : f32, min = -0.000000e+00 : f32} : tensor<16xf32> -> tensor<16xf32>
// CHECK-NEXT: %17 = pico.leaky_relu %0 {alpha = -0.000000e+00 : f32} : tensor<16xf32> -> tensor<16xf32>
// CHECK-NEXT: %18 = pico.leaky_relu %0 {alpha = -3.40282347E+38 : f32} : tensor<16xf32> -> tensor<16xf32>
// CHECK-NEXT: %19 = pico.sigmoid %0 : tensor<16xf32> -> tensor<16xf32>
// CHECK-NEXT: %20 = pico.hard_sigmoid %0 {alpha = 3.40282347E+38 : f32, beta = -1.401300e-45 : f32} : tensor<16xf32> -> tensor<16xf32>
// CHECK-NEXT: %21 = pico.hard_swish %0 : tensor<16xf32> -> tensor<16xf32>
// CHECK-NEXT: %22 = pico.tanh %0 : tensor<16xf32> -> tensor<16xf32>
// CHECK-NEXT: %23 = pico.add %0, %0 {activation = #pico.act<leaky_relu, alpha = 3.40282347E+38>} : tensor<16xf32>, tensor<16xf32> -> tensor<16xf32>
// CHECK-NEXT: %24 = pico.sub %0, %13 {activation = #pico.act<hard_sigmoid, alpha = 1.401300e-45, beta = -0.000000e+00>} : tensor<16xf32>, tensor<16xf32> -> tensor<16xf32>
// CHECK-NEXT: %25 = pico.mul %0, %14 {activation = #pico.act<clip, min = -0.000000e+00, max = 1.401300e-45>} : tensor<16xf32>, tensor<16xf32> -> tensor<16xf32>
// CHECK-NEXT: %26 = pico.div %0, %15 {activation = #pico.act<clip, min = 0xFF800000, max = 0x7F800000>} : tensor<16xf32>, tensor<16xf32> -> tensor<16xf32>
// CHECK-NEXT: %27 = pico.global_avg_pool %3 : tensor<1x2x4x4xf32> -> tensor<1x2x1x1xf32>
// CHECK-NEXT: %28 = pico.avg_pool %2 {ceil_mode = true, count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x1x4x4xf32> -> tensor<1x1x3x3xf32>
// CHECK-NEXT: %29 = pico.max_pool %2 {dilations = array<i64: 2, 2>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>} : tensor<1x1x4x4xf32> -> tensor<1x1x3x3xf32>
// CHECK-NEXT: %30 = pico.resize %2 {coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>} : tensor<1x1x4x4xf32> -> tensor<1x1x8x8xf32>
// CHECK-NEXT: %31 = pico.resize %2 {mode = #pico<resize_mode nearest>, scales = array<f32: 1.000000e+00, 1.000000e+00, 0.333333343, 2.500000e+00>} : tensor<1x1x4x4xf32> -> tensor<1x1x1x10xf32>
// CHECK-NEXT: %32 = pico.resize %2 {coordinate_transformation_mode = #pico<coordinate_transform_mode pytorch_half_pixel>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode round_prefer_ceil>, scales = array<f32: 1.000000e+00, 1.000000e+00, 1.500000e+00, 7.500000e-01>} : tensor<1x1x4x4xf32> -> tensor<1x1x6x3xf32>
// CHECK-NEXT: %33 = pico.resize %2 {coordinate_transformation_mode = #pico<coordinate_transform_mode align_corners>, mode = #pico<resize_mode linear>, nearest_mode = #pico<nearest_mode ceil>, scales = array<f32: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>} : tensor<1x1x4x4xf32> -> tensor<1x1x8x8xf32>
// CHECK-NEXT: %34 = pico.resize %2 {coordinate_transformation_mode = #pico<coordinate_transform_mode tf_half_pixel_for_nearest>, mode = #pico<resize_mode nearest>, scales = array<f32: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>} : tensor<1x1x4x4xf32> -> tensor<1x1x8x8xf32>
// CHECK-NEXT: %35 = pico.resize %2 {mode = #pico<resize_mode linear>, scales = array<f32: 1.000000e+00, 1.000000e+00, 1.00000012, 1.000000e+00>} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xf32>
// CHECK-NEXT: %36 = pico.reshape %9 : tensor<1x1x1x1xf32> -> tensor<f32>
// CHECK-NEXT: %37 = pico.resize %36 {mode = #pico<resize_mode nearest>, scales = array<f32>} : tensor<f32> -> tensor<f32>
// CHECK-NEXT: %38 = pico.transpose %37 {perm = array<i64>} : tensor<f32> -> tensor<f32>
// CHECK-NEXT: %39 = pico.transpose %3 {perm = array<i64: 0, 2, 3, 1>} : tensor<1x2x4x4xf32> -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %40 = pico.reshape %1 : tensor<16xf32> -> tensor<4x4xf32>
// CHECK-NEXT: %41 = pico.matmul %40, %40 : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
// CHECK-NEXT: %42 = pico.gemm %40, %40, %40 {activation = #pico.act<tanh>, alpha = 0xFF800000 : f32, beta = -0.000000e+00 : f32, trans_a = true, trans_b = true} : (tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
// CHECK-NEXT: %43 = pico.gemm %40, %40, %7 {activation = #pico.act<clip, min = 0.000000e+00, max = 0x7F800000>, alpha = 0x7FC00000 : f32, beta = 0xFFC00001 : f32} : (tensor<4x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
// CHECK-NEXT: %44 = pico.gemm %40, %40 {alpha = 1.401300e-45 : f32, beta = 0x7F800000 : f32} : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
// CHECK-NEXT: %45 = pico.softmax %40 {axis = -2 : i64} : tensor<4x4xf32> -> tensor<4x4xf32>
// CHECK-NEXT: %46 = pico.softmax %40 {axis = 0 : i64} : tensor<4x4xf32> -> tensor<4x4xf32>
// CHECK-NEXT: %47 = pico.constant dense<{{\[\[}}{{\[\[}}3.40282347E+38{{\]\]}}, {{\[\[}}-0.000000e+00{{\]\]}}], {{\[\[}}[1.401300e-45{{\]\]}}, {{\[\[}}-1.000000e+00{{\]\]}}{{\]\]}}> : tensor<2x2x1x1xf32>
// CHECK-NEXT: %48 = pico.channel_attention %3, %47, %6 : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %49 = pico.constant dense<{{\[\[}}{{\[\[}}5.000000e-01{{\]\]}}, {{\[\[}}-1.401300e-45{{\]\]}}], {{\[\[}}[1.17549435E-38{{\]\]}}, {{\[\[}}2.000000e+00{{\]\]}}{{\]\]}}> : tensor<2x2x1x1xf32>
// CHECK-NEXT: %50 = pico.separable_block %3 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32> {
// CHECK-NEXT: ^bb0(%arg0: tensor<1x2x4x4xf32>):
// CHECK-NEXT: %53 = pico.conv2d %arg0, %5, %6 {activation = #pico.act<clip, min = 0.000000e+00, max = 0x7F800000>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %54 = pico.conv2d %53, %49, %6 residual %3 {activation = #pico.act<clip, min = 0xFF800000, max = 6.250000e-02>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: pico.yield %54 : tensor<1x2x4x4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: %51 = pico.constant dense<> : tensor<0xf32>
// CHECK-NEXT: %52 = pico.constant dense<> : tensor<2x0xi64>
// CHECK-NEXT: return %8, %11 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
// CHECK-NEXT: }
func.func @ops() -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %c = pico.constant dense<[0x7F800000, 0xFF800000, 0x7FC00000, -0.0, 0x00000001, 0x80000001, 0x007FFFFF, 0x00800000, 0x7F7FFFFF, 0xFF7FFFFF, 1.0, -1.0, 0.1, -2.5, 0.0, 6.250000e-02]> : tensor<16xf32>
  %f = pico.constant dense<[-3.0, 2.5, -0.0, 0x00000001, 0x80000001, 0x00800000, 1.0, -1.0, 0.1, -2.5, 0.0, 6.250000e-02, 4.0, -0.5, 0.333333343, 0x007FFFFF]> : tensor<16xf32>
  %x = pico.reshape %f : tensor<16xf32> -> tensor<1x1x4x4xf32>
  %x2 = pico.concat %x, %x {axis = -3 : i64} : (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32>
  %w = pico.constant dense<[0.5, -0.0, 0x00000001, 0x80000001, 1.0, 0x00800000, -0.25, 0.333333343, 2.0, 0.5, -0.0, 0x00000001, 0x80000001, 1.0, 0x00800000, -0.25, 0.333333343, 2.0]> : tensor<18xf32>
  %w3 = pico.reshape %w : tensor<18xf32> -> tensor<2x1x3x3xf32>
  %b = pico.constant dense<[-0.0, 0x00000001]> : tensor<2xf32>
  %b2 = pico.constant dense<[0x7F800000, -0.0, 0xFF800000, 0x80000001]> : tensor<4xf32>
  %conv = pico.conv2d %x2, %w3, %b residual %x2 {activation = #pico.act<clip, min = 0xFF800000, max = 6.250000e-02>, dilations = array<i64: 2, 2>, group = 2 : i64, input_upsample = 2 : i64, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %one = pico.constant dense<1.0> : tensor<1x1x1x1xf32>
  %conv1 = pico.conv2d %x, %one {activation = #pico.act<clip, min = 0.0, max = 0x7F800000>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %bn = pico.batch_norm %x2, %b, %b, %b, %b {epsilon = 0x00000001 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %bn2 = pico.batch_norm %x2, %b, %b, %b, %b {epsilon = 0x7F7FFFFF : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %relu = pico.relu %c : tensor<16xf32> -> tensor<16xf32>
  %clip = pico.clip %c {max = 0x7F800000 : f32, min = 0.0 : f32} : tensor<16xf32> -> tensor<16xf32>
  %clip2 = pico.clip %c {max = 0x00000001 : f32, min = 0xFF800000 : f32} : tensor<16xf32> -> tensor<16xf32>
  %clip3 = pico.clip %c {max = 0.0 : f32, min = -0.0 : f32} : tensor<16xf32> -> tensor<16xf32>
  %leaky = pico.leaky_relu %c {alpha = -0.0 : f32} : tensor<16xf32> -> tensor<16xf32>
  %leaky2 = pico.leaky_relu %c {alpha = 0xFF7FFFFF : f32} : tensor<16xf32> -> tensor<16xf32>
  %sigmoid = pico.sigmoid %c : tensor<16xf32> -> tensor<16xf32>
  %hsig = pico.hard_sigmoid %c {alpha = 0x7F7FFFFF : f32, beta = 0x80000001 : f32} : tensor<16xf32> -> tensor<16xf32>
  %hswish = pico.hard_swish %c : tensor<16xf32> -> tensor<16xf32>
  %tanh = pico.tanh %c : tensor<16xf32> -> tensor<16xf32>
  %add = pico.add %c, %c {activation = #pico.act<leaky_relu, alpha = 0x7F7FFFFF>} : tensor<16xf32>, tensor<16xf32> -> tensor<16xf32>
  %sub = pico.sub %c, %relu {activation = #pico.act<hard_sigmoid, alpha = 0x00000001, beta = -0.0>} : tensor<16xf32>, tensor<16xf32> -> tensor<16xf32>
  %mul = pico.mul %c, %clip {activation = #pico.act<clip, min = -0.0, max = 0x00000001>} : tensor<16xf32>, tensor<16xf32> -> tensor<16xf32>
  %div = pico.div %c, %clip2 {activation = #pico.act<clip, min = 0xFF800000, max = 0x7F800000>} : tensor<16xf32>, tensor<16xf32> -> tensor<16xf32>
  %gap = pico.global_avg_pool %x2 : tensor<1x2x4x4xf32> -> tensor<1x2x1x1xf32>
  %avg = pico.avg_pool %x {ceil_mode = true, count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x1x4x4xf32> -> tensor<1x1x3x3xf32>
  %max = pico.max_pool %x {dilations = array<i64: 2, 2>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>} : tensor<1x1x4x4xf32> -> tensor<1x1x3x3xf32>
  %up = pico.resize %x {coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x1x4x4xf32> -> tensor<1x1x8x8xf32>
  %r1 = pico.resize %x {mode = #pico<resize_mode nearest>, scales = array<f32: 1.0, 1.0, 0.333333343, 2.5>} : tensor<1x1x4x4xf32> -> tensor<1x1x1x10xf32>
  %r2 = pico.resize %x {coordinate_transformation_mode = #pico<coordinate_transform_mode pytorch_half_pixel>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode round_prefer_ceil>, scales = array<f32: 1.0, 1.0, 1.5, 0.75>} : tensor<1x1x4x4xf32> -> tensor<1x1x6x3xf32>
  %r3 = pico.resize %x {coordinate_transformation_mode = #pico<coordinate_transform_mode align_corners>, mode = #pico<resize_mode linear>, nearest_mode = #pico<nearest_mode ceil>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x1x4x4xf32> -> tensor<1x1x8x8xf32>
  %r4 = pico.resize %x {coordinate_transformation_mode = #pico<coordinate_transform_mode tf_half_pixel_for_nearest>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode round_prefer_floor>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x1x4x4xf32> -> tensor<1x1x8x8xf32>
  %r5 = pico.resize %x {coordinate_transformation_mode = #pico<coordinate_transform_mode half_pixel>, mode = #pico<resize_mode linear>, scales = array<f32: 1.0, 1.0, 0x3F800001, 1.0>} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xf32>
  %scalar = pico.reshape %one : tensor<1x1x1x1xf32> -> tensor<f32>
  %rs = pico.resize %scalar {mode = #pico<resize_mode nearest>, scales = array<f32>} : tensor<f32> -> tensor<f32>
  %ts = pico.transpose %rs {perm = array<i64>} : tensor<f32> -> tensor<f32>
  %t = pico.transpose %x2 {perm = array<i64: 0, 2, 3, 1>} : tensor<1x2x4x4xf32> -> tensor<1x4x4x2xf32>
  %m = pico.reshape %f : tensor<16xf32> -> tensor<4x4xf32>
  %mm = pico.matmul %m, %m : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
  %g1 = pico.gemm %m, %m, %m {activation = #pico.act<tanh>, alpha = 0xFF800000 : f32, beta = -0.0 : f32, trans_a = true, trans_b = true} : (tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %g2 = pico.gemm %m, %m, %b2 {activation = #pico.act<clip, min = 0.0, max = 0x7F800000>, alpha = 0x7FC00000 : f32, beta = 0xFFC00001 : f32} : (tensor<4x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %g3 = pico.gemm %m, %m {alpha = 0x00000001 : f32, beta = 0x7F800000 : f32} : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %sm = pico.softmax %m {axis = -2 : i64} : tensor<4x4xf32> -> tensor<4x4xf32>
  %sm0 = pico.softmax %m {axis = 0 : i64} : tensor<4x4xf32> -> tensor<4x4xf32>
  %wa = pico.constant dense<[[[[0x7F7FFFFF]], [[-0.0]]], [[[0x00000001]], [[-1.0]]]]> : tensor<2x2x1x1xf32>
  %eca = pico.channel_attention %x2, %wa, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %wp = pico.constant dense<[[[[0.5]], [[0x80000001]]], [[[0x00800000]], [[2.0]]]]> : tensor<2x2x1x1xf32>
  %block = pico.separable_block %x2 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32> {
  ^bb0(%in: tensor<1x2x4x4xf32>):
    %dw = pico.conv2d %in, %w3, %b {activation = #pico.act<clip, min = 0.0, max = 0x7F800000>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
    %pw = pico.conv2d %dw, %wp, %b residual %x2 {activation = #pico.act<clip, min = 0xFF800000, max = 6.250000e-02>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
    pico.yield %pw : tensor<1x2x4x4xf32>
  }
  %empty = pico.constant dense<> : tensor<0xf32>
  %emptyi = pico.constant dense<> : tensor<2x0xi64>
  return %conv, %bn : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// Quantized types in results, constants and channel_attention's type
// attributes; quantized convolutions with one-sided clips.
// CHECK-LABEL: func.func @quantized() -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
// CHECK-NEXT: %0 = pico.constant dense<[-3.000000e+00, 2.500000e+00, -0.000000e+00, 1.401300e-45, -1.401300e-45, 1.17549435E-38, 1.000000e+00, -1.000000e+00, 1.000000e-01, -2.500000e+00, 0.000000e+00, 6.250000e-02, 4.000000e+00, -5.000000e-01, 0.333333343, 1.17549421E-38]> : tensor<16xf32>
// CHECK-NEXT: %1 = pico.reshape %0 : tensor<16xf32> -> tensor<1x1x4x4xf32>
// CHECK-NEXT: %2 = pico.concat %1, %1 {axis = 1 : i64} : (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %3 = pico.quantize %2 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.031234567800000002>>
// CHECK-NEXT: %4 = pico.quantize %2 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!quant.uniform<u8:f32:1, {3.125000e-02:255,0.0123456789}>>
// CHECK-NEXT: %5 = pico.quantize %2 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!quant.uniform<i8<-127:127>:f32, 1.4012984643248171E-45:-127>>
// CHECK-NEXT: %6 = pico.quantize %2 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!quant.uniform<i8:f32, 3.4028234663852886E+38:127>>
// CHECK-NEXT: %7 = pico.constant dense<{{\[\[}}{{\[\[}}64{{\]\]}}, {{\[\[}}0{{\]\]}}], {{\[\[}}[-127{{\]\]}}, {{\[\[}}0{{\]\]}}{{\]\]}}> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,3.906250e-03}>>
// CHECK-NEXT: %8 = pico.constant dense<[1000, -1000]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {2.4402006093750001E-4,1.2201003046875001E-4}>>
// CHECK-NEXT: %9 = pico.conv2d %3, %7, %8 {activation = #pico.act<clip, min = 0xFF800000, max = 5.000000e-01>} : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.031234567800000002>>, tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,3.906250e-03}>>, tensor<2x!quant.uniform<i32:f32:0, {2.4402006093750001E-4,1.2201003046875001E-4}>>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 7.812500e-03:-1>>
// CHECK-NEXT: %10 = pico.conv2d %3, %7 {activation = #pico.act<clip, min = 0.000000e+00, max = 0x7F800000>} : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.031234567800000002>>, tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,3.906250e-03}>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 3.125000e-02>>
// CHECK-NEXT: %11 = pico.constant dense<{{\[\[}}{{\[\[}}127{{\]\]}}, {{\[\[}}-127{{\]\]}}], {{\[\[}}[-1{{\]\]}}, {{\[\[}}0{{\]\]}}{{\]\]}}> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8:f32, 2.500000e-01>>
// CHECK-NEXT: %12 = pico.channel_attention %3, %11 {logits_type = !quant.uniform<i8<-127:127>:f32, 6.250000e-02:127>, mean_type = !quant.uniform<i8:f32, 0.0123456789:-128>} : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.031234567800000002>>, tensor<2x2x1x1x!quant.uniform<i8:f32, 2.500000e-01>>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0123456789:-128>>
// CHECK-NEXT: %13 = pico.dequantize %9 : tensor<1x2x4x4x!quant.uniform<i8:f32, 7.812500e-03:-1>> -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %14 = pico.dequantize %10 : tensor<1x2x4x4x!quant.uniform<u8:f32, 3.125000e-02>> -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %15 = pico.dequantize %4 : tensor<1x2x4x4x!quant.uniform<u8:f32:1, {3.125000e-02:255,0.0123456789}>> -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %16 = pico.dequantize %5 : tensor<1x2x4x4x!quant.uniform<i8<-127:127>:f32, 1.4012984643248171E-45:-127>> -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %17 = pico.dequantize %6 : tensor<1x2x4x4x!quant.uniform<i8:f32, 3.4028234663852886E+38:127>> -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %18 = pico.dequantize %12 : tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0123456789:-128>> -> tensor<1x2x4x4xf32>
// CHECK-NEXT: return %13, %14, %15, %16, %17, %18 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
// CHECK-NEXT: }
func.func @quantized() -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %f = pico.constant dense<[-3.0, 2.5, -0.0, 0x00000001, 0x80000001, 0x00800000, 1.0, -1.0, 0.1, -2.5, 0.0, 6.250000e-02, 4.0, -0.5, 0.333333343, 0x007FFFFF]> : tensor<16xf32>
  %x = pico.reshape %f : tensor<16xf32> -> tensor<1x1x4x4xf32>
  %x2 = pico.concat %x, %x {axis = 1 : i64} : (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32>
  %q = pico.quantize %x2 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0312345678>>
  %qa = pico.quantize %x2 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!quant.uniform<u8:f32:1, {0.03125:255, 0.0123456789}>>
  %qn = pico.quantize %x2 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!quant.uniform<i8<-127:127>:f32, 1.401298464324817E-45:-127>>
  %qh = pico.quantize %x2 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!quant.uniform<i8:f32, 3.4028234663852886E+38:127>>
  %w = pico.constant dense<[[[[64]], [[0]]], [[[-127]], [[0]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.0078125, 0.00390625}>>
  %b = pico.constant dense<[1000, -1000]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {0.0002440200609375, 0.00012201003046875}>>
  %c1 = pico.conv2d %q, %w, %b {activation = #pico.act<clip, min = 0xFF800000, max = 5.000000e-01>} : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0312345678>>, tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.0078125, 0.00390625}>>, tensor<2x!quant.uniform<i32:f32:0, {0.0002440200609375, 0.00012201003046875}>>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0078125:-1>>
  %c2 = pico.conv2d %q, %w {activation = #pico.act<clip, min = 0.0, max = 0x7F800000>} : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0312345678>>, tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.0078125, 0.00390625}>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.03125>>
  %wa = pico.constant dense<[[[[127]], [[-127]]], [[[-1]], [[0]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>>
  %eca = pico.channel_attention %q, %wa {logits_type = !quant.uniform<i8<-127:127>:f32, 6.250000e-02:127>, mean_type = !quant.uniform<i8:f32, 0.0123456789:-128>} : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0312345678>>, tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0123456789:-128>>
  %d1 = pico.dequantize %c1 : tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0078125:-1>> -> tensor<1x2x4x4xf32>
  %d2 = pico.dequantize %c2 : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.03125>> -> tensor<1x2x4x4xf32>
  %d3 = pico.dequantize %qa : tensor<1x2x4x4x!quant.uniform<u8:f32:1, {0.03125:255, 0.0123456789}>> -> tensor<1x2x4x4xf32>
  %d4 = pico.dequantize %qn : tensor<1x2x4x4x!quant.uniform<i8<-127:127>:f32, 1.401298464324817E-45:-127>> -> tensor<1x2x4x4xf32>
  %d5 = pico.dequantize %qh : tensor<1x2x4x4x!quant.uniform<i8:f32, 3.4028234663852886E+38:127>> -> tensor<1x2x4x4xf32>
  %d6 = pico.dequantize %eca : tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0123456789:-128>> -> tensor<1x2x4x4xf32>
  return %d1, %d2, %d3, %d4, %d5, %d6 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
