// picosam-compile --target records the device as the module's #pico.target;
// quantization takes its profile and planning checks its memory (the
// device's, or --memory-budget/--memory-reserved).
// RUN: rm -rf %t && mkdir %t
// RUN: printf 'input -1 1 1\n/conv1 0 4 4\n/relu 0 4 4\n/conv2 0 30 30\n' > %t/table.txt

// Every stage's output carries the target.
// RUN: picosam-compile %s --target=imx500 --to=fused | FileCheck %s --check-prefix=FUSED
// FUSED: module attributes {pico.target = #pico.target<imx500, budget = 8388480, reserved = 1024>}

// The IMX500's memory, counted as Sony's converter reports it: model memory
// /conv1 8 output channels padded to 32 x 4 int8 weights + 32 x 4 bias + 32
// x 8 quantization parameters = 512, /conv2 32 x 8 + 128 + 256 = 640: 1,152;
// runtime memory: the arena 1,024 (the whole-tensor peak is 1,024 too, the
// two f32 results of step 1) + the persistent input's 64 elements = 1,088;
// + 1,024 reserved = 3,264 of 8,388,480 (0.04 %).
// RUN: picosam-compile %s --target=imx500 --to=planned -o /dev/null --memory-report=%t/imx500 2>&1 | FileCheck %s --check-prefix=IMX500
// IMX500:      Model Memory Physical Size           1,152 bytes  (2 weighted layers, output channels padded to 32:
// IMX500-NEXT: Runtime Memory Physical Size         1,088 bytes  (the arena; the whole-tensor peak is 1,024; + the persistent input 64)
// IMX500-NEXT: Reserved Memory                      1,024 bytes
// IMX500-NEXT: Memory Usage                         3,264 bytes
// IMX500-NEXT: Total Memory Available On Chip   8,388,480 bytes
// IMX500-NEXT: Memory Utilization                     0.0 %
// IMX500-NEXT: Fit In Chip                            yes
// IMX500-NEXT: Input Persistent                       yes

// --memory-budget and --memory-reserved give the target's memory.
// RUN: not picosam-compile %s --target=imx500 --to=planned --memory-budget=2000 -o /dev/null 2>&1 | FileCheck %s --check-prefix=OVER
// OVER: error: memory plan needs 3,264 bytes, 2,000 available (model memory 1,152 + runtime memory 1,088 + reserved 1,024; over by 1,264)
// RUN: picosam-compile %s --target=cpu --to=planned --memory-budget=2000 --memory-reserved=100 -o %t/cpu.mlir
// RUN: FileCheck %s --check-prefix=CPU < %t/cpu.mlir
// CPU: module attributes {pico.target = #pico.target<cpu, budget = 2000, reserved = 100>}

// Quantizing for the IMX500 takes its profile: unsigned after the relu,
// power-of-two scales; --profile may repeat it, not contradict it.
// RUN: picosam-compile %s --target=imx500 --to=quantized --calibration-table=%t/table.txt | FileCheck %s --check-prefix=PROFILE
// RUN: picosam-compile %s --target=imx500 --profile=imx500 --to=quantized --calibration-table=%t/table.txt | FileCheck %s --check-prefix=PROFILE
// PROFILE: pico.conv2d {{.*}} -> tensor<1x8x4x4x!quant.uniform<u8:f32, 1.562500e-02>>
// RUN: not picosam-compile %s --target=cpu --profile=imx500 --to=quantized --calibration-table=%t/table.txt 2>&1 | FileCheck %s --check-prefix=CONTRADICTS
// RUN: %python %S/../Interpreter/Inputs/save.py %t/x.npy float32 1x4x4x4 0.5
// RUN: not picosam-compile %s --target=cpu --profile=imx500 --to=quantized --calibration-data=%t/x.npy 2>&1 | FileCheck %s --check-prefix=CONTRADICTS
// CONTRADICTS:     error: profile 'imx500' contradicts the module's target 'cpu', which quantizes with the cpu profile
// CONTRADICTS-NOT: {{.}}
// The same for the target a stage carries, refused before calibrating.
// RUN: picosam-compile %s --target=imx500 --to=imported -o %t/imx500.mlir
// RUN: not picosam-compile %t/imx500.mlir --profile=cpu --to=quantized --calibration-table=%t/table.txt 2>&1 | FileCheck %s --check-prefix=CONTRADICTS-STAGE
// RUN: not picosam-compile %t/imx500.mlir --profile=cpu --to=quantized --calibration-data=%t/x.npy 2>&1 | FileCheck %s --check-prefix=CONTRADICTS-STAGE
// CONTRADICTS-STAGE:     error: profile 'cpu' contradicts the module's target 'imx500', which quantizes with the imx500 profile
// CONTRADICTS-STAGE-NOT: {{.}}
// --to=network is the IMX500's network file.
// RUN: not picosam-compile %s --target=cpu --to=network --calibration-table=%t/table.txt 2>&1 | FileCheck %s --check-prefix=NETWORK
// NETWORK: error: --to=network writes the IMX500 network file: it needs --target=imx500 (a CPU program is --target=cpu --emit=exe)

// A stage's output keeps its target: the next stage reads it.
// RUN: picosam-compile %s --target=imx500 --to=fused -o %t/fused.mlir
// RUN: not picosam-compile %t/fused.mlir --to=planned --memory-budget=2000 -o /dev/null 2>&1 | FileCheck %s --check-prefix=OVER

// Options that do not apply to the stage, or to the input, are refused.
// RUN: not picosam-compile %s --to=fused --profile=imx500 2>&1 | FileCheck %s --check-prefix=PROFILE-STAGE
// PROFILE-STAGE: error: --profile needs --to=quantized or --to=network (or --to=planned with calibration)
// RUN: not picosam-compile %s --to=quantized --calibration-table=%t/table.txt --calibration-method=kl 2>&1 | FileCheck %s --check-prefix=METHOD
// METHOD: error: --calibration-method and --calibration-percentile need --calibration-data
// RUN: not picosam-compile %s --to=quantized --calibration-data=%t/x.npy --calibration-percentile=99 2>&1 | FileCheck %s --check-prefix=PERCENTILE
// PERCENTILE: error: --calibration-percentile needs --calibration-method=percentile
// A percentile outside (0, 100], NaN included, is refused.
// RUN: not picosam-compile %s --to=quantized --calibration-data=%t/x.npy --calibration-method=percentile --calibration-percentile=-5 2>&1 | FileCheck %s --check-prefix=PERCENTILE-RANGE -DVALUE=-5
// RUN: not picosam-compile %s --to=quantized --calibration-data=%t/x.npy --calibration-method=percentile --calibration-percentile=0 2>&1 | FileCheck %s --check-prefix=PERCENTILE-RANGE -DVALUE=0
// RUN: not picosam-compile %s --to=quantized --calibration-data=%t/x.npy --calibration-method=percentile --calibration-percentile=101 2>&1 | FileCheck %s --check-prefix=PERCENTILE-RANGE -DVALUE=101
// RUN: not picosam-compile %s --to=quantized --calibration-data=%t/x.npy --calibration-method=percentile --calibration-percentile=nan 2>&1 | FileCheck %s --check-prefix=PERCENTILE-RANGE -DVALUE=nan
// PERCENTILE-RANGE: error: --calibration-percentile must be in (0, 100], got [[VALUE]]
// RUN: not picosam-compile %s --input-shape=input:1x4x4x4 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: error: --input-shape and --max-fold-elements need an ONNX model as input

func.func @main(%x: tensor<1x4x4x4xf32> loc("input")) -> tensor<1x8x4x4xf32> {
  %w1 = pico.constant dense<0.5> : tensor<8x4x1x1xf32> loc("w1")
  %w2 = pico.constant dense<0.5> : tensor<8x8x1x1xf32> loc("w2")
  %c = pico.conv2d %x, %w1 : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv1")
  %r = pico.relu %c : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32> loc("/relu")
  %d = pico.conv2d %r, %w2 : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv2")
  return %d : tensor<1x8x4x4xf32>
}
