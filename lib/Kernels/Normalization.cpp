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

void picosam::kernels::instanceNorm(const float *in, int64_t planes,
                                    int64_t channels, int64_t planeSize,
                                    const float *scale, const float *bias,
                                    float epsilon, float *out) {
  for (int64_t i = 0; i < planes; ++i) {
    int64_t c = i % channels, first = i * planeSize, end = first + planeSize;
    double sum = 0.0;
    for (int64_t j = first; j < end; ++j)
      sum += in[j];
    double mean = sum / planeSize, squares = 0.0;
    for (int64_t j = first; j < end; ++j)
      squares += (in[j] - mean) * (in[j] - mean);
    double factor = scale[c] / std::sqrt(squares / planeSize + epsilon);
    for (int64_t j = first; j < end; ++j)
      out[j] = static_cast<float>((in[j] - mean) * factor + bias[c]);
  }
}

void picosam::kernels::softmax(const float *in, int64_t outer, int64_t length,
                               int64_t inner, float *out, bool logarithm) {
  // Per element: its exponential (softmax) or its difference to the
  // maximum (log-softmax).
  std::vector<double> terms;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      int64_t first = o * length * inner + i;
      float maximum = -std::numeric_limits<float>::infinity();
      for (int64_t j = 0; j < length; ++j)
        maximum = std::max(maximum, in[first + j * inner]);
      terms.resize(length);
      double sum = 0.0;
      for (int64_t j = 0; j < length; ++j) {
        double difference = static_cast<double>(in[first + j * inner]) - maximum;
        double exponential = std::exp(difference);
        sum += exponential;
        terms[j] = logarithm ? difference : exponential;
      }
      double logSum = logarithm ? std::log(sum) : 0.0;
      for (int64_t j = 0; j < length; ++j)
        out[first + j * inner] = static_cast<float>(
            logarithm ? terms[j] - logSum : terms[j] / sum);
    }
  }
}
