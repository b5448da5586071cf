// picosam-compile --target=cpu --emit: the planned graph compiled for the
// CPU, stopping at each stage of the lowering or packaged (docs/cli.md).
// RUN: rm -rf %t && mkdir %t
// RUN: printf 'input -1 1 1\n/conv1 0 4 4\n/relu 0 4 4\n/conv2 0 30 30\n' > %t/table.txt

// In FP32, the entry, renamed, takes the input, the output and the arena; the
// convs are kernel calls (the relu fused into the first). The arena is the
// 1024 planned bytes and the kernels' workspace after them: the reference
// kernel computes a row at a time, so the second conv's 4 sums of a row (64
// bytes, each array rounded up to 64) and the 8x1x4 input row they read
// loaded (128).
// RUN: picosam-compile %s --target=cpu --emit=kernel-calls | FileCheck %s --check-prefix=FP32
// FP32-LABEL: func.func @picosam_model(%arg0: memref<1x4x4x4xf32> {{.*}}%arg1: memref<1x8x4x4xf32> {{.*}}%arg2: memref<1216xi8>
// FP32-SAME: arena = 1024,
// FP32-COUNT-2: call @picosam_uk_conv2d_f32(
// FP32-NOT: pico.conv2d

// INT8 (the table's scales): quantize, the integer convs, dequantize.
// RUN: picosam-compile %s --target=cpu --precision=int8 --calibration-table=%t/table.txt --entry-name=tiny --emit=kernel-calls | FileCheck %s --check-prefix=INT8
// INT8-LABEL: func.func @tiny(
// INT8: call @picosam_uk_quantize(
// INT8-COUNT-2: call @picosam_uk_conv2d_q8(
// INT8: call @picosam_uk_dequantize(

// The stages before and after: the arena form, the LLVM dialect.
// RUN: picosam-compile %s --target=cpu --emit=arena | FileCheck %s --check-prefix=ARENA
// ARENA: func.func @main({{.*}}: memref<1024xi8> {pico.arena}
// RUN: picosam-compile %s --target=cpu --emit=llvm-dialect | FileCheck %s --check-prefix=LLVM
// LLVM: llvm.func @picosam_model(%arg0: !llvm.ptr {{.*}}%arg1: !llvm.ptr {{.*}}%arg2: !llvm.ptr

// The program, from the planned stage, gives picosam-run --planned's
// logits byte for byte (INT8).
// RUN: picosam-compile %s --target=cpu --to=planned --calibration-table=%t/table.txt -o %t/planned.mlir
// RUN: picosam-compile %t/planned.mlir --target=cpu --emit=exe -o %t/tiny
// A program is never renamed over a device (it replaced /dev/null).
// RUN: not picosam-compile %t/planned.mlir --target=cpu --emit=exe -o /dev/null 2>&1 | FileCheck %s --check-prefix=DEVICE
// RUN: test -c /dev/null
// DEVICE: error: --emit=exe writes a program file, but -o '/dev/null' is not a regular file
// RUN: %python %S/../Interpreter/Inputs/save.py %t/x.npy float32 1x4x4x4 0.5
// RUN: picosam-run %t/planned.mlir --planned -i %t/x.npy -o %t/expected.npy
// RUN: %t/tiny --input %t/x.npy --output %t/logits.npy
// RUN: %python -c "import numpy as np, sys; a = np.load(sys.argv[1]); b = np.load(sys.argv[2]); sys.exit(0 if a.shape == b.shape and a.tobytes() == b.tobytes() else 1)" %t/expected.npy %t/logits.npy

// Profiled (--profile-kernels), the same logits; --profile prints each op's
// time, MACs (8 x 4 x 16 and 8 x 8 x 16) and calls per network run (1 + 3
// bench runs; in raw mode the job is the network, not timed twice) in the
// order first called, --latencies one line per bench run. Without the
// hooks, --profile is refused.
// RUN: picosam-compile %t/planned.mlir --target=cpu --emit=exe --profile-kernels -o %t/tiny-profiled
// RUN: %t/tiny-profiled --input %t/x.npy --output %t/profiled.npy --bench 3 --latencies %t/latencies.txt --profile | FileCheck %s --check-prefix=PROFILE
// RUN: cmp %t/logits.npy %t/profiled.npy
// RUN: FileCheck %s --check-prefix=LATENCIES --input-file=%t/latencies.txt
// PROFILE: bench: 3 runs, after one warm-up run
// PROFILE-NOT: job
// PROFILE: profile: 4 ops, per network run (mean of 4 runs)
// PROFILE-NEXT: ms share MACs GMAC/s calls op
// PROFILE-NEXT: {{[0-9.]+ +[0-9.]+% +0 +[0-9.]+ +1}} input/quantize
// PROFILE-NEXT: {{[0-9.]+ +[0-9.]+% +512 +[0-9.]+ +1}} /conv1+/relu
// PROFILE-NEXT: {{[0-9.]+ +[0-9.]+% +1024 +[0-9.]+ +1}} /conv2
// PROFILE-NEXT: {{[0-9.]+ +[0-9.]+% +0 +[0-9.]+ +1}} /conv2/dequantize
// PROFILE-NEXT: {{[0-9.]+ +100.0% +1536 +[0-9.]+}} total of the kernel calls
// LATENCIES-COUNT-3: {{^[0-9]+\.[0-9]{6}$}}
// LATENCIES-NOT: {{.}}
// RUN: not %t/tiny --input %t/x.npy --profile 2>&1 | FileCheck %s --check-prefix=NO-HOOKS
// NO-HOOKS: error: --profile: the linked network has no profiling hooks (compile it with picosam-compile --profile-kernels)
// RUN: not %t/tiny --input %t/x.npy --latencies %t/l.txt 2>&1 | FileCheck %s --check-prefix=NO-BENCH
// NO-BENCH: error: --latencies needs --bench

// The library and its header.
// RUN: picosam-compile %s --target=cpu --cpu=x86-64 --emit=lib -o %t/tiny.a
// RUN: FileCheck %s --check-prefix=HEADER --input-file=%t/tiny.a.h
// HEADER: void picosam_model(const float *input, float *logits, void *arena);
// RUN: llvm-nm %t/tiny.a | FileCheck %s --check-prefix=SYMBOLS
// SYMBOLS-DAG: T picosam_model
// SYMBOLS-DAG: T picosam_uk_conv2d_f32

// Refused.
// RUN: not picosam-compile %s --emit=obj 2>&1 | FileCheck %s --check-prefix=NO-TARGET
// NO-TARGET: error: a CPU --emit needs --target=cpu (and no --to, or --to=planned)
// RUN: not picosam-compile %s --target=cpu --to=fused --emit=obj 2>&1 | FileCheck %s --check-prefix=NO-TARGET
// RUN: not picosam-compile %s --target=cpu --cpu=x86-64 --to=planned 2>&1 | FileCheck %s --check-prefix=CPU
// CPU: error: --cpu, --entry-name, --profile-kernels and --row-bands need a CPU --emit (obj, lib, exe, ...)
// RUN: not picosam-compile %s --target=cpu --precision=int8 --emit=obj 2>&1 | FileCheck %s --check-prefix=PRECISION
// PRECISION: error: --precision=int8 needs --calibration-data or --calibration-table
// RUN: not picosam-compile %s --target=cpu --emit=exe 2>&1 | FileCheck %s --check-prefix=OUTPUT
// OUTPUT: error: --emit=lib and --emit=exe need -o <file>

func.func @main(%x: tensor<1x4x4x4xf32> loc("input")) -> tensor<1x8x4x4xf32> {
  %w1 = pico.constant dense<0.5> : tensor<8x4x1x1xf32> loc("w1")
  %w2 = pico.constant dense<0.5> : tensor<8x8x1x1xf32> loc("w2")
  %c = pico.conv2d %x, %w1 : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv1")
  %r = pico.relu %c : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32> loc("/relu")
  %d = pico.conv2d %r, %w2 : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv2")
  return %d : tensor<1x8x4x4xf32>
}
