// RUN: picosam-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// #pico.target round-trips; parameters at their default (0) are not
// printed.

// CHECK: module attributes {pico.target = #pico.target<cpu>}
module attributes {pico.target = #pico.target<cpu>} {
}

// -----

// CHECK: module attributes {pico.target = #pico.target<imx500, budget = 8388480, reserved = 1024>}
module attributes {pico.target = #pico.target<imx500, budget = 8388480, reserved = 1024>} {
}

// -----

// CHECK: module attributes {pico.target = #pico.target<cpu, budget = 65536>}
module attributes {pico.target = #pico.target<cpu, reserved = 0, budget = 65536>} {
}

// -----

// expected-error @+1 {{target budget and reserved bytes must be >= 0, got budget -1 and reserved 0}}
module attributes {pico.target = #pico.target<cpu, budget = -1>} {
}

// -----

// expected-error @+1 {{target reserves 1024 bytes but has no budget to reserve them from}}
module attributes {pico.target = #pico.target<imx500, reserved = 1024>} {
}

// -----

// expected-error @+1 {{target budget 1024 must exceed its reserved bytes 1024}}
module attributes {pico.target = #pico.target<imx500, budget = 1024, reserved = 1024>} {
}

// -----

// expected-error @+2 {{expected ::picosam::pico::TargetKind to be one of: cpu, imx500}}
// expected-error @+1 {{failed to parse Pico_TargetAttr parameter 'kind'}}
module attributes {pico.target = #pico.target<gpu>} {
}
