// RUN: picosam-opt %s --pico-plan-memory="alignment=1 schedule-beam-width=0 budget=1500 reserved=100" -verify-diagnostics
// RUN: picosam-opt %s --pico-plan-memory="alignment=1 schedule-beam-width=0 budget=1408" | FileCheck %s --check-prefix=FITS
// The module's #pico.target gives the budget; the options override it.
// RUN: picosam-opt %s --pico-set-target="budget=1500 reserved=100" --pico-plan-memory="alignment=1 schedule-beam-width=0" -verify-diagnostics
// RUN: picosam-opt %s --pico-set-target="budget=1000 reserved=100" --pico-plan-memory="alignment=1 schedule-beam-width=0 budget=1500" -verify-diagnostics
// RUN: picosam-opt %s --pico-set-target="budget=1000" --pico-plan-memory="alignment=1 schedule-beam-width=0 budget=1408" | FileCheck %s --check-prefix=FITS
// RUN: picosam-opt %s --pico-set-target=target=imx500 --pico-plan-memory="alignment=1 schedule-beam-width=0" | FileCheck %s --check-prefix=FITS

// The chain of plan-memory.mlir: weights 384 + arena 1024 = 1408 bytes, the
// peak (1024) at step 2, where the relu's result (read there) and the
// second conv's are live. With 100 bytes reserved, a budget of 1500 is 8
// bytes short: the error is at the op of the peak step, naming what is live
// (an op without a name is called as picosam-run calls it). Without
// reserved bytes, 1408 fits.

// FITS: pico.memory_plan<arena = 1024
func.func @chain(%x: tensor<1x4x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %w1 = pico.constant dense<0.5> : tensor<8x4x1x1xf32>
  %w2 = pico.constant dense<0.5> : tensor<8x8x1x1xf32>
  %c = pico.conv2d %x, %w1 : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32>
  %r = pico.relu %c : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32> loc("/relu")
  // expected-error @+1 {{memory plan needs 1,508 bytes, 1,500 available (weights 384 + arena 1,024 + reserved 100; over by 8); the peak is here, at step 2, with 2 tensor(s) live: '/relu' (512), 'pico.conv2d#1' (512)}}
  %d = pico.conv2d %r, %w2 : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %d : tensor<1x8x4x4xf32>
}
