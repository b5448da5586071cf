// Every user error of picosam-run: a message naming the file (or argument)
// and the reason, exit code 1, no crash.
// RUN: rm -rf %t && mkdir %t && %python %S/Inputs/bad_files.py %t
// RUN: %python %S/Inputs/save.py %t/x.npy float32 1x4 1
// RUN: %python %S/Inputs/save.py %t/y.npy float32 2 1

// RUN: not picosam-run %t/missing.mlir -i %t/x.npy 2>&1 | FileCheck %s --check-prefix=NO-IR
// NO-IR: picosam-run: error: {{.*}}missing.mlir: No such file or directory

// RUN: not picosam-run %s -i %t/nothere.npy -i %t/y.npy 2>&1 | FileCheck %s --check-prefix=NO-NPY
// NO-NPY: picosam-run: error: {{.*}}nothere.npy: No such file or directory

// RUN: not picosam-run %s -i %t/y.npy -i %t/y.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: picosam-run: error: {{.*}}y.npy: argument #0 ('x') is tensor<1x4xf32>: expected 1x4 f32 values, got 2 f32

// RUN: %python %S/Inputs/save.py %t/x64.npy float64 1x4 1
// RUN: not picosam-run %s -i %t/x64.npy -i %t/y.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: picosam-run: error: {{.*}}x64.npy: argument #0 ('x') is tensor<1x4xf32>: expected 1x4 f32 values, got 1x4 f64

// RUN: not picosam-run %s -i %t/x.npy 2>&1 | FileCheck %s --check-prefix=TOO-FEW
// TOO-FEW: picosam-run: error: @main takes 2 arguments, 1 inputs were given: no input for argument #1 ('arg1')
// RUN: not picosam-run %s -i %t/x.npy -i %t/y.npy -i %t/y.npy 2>&1 | FileCheck %s --check-prefix=TOO-MANY
// TOO-MANY: picosam-run: error: @main takes 2 arguments, more inputs were given
// RUN: not picosam-run %s -i x=%t/x.npy -i x=%t/x.npy 2>&1 | FileCheck %s --check-prefix=TWICE
// TWICE: picosam-run: error: argument #0 ('x') is given twice: {{.*}}x.npy and {{.*}}x.npy
// RUN: not picosam-run %s -i %t/x.npy -i %t/y.npy -o %t/a.npy -o %t/b.npy 2>&1 | FileCheck %s --check-prefix=OUTPUTS
// OUTPUTS: picosam-run: error: @main returns 1 results, 2 output files were given

// RUN: not picosam-run %s -i %t/not-npy.npy -i %t/y.npy 2>&1 | FileCheck %s --check-prefix=MAGIC
// MAGIC: picosam-run: error: {{.*}}not-npy.npy: not a .npy file (bad magic)
// RUN: not picosam-run %s -i %t/fortran.npy -i %t/y.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// FORTRAN: picosam-run: error: {{.*}}fortran.npy: Fortran-order arrays are not supported; save a C-order array (np.ascontiguousarray)
// RUN: not picosam-run %s -i %t/truncated.npy -i %t/y.npy 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: picosam-run: error: {{.*}}truncated.npy: truncated: a 1x4 array of <f4 needs 16 bytes of data, the file has 13
// RUN: not picosam-run %s -i %t/complex.npy -i %t/y.npy 2>&1 | FileCheck %s --check-prefix=COMPLEX
// COMPLEX: picosam-run: error: {{.*}}complex.npy: unsupported dtype '<c8' (expected <f4 <f8 |i1 |u1 <i2 <i4 <i8 |b1)
// RUN: not picosam-run %s -i %t/big-endian.npy -i %t/y.npy 2>&1 | FileCheck %s --check-prefix=BIG
// BIG: picosam-run: error: {{.*}}big-endian.npy: unsupported dtype '>f4'

// RUN: not picosam-run %s -i %t/x.npy -i %t/y.npy --compare=%t/not-zip.npz 2>&1 | FileCheck %s --check-prefix=NOT-ZIP
// NOT-ZIP: picosam-run: error: {{.*}}not-zip.npz: not a valid .npz (zip) archive: no end-of-central-directory record
// RUN: not picosam-run %s -i %t/x.npy -i %t/y.npy --compare=%t/corrupt.npz 2>&1 | FileCheck %s --check-prefix=CORRUPT
// CORRUPT: picosam-run: error: {{.*}}corrupt.npz[x.npy]: corrupt DEFLATE data
// RUN: not picosam-run %s -i %t/x.npy -i %t/y.npy --compare=%t/none.npz 2>&1 | FileCheck %s --check-prefix=NO-REF
// NO-REF: picosam-run: error: {{.*}}none.npz: No such file or directory
// RUN: not picosam-run %s -i %t/x.npy -i %t/y.npy --min-sqnr=30 2>&1 | FileCheck %s --check-prefix=THRESHOLD
// THRESHOLD: picosam-run: error: --min-sqnr, --max-abs-error and --min-cosine need --compare
// RUN: not picosam-run %s -i %t/x.npy -i %t/y.npy -o %t/no-such-dir/out.npy 2>&1 | FileCheck %s --check-prefix=WRITE
// WRITE: picosam-run: error: {{.*}}no-such-dir/out.npy: No such file or directory

// RUN: not picosam-run %s --entry=nope 2>&1 | FileCheck %s --check-prefix=ENTRY
// ENTRY: picosam-run: error: {{.*}}errors.mlir: no function @nope
// RUN: not picosam-run %s --entry=not_pico 2>&1 | FileCheck %s --check-prefix=NOT-PICO
// NOT-PICO: error: 'arith.constant' op has no reference implementation; picosam-run executes pico ops
// RUN: not picosam-run %s --entry=dynamic 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// DYNAMIC: errors.mlir:{{[0-9]+}}:20: error: argument #0 has type 'tensor<?x4xf32>'; picosam-run needs statically shaped tensors of f32, f64, i1, i8, ui8, i16, i32, i64 or !quant.uniform
// RUN: not picosam-run %s --entry=declaration 2>&1 | FileCheck %s --check-prefix=DECLARATION
// DECLARATION: error: function @declaration has no body to run

// An op that cannot compute its result fails at run time, at the op.
// RUN: %python %S/Inputs/save.py %t/i8.npy int8 4 1
// RUN: not picosam-run %s --entry=integer_relu -i %t/i8.npy 2>&1 | FileCheck %s --check-prefix=RUNTIME
// RUNTIME: /relu: error: 'pico.relu' op reference implementation computes in f32, but operand #0 is 'tensor<4xi8>'
// RUNTIME: picosam-run: error: running @integer_relu failed

// RUN: echo 'func.func @main() { pico.bogus }' > %t/bad.mlir
// RUN: not picosam-run %t/bad.mlir 2>&1 | FileCheck %s --check-prefix=SYNTAX
// SYNTAX: bad.mlir:1:21: error:
// SYNTAX: picosam-run: error: {{.*}}bad.mlir: could not parse or verify the IR

func.func @main(%x: tensor<1x4xf32> loc("x"), %y: tensor<2xf32>) -> tensor<1x4xf32> {
  return %x : tensor<1x4xf32>
}

func.func @not_pico() -> tensor<2xf32> {
  %0 = arith.constant dense<1.0> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %x : tensor<?x4xf32>
}

func.func private @declaration(tensor<2xf32>) -> tensor<2xf32>

func.func @integer_relu(%x: tensor<4xi8>) -> tensor<4xi8> {
  %0 = pico.relu %x : tensor<4xi8> -> tensor<4xi8> loc("/relu")
  return %0 : tensor<4xi8>
}
