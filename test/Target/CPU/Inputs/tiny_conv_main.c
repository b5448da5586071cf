/* A user's program: includes the generated header, links the generated
 * library, runs the model once and checks every output against the same
 * convolution computed here. Valid C and C++. */
#include "tiny_conv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float weight(int index) {
  return (float)(((index * 7) % 11) - 5) * 0.125f;
}

int main(void) {
  static const float biases[3] = {0.5f, -0.25f, 0.125f};
  float image[TINY_CONV_IMAGE_ELEMENTS];
  float result[TINY_CONV_RESULT_ELEMENTS];
  for (size_t i = 0; i < TINY_CONV_IMAGE_ELEMENTS; ++i)
    image[i] = (float)((int)((i * 13) % 17) - 8) * 0.25f;
  /* The arena needs no initialisation: fill it with garbage to show it. */
  void *arena = aligned_alloc(TINY_CONV_ARENA_ALIGNMENT, TINY_CONV_ARENA_BYTES);
  if (!arena)
    return 2;
  memset(arena, 0xab, TINY_CONV_ARENA_BYTES);

  tiny_conv(image, result, arena);

  int mismatches = 0;
  float maxError = 0.0f;
  for (int co = 0; co < 3; ++co)
    for (int oh = 0; oh < 4; ++oh)
      for (int ow = 0; ow < 4; ++ow) {
        float sum = 0.0f;
        for (int ci = 0; ci < 2; ++ci)
          for (int kh = 0; kh < 3; ++kh)
            for (int kw = 0; kw < 3; ++kw)
              sum += image[(ci * 6 + oh + kh) * 6 + ow + kw] *
                     weight(((co * 2 + ci) * 3 + kh) * 3 + kw);
        sum += biases[co];
        float expected = sum > 0.0f ? sum : 0.0f;
        float got = result[(co * 4 + oh) * 4 + ow];
        float error = fabsf(got - expected);
        if (error > maxError)
          maxError = error;
        if (error > 1e-5f) {
          printf("result[0][%d][%d][%d] = %g, expected %g\n", co, oh, ow,
                 (double)got, (double)expected);
          ++mismatches;
        }
      }
  free(arena);
  if (mismatches) {
    printf("tiny_conv: %d of %d outputs differ\n", mismatches,
           (int)TINY_CONV_RESULT_ELEMENTS);
    return 1;
  }
  printf("tiny_conv: all %d outputs match the C reference (max abs error "
         "%g)\n",
         (int)TINY_CONV_RESULT_ELEMENTS, (double)maxError);
  return 0;
}
