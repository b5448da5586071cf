/*===- Network.h - what a compiled network object provides ------*- C -*-===*\
 *
 * The contract between a network compiled by `picosam-compile --target=cpu`
 * (an object file) and the program that runs it (lib/Runtime). The program
 * is linked with exactly one network object and reads everything about the
 * network through these functions, so the same runtime runs any model whose
 * input is an NCHW float32 image and whose output is float32 logits.
 *
 * Tensors are dense, row-major (C order), float32, in host byte order. For
 * PicoSAM3 the input is 1x3x96x96 (the prompt box's crop, normalised as
 * models/data.py `normalize` does) and the output is 1x1x96x96 mask logits
 * (mask = logit > 0).
 *
 * Memory: every intermediate tensor lives in one arena of
 * picosam_network_arena_bytes() bytes that the caller allocates once,
 * aligned to PICOSAM_NETWORK_ARENA_ALIGNMENT bytes. The weights are
 * constants inside the object. A run allocates nothing, performs no I/O and
 * keeps no state between calls, so calls with distinct arenas may run
 * concurrently; the arena's contents need not survive between calls.
 *
\*===----------------------------------------------------------------------===*/
#ifndef PICOSAM_RUNTIME_NETWORK_H
#define PICOSAM_RUNTIME_NETWORK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The alignment, in bytes, of the arena passed to picosam_network_run. */
#define PICOSAM_NETWORK_ARENA_ALIGNMENT 64

/* The input's rank and dimensions (NCHW: 4 and {1, 3, 96, 96} for
 * PicoSAM3). The array is static and holds rank entries, each >= 1. */
size_t picosam_network_input_rank(void);
const int64_t *picosam_network_input_shape(void);

/* The output's rank and dimensions ({1, 1, 96, 96} for PicoSAM3). */
size_t picosam_network_output_rank(void);
const int64_t *picosam_network_output_shape(void);

/* The size of the arena a run needs, in bytes (may be 0; the arena pointer
 * is then still valid but must not be read or written). */
size_t picosam_network_arena_bytes(void);

/* Runs the network on `input` (the input shape's element count of floats)
 * and writes `logits` (the output shape's element count of floats). The
 * input and output buffers are float-aligned and do not overlap each other
 * or the arena. Returns 0 on success; any other value is an error code the
 * caller reports, and `logits` is then unspecified. */
int picosam_network_run(const float *input, float *logits, void *arena);

#ifdef __cplusplus
}
#endif

#endif /* PICOSAM_RUNTIME_NETWORK_H */
