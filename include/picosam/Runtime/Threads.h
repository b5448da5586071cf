/*===- Threads.h - the threads compiled networks run on ----------*- C -*-===*\
 *
 * A compiled network's convolutions may split their output rows (or, for
 * a call of too few rows, their channels or columns) between threads: the
 * calling thread and the workers of one pool, shared by every network in
 * the process. The pool is created by picosam_cpu_set_threads,
 * never by a run, and a run allocates nothing for it. Results do not depend
 * on the number of threads (every output value is computed the same way
 * whichever thread computes it).
 *
 * Thread safety: a run uses the pool only if no other run is using it;
 * concurrent runs (each with its own arena) stay correct, the ones that
 * find the pool busy compute on their own thread alone.
 * picosam_cpu_set_threads may be called at any time: it waits until no run
 * uses the pool, then resizes it.
 *
 * On a machine whose cores other processes keep busy, the workers cannot
 * keep up (they wait for a core, or preempted, hold a task): when they run
 * under a quarter of their share of the recent tasks, or the caller waits
 * for one of their tasks over 0.5 ms, runs compute on the caller's thread
 * alone for 10 ms, twice as long each time it recurs soon after (at most
 * 1 s), then use the workers again.
 *
\*===----------------------------------------------------------------------===*/
#ifndef PICOSAM_RUNTIME_THREADS_H
#define PICOSAM_RUNTIME_THREADS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The most threads picosam_cpu_set_threads accepts. */
#define PICOSAM_CPU_MAX_THREADS 64

/* Runs networks' convolutions on `threads` threads, the caller's and
 * threads - 1 workers (1, the default, creates none; workers no longer
 * needed are stopped). Returns 0 on success, or -1 when `threads` is not in
 * [1, PICOSAM_CPU_MAX_THREADS] or a thread cannot be created (the count is
 * then unchanged). Idle workers sleep: after a convolution they wait a few
 * microseconds for the next one, then block. */
int picosam_cpu_set_threads(int threads);

/* The number of threads runs use (1 until picosam_cpu_set_threads). */
int picosam_cpu_threads(void);

/* Runs body(context, band) once for each band in [0, bands), the bands at
 * once on the pool's threads (as many as there are; on the caller's alone
 * when the pool has no workers or another run holds it), and returns when
 * all have. A kernel call inside a band computes on the band's thread alone.
 * Compiled networks call it for the bands of rows of a tiled separable
 * block (--pico-outline-row-bands); each band computes its own rows through
 * its own rings. Allocates nothing. */
void picosam_cpu_run_bands(int64_t bands,
                           void (*body)(void *context, int64_t band),
                           void *context);

#ifdef __cplusplus
}
#endif

#endif /* PICOSAM_RUNTIME_THREADS_H */
