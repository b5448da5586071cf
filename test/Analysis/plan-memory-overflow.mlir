// Planning counts bytes with checked arithmetic: a tensor, or all of them
// with their alignment padding, past 2^63-1 bytes is an error, never a
// wrapped (negative or 0-byte) plan; options out of range are refused,
// each named; sums checked against a budget saturate and never fit.
// RUN: picosam-opt %s --split-input-file --pico-plan-memory -verify-diagnostics
// RUN: not picosam-opt %s --pico-plan-memory="alignment=4611686018427387904" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ALIGN
// RUN: not picosam-opt %s --pico-plan-memory="assume-element-bytes=9" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BYTES
// RUN: not picosam-opt %s --pico-plan-memory="schedule-beam-width=-1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BEAM
// RUN: not picosam-opt %s --pico-plan-memory="reserved=-1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=RESERVED
// RUN: not picosam-opt %s --pico-plan-memory="tile-separable-blocks=1 tile-min-bytes=-1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TILE
// ALIGN: error: pico-plan-memory: alignment must be in [1, 1073741824], got 4611686018427387904
// BYTES: error: pico-plan-memory: assume-element-bytes must be in [0, 8], got 9
// BEAM: error: pico-plan-memory: schedule-beam-width must be in [0, 9223372036854775807], got -1
// RESERVED: error: pico-plan-memory: reserved must be in [0, 9223372036854775807], got -1
// TILE: error: pico-plan-memory: tile-min-bytes must be in [0, 9223372036854775807], got -1

// An argument is no pico op (whose verifier refuses such types): planning
// checks it itself.
// expected-error @+1 {{memory planning: a tensor of type 'tensor<4611686018427387904x4xi8>' holds more than 2^63-1 bytes}}
func.func @argument(%x: tensor<4611686018427387904x4xi8>) -> tensor<4611686018427387904x4xi8> {
  return %x : tensor<4611686018427387904x4xi8>
}

// -----

// Two tensors of 2^62 bytes each: their sum is 2^63.
// expected-error @+1 {{memory planning: the tensors and weights, each aligned to 16 bytes, hold more than 2^63-1 bytes}}
func.func @sum(%x: tensor<4611686018427387904xi8>, %y: tensor<4611686018427387904xi8>) -> tensor<4611686018427387904xi8> {
  %0 = pico.add %x, %y : tensor<4611686018427387904xi8>, tensor<4611686018427387904xi8> -> tensor<4611686018427387904xi8>
  return %0 : tensor<4611686018427387904xi8>
}
