// RUN: picosam-opt %s --split-input-file --pico-outline-row-bands -verify-diagnostics

// A band may read only addresses and constants from outside.
func.func @reads_a_memref(%m: memref<4xindex>) {
  // expected-error @+1 {{'scf.forall' op reads a value of type 'memref<4xindex>' from outside; a band may read only addresses (index) and constants}}
  scf.forall (%band) in (2) {
    memref.store %band, %m[%band] : memref<4xindex>
  }
  return
}

// -----

// Bands run at a function's top level, one static count of them.
func.func @nested(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @+1 {{'scf.forall' op is not a loop of row bands (one static count of bands, no outputs, at the function's top level)}}
    scf.forall (%band) in (2) {
    }
  }
  return
}

// -----

func.func @two_dimensions() {
  // expected-error @+1 {{'scf.forall' op is not a loop of row bands}}
  scf.forall (%i, %j) in (2, 2) {
  }
  return
}
