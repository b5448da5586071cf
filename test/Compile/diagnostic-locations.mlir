// picosam-compile, picosam-run and picosam-translate print a diagnostic at
// an op named by ONNX nodes with the op's names, joined with '+' for a fused
// op as the dumps and calibration tables name it (docs/cli.md), not as a raw
// loc(fused[...]), and without printing the op (or its whole function).
// RUN: rm -rf %t && mkdir %t
// A run-time error at a fused op, from picosam-run.
// RUN: %python %S/../Interpreter/Inputs/save.py %t/i8.npy int8 4 1
// RUN: not picosam-run %s --entry=integer -i %t/i8.npy 2>&1 | FileCheck %s --check-prefix=RUN-ERROR --match-full-lines
// RUN-ERROR:      /x/Clip+/x/Relu: error: 'pico.relu' op reference implementation computes in f32, but operand #0 is 'tensor<4xi8>'
// RUN-ERROR-NEXT: picosam-run: error: running @integer failed
// RUN-ERROR-NOT:  {{.}}

// A compile-time error at a fused op of a .mlir input, from picosam-compile.
// RUN: echo "input 0 1 1" > %t/table.txt
// RUN: not picosam-compile %s --to=quantized --calibration-table=%t/table.txt -o %t/q.mlir 2>&1 | FileCheck %s --check-prefix=COMPILE --match-full-lines
// COMPILE:      /enc/dw/Conv+/enc/dw_relu/Relu: error: 'pico.relu' op no calibration entry for '/enc/dw/Conv+/enc/dw_relu/Relu' (nor for '/enc/dw_relu/Relu') in '{{.*}}table.txt': calibrate this model, or keep the op that computes it in float (float-layers)
// COMPILE-NOT:  {{.}}

// A location without names (a position in this file: the function) shows
// its line, and the function is not printed.
// RUN: not picosam-translate --pico-to-imx500-network %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=TRANSLATE
// TRANSLATE:      diagnostic-locations.mlir:{{[0-9]+}}:1: error: the IMX500 network needs a memory plan: plan the function first (--pico-plan-memory, picosam-compile --to=planned)
// TRANSLATE-NEXT: func.func @main(%x: tensor<1x4xf32> loc("input")) -> tensor<1x4xf32> {
// TRANSLATE-NEXT: ^
// TRANSLATE-NOT:  {{.}}

func.func @main(%x: tensor<1x4xf32> loc("input")) -> tensor<1x4xf32> {
  %0 = pico.relu %x : tensor<1x4xf32> -> tensor<1x4xf32> loc(fused["/enc/dw/Conv", "/enc/dw_relu/Relu"])
  return %0 : tensor<1x4xf32>
}

func.func @integer(%x: tensor<4xi8> loc("input")) -> tensor<4xi8> {
  %0 = pico.relu %x : tensor<4xi8> -> tensor<4xi8> loc(fused["/x/Clip", "/x/Relu"])
  return %0 : tensor<4xi8>
}
