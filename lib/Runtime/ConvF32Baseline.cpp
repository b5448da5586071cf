//===- ConvF32Baseline.cpp - the float convolution's kernels for Baseline -===//
//
// Compiled with this instruction set's flags (lib/Runtime/CMakeLists.txt);
// selectConvF32Isa runs it only on a machine that has them.
//
//===----------------------------------------------------------------------===//
#define PICOSAM_CONVF32_BASELINE
#include "ConvF32Kernels.inc"
