// RUN: picosam-opt %s --pico-imx500-estimate="mac-efficiency=0.5" -o /dev/null 2>&1 | FileCheck %s
// RUN: not picosam-opt %s --pico-imx500-estimate="layer-overhead-cycles=4000000" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOFIT
// RUN: not picosam-opt %s --pico-imx500-estimate="depthwise-efficiency=0" -o /dev/null 2>&1 | FileCheck %s --check-prefix=OPTIONS

// The cycle model by hand, with the MAC efficiency given (0.5: dense layers
// at 2304 x 0.5 = 1152 MACs/cycle, depthwise ones at 1152 x 0.125 = 144) and
// the other options at their defaults (32 elements/cycle without MACs, 1000
// cycles per device layer); microseconds are cycles / 262.5.
// - the separable block's depthwise 3x3 on 3x64x64: 3*64*64*9 = 110592
//   MACs / 144 = 768, + 1000 = 1768 cycles, 6.74 us;
// - its pointwise 3->8: 8*4096*3 = 98304 MACs / 1152 = 85.3, + 1000 = 1085;
// - add, 8x64x64 = 32768 elements / 32 = 1024, + 1000 = 2024 (7.71 us);
// - pointwise 8->8 with the add as residual: 262144 / 1152 = 227.6, the
//   add's 32768 elements / 32 = 1024, two layers 2000: 3251.6 (12.39 us);
// - depthwise 3x3 reading its input through a x2 upsample, 8x128x128
//   outputs: 1179648 / 144 = 8192, the upsampled 131072 elements / 32 =
//   4096, two layers: 14288 (54.43 us);
// - global_avg_pool of 8x128x128: 131072 / 32 = 4096 + 1000 = 5096;
// - the reshape is no layer; gemm 1x8 by 8x10: 80 MACs / 1152, + 1000 =
//   1000.07;
// - channel attention on 8x64x64: 64 MACs / 1152, reads and writes 32768
//   elements (2048 cycles), three layers: 5048.06.
// Total 33561.01 cycles = 0.128 ms; 8 ops, 12 device layers, 1650832 MACs.
// CHECK:      IMX500 latency ESTIMATE for @tiny (a cycle model, not a measurement: docs/imx500.md)
// CHECK-NEXT:   model: 2304 MACs/cycle at 262.5 MHz; dense layers at 50.00 % of the peak, depthwise ones at 0.125 of that; 32 elements/cycle without MACs; 1000 cycles per layer
// CHECK-NEXT:   layer      op                               MACs      cycles          us
// CHECK-NEXT:   dw         conv2d depthwise               110592        1768        6.74
// CHECK-NEXT:   pw         conv2d pointwise                98304        1085        4.13
// CHECK-NEXT:   sum        add                                 0        2024        7.71
// CHECK-NEXT:   skip+relu  conv2d pointwise +add          262144        3252       12.39
// CHECK-NEXT:   up         conv2d depthwise +upsample    1179648       14288       54.43
// CHECK-NEXT:   pool       global_avg_pool                     0        5096       19.41
// CHECK-NEXT:   fc         gemm                               80        1000        3.81
// CHECK-NEXT:   eca        channel_attention                  64        5048       19.23
// CHECK-NEXT:   total: 8 ops (12 device layers), 1650832 MACs, 33561 cycles, 0.128 ms (estimate)

// NOFIT: error: pico-imx500-estimate: with these options no MAC efficiency up to 100 % gives PicoSAM2 its measured 14.3 ms; lower layer-overhead-cycles or raise elements-per-cycle or depthwise-efficiency
// OPTIONS: error: pico-imx500-estimate: depthwise-efficiency must be in (0, 1], elements-per-cycle positive, layer-overhead-cycles at least 0 and mac-efficiency in [0, 1]
func.func @tiny(%x: tensor<1x3x64x64xf32> loc("x")) -> (tensor<1x10xf32>, tensor<1x8x64x64xf32>) {
  %wd = pico.constant dense<0.1> : tensor<3x1x3x3xf32> loc("wd")
  %wp = pico.constant dense<0.1> : tensor<8x3x1x1xf32> loc("wp")
  %block = pico.separable_block %x : tensor<1x3x64x64xf32> -> tensor<1x8x64x64xf32> {
  ^bb0(%in: tensor<1x3x64x64xf32>):
    %dw = pico.conv2d %in, %wd {group = 3 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x64x64xf32>, tensor<3x1x3x3xf32>) -> tensor<1x3x64x64xf32> loc("dw")
    %pw = pico.conv2d %dw, %wp : (tensor<1x3x64x64xf32>, tensor<8x3x1x1xf32>) -> tensor<1x8x64x64xf32> loc("pw")
    pico.yield %pw : tensor<1x8x64x64xf32>
  } loc(fused["dw", "pw"])
  %sum = pico.add %block, %block : tensor<1x8x64x64xf32>, tensor<1x8x64x64xf32> -> tensor<1x8x64x64xf32> loc("sum")
  %ws = pico.constant dense<0.1> : tensor<8x8x1x1xf32> loc("ws")
  %skip = pico.conv2d %block, %ws residual %sum {activation = #pico.act<relu>} : (tensor<1x8x64x64xf32>, tensor<8x8x1x1xf32>, tensor<1x8x64x64xf32>) -> tensor<1x8x64x64xf32> loc(fused["skip", "relu"])
  %wu = pico.constant dense<0.1> : tensor<8x1x3x3xf32> loc("wu")
  %up = pico.conv2d %skip, %wu {group = 8 : i64, input_upsample = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x64x64xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x128x128xf32> loc("up")
  %pool = pico.global_avg_pool %up : tensor<1x8x128x128xf32> -> tensor<1x8x1x1xf32> loc("pool")
  %flat = pico.reshape %pool : tensor<1x8x1x1xf32> -> tensor<1x8xf32> loc("flat")
  %wf = pico.constant dense<0.1> : tensor<8x10xf32> loc("wf")
  %fc = pico.gemm %flat, %wf : (tensor<1x8xf32>, tensor<8x10xf32>) -> tensor<1x10xf32> loc("fc")
  %wa = pico.constant dense<0.1> : tensor<8x8x1x1xf32> loc("wa")
  %eca = pico.channel_attention %skip, %wa : (tensor<1x8x64x64xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x64x64xf32> loc("eca")
  return %fc, %eca : tensor<1x10xf32>, tensor<1x8x64x64xf32>
}
