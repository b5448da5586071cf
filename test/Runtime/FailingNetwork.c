/*===- FailingNetwork.c - a test double of the network contract ----------===*\
 *
 * TEST ONLY, for the error paths of the compiled program. It has PicoSAM3's
 * shapes (1x3x96x96 in, 1x1x96x96 out) but computes nothing: every run
 * returns error code 7. Linked with the runtime's main it makes
 * `picosam3-failing-network`, which check_errors.py drives through every
 * error a user can hit before the network runs (arguments, files, images,
 * boxes, .npy inputs, output paths) and through a failing run, whose
 * outputs must not be written. Real runs need a compiled network object.
 *
\*===----------------------------------------------------------------------===*/
#include "picosam/Runtime/Network.h"

static const int64_t kInputShape[] = {1, 3, 96, 96};
static const int64_t kOutputShape[] = {1, 1, 96, 96};

size_t picosam_network_input_rank(void) { return 4; }
const int64_t *picosam_network_input_shape(void) { return kInputShape; }
size_t picosam_network_output_rank(void) { return 4; }
const int64_t *picosam_network_output_shape(void) { return kOutputShape; }
size_t picosam_network_arena_bytes(void) { return 1024; }

int picosam_network_run(const float *input, float *logits, void *arena) {
  (void)input;
  (void)logits;
  (void)arena;
  return 7;
}
