// The kl method's guard (docs/quantization.md, "Methods"): on a tensor of
// narrow range away from 0, like a squeeze-and-excitation gate in
// [0.18, 0.91], TensorRT's KL search collapses to the bottom of the range
// (threshold 0.18: the histogram clipped there is one bin, and so is its
// quantization, so their divergence is 0), which would clamp every value to
// 0.18. A kl threshold below the 90th percentile of |x| is taken for that
// collapse: the tensor takes the mse threshold, and picosam-compile warns,
// naming it, on stderr and in the table.
// RUN: rm -rf %t && mkdir %t
// RUN: %python -c "import numpy; numpy.save('%t/gates.npy', numpy.random.default_rng(0).uniform(0.18, 0.91, (16, 1, 8, 8)).astype('float32'))"
// RUN: picosam-compile %s --to=quantized --profile=cpu --calibration-data=%t/gates.npy --calibration-method=kl --calibration-table=%t/cpu.txt -o %t/cpu.mlir 2>&1 | FileCheck %s --check-prefix=WARN-CPU
// RUN: FileCheck %s --check-prefix=TABLE-CPU < %t/cpu.txt
// RUN: FileCheck %s --check-prefix=IR-CPU < %t/cpu.mlir
// RUN: picosam-compile %s --to=quantized --profile=imx500 --calibration-data=%t/gates.npy --calibration-method=kl --calibration-table=%t/imx500.txt -o %t/imx500.mlir 2>&1 | FileCheck %s --check-prefix=WARN-IMX500
// RUN: FileCheck %s --check-prefix=IR-IMX500 < %t/imx500.mlir
// The table read back quantizes the same (its warnings are comments).
// RUN: picosam-compile %s --to=quantized --profile=cpu --calibration-table=%t/cpu.txt -o %t/cpu-table.mlir 2>&1 | count 0
// RUN: diff %t/cpu.mlir %t/cpu-table.mlir
// The quantized gates keep their range: the largest output is the largest
// input within a step (3.56e-3), not 0.18.
// RUN: %python -c "import numpy; numpy.save('%t/x.npy', numpy.linspace(0.18, 0.91, 64, dtype='float32').reshape(1, 1, 8, 8))"
// RUN: picosam-run %t/cpu.mlir -i %t/x.npy -o %t/y.npy
// RUN: %python -c "import numpy; y = numpy.load('%t/y.npy'); print('max', round(float(y.max()), 3), 'min', round(float(y.min()), 3))" | FileCheck %s --check-prefix=OUT
// The other methods never collapse this way, and no warning is given.
// RUN: picosam-compile %s --to=quantized --profile=cpu --calibration-data=%t/gates.npy --calibration-method=mse -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOWARN
// RUN: picosam-compile %s --to=quantized --profile=cpu --calibration-data=%t/gates.npy --calibration-method=percentile -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOWARN

// WARN-CPU:      calibrating, histograms: 16/16
// WARN-CPU-NEXT: warning: kl calibration collapsed on 'input' (values in [0.180139, 0.909636]): its threshold 0.180328 clips more than 10 % of them; the mse threshold 0.907415 is taken instead
// WARN-CPU-NEXT: warning: kl calibration collapsed on 'gate' (values in [0.180139, 0.909636]): its threshold 0.180328 clips more than 10 % of them; the mse threshold 0.907415 is taken instead
// WARN-CPU-NOT:  warning

// TABLE-CPU:      # picosam calibration table
// TABLE-CPU-NEXT: # method: kl, profile: cpu, samples: 16 ({{.*}}gates.npy)
// TABLE-CPU-NEXT: # warning: kl calibration collapsed on 'input' (values in [0.180139, 0.909636]): its threshold 0.180328 clips more than 10 % of them; the mse threshold 0.907415 is taken instead
// TABLE-CPU-NEXT: # warning: kl calibration collapsed on 'gate' (values in [0.180139, 0.909636]): its threshold 0.180328 clips more than 10 % of them; the mse threshold 0.907415 is taken instead
// TABLE-CPU-NEXT: # name min max threshold
// TABLE-CPU-NEXT: input 0.180138707 0.909635961 0.907415152
// TABLE-CPU-NEXT: gate 0.180138707 0.909635961 0.907415152

// IR-CPU: pico.quantize %arg0 : tensor<1x1x8x8xf32> -> tensor<1x1x8x8x!quant.uniform<i8:f32, 0.0035584907905728208:-128>>

// Under imx500 the mse threshold becomes a power of two, as any method's.
// WARN-IMX500: warning: kl calibration collapsed on 'input' (values in [0.180139, 0.909636]): its threshold 0.180328 clips more than 10 % of them; the mse threshold 1 is taken instead
// IR-IMX500: pico.quantize %arg0 : tensor<1x1x8x8xf32> -> tensor<1x1x8x8x!quant.uniform<u8:f32, 3.906250e-03>>

// OUT: max 0.907 min 0.18

// NOWARN-NOT: warning

func.func @main(%x: tensor<1x1x8x8xf32> loc("input")) -> tensor<1x1x8x8xf32> {
  %0 = pico.relu %x : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xf32> loc("gate")
  return %0 : tensor<1x1x8x8xf32>
}
