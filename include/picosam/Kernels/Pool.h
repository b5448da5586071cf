//===- Pool.h - pooling, float and integer -----------------------*- C++ -*-===//
//
// The pools' window iteration, written once for every element type: a
// policy says how values are summed (or compared) and how a window's sum
// becomes an output value. The float policies sum in double and divide;
// the integer ones sum zero-point-free values and requantize
// (AverageRequantization), or take the largest storage value and rescale.
// Planes are NCHW: `planes` = N * C planes of H x W elements, one after the
// other.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_POOL_H
#define PICOSAM_KERNELS_POOL_H

#include "picosam/Kernels/Requantization.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace picosam::kernels {

/// A 2-D pooling window: pads are [top, left, bottom, right].
struct PoolWindow {
  int64_t kernelH = 1, kernelW = 1;
  int64_t strideH = 1, strideW = 1;
  int64_t dilationH = 1, dilationW = 1;
  int64_t padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
};

/// The mean of each plane of `planeSize` elements: out[i] for plane i.
///
/// The policy provides:
///   using Sum;  Sum accumulate(Sum sum, In x) const;
///   Out average(Sum sum, int64_t count) const;   count > 0
///   Out empty() const;                            a window without inputs
template <typename Policy, typename In, typename Out>
void globalAveragePool(const In *input, int64_t planes, int64_t planeSize,
                       Out *output, const Policy &policy) {
  for (int64_t i = 0; i < planes; ++i) {
    typename Policy::Sum sum = 0;
    for (int64_t j = i * planeSize, e = j + planeSize; j < e; ++j)
      sum = policy.accumulate(sum, input[j]);
    output[i] = policy.average(sum, planeSize);
  }
}

/// ONNX AveragePool over `planes` planes of height x width into outH x outW.
/// Windows end at the far padding (ceil_mode windows may reach past it);
/// with `countIncludePad` a window's divisor is its size within those
/// bounds, as PyTorch and onnxruntime count it, else the input elements it
/// covers.
template <typename Policy, typename In, typename Out>
void averagePool(const In *input, int64_t planes, int64_t height,
                 int64_t width, const PoolWindow &window, bool countIncludePad,
                 Out *output, int64_t outH, int64_t outW,
                 const Policy &policy) {
  for (int64_t plane = 0; plane < planes; ++plane) {
    const In *in = input + plane * height * width;
    Out *out = output + plane * outH * outW;
    for (int64_t oh = 0; oh < outH; ++oh) {
      int64_t h0 = oh * window.strideH - window.padTop;
      int64_t h1 = std::min(h0 + window.kernelH, height + window.padBottom);
      for (int64_t ow = 0; ow < outW; ++ow) {
        int64_t w0 = ow * window.strideW - window.padLeft;
        int64_t w1 = std::min(w0 + window.kernelW, width + window.padRight);
        int64_t hBegin = std::max<int64_t>(h0, 0), hEnd = std::min(h1, height);
        int64_t wBegin = std::max<int64_t>(w0, 0), wEnd = std::min(w1, width);
        typename Policy::Sum sum = 0;
        for (int64_t h = hBegin; h < hEnd; ++h)
          for (int64_t w = wBegin; w < wEnd; ++w)
            sum = policy.accumulate(sum, in[h * width + w]);
        int64_t count = countIncludePad
                            ? (h1 - h0) * (w1 - w0)
                            : std::max<int64_t>(hEnd - hBegin, 0) *
                                  std::max<int64_t>(wEnd - wBegin, 0);
        out[oh * outW + ow] =
            count > 0 ? policy.average(sum, count) : policy.empty();
      }
    }
  }
}

/// ONNX MaxPool over `planes` planes of height x width into outH x outW.
/// Padding never wins: only taps inside the input are compared.
///
/// The policy provides:
///   using Value;  Value lowest() const;    a window entirely in padding
///                                          (possible with ceil_mode)
///   Value larger(Value best, In x) const;
///   Out finish(Value best) const;
template <typename Policy, typename In, typename Out>
void maxPool(const In *input, int64_t planes, int64_t height, int64_t width,
             const PoolWindow &window, Out *output, int64_t outH,
             int64_t outW, const Policy &policy) {
  for (int64_t plane = 0; plane < planes; ++plane) {
    const In *in = input + plane * height * width;
    Out *out = output + plane * outH * outW;
    for (int64_t oh = 0; oh < outH; ++oh) {
      for (int64_t ow = 0; ow < outW; ++ow) {
        typename Policy::Value best = policy.lowest();
        for (int64_t kh = 0; kh < window.kernelH; ++kh) {
          int64_t h = oh * window.strideH - window.padTop + kh * window.dilationH;
          if (h < 0 || h >= height)
            continue;
          for (int64_t kw = 0; kw < window.kernelW; ++kw) {
            int64_t w =
                ow * window.strideW - window.padLeft + kw * window.dilationW;
            if (w >= 0 && w < width)
              best = policy.larger(best, in[h * width + w]);
          }
        }
        out[oh * outW + ow] = policy.finish(best);
      }
    }
  }
}

/// Float means: summed in double, divided, rounded to float once.
struct FloatAverage {
  using Sum = double;
  double accumulate(double sum, float x) const { return sum + x; }
  float average(double sum, int64_t count) const {
    return static_cast<float>(sum / count);
  }
  float empty() const { return 0.0f; }
};

/// Integer means: zero-point-free int64 sums requantized per divisor.
struct QuantizedAverage {
  using Sum = int64_t;
  const AverageRequantization &params;
  template <typename In> int64_t accumulate(int64_t sum, In x) const {
    return sum + (x - params.input.zeroPoint);
  }
  int32_t average(int64_t sum, int64_t count) const {
    return params.average(sum, count);
  }
  int32_t empty() const { return params.output.zeroPoint; }
};

/// Float maximum: NaN wins, so it propagates; -inf when nothing is read.
struct FloatMaximum {
  using Value = float;
  float lowest() const { return -std::numeric_limits<float>::infinity(); }
  float larger(float best, float x) const {
    return x > best || std::isnan(x) ? x : best;
  }
  float finish(float best) const { return best; }
};

/// Integer maximum: scales are positive, so the largest storage value is the
/// largest real value; it is then moved to the output's quantization.
struct QuantizedMaximum {
  using Value = int64_t;
  const Rescale &rescale;
  int64_t lowest() const { return rescale.input.storageMin; }
  template <typename In> int64_t larger(int64_t best, In x) const {
    return std::max<int64_t>(best, x);
  }
  int32_t finish(int64_t best) const {
    return rescale.apply(static_cast<int32_t>(best));
  }
};

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_POOL_H
