/* The external kernel tiny_conv.mlir calls, as the kernels library's will be:
 * plain C on a pointer and a count. */
#include <stdint.h>

void test_relu(float *data, int64_t count) {
  for (int64_t i = 0; i < count; ++i)
    if (data[i] < 0.0f)
      data[i] = 0.0f;
}
