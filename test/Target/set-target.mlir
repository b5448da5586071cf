// RUN: picosam-opt %s --pico-set-target | FileCheck %s --check-prefix=CPU
// RUN: picosam-opt %s --pico-set-target=target=imx500 | FileCheck %s --check-prefix=IMX500
// RUN: picosam-opt %s --pico-set-target="target=imx500 budget=4194304" | FileCheck %s --check-prefix=SMALLER
// RUN: picosam-opt %s --pico-set-target="target=cpu budget=65536 reserved=512" | FileCheck %s --check-prefix=MCU
// RUN: picosam-opt %s --pico-set-target="target=imx500 budget=0 reserved=0" | FileCheck %s --check-prefix=UNLIMITED
// RUN: not picosam-opt %s --pico-set-target="target=imx500 budget=1000" 2>&1 | FileCheck %s --check-prefix=INVALID

// pico-set-target replaces the module's target; budget and reserved default
// to the device's (8,388,480 bytes for the IMX500, 1,024 of them reserved).

// CPU: module attributes {pico.target = #pico.target<cpu>}
// IMX500: module attributes {pico.target = #pico.target<imx500, budget = 8388480, reserved = 1024>}
// SMALLER: module attributes {pico.target = #pico.target<imx500, budget = 4194304, reserved = 1024>}
// MCU: module attributes {pico.target = #pico.target<cpu, budget = 65536, reserved = 512>}
// UNLIMITED: module attributes {pico.target = #pico.target<imx500>}
// INVALID: error: pico-set-target: target budget 1000 must exceed its reserved bytes 1024
module attributes {pico.target = #pico.target<imx500, budget = 100, reserved = 10>} {
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}
