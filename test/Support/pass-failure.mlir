// A failing pass is named with the op it ran on and the op's location; the
// op itself is not printed (MLIR's default printed the whole module with
// every error: 379 KB for PicoSAM3), unless asked for.
// RUN: not picosam-opt %s --pico-quantize -o %t.mlir 2>&1 | FileCheck %s --implicit-check-not="see current operation"
// RUN: not picosam-opt %s --pico-quantize 2>&1 | count 2
// RUN: not picosam-opt %s --pico-quantize --mlir-print-op-on-diagnostic 2>&1 | FileCheck %s --check-prefix=PRINTED
// A pass nested in func.func: the function is named.
// RUN: not picosam-opt %s --pico-plan-memory=budget=1 2>&1 | FileCheck %s --check-prefix=NESTED --implicit-check-not="see current operation"

// CHECK: error: pico-quantize needs a calibration table (table=<file>; picosam-compile --calibration-data makes one)
// CHECK: pass-failure.mlir:{{[0-9]+}}:{{[0-9]+}}: note: 'pico-quantize' failed on 'builtin.module'
// PRINTED: note: see current operation:
// NESTED: error: memory plan needs
// NESTED: pass-failure.mlir:[[@LINE+1]]:1: note: 'pico-plan-memory' failed on 'func.func' @main
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = pico.relu %x : tensor<4xf32> -> tensor<4xf32>
  return %r : tensor<4xf32>
}
