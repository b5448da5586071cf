// RUN: picosam-opt %s --pico-cpu-lower-to-llvm --verify-diagnostics

// A tensor left over (from an incomplete bufferization) has no lowering: the
// error names each op left, at its location, and not the casts around them.
func.func @leftover(%output: memref<4xf32>, %i: index) {
  // expected-error @below {{'arith.constant' cannot be lowered to the LLVM dialect by the CPU backend}}
  %table = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  // expected-error @below {{'tensor.extract' cannot be lowered to the LLVM dialect by the CPU backend}}
  %x = tensor.extract %table[%i] : tensor<4xf32>
  %c0 = arith.constant 0 : index
  memref.store %x, %output[%c0] : memref<4xf32>
  return
}
