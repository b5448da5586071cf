// pico-quantize's errors: malformed or incomplete calibration tables, a
// float-layers name no op has, an unknown profile, a profile the module's
// target contradicts, no table at all, a range too small for a float32
// quantization step (it wrote a type that does not parse back). Each
// names the file and line, or the op that needs what is missing.
// RUN: rm -rf %t && split-file %s %t
// RUN: not picosam-opt %t/model.mlir --pico-quantize="table=%t/fields.txt" 2>&1 | FileCheck %s --check-prefix=FIELDS
// RUN: not picosam-opt %t/model.mlir --pico-quantize="table=%t/number.txt" 2>&1 | FileCheck %s --check-prefix=NUMBER
// RUN: not picosam-opt %t/model.mlir --pico-quantize="table=%t/nan.txt" 2>&1 | FileCheck %s --check-prefix=NAN
// RUN: not picosam-opt %t/model.mlir --pico-quantize="table=%t/order.txt" 2>&1 | FileCheck %s --check-prefix=ORDER
// RUN: not picosam-opt %t/model.mlir --pico-quantize="table=%t/negative.txt" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not picosam-opt %t/model.mlir --pico-quantize="table=%t/twice.txt" 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: not picosam-opt %t/model.mlir --pico-quantize="table=%t/empty.txt" 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not picosam-opt %t/model.mlir --pico-quantize="table=%t/missing-file.txt" 2>&1 | FileCheck %s --check-prefix=NOFILE
// RUN: not picosam-opt %t/model.mlir --pico-quantize="table=%t/partial.txt" 2>&1 | FileCheck %s --check-prefix=PARTIAL
// RUN: not picosam-opt %t/model.mlir --pico-quantize="table=%t/good.txt float-layers=nothing" 2>&1 | FileCheck %s --check-prefix=LAYER
// RUN: not picosam-opt %t/model.mlir --pico-quantize="table=%t/good.txt profile=gpu" 2>&1 | FileCheck %s --check-prefix=PROFILE
// RUN: not picosam-opt %t/model.mlir --pico-set-target=target=imx500 --pico-quantize="table=%t/good.txt profile=cpu" 2>&1 | FileCheck %s --check-prefix=CONTRADICTS
// RUN: not picosam-opt %t/model.mlir --pico-quantize 2>&1 | FileCheck %s --check-prefix=NOTABLE
// RUN: not picosam-opt %t/model.mlir --pico-quantize="table=%t/tiny.txt" 2>&1 | FileCheck %s --check-prefix=TINY
// RUN: not picosam-opt %t/model.mlir --pico-quantize="table=%t/tiny.txt profile=imx500" 2>&1 | FileCheck %s --check-prefix=TINY
// RUN: picosam-opt %t/model.mlir --pico-quantize="table=%t/good.txt" -o /dev/null

// FIELDS: fields.txt:2: expected '<name> <min> <max> <threshold>', got 3 fields
// NUMBER: number.txt:1: max 'abc' is not a number
// NAN: nan.txt:1: threshold 'nan' is not a finite float
// ORDER: order.txt:1: min 3 is greater than max 1
// NEGATIVE: negative.txt:1: threshold -1 is negative
// TWICE: twice.txt:3: second entry for 'x' (the first is on line 1)
// EMPTY: empty.txt: the table has no entries
// NOFILE: missing-file.txt: No such file or directory
// PARTIAL: error: loc("relu"): 'pico.relu' op no calibration entry for 'relu' in '{{.*}}partial.txt': calibrate this model, or keep the op that computes it in float (float-layers)
// LAYER: pico-quantize: float-layers names 'nothing', but no op has that name
// PROFILE: pico-quantize: unknown profile 'gpu' (expected cpu or imx500)
// CONTRADICTS: error: pico-quantize: profile 'cpu' contradicts the module's target 'imx500', which quantizes with the imx500 profile
// TINY: error: loc("relu"): 'pico.relu' op 'x' has the range [-9.809089e-45, 9.809089e-45] clipped at 9.809089e-45, a quantization step of {{[0-9.]+}}e-47, below float32's smallest normal number 1.175494e-38 (in '{{.*}}tiny.txt'): keep the op that computes it in float (float-layers)
// NOTABLE: pico-quantize needs a calibration table (table=<file>; picosam-compile --calibration-data makes one)

//--- model.mlir
func.func @main(%x: tensor<4xf32> loc("x")) -> tensor<4xf32> {
  %r = pico.relu %x : tensor<4xf32> -> tensor<4xf32> loc("relu")
  return %r : tensor<4xf32>
}
//--- good.txt
x -1 1 1
relu 0 1 1
//--- fields.txt
x -1 1 1
relu 0 1
//--- number.txt
x -1 abc 1
//--- nan.txt
x -1 1 nan
//--- order.txt
x 3 1 1
//--- negative.txt
x -1 1 -1
//--- twice.txt
x -1 1 1
# a comment
x -2 2 2
//--- empty.txt
# only comments
//--- tiny.txt
x -1e-44 1e-44 1e-44
relu 0 1 1
//--- partial.txt
x -1 1 1
