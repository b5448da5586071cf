/* Calls the model once; reaching main at all means the start-up check let
 * the program run. */
#include <stdio.h>

void tiny_conv(const float *image, float *result, void *arena);

int main(void) {
  static float image[72], result[48];
  static _Alignas(64) unsigned char arena[256];
  printf("main ran\n");
  tiny_conv(image, result, arena);
  return 0;
}
