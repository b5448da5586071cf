// Every tool writes its outputs atomically (a temporary file renamed over
// the target on success) and refuses an output that is one of its inputs.
// RUN: rm -rf %t && mkdir %t && cp %s %t/in.mlir
// RUN: %python %S/../Interpreter/Inputs/save.py %t/x.npy float32 1x4 1
// RUN: echo old > %t/old && cp %t/old %t/out.mlir && cp %t/old %t/out.npy

// picosam-opt: a failing pass pipeline leaves an existing -o byte for byte.
// RUN: not picosam-opt %t/in.mlir --pico-quantize -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=OPT-FAIL
// OPT-FAIL: error: pico-quantize needs a calibration table
// RUN: cmp %t/old %t/out.mlir
// RUN: picosam-opt %t/in.mlir -o %t/out.mlir
// RUN: FileCheck %s --check-prefix=OPT-OUT < %t/out.mlir
// OPT-OUT: pico.relu
// No temporary file is left behind, on failure or success.
// RUN: ls -A %t | FileCheck %s --check-prefix=NO-TEMP --implicit-check-not=.tmp
// NO-TEMP: in.mlir

// -o naming the input, by any path, is refused and the input is intact.
// RUN: ln -s in.mlir %t/alias.mlir
// RUN: not picosam-opt %t/in.mlir -o %t/alias.mlir 2>&1 | FileCheck %s --check-prefix=OPT-SAME
// OPT-SAME: error: -o '{{.*}}alias.mlir' is the same file as the input '{{.*}}in.mlir'; refusing to overwrite an input
// RUN: cmp %s %t/in.mlir

// A write error names the file.
// RUN: not picosam-opt %t/in.mlir -o /dev/full 2>&1 | FileCheck %s --check-prefix=FULL
// FULL: error: /dev/full: No space left on device
// RUN: not picosam-opt %t/in.mlir -o %t/no-such-dir/out.mlir 2>&1 | FileCheck %s --check-prefix=NO-DIR
// NO-DIR: error: {{.*}}no-such-dir/out.mlir: No such file or directory

// picosam-compile: over budget, an existing -o survives; -o naming the input
// or a calibration table naming the model is refused; the memory report
// may not overwrite -o.
// RUN: cp %t/old %t/planned.mlir
// RUN: not picosam-compile %t/in.mlir --to=planned --memory-budget=10 -o %t/planned.mlir 2>&1 | FileCheck %s --check-prefix=OVER
// OVER: error: memory plan needs
// RUN: cmp %t/old %t/planned.mlir
// RUN: not picosam-compile %t/in.mlir --to=fused -o %t/in.mlir 2>&1 | FileCheck %s --check-prefix=COMPILE-SAME
// COMPILE-SAME: error: -o '{{.*}}in.mlir' is the same file as the input '{{.*}}in.mlir'; refusing to overwrite an input
// RUN: cmp %s %t/in.mlir
// RUN: not picosam-compile %t/in.mlir --to=planned --memory-report=%t/plan -o %t/plan.json 2>&1 | FileCheck %s --check-prefix=REPORT
// REPORT: error: -o '{{.*}}plan.json' and --memory-report '{{.*}}plan.json' are the same file
// RUN: not picosam-compile %t/in.mlir --to=quantized --calibration-data=%t/x.npy --calibration-table=%t/x.npy -o /dev/null 2>&1 | FileCheck %s --check-prefix=TABLE
// TABLE: error: --calibration-table '{{.*}}x.npy' is the same file as --calibration-data '{{.*}}x.npy'; refusing to overwrite an input
// RUN: not picosam-compile %t/in.mlir --to=fused -o /dev/full 2>&1 | FileCheck %s --check-prefix=FULL

// picosam-run: the outputs replace their targets together, so a failed
// --dump keeps an existing -o; an output naming an input is refused.
// RUN: not picosam-run %t/in.mlir -i %t/x.npy -o %t/out.npy --dump=%t/no-such-dir/d.npz 2>&1 | FileCheck %s --check-prefix=RUN-DUMP
// RUN-DUMP: picosam-run: error: {{.*}}no-such-dir/d.npz: No such file or directory
// RUN: cmp %t/old %t/out.npy
// RUN: not picosam-run %t/in.mlir -i %t/x.npy -o %t/x.npy 2>&1 | FileCheck %s --check-prefix=RUN-SAME
// RUN-SAME: picosam-run: error: -o '{{.*}}x.npy' is the same file as -i '{{.*}}x.npy'; refusing to overwrite an input
// RUN: not picosam-run %t/in.mlir -i %t/x.npy --compare=%t/out.npy --dump=%t/out.npy 2>&1 | FileCheck %s --check-prefix=RUN-COMPARE
// RUN-COMPARE: picosam-run: error: --dump '{{.*}}out.npy' is the same file as --compare '{{.*}}out.npy'; refusing to overwrite an input

// picosam-import: -o naming the model is refused.
// RUN: cp %models/picosam3.onnx %t/model.onnx
// RUN: not picosam-import %t/model.onnx -o %t/model.onnx 2>&1 | FileCheck %s --check-prefix=IMPORT-SAME
// IMPORT-SAME: error: -o '{{.*}}model.onnx' is the same file as the model '{{.*}}model.onnx'; refusing to overwrite an input
// RUN: cmp %models/picosam3.onnx %t/model.onnx

func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = pico.relu %x : tensor<1x4xf32> -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}
