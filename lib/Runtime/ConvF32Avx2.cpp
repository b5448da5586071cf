//===- ConvF32Avx2.cpp - the float convolution's kernels for Avx2 -===//
//
// Compiled with this instruction set's flags (lib/Runtime/CMakeLists.txt);
// selectConvF32Isa runs it only on a machine that has them.
//
//===----------------------------------------------------------------------===//
#define PICOSAM_CONVF32_AVX2
#include "ConvF32Kernels.inc"
