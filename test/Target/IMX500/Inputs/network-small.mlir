// A fused float model with every operator the IMX500 network file has: a
// separable block, a strided conv, an upsampling block streaming into a
// residual conv, channel attention and a 1x1 head; quantized (imx500
// profile) from network-small-table.txt and planned with tiled blocks by
// the tests (network.test, ctest imx500.network-file).
func.func @main(%x: tensor<1x3x8x8xf32> loc("input")) -> tensor<1x1x8x8xf32> {
  %wd1 = pico.constant dense<[[[[0.5, -0.25, 0.125], [0.25, 1.0, -0.5], [0.0, 0.25, 0.5]]], [[[-0.5, 0.25, 0.75], [0.5, -1.0, 0.5], [0.25, 0.0, -0.25]]], [[[0.125, 0.5, -0.5], [1.0, 0.5, 0.25], [-0.25, 0.5, 0.0]]]]> : tensor<3x1x3x3xf32> loc("enc.dw.weight")
  %bd1 = pico.constant dense<[0.1, -0.2, 0.3]> : tensor<3xf32> loc("enc.dw.bias")
  %wp1 = pico.constant dense<[[[[0.5]], [[-0.25]], [[0.75]]], [[[0.25]], [[0.5]], [[-0.5]]], [[[-0.75]], [[0.25]], [[0.5]]], [[[1.0]], [[-0.5]], [[0.25]]], [[[0.5]], [[0.5]], [[0.5]]], [[[-0.25]], [[0.75]], [[-0.5]]], [[[0.125]], [[-0.375]], [[0.625]]], [[[0.25]], [[0.25]], [[-0.75]]]]> : tensor<8x3x1x1xf32> loc("enc.pw.weight")
  %bp1 = pico.constant dense<[0.0, 0.1, -0.1, 0.2, -0.2, 0.3, -0.3, 0.05]> : tensor<8xf32> loc("enc.pw.bias")
  %wdown = pico.constant dense<0.0625> : tensor<8x8x3x3xf32> loc("down.weight")
  %wd2 = pico.constant dense<[[[[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]]], [[[0.5, -0.5, 0.5], [-0.5, 1.0, -0.5], [0.5, -0.5, 0.5]]], [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]], [[[-0.1, 0.2, -0.3], [0.4, -0.5, 0.6], [-0.7, 0.8, -0.9]]], [[[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]]], [[[0.5, -0.5, 0.5], [-0.5, 1.0, -0.5], [0.5, -0.5, 0.5]]], [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]], [[[-0.1, 0.2, -0.3], [0.4, -0.5, 0.6], [-0.7, 0.8, -0.9]]]]> : tensor<8x1x3x3xf32> loc("dec.dw.weight")
  %wp2 = pico.constant dense<0.125> : tensor<8x8x1x1xf32> loc("dec.pw.weight")
  %wskip = pico.constant dense<-0.25> : tensor<8x8x1x1xf32> loc("skip.weight")
  %bskip = pico.constant dense<0.5> : tensor<8xf32> loc("skip.bias")
  %weca = pico.constant dense<0.1> : tensor<8x8x1x1xf32> loc("eca.weight")
  %whead = pico.constant dense<[[[[0.5]], [[-0.5]], [[0.25]], [[-0.25]], [[0.75]], [[-0.75]], [[1.0]], [[-1.0]]]]> : tensor<1x8x1x1xf32> loc("head.weight")
  %bhead = pico.constant dense<0.1> : tensor<1xf32> loc("head.bias")
  %e = pico.separable_block %x : tensor<1x3x8x8xf32> -> tensor<1x8x8x8xf32> {
  ^bb0(%in: tensor<1x3x8x8xf32> loc("input")):
    %dw = pico.conv2d %in, %wd1, %bd1 {activation = #pico.act<relu>, group = 3 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<3x1x3x3xf32>, tensor<3xf32>) -> tensor<1x3x8x8xf32> loc(fused["enc/dw", "enc/dw_relu"])
    %pw = pico.conv2d %dw, %wp1, %bp1 {activation = #pico.act<relu>} : (tensor<1x3x8x8xf32>, tensor<8x3x1x1xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32> loc(fused["enc/dw", "enc/dw_relu", "enc/pw", "enc/pw_relu"])
    pico.yield %pw : tensor<1x8x8x8xf32> loc("enc/yield")
  } loc(fused["enc/dw", "enc/dw_relu", "enc/pw", "enc/pw_relu"])
  %d = pico.conv2d %e, %wdown {activation = #pico.act<relu>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x4x4xf32> loc(fused["down", "down_relu"])
  %u = pico.separable_block %d : tensor<1x8x4x4xf32> -> tensor<1x8x8x8xf32> {
  ^bb0(%in: tensor<1x8x4x4xf32> loc(fused["down", "down_relu"])):
    %dw = pico.conv2d %in, %wd2 {activation = #pico.act<relu>, group = 8 : i64, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x4x4xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32> loc(fused["up", "dec/dw", "dec/dw_relu"])
    %pw = pico.conv2d %dw, %wp2 {activation = #pico.act<relu>} : (tensor<1x8x8x8xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x8x8xf32> loc(fused["up", "dec/dw", "dec/dw_relu", "dec/pw", "dec/pw_relu"])
    pico.yield %pw : tensor<1x8x8x8xf32> loc("dec/yield")
  } loc(fused["up", "dec/dw", "dec/dw_relu", "dec/pw", "dec/pw_relu"])
  %s = pico.conv2d %e, %wskip, %bskip residual %u : (tensor<1x8x8x8xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32> loc(fused["skip", "add"])
  %a = pico.channel_attention %s, %weca : (tensor<1x8x8x8xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x8x8xf32> loc(fused["eca/pool", "eca/fc", "eca/sigmoid", "eca/mul"])
  %h = pico.conv2d %a, %whead, %bhead : (tensor<1x8x8x8xf32>, tensor<1x8x1x1xf32>, tensor<1xf32>) -> tensor<1x1x8x8xf32> loc("head")
  return %h : tensor<1x1x8x8xf32>
}
