//===- ConvF32Avx512.cpp - the float convolution's kernels for Avx512 -===//
//
// Compiled with this instruction set's flags (lib/Runtime/CMakeLists.txt);
// selectConvF32Isa runs it only on a machine that has them.
//
//===----------------------------------------------------------------------===//
#define PICOSAM_CONVF32_AVX512
#include "ConvF32Kernels.inc"
