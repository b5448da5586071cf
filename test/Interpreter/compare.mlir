// --compare: a table per tensor present in both runs, the names found on one
// side only, shape mismatches, and thresholds that set the exit code. The
// references are written by np.savez_compressed (DEFLATE entries) and by
// picosam-run --dump itself (STORED entries).
// RUN: rm -rf %t && mkdir %t
// RUN: %python %S/Inputs/save.py %t/x.npy float32 1x4 1 2 3 4
// RUN: picosam-run %s -i %t/x.npy --dump=%t/self.npz
// RUN: picosam-run %s -i %t/x.npy --compare=%t/self.npz --min-sqnr=100 --max-abs-error=0 --min-cosine=1 \
// RUN:   | FileCheck %s --check-prefix=SAME
// SAME:      tensor shape max_abs_err   cosine sqnr_db status
// SAME-NEXT: x      1x4     0.000e+00 1.000000     inf ok
// SAME-NEXT: double 1x4     0.000e+00 1.000000     inf ok
// SAME-NEXT: triple 1x4     0.000e+00 1.000000     inf ok
// SAME-NEXT: compared 3 tensors, 0 failed

// RUN: %python %S/Inputs/save.py %t/ref.npz x=float32 1x4 1 2 3 4 -- double=float32 1x4 2 4 6 8.1 \
// RUN:   -- triple=float32 2x2 3 6 9 12 -- ghost=float32 scalar 0
// A shape mismatch fails even without thresholds.
// RUN: not picosam-run %s -i %t/x.npy --compare=%t/ref.npz 2>&1 | FileCheck %s --check-prefix=TABLE
// TABLE:      tensor shape max_abs_err cosine sqnr_db status
// TABLE-NEXT: x      1x4     0.000e+00 1.000000     inf ok
// TABLE-NEXT: double 1x4     1.000e-01 0.999981   40.85 ok
// TABLE-NEXT: triple 1x4             -        -       - FAIL (reference is 2x2)
// TABLE-NEXT: only in the reference (1): ghost
// TABLE-NEXT: compared 3 tensors, 1 failed
// TABLE-NEXT: picosam-run: error: 1 of 3 compared tensors fail the thresholds

// RUN: not picosam-run %s -i %t/x.npy --compare=%t/ref.npz --min-sqnr=41 2>&1 | FileCheck %s --check-prefix=SQNR
// SQNR: double 1x4 1.000e-01 0.999981 40.85 FAIL
// SQNR: picosam-run: error: 2 of 3 compared tensors fail the thresholds

// A run with fewer tensors than the reference, no thresholds: exit code 0.
// RUN: %python %S/Inputs/save.py %t/partial.npz x=float32 1x4 1 2 3 4 -- other=float32 1x4 0
// RUN: picosam-run %s -i %t/x.npy --compare=%t/partial.npz | FileCheck %s --check-prefix=PARTIAL
// PARTIAL:      tensor shape max_abs_err cosine sqnr_db
// PARTIAL-NEXT: x 1x4 0.000e+00 1.000000 inf
// PARTIAL-NEXT: only in this run (2): double triple
// PARTIAL-NEXT: only in the reference (1): other
// PARTIAL-NEXT: compared 1 tensors

// A reference sharing no tensor name with the run compares nothing, and a
// comparison that compares nothing fails, thresholds or not.
// RUN: %python %S/Inputs/save.py %t/disjoint.npz other=float32 1x4 0
// RUN: not picosam-run %s -i %t/x.npy --compare=%t/disjoint.npz 2>&1 | FileCheck %s --check-prefix=NOTHING
// RUN: not picosam-run %s -i %t/x.npy --compare=%t/disjoint.npz --max-abs-error=1 2>&1 | FileCheck %s --check-prefix=NOTHING
// NOTHING:      only in this run (3): x double triple
// NOTHING-NEXT: only in the reference (1): other
// NOTHING-NEXT: compared 0 tensors
// NOTHING-NEXT: picosam-run: error: no tensor of this run is named in '{{.*}}disjoint.npz': nothing was compared

func.func @main(%x: tensor<1x4xf32> loc("x")) -> tensor<1x4xf32> {
  %two = pico.constant dense<2.0> : tensor<f32>
  %0 = pico.mul %x, %two : tensor<1x4xf32>, tensor<f32> -> tensor<1x4xf32> loc("double")
  %1 = pico.add %0, %x : tensor<1x4xf32>, tensor<1x4xf32> -> tensor<1x4xf32> loc("triple")
  return %1 : tensor<1x4xf32>
}
