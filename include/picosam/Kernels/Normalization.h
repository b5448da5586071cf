//===- Normalization.h - batch normalisation and softmax (float) -*- C++ -*-===//
#ifndef PICOSAM_KERNELS_NORMALIZATION_H
#define PICOSAM_KERNELS_NORMALIZATION_H

#include <cstdint>

namespace picosam::kernels {

/// Inference-mode batch normalisation of `planes` planes (N * C, channel
/// `p % channels`) of `planeSize` elements: y = (x - mean) * scale /
/// sqrt(variance + epsilon) + bias.
void batchNorm(const float *in, int64_t planes, int64_t channels,
               int64_t planeSize, const float *scale, const float *bias,
               const float *mean, const float *variance, float epsilon,
               float *out);

/// Instance normalisation of `planes` planes (N * C, channel `p %
/// channels`) of `planeSize` elements: y = (x - mean) * scale /
/// sqrt(variance + epsilon) + bias with each plane's mean and biased
/// variance, computed in double (two passes) and rounded once.
void instanceNorm(const float *in, int64_t planes, int64_t channels,
                  int64_t planeSize, const float *scale, const float *bias,
                  float epsilon, float *out);

/// Softmax along the middle axis of an `outer` x `length` x `inner` tensor,
/// or with `logarithm` its logarithm (ONNX LogSoftmax: x - max - log(sum)); the
/// maximum is subtracted first (keeping exp() finite), and the differences,
/// exponentials, sum and quotients (logarithms) are computed in double,
/// each result rounded to float once.
void softmax(const float *in, int64_t outer, int64_t length, int64_t inner,
             float *out, bool logarithm = false);

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_NORMALIZATION_H
