// RUN: picosam-opt %s --pico-check-imx500 -split-input-file -verify-diagnostics -o /dev/null
// RUN: not picosam-opt %s --pico-check-imx500 -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOTES

// Every rule of --pico-check-imx500 on hand-written IR, several violations
// per function to show that all are reported. An op located by a name only
// (loc("name"), as the importer locates ops, without a line of this file)
// is matched with @unknown; the message names it. -verify-diagnostics pools
// the @unknown expectations of all splits, so NOTES checks which error each
// note belongs to: none for a published limit, one naming its source for
// the others.

// NOTES:      error: loc("image"): graph input 'image' has batch 2; the IMX500 takes batch 1
// NOTES-NEXT: error: loc("image"): graph input 'image' has 4 channels;
// NOTES:      error: the graph has 17 outputs; the IMX500 returns at most 16 tensors
// NOTES-NOT:  note:
// NOTES:      error: graph output #15 ('deep') has rank 17
// NOTES:      error: node without a name (Relu):
// NOTES-NOT:  error:
// NOTES:      note: observed behaviour of Sony's converter, not a published limit
// NOTES:      error: loc("/strided"): node '/strided' (Conv):
// NOTES-NEXT: note: loc("/strided"): observed behaviour of Sony's converter, not a published limit
// NOTES-NEXT: error: loc("/padded"): node '/padded' (Conv):
// NOTES-NEXT: note: loc("/padded"): observed behaviour of Sony's converter, not a published limit
// NOTES:      error: loc(fused["/skip/Conv", "/Add", "/Sigmoid"]): node '/skip/Conv+/Add+/Sigmoid' (Conv):
// NOTES-NEXT: note: loc(fused["/skip/Conv", "/Add", "/Sigmoid"]): from MCT's IMX500 target platform (Sony's public quantization toolkit), not a published limit of the converter
// NOTES:      error: loc("/float_relu"): node '/float_relu' (Relu): the IMX500 computes with integers only
// NOTES-NEXT: note: loc("/float_relu"): from MCT's IMX500 target platform

// The input image (published): batch 1, 1 or 3 channels, 64 to 640 pixels a
// side, 4-D. Each broken limit has its own error.
// expected-error @unknown {{graph input 'image' has batch 2; the IMX500 takes batch 1}}
// expected-error @unknown {{graph input 'image' has 4 channels; the IMX500's input is an RGB or BGR image (3 channels) or a Y or Bayer one (1 channel)}}
// expected-error @unknown {{graph input 'image' is 32x700 pixels; the IMX500's input is 64x64 to 640x640}}
// expected-error @unknown {{graph input 'tokens' has rank 2; the IMX500's input is one 4-D NCHW image}}
// expected-error @unknown {{graph input 'scale' is f32; the IMX500's input is one 4-D NCHW image}}
func.func @inputs(%image: tensor<2x4x32x700xf32> loc("image"), %tokens: tensor<1x8xf32> loc("tokens"), %scale: f32 loc("scale")) -> (tensor<2x4x32x700xf32>, tensor<1x8xf32>, f32) {
  %r = pico.relu %image : tensor<2x4x32x700xf32> -> tensor<2x4x32x700xf32> loc("relu")
  %s = pico.sigmoid %tokens : tensor<1x8xf32> -> tensor<1x8xf32> loc("sigmoid")
  // expected-error @+1 {{graph output #2 ('scale') is f32; the IMX500 returns tensors}}
  return %r, %s, %scale : tensor<2x4x32x700xf32>, tensor<1x8xf32>, f32
}

// -----

// The outputs (published): at most 16 tensors, of at most 16 dims, each
// below 65536.
func.func @outputs(%x: tensor<1x3x256x256xf32> loc("x")) -> (tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x1x1x1x1x1x1x1x1x1x1x1x1x1x3x256x256xf32>, tensor<1x196608xf32>) {
  %r = pico.relu %x : tensor<1x3x256x256xf32> -> tensor<1x3x256x256xf32> loc("relu")
  %deep = pico.reshape %r : tensor<1x3x256x256xf32> -> tensor<1x1x1x1x1x1x1x1x1x1x1x1x1x1x3x256x256xf32> loc("deep")
  %flat = pico.reshape %r : tensor<1x3x256x256xf32> -> tensor<1x196608xf32> loc("flat")
  // expected-error @+3 {{the graph has 17 outputs; the IMX500 returns at most 16 tensors}}
  // expected-error @+2 {{graph output #15 ('deep') has rank 17; the IMX500's outputs have at most 16 dimensions}}
  // expected-error @+1 {{graph output #16 ('flat') is 1x196608; each dimension of an IMX500 output is below 65536}}
  return %r, %r, %r, %r, %r, %r, %r, %r, %r, %r, %r, %r, %r, %r, %r, %deep, %flat : tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x3x256x256xf32>, tensor<1x1x1x1x1x1x1x1x1x1x1x1x1x1x3x256x256xf32>, tensor<1x196608xf32>
}

// -----

// Nodes without a name, and ops the converter has no equivalent of
// (observed). A constant without a name is one the compiler made (CSE
// merges equal constants, dropping their names), not an ONNX node: no error.
func.func @names_and_operators(%x: tensor<1x3x64x64xf32> loc("x")) -> tensor<1x3x64x64xf32> {
  // expected-error @+2 {{node without a name (Relu): Sony's converter rejects ONNX nodes with empty names; every op's location must name its node}}
  // expected-note @+1 {{observed behaviour of Sony's converter, not a published limit}}
  %r = pico.relu %x : tensor<1x3x64x64xf32> -> tensor<1x3x64x64xf32>
  %c = pico.constant dense<2.0> : tensor<1x3x64x64xf32>
  // expected-error @unknown {{node 'square' (arith.mulf): Sony's converter accepts no equivalent of this op}}
  // expected-note @unknown {{observed behaviour of Sony's converter, not a published limit}}
  %m = arith.mulf %r, %c : tensor<1x3x64x64xf32> loc("square")
  return %m : tensor<1x3x64x64xf32>
}

// -----

// Convolutions (observed): stride with dilation, pads, depthwise kernels,
// input height, the upsample's input size, batch, and what fuses after a
// residual add (MCT's IMX500 target). A 1x1 convolution with pads of 1
// pads more than its kernel.
// expected-error @unknown {{node '/strided' (Conv): the IMX500 rejects a stride above 1 together with a dilation above 1; this has strides 2x2 and dilations 2x2}}
// expected-error @unknown {{node '/padded' (Conv): the IMX500 needs every pad smaller than the dilated kernel (1x1); this has pads [1, 0, 0, 0] (top, left, bottom, right)}}
// expected-error @unknown {{node '/depthwise13' (Conv): the IMX500 accepts depthwise kernels up to 12x12; this is 13x13}}
// expected-error @unknown {{node '/tall' (Conv): the IMX500 accepts convolution inputs up to 32767 rows; this one has 49152 (after its fused upsample)}}
// expected-error @unknown {{node '/tall' (Conv): the IMX500 upsamples inputs of at most 4093x4093; this convolution's fused upsample reads 12288x1}}
// expected-error @unknown {{node '/batched' (Conv): the IMX500 runs batch 1; this input has batch 2}}
// expected-error @unknown {{node '/skip/Conv+/Add+/Sigmoid' (Conv): the IMX500 fuses only ReLU, ReLU6/HardTanh (clip) or LeakyReLU into an Add; this convolution's residual Add carries sigmoid}}
// expected-note @unknown 6 {{observed behaviour of Sony's converter, not a published limit}}
// expected-note @unknown {{from MCT's IMX500 target platform (Sony's public quantization toolkit), not a published limit of the converter}}
func.func @convolutions(%x: tensor<1x3x64x64xf32> loc("x")) -> (tensor<1x3x30x30xf32>, tensor<1x3x65x64xf32>, tensor<1x3x52x52xf32>, tensor<1x1x49152x4xf32>, tensor<2x3x32x64xf32>, tensor<1x3x64x64xf32>) {
  %w3 = pico.constant dense<0.1> : tensor<3x3x3x3xf32> loc("w3")
  %w1 = pico.constant dense<0.1> : tensor<3x3x1x1xf32> loc("w1")
  %w13 = pico.constant dense<0.1> : tensor<3x1x13x13xf32> loc("w13")
  %wtall = pico.constant dense<0.1> : tensor<1x1x1x1xf32> loc("wtall")
  %strided = pico.conv2d %x, %w3 {strides = array<i64: 2, 2>, dilations = array<i64: 2, 2>} : (tensor<1x3x64x64xf32>, tensor<3x3x3x3xf32>) -> tensor<1x3x30x30xf32> loc("/strided")
  %padded = pico.conv2d %x, %w1 {pads = array<i64: 1, 0, 0, 0>} : (tensor<1x3x64x64xf32>, tensor<3x3x1x1xf32>) -> tensor<1x3x65x64xf32> loc("/padded")
  %depthwise = pico.conv2d %x, %w13 {group = 3 : i64} : (tensor<1x3x64x64xf32>, tensor<3x1x13x13xf32>) -> tensor<1x3x52x52xf32> loc("/depthwise13")
  %column = pico.reshape %x : tensor<1x3x64x64xf32> -> tensor<1x1x12288x1xf32> loc("/column")
  %tall = pico.conv2d %column, %wtall {input_upsample = 4 : i64} : (tensor<1x1x12288x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x49152x4xf32> loc("/tall")
  %pair = pico.reshape %x : tensor<1x3x64x64xf32> -> tensor<2x3x32x64xf32> loc("/pair")
  %batched = pico.conv2d %pair, %w1 : (tensor<2x3x32x64xf32>, tensor<3x3x1x1xf32>) -> tensor<2x3x32x64xf32> loc("/batched")
  // Activations fuse into a convolution without a residual: no error.
  %hardswish = pico.conv2d %x, %w1 {activation = #pico.act<hard_swish>} : (tensor<1x3x64x64xf32>, tensor<3x3x1x1xf32>) -> tensor<1x3x64x64xf32> loc("/conv_hardswish")
  %skip = pico.conv2d %x, %w1 residual %hardswish {activation = #pico.act<sigmoid>} : (tensor<1x3x64x64xf32>, tensor<3x3x1x1xf32>, tensor<1x3x64x64xf32>) -> tensor<1x3x64x64xf32> loc(fused["/skip/Conv", "/Add", "/Sigmoid"])
  return %strided, %padded, %depthwise, %tall, %batched, %skip : tensor<1x3x30x30xf32>, tensor<1x3x65x64xf32>, tensor<1x3x52x52xf32>, tensor<1x1x49152x4xf32>, tensor<2x3x32x64xf32>, tensor<1x3x64x64xf32>
}

// -----

// A grouped convolution needs an integer depth multiplier: the op's verifier
// already requires the output channels to be a multiple of the groups.
func.func @depth_multiplier(%x: tensor<1x4x64x64xf32> loc("x")) -> tensor<1x6x64x64xf32> {
  %w = pico.constant dense<0.1> : tensor<6x2x1x1xf32> loc("w")
  // expected-error @+1 {{'pico.conv2d' op output channels (6) are not a multiple of group (4)}}
  %y = pico.conv2d %x, %w {group = 4 : i64} : (tensor<1x4x64x64xf32>, tensor<6x2x1x1xf32>) -> tensor<1x6x64x64xf32>
  return %y : tensor<1x6x64x64xf32>
}

// -----

// Pools (observed): ceil_mode where it changes the output, MaxPool
// dilations and window size, AveragePool kernels, GlobalAveragePool (alone
// or in channel attention) over more than 255x255, a 1-D pool. A
// ceil_mode that changes nothing passes.
// expected-error @unknown {{node '/max_ceil' (MaxPool): the IMX500 accepts ceil_mode 0 only; this ceil_mode changes the output to 32x32 (31x31 without it)}}
// expected-error @unknown {{node '/max_dilated' (MaxPool): the IMX500 accepts MaxPool with dilation 1 only; this has dilations 2x2}}
// expected-error @unknown {{node '/max_huge' (MaxPool): the IMX500 accepts MaxPool windows of at most 65535 elements; this is 300x300 = 90000}}
// expected-error @unknown {{node '/avg_ceil' (AveragePool): the IMX500 accepts ceil_mode 0 only; this ceil_mode changes the output to 22x22 (21x21 without it)}}
// expected-error @unknown {{node '/avg_wide' (AveragePool): the IMX500 accepts AveragePool kernels up to 255x255; this is 2x300}}
// expected-error @unknown {{node '/gap' (GlobalAveragePool): the IMX500 runs GlobalAveragePool as an AveragePool over H x W, whose kernel is at most 255x255; this input is 384x512}}
// expected-error @unknown {{node '/eca' (pico.channel_attention): the IMX500 runs GlobalAveragePool as an AveragePool over H x W, whose kernel is at most 255x255; this input is 384x512}}
// expected-error @unknown {{node '/gap1d' (GlobalAveragePool): the IMX500 has no 1-D or 3-D ops, only 2-D ones on a 4-D NCHW input; this input has rank 3 (a 1-D op)}}
// expected-note @unknown 8 {{observed behaviour of Sony's converter, not a published limit}}
func.func @pools(%x: tensor<1x3x64x64xf32> loc("x"), %big: tensor<1x3x256x256xf32> loc("big")) -> (tensor<1x3x32x32xf32>, tensor<1x3x32x32xf32>, tensor<1x3x31x31xf32>, tensor<1x1x85x213xf32>, tensor<1x3x22x22xf32>, tensor<1x1x383x71xf32>, tensor<1x1x1x1xf32>, tensor<1x1x384x512xf32>, tensor<1x3x1xf32>) {
  %max_ceil = pico.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode = true} : tensor<1x3x64x64xf32> -> tensor<1x3x32x32xf32> loc("/max_ceil")
  // 2x2 windows at stride 2 cover 64 exactly: ceil_mode changes nothing.
  %max_exact = pico.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true} : tensor<1x3x64x64xf32> -> tensor<1x3x32x32xf32> loc("/max_exact")
  %max_dilated = pico.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 2, 2>} : tensor<1x3x64x64xf32> -> tensor<1x3x31x31xf32> loc("/max_dilated")
  %plane = pico.reshape %big : tensor<1x3x256x256xf32> -> tensor<1x1x384x512xf32> loc("/plane")
  %max_huge = pico.max_pool %plane {kernel_shape = array<i64: 300, 300>, strides = array<i64: 1, 1>} : tensor<1x1x384x512xf32> -> tensor<1x1x85x213xf32> loc("/max_huge")
  %avg_ceil = pico.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 3, 3>, ceil_mode = true} : tensor<1x3x64x64xf32> -> tensor<1x3x22x22xf32> loc("/avg_ceil")
  %avg_wide = pico.avg_pool %plane {kernel_shape = array<i64: 2, 300>, strides = array<i64: 1, 3>} : tensor<1x1x384x512xf32> -> tensor<1x1x383x71xf32> loc("/avg_wide")
  %gap = pico.global_avg_pool %plane : tensor<1x1x384x512xf32> -> tensor<1x1x1x1xf32> loc("/gap")
  %wa = pico.constant dense<0.5> : tensor<1x1x1x1xf32> loc("wa")
  %eca = pico.channel_attention %plane, %wa : (tensor<1x1x384x512xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x384x512xf32> loc("/eca")
  %rows = pico.reshape %x : tensor<1x3x64x64xf32> -> tensor<1x3x4096xf32> loc("/rows")
  %gap1d = pico.global_avg_pool %rows : tensor<1x3x4096xf32> -> tensor<1x3x1xf32> loc("/gap1d")
  return %max_ceil, %max_exact, %max_dilated, %max_huge, %avg_ceil, %avg_wide, %gap, %eca, %gap1d : tensor<1x3x32x32xf32>, tensor<1x3x32x32xf32>, tensor<1x3x31x31xf32>, tensor<1x1x85x213xf32>, tensor<1x3x22x22xf32>, tensor<1x1x383x71xf32>, tensor<1x1x1x1xf32>, tensor<1x1x384x512xf32>, tensor<1x3x1xf32>
}

// -----

// Resize (observed): nearest with asymmetric + floor (or modes that give
// the same indices for the factor: half_pixel + round_prefer_floor at x2
// passes), linear with half_pixel; at most 4093 pixels a side when
// upsampling; nothing along the batch axis; 2-D only.
// expected-error @unknown {{node '/linear_corners' (Resize): the IMX500 accepts nearest with asymmetric + floor or linear with half_pixel; this is linear with align_corners}}
// expected-error @unknown {{node '/nearest_ceil' (Resize): the IMX500 accepts nearest with asymmetric + floor or linear with half_pixel; this is nearest with half_pixel + ceil}}
// expected-error @unknown {{node '/wide' (Resize): the IMX500 upsamples inputs of at most 4093x4093; this input is 1x4096}}
// expected-error @unknown {{node '/batch_resize' (Resize): the IMX500 computes nothing along the batch axis; this resizes axis 0}}
// expected-error @unknown {{node '/resize1d' (Resize): the IMX500 has no 1-D or 3-D ops, only 2-D ones on a 4-D NCHW input; this input has rank 3 (a 1-D op)}}
// expected-note @unknown 5 {{observed behaviour of Sony's converter, not a published limit}}
func.func @resizes(%x: tensor<1x3x64x64xf32> loc("x")) -> (tensor<1x3x128x128xf32>, tensor<1x3x128x128xf32>, tensor<1x3x128x128xf32>, tensor<1x3x128x128xf32>, tensor<1x3x2x8192xf32>, tensor<2x3x64x64xf32>, tensor<1x3x8192xf32>) {
  %floor = pico.resize %x {mode = #pico<resize_mode nearest>, coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x3x64x64xf32> -> tensor<1x3x128x128xf32> loc("/nearest_floor")
  %same = pico.resize %x {mode = #pico<resize_mode nearest>, coordinate_transformation_mode = #pico<coordinate_transform_mode half_pixel>, nearest_mode = #pico<nearest_mode round_prefer_floor>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x3x64x64xf32> -> tensor<1x3x128x128xf32> loc("/nearest_half_pixel")
  %corners = pico.resize %x {mode = #pico<resize_mode linear>, coordinate_transformation_mode = #pico<coordinate_transform_mode align_corners>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x3x64x64xf32> -> tensor<1x3x128x128xf32> loc("/linear_corners")
  %ceil = pico.resize %x {mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode ceil>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x3x64x64xf32> -> tensor<1x3x128x128xf32> loc("/nearest_ceil")
  %line = pico.reshape %x : tensor<1x3x64x64xf32> -> tensor<1x3x1x4096xf32> loc("/line")
  %wide = pico.resize %line {mode = #pico<resize_mode linear>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x3x1x4096xf32> -> tensor<1x3x2x8192xf32> loc("/wide")
  %batch = pico.resize %x {mode = #pico<resize_mode nearest>, coordinate_transformation_mode = #pico<coordinate_transform_mode asymmetric>, nearest_mode = #pico<nearest_mode floor>, scales = array<f32: 2.0, 1.0, 1.0, 1.0>} : tensor<1x3x64x64xf32> -> tensor<2x3x64x64xf32> loc("/batch_resize")
  %rows = pico.reshape %x : tensor<1x3x64x64xf32> -> tensor<1x3x4096xf32> loc("/rows")
  %resize1d = pico.resize %rows {mode = #pico<resize_mode linear>, scales = array<f32: 1.0, 1.0, 2.0>} : tensor<1x3x4096xf32> -> tensor<1x3x8192xf32> loc("/resize1d")
  return %floor, %same, %corners, %ceil, %wide, %batch, %resize1d : tensor<1x3x128x128xf32>, tensor<1x3x128x128xf32>, tensor<1x3x128x128xf32>, tensor<1x3x128x128xf32>, tensor<1x3x2x8192xf32>, tensor<2x3x64x64xf32>, tensor<1x3x8192xf32>
}

// -----

// Gemm (observed): batch 1, alpha = beta = 1, no transA, constant B, at
// most 32700 inputs and 8192 outputs.
// expected-error @unknown {{node '/fc_batch' (Gemm): the IMX500 runs batch 1; this Gemm has 2 rows}}
// expected-error @unknown {{node '/fc_batch' (Gemm): the IMX500 accepts Gemm with alpha = beta = 1 only; this has alpha 2 and beta 0.5}}
// expected-error @unknown {{node '/fc_transposed' (Gemm): the IMX500 accepts Gemm without transA only}}
// expected-error @unknown {{node '/fc_transposed' (Gemm): the IMX500 needs Gemm's B (the weights) to be a constant}}
// expected-error @unknown {{node '/fc_huge' (Gemm): the IMX500 accepts fully-connected layers of at most 32700 inputs; this has 196608}}
// expected-error @unknown {{node '/fc_huge' (Gemm): the IMX500 accepts fully-connected layers of at most 8192 output features; this has 8193}}
// expected-note @unknown 6 {{observed behaviour of Sony's converter, not a published limit}}
func.func @gemms(%x: tensor<1x3x64x64xf32> loc("x"), %big: tensor<1x3x256x256xf32> loc("big")) -> (tensor<2x4xf32>, tensor<1x4xf32>, tensor<1x8193xf32>) {
  %pair = pico.reshape %x : tensor<1x3x64x64xf32> -> tensor<2x6144xf32> loc("/pair")
  %w = pico.constant dense<0.1> : tensor<6144x4xf32> loc("w")
  %c = pico.constant dense<0.1> : tensor<4xf32> loc("c")
  %fc_batch = pico.gemm %pair, %w, %c {alpha = 2.0 : f32, beta = 0.5 : f32} : (tensor<2x6144xf32>, tensor<6144x4xf32>, tensor<4xf32>) -> tensor<2x4xf32> loc("/fc_batch")
  %column = pico.reshape %x : tensor<1x3x64x64xf32> -> tensor<12288x1xf32> loc("/column")
  %v = pico.constant dense<0.1> : tensor<12288x4xf32> loc("v")
  %computed = pico.relu %v : tensor<12288x4xf32> -> tensor<12288x4xf32> loc("/computed_weights")
  %fc_transposed = pico.gemm %column, %computed {trans_a = true} : (tensor<12288x1xf32>, tensor<12288x4xf32>) -> tensor<1x4xf32> loc("/fc_transposed")
  %row = pico.reshape %big : tensor<1x3x256x256xf32> -> tensor<1x196608xf32> loc("/row")
  %u = pico.constant dense<0.1> : tensor<196608x8193xf32> loc("u")
  %fc_huge = pico.gemm %row, %u : (tensor<1x196608xf32>, tensor<196608x8193xf32>) -> tensor<1x8193xf32> loc("/fc_huge")
  return %fc_batch, %fc_transposed, %fc_huge : tensor<2x4xf32>, tensor<1x4xf32>, tensor<1x8193xf32>
}

// -----

// Nothing along the batch axis (observed): Softmax, Concat, Transpose; and
// Softmax over at most 32767 elements.
// expected-error @unknown {{node '/softmax_batch' (Softmax): the IMX500 computes Softmax along one non-batch axis; this is along axis 0}}
// expected-error @unknown {{node '/softmax_long' (Softmax): the IMX500 accepts Softmax over at most 32767 elements; this axis has 40000}}
// expected-error @unknown {{node '/concat_batch' (Concat): the IMX500 computes nothing along the batch axis; this concatenates along axis 0}}
// expected-error @unknown {{node '/transpose_batch' (Transpose): the IMX500 computes nothing along the batch axis; this transpose moves axis 0}}
// expected-note @unknown 4 {{observed behaviour of Sony's converter, not a published limit}}
func.func @batch_axis(%x: tensor<1x1x200x200xf32> loc("x")) -> (tensor<1x40000xf32>, tensor<1x40000xf32>, tensor<2x1x200x200xf32>, tensor<1x1x200x200xf32>, tensor<1x200x200x1xf32>) {
  %row = pico.reshape %x : tensor<1x1x200x200xf32> -> tensor<1x40000xf32> loc("/row")
  %softmax_batch = pico.softmax %row {axis = -2 : i64} : tensor<1x40000xf32> -> tensor<1x40000xf32> loc("/softmax_batch")
  %softmax_long = pico.softmax %row : tensor<1x40000xf32> -> tensor<1x40000xf32> loc("/softmax_long")
  %concat_batch = pico.concat %x, %x {axis = 0 : i64} : (tensor<1x1x200x200xf32>, tensor<1x1x200x200xf32>) -> tensor<2x1x200x200xf32> loc("/concat_batch")
  %transpose_batch = pico.transpose %x {perm = array<i64: 1, 0, 2, 3>} : tensor<1x1x200x200xf32> -> tensor<1x1x200x200xf32> loc("/transpose_batch")
  // NCHW to NHWC keeps the batch axis: no error.
  %nhwc = pico.transpose %x {perm = array<i64: 0, 2, 3, 1>} : tensor<1x1x200x200xf32> -> tensor<1x200x200x1xf32> loc("/nhwc")
  return %softmax_batch, %softmax_long, %concat_batch, %transpose_batch, %nhwc : tensor<1x40000xf32>, tensor<1x40000xf32>, tensor<2x1x200x200xf32>, tensor<1x1x200x200xf32>, tensor<1x200x200x1xf32>
}

// -----

// Fused activations (MCT's IMX500 target): only ReLU, ReLU6/HardTanh or
// LeakyReLU fuse into Add/Sub/Mul/Div; a convolution or Gemm fuses any.
// expected-error @unknown {{node '/add+/sigmoid' (Add): the IMX500 fuses only ReLU, ReLU6/HardTanh (clip) or LeakyReLU into Add, Sub, Mul and Div; this carries sigmoid}}
// expected-error @unknown {{node '/mul+/tanh' (Mul): the IMX500 fuses only ReLU, ReLU6/HardTanh (clip) or LeakyReLU into Add, Sub, Mul and Div; this carries tanh}}
// expected-error @unknown {{node '/div+/hard_swish' (Div): the IMX500 fuses only ReLU, ReLU6/HardTanh (clip) or LeakyReLU into Add, Sub, Mul and Div; this carries hard_swish}}
// expected-note @unknown 3 {{from MCT's IMX500 target platform (Sony's public quantization toolkit), not a published limit of the converter}}
func.func @fused_activations(%x: tensor<1x3x64x64xf32> loc("x")) -> (tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32>, tensor<1x4xf32>) {
  %add = pico.add %x, %x {activation = #pico.act<sigmoid>} : tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32> -> tensor<1x3x64x64xf32> loc(fused["/add", "/sigmoid"])
  %mul = pico.mul %x, %x {activation = #pico.act<tanh>} : tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32> -> tensor<1x3x64x64xf32> loc(fused["/mul", "/tanh"])
  %div = pico.div %x, %x {activation = #pico.act<hard_swish>} : tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32> -> tensor<1x3x64x64xf32> loc(fused["/div", "/hard_swish"])
  %sub = pico.sub %x, %x {activation = #pico.act<clip, min = 0.0, max = 6.0>} : tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32> -> tensor<1x3x64x64xf32> loc(fused["/sub", "/relu6"])
  %leaky = pico.add %x, %x {activation = #pico.act<leaky_relu, alpha = 0.1>} : tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32> -> tensor<1x3x64x64xf32> loc(fused["/add2", "/leaky"])
  %row = pico.reshape %x : tensor<1x3x64x64xf32> -> tensor<1x12288xf32> loc("/row")
  %w = pico.constant dense<0.1> : tensor<12288x4xf32> loc("w")
  %fc = pico.gemm %row, %w {activation = #pico.act<tanh>} : (tensor<1x12288xf32>, tensor<12288x4xf32>) -> tensor<1x4xf32> loc(fused["/fc", "/fc_tanh"])
  return %add, %mul, %div, %sub, %leaky, %fc : tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32>, tensor<1x4xf32>
}

// -----

// A quantized function (MCT's IMX500 target): activations per tensor with a
// power-of-two scale and zero point 0 (the ops' verifiers accept any scale
// and zero point; a quantize's result may even be per axis or wider than 8
// bits), and no op computing in float between the input's quantize and the
// outputs' dequantize.
!input = !quant.uniform<i8:f32, 0.0625>
!weights = !quant.uniform<i8:f32:0, {0.25, 0.5, 0.125}>
// expected-error @unknown {{node '/conv' (Conv): the IMX500 quantizes activations per tensor to 8 or 16 bits with a power-of-two scale and zero point 0; this is !quant.uniform<i8:f32, 1.000000e-01:3>}}
// expected-error @unknown {{node '/per_axis' (QuantizeLinear): the IMX500 quantizes activations per tensor to 8 or 16 bits with a power-of-two scale and zero point 0; this is !quant.uniform<i8:f32:1, {6.250000e-02,1.250000e-01,2.500000e-01}>}}
// expected-error @unknown {{node '/wide' (QuantizeLinear): the IMX500 quantizes activations per tensor to 8 or 16 bits with a power-of-two scale and zero point 0; this is !quant.uniform<i32:f32, 6.250000e-02>}}
// expected-error @unknown {{node '/float_relu' (Relu): the IMX500 computes with integers only; in this quantized graph this op computes in f32}}
// expected-note @unknown 4 {{from MCT's IMX500 target platform (Sony's public quantization toolkit), not a published limit of the converter}}
func.func @quantized(%x: tensor<1x3x64x64xf32> loc("x")) -> (tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32>) {
  %q = pico.quantize %x : tensor<1x3x64x64xf32> -> tensor<1x3x64x64x!input> loc("/quantize")
  %w = pico.constant dense<1> : tensor<3x3x1x1xi8> -> tensor<3x3x1x1x!weights> loc("w")
  %conv = pico.conv2d %q, %w : (tensor<1x3x64x64x!input>, tensor<3x3x1x1x!weights>) -> tensor<1x3x64x64x!quant.uniform<i8:f32, 0.1:3>> loc("/conv")
  %d = pico.dequantize %conv : tensor<1x3x64x64x!quant.uniform<i8:f32, 0.1:3>> -> tensor<1x3x64x64xf32> loc("/dequantize")
  %float_relu = pico.relu %d : tensor<1x3x64x64xf32> -> tensor<1x3x64x64xf32> loc("/float_relu")
  %good = pico.relu %q : tensor<1x3x64x64x!input> -> tensor<1x3x64x64x!input> loc("/good_relu")
  %d2 = pico.dequantize %good : tensor<1x3x64x64x!input> -> tensor<1x3x64x64xf32> loc("/dequantize2")
  %per_axis = pico.quantize %x : tensor<1x3x64x64xf32> -> tensor<1x3x64x64x!quant.uniform<i8:f32:1, {0.0625, 0.125, 0.25}>> loc("/per_axis")
  %d3 = pico.dequantize %per_axis : tensor<1x3x64x64x!quant.uniform<i8:f32:1, {0.0625, 0.125, 0.25}>> -> tensor<1x3x64x64xf32> loc("/dequantize3")
  %wide = pico.quantize %x : tensor<1x3x64x64xf32> -> tensor<1x3x64x64x!quant.uniform<i32:f32, 0.0625>> loc("/wide")
  %d4 = pico.dequantize %wide : tensor<1x3x64x64x!quant.uniform<i32:f32, 0.0625>> -> tensor<1x3x64x64xf32> loc("/dequantize4")
  return %float_relu, %d2, %d3, %d4 : tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32>, tensor<1x3x64x64xf32>
}

// -----

// Weights 8-bit and symmetric (MCT's IMX500 target): the conv2d verifier
// requires both wherever integer semantics are defined.
!input = !quant.uniform<i8:f32, 0.0625>
func.func @asymmetric_weights(%x: tensor<1x3x64x64xf32> loc("x")) -> tensor<1x3x64x64x!input> {
  %q = pico.quantize %x : tensor<1x3x64x64xf32> -> tensor<1x3x64x64x!input> loc("/quantize")
  %w = pico.constant dense<1> : tensor<3x3x1x1xi8> -> tensor<3x3x1x1x!quant.uniform<i8:f32:0, {0.25, 0.5:2, 0.125}>> loc("w")
  // expected-error @+1 {{weights are symmetric (zero points 0)}}
  %conv = pico.conv2d %q, %w : (tensor<1x3x64x64x!input>, tensor<3x3x1x1x!quant.uniform<i8:f32:0, {0.25, 0.5:2, 0.125}>>) -> tensor<1x3x64x64x!input>
  return %conv : tensor<1x3x64x64x!input>
}

// -----

!input = !quant.uniform<i8:f32, 0.0625>
func.func @wide_weights(%x: tensor<1x3x64x64xf32> loc("x")) -> tensor<1x3x64x64x!input> {
  %q = pico.quantize %x : tensor<1x3x64x64xf32> -> tensor<1x3x64x64x!input> loc("/quantize")
  %w = pico.constant dense<1> : tensor<3x3x1x1xi16> -> tensor<3x3x1x1x!quant.uniform<i16:f32, 0.25>> loc("w")
  // expected-error @+1 {{integer semantics need signed 8-bit !quant.uniform weights}}
  %conv = pico.conv2d %q, %w : (tensor<1x3x64x64x!input>, tensor<3x3x1x1x!quant.uniform<i16:f32, 0.25>>) -> tensor<1x3x64x64x!input>
  return %conv : tensor<1x3x64x64x!input>
}
