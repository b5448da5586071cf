/*===- CpuFeatures.c - the start-up check of generated code's CPU features -===//
 *
 * Compiled for baseline x86-64, like everything in the runtime, so the check
 * itself runs on any x86-64 machine.
 *
 *===----------------------------------------------------------------------===*/
#include "picosam/Runtime/CpuFeatures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

static const char *const featureNames[] = {
#define PICOSAM_CPU_FEATURE_NAME(ID, NAME, ...) NAME,
    PICOSAM_CPU_FEATURES(PICOSAM_CPU_FEATURE_NAME)
#undef PICOSAM_CPU_FEATURE_NAME
};

const char *picosam_cpu_feature_name(unsigned index) {
  return index < PICOSAM_CPU_FEATURE_COUNT ? featureNames[index] : NULL;
}

#if defined(__x86_64__) || defined(__i386__)
enum { EAX, EBX, ECX, EDX };

/* One CPUID query; all zero when the leaf is beyond what the CPU reports. */
static void cpuid(unsigned leaf, unsigned subleaf, unsigned registers[4]) {
  memset(registers, 0, 4 * sizeof(unsigned));
  __get_cpuid_count(leaf, subleaf, &registers[EAX], &registers[EBX],
                    &registers[ECX], &registers[EDX]);
}

/* XCR0: the register state the OS saves on a context switch (what makes AVX,
 * AVX-512 and AMX registers usable), readable once it has set OSXSAVE. */
static uint64_t enabledRegisterState(void) {
  unsigned registers[4];
  cpuid(1, 0, registers);
  if (!(registers[ECX] & (1u << 27)))
    return 0;
  unsigned low, high;
  __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  return ((uint64_t)high << 32) | low;
}

static uint64_t queryFeatures(void) {
  uint64_t xcr0 = enabledRegisterState();
  uint64_t features = 0;
  unsigned registers[4];
#define PICOSAM_CPU_FEATURE_TEST(ID, NAME, LEAF, SUBLEAF, REGISTER, BIT, XCR0) \
  cpuid(LEAF, SUBLEAF, registers);                                             \
  if ((registers[REGISTER] >> (BIT)) & 1u &&                                   \
      (xcr0 & (uint64_t)(XCR0)) == (uint64_t)(XCR0))                           \
    features |= PICOSAM_CPU_FEATURE(ID);
  PICOSAM_CPU_FEATURES(PICOSAM_CPU_FEATURE_TEST)
#undef PICOSAM_CPU_FEATURE_TEST
  return features;
}

/* Queried once per process: each CPUID traps to the hypervisor in a virtual
 * machine, and kernels ask per call. Racing first calls store the same
 * value; bit 63 marks it queried. */
uint64_t picosam_cpu_features(void) {
  _Static_assert(PICOSAM_CPU_FEATURE_COUNT < 63,
                 "the queried mark, bit 63, is past the features");
  const uint64_t queried = UINT64_C(1) << 63;
  static uint64_t cached;
  uint64_t features = __atomic_load_n(&cached, __ATOMIC_RELAXED);
  if (!features) {
    features = queryFeatures() | queried;
    __atomic_store_n(&cached, features, __ATOMIC_RELAXED);
  }
  return features & ~queried;
}
#else
uint64_t picosam_cpu_features(void) { return 0; }
#endif

uint64_t picosam_cpu_missing_features(uint64_t required, uint64_t available,
                                      char *names, size_t size) {
  uint64_t missing = required & ~available;
  if (size == 0)
    return missing;
  size_t length = 0;
  names[0] = '\0';
  for (unsigned index = 0; index < PICOSAM_CPU_FEATURE_COUNT; ++index) {
    if (!((missing >> index) & 1u))
      continue;
    int written = snprintf(names + length, size - length, "%s%s",
                           length ? " " : "", featureNames[index]);
    if (written < 0 || (size_t)written >= size - length) {
      names[length] = '\0'; /* whole names only: drop the cut one */
      break;
    }
    length += (size_t)written;
  }
  return missing;
}

void picosam_cpu_require(uint64_t required, const char *target) {
  char names[512];
  if (!picosam_cpu_missing_features(required, picosam_cpu_features(), names,
                                    sizeof(names)))
    return;
  fprintf(stderr,
          "error: this program contains code compiled by picosam for the CPU "
          "'%s', which needs CPU features this machine lacks: %s\n"
          "note: recompile the model with --cpu=host for this machine, or "
          "--cpu=x86-64 for any x86-64 machine\n",
          target, names);
  exit(EXIT_FAILURE);
}
