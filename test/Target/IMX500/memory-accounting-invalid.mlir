// The IMX500 accounting's group size must be at least 1.
// RUN: picosam-opt %s --pico-set-target="target=imx500" --pico-plan-memory="output-channel-group=0" -verify-diagnostics

// expected-error @+1 {{pico-plan-memory: output-channel-group must be in [1, 1048576], got 0}}
func.func @f(%x: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  return %x : tensor<1x4x4x4xf32>
}
