// A budget check whose sum passes 2^63-1 saturates there and fails: a
// reserved size near the largest budget does not wrap around to fit.
// RUN: picosam-opt %s --pico-plan-memory="budget=9223372036854775807 reserved=9223372036854775806" -verify-diagnostics

func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{memory plan needs at least 9,223,372,036,854,775,807 bytes, 9,223,372,036,854,775,807 available (weights 0 + arena 16 + reserved 9,223,372,036,854,775,806); the peak is here, at step 0, with 1 tensor(s) live: 'pico.relu#0' (16)}}
  %0 = pico.relu %x : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
