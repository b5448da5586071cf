// The IMX500's memory accounting in --pico-plan-memory's budget check
// (docs/imx500.md "Memory accounting"), on the chain of
// test/Analysis/plan-memory-budget.mlir, counted by hand:
//   model memory: /conv1 (8 output channels, 4 weights each) padded to 32
//     channels: 32 x 4 int8 weights + 32 x 4 bytes of bias + 32 x 8 bytes of
//     quantization parameters = 512; /conv2 (8 x 8): 256 + 128 + 256 = 640;
//     1,152 in all (no bias in the IR: the device's is counted anyway);
//   runtime memory: the arena 1,024 (f32: the relu's result and /conv2's at
//     step 2); the whole-tensor peak is 1,024 too (step 1: the conv's result
//     and the relu's written over it, as two tensors); + the persistent
//     input, 1x4x4x4 = 64 bytes at 8 bits: 1,088;
//   reserved 1,024: 3,264 bytes.
// RUN: picosam-opt %s --pico-set-target="target=imx500 budget=3000" --pico-plan-memory="alignment=1 schedule-beam-width=0" -verify-diagnostics
// RUN: picosam-opt %s --pico-set-target="target=imx500 budget=3264" --pico-plan-memory="alignment=1 schedule-beam-width=0" | FileCheck %s --check-prefix=FITS
// Without input persistence: 3,200 bytes; over 3,199, within 3,200.
// RUN: not picosam-opt %s --pico-set-target="target=imx500 budget=3199" --pico-plan-memory="alignment=1 schedule-beam-width=0 input-persistent=false" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOT-PERSISTENT
// NOT-PERSISTENT: error: memory plan needs 3,200 bytes, 3,199 available (model memory 1,152 + runtime memory 1,024 + reserved 1,024; over by 1)
// RUN: picosam-opt %s --pico-set-target="target=imx500 budget=3200" --pico-plan-memory="alignment=1 schedule-beam-width=0 input-persistent=false" | FileCheck %s --check-prefix=FITS
// Groups of 8 pad nothing here: /conv1 32 + 32 + 64 = 128, /conv2 64 + 32 + 64
// = 160; 288 + 1,088 + 1,024 = 2,400.
// RUN: not picosam-opt %s --pico-set-target="target=imx500 budget=2399" --pico-plan-memory="alignment=1 schedule-beam-width=0 output-channel-group=8" -o /dev/null 2>&1 | FileCheck %s --check-prefix=GROUP
// GROUP: error: memory plan needs 2,400 bytes, 2,399 available (model memory 288 + runtime memory 1,088 + reserved 1,024; over by 1)
// RUN: picosam-opt %s --pico-set-target="target=imx500 budget=2400" --pico-plan-memory="alignment=1 schedule-beam-width=0 output-channel-group=8" | FileCheck %s --check-prefix=FITS
// The CPU (or no target) counts weights as typed + arena: 384 + 1,024 +
// 1,024 = 2,432 fits 3,000.
// RUN: picosam-opt %s --pico-set-target="target=cpu budget=3000 reserved=1024" --pico-plan-memory="alignment=1 schedule-beam-width=0" | FileCheck %s --check-prefix=FITS

// FITS: pico.memory_plan<arena = 1024
func.func @chain(%x: tensor<1x4x4x4xf32> loc("input")) -> tensor<1x8x4x4xf32> {
  %w1 = pico.constant dense<0.5> : tensor<8x4x1x1xf32>
  %w2 = pico.constant dense<0.5> : tensor<8x8x1x1xf32>
  %c = pico.conv2d %x, %w1 : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv1")
  %r = pico.relu %c : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32> loc("/relu")
  // expected-error @+1 {{memory plan needs 3,264 bytes, 3,000 available (model memory 1,152 + runtime memory 1,088 + reserved 1,024; over by 264); the peak is here, at step 2, with 2 tensor(s) live: '/relu' (512), 'pico.conv2d#1' (512)}}
  %d = pico.conv2d %r, %w2 : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %d : tensor<1x8x4x4xf32>
}
