/* A user's C program over a model compiled with `picosam-compile
 * --target=cpu --emit=lib` (entry `picosam_model`), built with the system C
 * compiler against the generated header and library alone:
 *
 *   cc -std=c11 -DMODEL_HEADER='"picosam3.a.h"' run_library.c picosam3.a -lstdc++ -lm
 *   run_library INPUTS OUTPUTS REPEATS
 *
 * INPUTS holds N inputs (float32, the header's INPUT_ELEMENTS each, raw);
 * each is run once and its logits written to OUTPUTS (float32, raw). Then
 * the first input runs REPEATS more times, each giving the same logits. The
 * runs use 2 threads (picosam_cpu_set_threads, before the runs: it creates
 * the pool's worker), so tiled blocks run in bands at once.
 *
 * Every heap allocation is counted (malloc and its relatives are replaced
 * below; C++'s operator new, if anything linked it, allocates through
 * malloc too): after the buffers are set up, the runs must make none. The
 * arena is given exactly ARENA_BYTES, followed by guard bytes that must
 * stay untouched (the workspace the kernels compute in is part of the
 * arena). Exit code 0 when all holds, 1 otherwise. */
#include MODEL_HEADER

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* glibc's allocator, under the names it exports for interposers. */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *pointer);

static volatile int counting;
static volatile long allocations;

static void count(void) {
  if (counting)
    ++allocations;
}

void *malloc(size_t size) {
  count();
  return __libc_malloc(size);
}
void *calloc(size_t count_, size_t size) {
  count();
  return __libc_calloc(count_, size);
}
void *realloc(void *pointer, size_t size) {
  count();
  return __libc_realloc(pointer, size);
}
void *aligned_alloc(size_t alignment, size_t size) {
  count();
  return __libc_memalign(alignment, size);
}
void *memalign(size_t alignment, size_t size) {
  count();
  return __libc_memalign(alignment, size);
}
int posix_memalign(void **pointer, size_t alignment, size_t size) {
  count();
  *pointer = __libc_memalign(alignment, size);
  return *pointer ? 0 : 12 /* ENOMEM */;
}
void free(void *pointer) {
  count();
  __libc_free(pointer);
}

enum { kGuardBytes = 4096, kGuard = 0xA5 };

static int fail(const char *message) {
  fprintf(stderr, "run_library: error: %s\n", message);
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 4)
    return fail("usage: run_library INPUTS OUTPUTS REPEATS");
  long repeats = strtol(argv[3], NULL, 10);
  const size_t inputBytes = PICOSAM_MODEL_INPUT_ELEMENTS * sizeof(float);
  const size_t logitsBytes = PICOSAM_MODEL_LOGITS_ELEMENTS * sizeof(float);

  /* Set up: everything allocated before the runs. */
  FILE *file = fopen(argv[1], "rb");
  if (!file || fseek(file, 0, SEEK_END) != 0)
    return fail("cannot read the inputs");
  long fileBytes = ftell(file);
  rewind(file);
  if (fileBytes <= 0 || (size_t)fileBytes % inputBytes != 0)
    return fail("the inputs are not a whole number of network inputs");
  size_t samples = (size_t)fileBytes / inputBytes;
  float *inputs = malloc((size_t)fileBytes);
  float *logits = malloc(samples * logitsBytes);
  float *repeated = malloc(logitsBytes);
  size_t arenaSpace =
      (PICOSAM_MODEL_ARENA_BYTES + kGuardBytes + PICOSAM_MODEL_ARENA_ALIGNMENT - 1) /
      PICOSAM_MODEL_ARENA_ALIGNMENT * PICOSAM_MODEL_ARENA_ALIGNMENT;
  unsigned char *arena = aligned_alloc(PICOSAM_MODEL_ARENA_ALIGNMENT, arenaSpace);
  if (!inputs || !logits || !repeated || !arena)
    return fail("cannot allocate the buffers");
  if (fread(inputs, 1, (size_t)fileBytes, file) != (size_t)fileBytes)
    return fail("cannot read the inputs");
  fclose(file);
  memset(arena + PICOSAM_MODEL_ARENA_BYTES, kGuard,
         arenaSpace - PICOSAM_MODEL_ARENA_BYTES);

  if (picosam_cpu_set_threads(2) != 0)
    return fail("cannot run on 2 threads");

  counting = 1;
  for (size_t i = 0; i < samples; ++i)
    picosam_model(inputs + i * PICOSAM_MODEL_INPUT_ELEMENTS,
                  logits + i * PICOSAM_MODEL_LOGITS_ELEMENTS, arena);
  long differing = 0;
  for (long r = 0; r < repeats; ++r) {
    picosam_model(inputs, repeated, arena);
    differing += memcmp(repeated, logits, logitsBytes) != 0;
  }
  counting = 0;

  long guardWritten = 0;
  for (size_t i = PICOSAM_MODEL_ARENA_BYTES; i < arenaSpace; ++i)
    guardWritten += arena[i] != kGuard;
  file = fopen(argv[2], "wb");
  if (!file || fwrite(logits, logitsBytes, samples, file) != samples ||
      fclose(file) != 0)
    return fail("cannot write the logits");
  printf("run_library: %zu inputs and %ld repeats: %ld heap allocations "
         "during the runs, %ld repeats with other logits, %ld bytes written "
         "past the arena (of %zu)\n",
         samples, repeats, allocations, differing, guardWritten,
         (size_t)PICOSAM_MODEL_ARENA_BYTES);
  return allocations != 0 || differing != 0 || guardWritten != 0;
}
