//===- Normalization.cpp - batch normalisation and softmax (float) --------===//
#include "picosam/Kernels/Normalization.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

void picosam::kernels::batchNorm(const float *in, int64_t planes,
                                 int64_t channels, int64_t planeSize,
                                 const float *scale, const float *bias,
                                 const float *mean, const float *variance,
                                 float epsilon, float *out) {
  for (int64_t i = 0; i < planes; ++i) {
    int64_t c = i % channels;
    float factor = scale[c] / std::sqrt(variance[c] + epsilon);
    for (int64_t j = i * planeSize, e = j + planeSize; j < e; ++j)
      out[j] = (in[j] - mean[c]) * factor + bias[c];
  }
}

void picosam::kernels::softmax(const float *in, int64_t outer, int64_t length,
                               int64_t inner, float *out) {
  std::vector<double> exponentials;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      int64_t first = o * length * inner + i;
      float maximum = -std::numeric_limits<float>::infinity();
      for (int64_t j = 0; j < length; ++j)
        maximum = std::max(maximum, in[first + j * inner]);
      exponentials.resize(length);
      double sum = 0.0;
      for (int64_t j = 0; j < length; ++j) {
        exponentials[j] =
            std::exp(static_cast<double>(in[first + j * inner]) - maximum);
        sum += exponentials[j];
      }
      for (int64_t j = 0; j < length; ++j)
        out[first + j * inner] = static_cast<float>(exponentials[j] / sum);
    }
  }
}
