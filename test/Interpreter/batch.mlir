// --batch: inputs stack N samples along the first axis; the function runs N
// times and the outputs and dumped tensors are stacked the same way.
// Progress goes to stderr, one line per tenth of the batch when stderr is
// not a terminal.
// RUN: rm -rf %t && mkdir %t
// RUN: %python %S/Inputs/save.py %t/x.npy float32 3x2 1 2 3 4 5 6
// RUN: %python %S/Inputs/save.py %t/y.npy float32 3x1 10 20 30
// RUN: picosam-run %s --batch -i %t/x.npy -i %t/y.npy -o %t/sum.npy -o %t/total.npy --dump=%t/dump.npz \
// RUN:   2>&1 | FileCheck %s --check-prefix=PROGRESS
// PROGRESS:      [1/3]
// PROGRESS-NEXT: [2/3]
// PROGRESS-NEXT: [3/3]
// RUN: %python %S/Inputs/npz_summary.py %t/sum.npy %t/total.npy %t/dump.npz | FileCheck %s
// CHECK:      sum.npy float32 [3, 2] 11 12 23 24 35 36
// CHECK-NEXT: total.npy float32 [3] 23 47 71
// CHECK-NEXT: x float32 [3, 2] 1 2 3 4 5 6
// CHECK-NEXT: y float32 [3, 1] 10 20 30
// CHECK-NEXT: sum float32 [3, 2] 11 12 23 24 35 36
// CHECK-NEXT: dot float32 [3, 1] 23 47 71
// CHECK-NEXT: total float32 [3] 23 47 71

// RUN: %python %S/Inputs/save.py %t/y2.npy float32 2x1 10 20
// RUN: not picosam-run %s --batch -i %t/x.npy -i %t/y2.npy 2>&1 | FileCheck %s --check-prefix=COUNTS
// COUNTS: picosam-run: error: {{.*}}x.npy stacks 3 samples, {{.*}}y2.npy stacks 2
// RUN: %python %S/Inputs/save.py %t/x3.npy float32 3x3 0
// RUN: not picosam-run %s --batch -i %t/x3.npy -i %t/y.npy 2>&1 | FileCheck %s --check-prefix=STACK
// STACK: picosam-run: error: {{.*}}x3.npy: a 3x3 array does not stack samples of argument #0 ('x', tensor<1x2xf32>) along its first axis
// RUN: %python %S/Inputs/save.py %t/x0.npy float32 0x2
// RUN: not picosam-run %s --batch -i %t/x0.npy -i %t/y.npy 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: picosam-run: error: {{.*}}x0.npy: a 0x2 array does not stack samples of argument #0 ('x', tensor<1x2xf32>) along its first axis
// RUN: %python %S/Inputs/save.py %t/x-i8.npy int8 3x2 0
// RUN: not picosam-run %s --batch -i %t/x-i8.npy -i %t/y.npy 2>&1 | FileCheck %s --check-prefix=KIND
// KIND: picosam-run: error: {{.*}}x-i8.npy: argument #0 ('x') is tensor<1x2xf32>: expected 1x2 f32 values, got 1x2 i8

func.func @main(%x: tensor<1x2xf32> loc("x"), %y: tensor<1x1xf32> loc("y")) -> (tensor<1x2xf32>, tensor<1xf32>) {
  %0 = pico.add %x, %y : tensor<1x2xf32>, tensor<1x1xf32> -> tensor<1x2xf32> loc("sum")
  %w = pico.constant dense<1.0> : tensor<2x1xf32>
  %1 = pico.matmul %0, %w : tensor<1x2xf32>, tensor<2x1xf32> -> tensor<1x1xf32> loc("dot")
  %2 = pico.reshape %1 : tensor<1x1xf32> -> tensor<1xf32> loc("total")
  return %0, %2 : tensor<1x2xf32>, tensor<1xf32>
}
