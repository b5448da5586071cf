/*===- CpuFeatures.h - the CPU features generated code may need --*- C -*-===//
 *
 * Code that picosam compiles for a CPU level above baseline x86-64 (SSE2) may
 * use instructions an older machine lacks. The compiler records the features
 * the code was built with as a mask of the bits below, and the generated
 * object runs picosam_cpu_require() from a constructor, so such a program
 * stops at start-up with a message naming what is missing instead of dying on
 * an illegal instruction. Plain C: the runtime (lib/Runtime) is linked into
 * users' programs, and the compiler (lib/Target/CPU) includes the same table.
 *
 *===----------------------------------------------------------------------===*/
#ifndef PICOSAM_RUNTIME_CPUFEATURES_H
#define PICOSAM_RUNTIME_CPUFEATURES_H

#include <stddef.h>
#include <stdint.h>

/* X(ID, LLVM feature name, CPUID leaf, subleaf, register, bit, XCR0 bits).
 * The XCR0 bits are the register state the OS must save for the feature to be
 * usable (SSE+AVX: 0x6; +opmask/ZMM: 0xe6; AMX tile config+data: 0x60000).
 * The list covers the x86-64-v2/v3/v4 levels and the extensions the vectorizer
 * and the kernels use; features outside it are not checked. */
#define PICOSAM_CPU_FEATURES(X)                                              \
  X(CX16, "cx16", 1, 0, ECX, 13, 0)                                          \
  X(SAHF, "sahf", 0x80000001, 0, ECX, 0, 0)                                  \
  X(POPCNT, "popcnt", 1, 0, ECX, 23, 0)                                      \
  X(SSE3, "sse3", 1, 0, ECX, 0, 0)                                           \
  X(SSSE3, "ssse3", 1, 0, ECX, 9, 0)                                         \
  X(SSE4_1, "sse4.1", 1, 0, ECX, 19, 0)                                      \
  X(SSE4_2, "sse4.2", 1, 0, ECX, 20, 0)                                      \
  X(XSAVE, "xsave", 1, 0, ECX, 26, 0)                                        \
  X(MOVBE, "movbe", 1, 0, ECX, 22, 0)                                        \
  X(LZCNT, "lzcnt", 0x80000001, 0, ECX, 5, 0)                                \
  X(BMI, "bmi", 7, 0, EBX, 3, 0)                                             \
  X(BMI2, "bmi2", 7, 0, EBX, 8, 0)                                           \
  X(AVX, "avx", 1, 0, ECX, 28, 0x6)                                          \
  X(F16C, "f16c", 1, 0, ECX, 29, 0x6)                                        \
  X(FMA, "fma", 1, 0, ECX, 12, 0x6)                                          \
  X(AVX2, "avx2", 7, 0, EBX, 5, 0x6)                                         \
  X(AVXVNNI, "avxvnni", 7, 1, EAX, 4, 0x6)                                   \
  X(AVX512F, "avx512f", 7, 0, EBX, 16, 0xe6)                                 \
  X(AVX512DQ, "avx512dq", 7, 0, EBX, 17, 0xe6)                               \
  X(AVX512CD, "avx512cd", 7, 0, EBX, 28, 0xe6)                               \
  X(AVX512BW, "avx512bw", 7, 0, EBX, 30, 0xe6)                               \
  X(AVX512VL, "avx512vl", 7, 0, EBX, 31, 0xe6)                               \
  X(AVX512VNNI, "avx512vnni", 7, 0, ECX, 11, 0xe6)                           \
  X(AVX512VBMI, "avx512vbmi", 7, 0, ECX, 1, 0xe6)                            \
  X(AVX512BF16, "avx512bf16", 7, 1, EAX, 5, 0xe6)                            \
  X(AVX512FP16, "avx512fp16", 7, 0, EDX, 23, 0xe6)                           \
  X(AMX_TILE, "amx-tile", 7, 0, EDX, 24, 0x60000)                            \
  X(AMX_INT8, "amx-int8", 7, 0, EDX, 25, 0x60000)                            \
  X(AMX_BF16, "amx-bf16", 7, 0, EDX, 22, 0x60000)

/* PICOSAM_CPU_FEATURE_<ID>: the feature's bit in a mask. */
enum {
#define PICOSAM_CPU_FEATURE_INDEX(ID, ...) PICOSAM_CPU_FEATURE_INDEX_##ID,
  PICOSAM_CPU_FEATURES(PICOSAM_CPU_FEATURE_INDEX)
#undef PICOSAM_CPU_FEATURE_INDEX
  PICOSAM_CPU_FEATURE_COUNT
};
#define PICOSAM_CPU_FEATURE(ID) (UINT64_C(1) << PICOSAM_CPU_FEATURE_INDEX_##ID)

#ifdef __cplusplus
extern "C" {
#endif

/* The LLVM name of the feature with bit index `index` ("avx2"), or NULL. */
const char *picosam_cpu_feature_name(unsigned index);

/* The features this machine has and its OS has enabled (CPUID, and XCR0 for
 * the register state), queried once per process; 0 on other architectures. */
uint64_t picosam_cpu_features(void);

/* The features of `required` missing from `available`; writes the names of
 * as many as fit in `size` bytes to `names`, separated by spaces and
 * NUL-terminated. */
uint64_t picosam_cpu_missing_features(uint64_t required, uint64_t available,
                                      char *names, size_t size);

/* Called once, from a constructor of generated code built for `target` (a
 * description such as "x86-64-v4"): when this machine lacks any feature of
 * `required`, prints which to stderr and exits with status 1. */
void picosam_cpu_require(uint64_t required, const char *target);

#ifdef __cplusplus
}
#endif

#endif /* PICOSAM_RUNTIME_CPUFEATURES_H */
