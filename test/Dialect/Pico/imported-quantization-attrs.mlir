// RUN: picosam-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// The thresholds of a model quantized elsewhere (an MCTQ model's quantizer
// nodes), as the importer sets them: module attributes, a calibration
// entry (min, max, threshold) per tensor and positive per-channel weight
// thresholds per Conv node.

// CHECK: module attributes {pico.calibration = {input = array<f32: -2.000000e+00, 2.000000e+00, 2.000000e+00>, relu = array<f32: 0.000000e+00, 4.000000e+00, 4.000000e+00>}, pico.weight_thresholds = {conv = array<f32: 5.000000e-01, 2.500000e-01>}}
module attributes {pico.calibration = {input = array<f32: -2.0, 2.0, 2.0>, relu = array<f32: 0.0, 4.0, 4.0>},
                   pico.weight_thresholds = {conv = array<f32: 0.5, 0.25>}} {
}

// -----

// expected-error @+1 {{'func.func' op 'pico.calibration' is a module attribute}}
func.func @f() attributes {pico.calibration = {}} {
  return
}

// -----

// expected-error @+1 {{'builtin.module' op 'pico.weight_thresholds' must be a dictionary, got [1.000000e+00]}}
module attributes {pico.weight_thresholds = [1.0]} {
}

// -----

// expected-error @+1 {{'builtin.module' op 'pico.calibration': entry 'x' must be array<f32: min, max, threshold>}}
module attributes {pico.calibration = {x = array<f32: 0.0, 4.0>}} {
}

// -----

// expected-error @+1 {{'builtin.module' op 'pico.calibration': entry 'x' holds min > max, a negative threshold or a value that is not finite}}
module attributes {pico.calibration = {x = array<f32: 4.0, 0.0, 4.0>}} {
}

// -----

// expected-error @+1 {{'builtin.module' op 'pico.weight_thresholds': entry 'conv' must be a non-empty array<f32>}}
module attributes {pico.weight_thresholds = {conv = array<f32>}} {
}

// -----

// expected-error @+1 {{'builtin.module' op 'pico.weight_thresholds': entry 'conv' holds a threshold that is not positive or a value that is not finite}}
module attributes {pico.weight_thresholds = {conv = array<f32: 0.5, 0.0>}} {
}
