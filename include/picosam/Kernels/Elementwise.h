//===- Elementwise.h - element-wise kernels ----------------------*- C++ -*-===//
//
// Binary ops with numpy broadcasting and the per-channel scaling of
// channel attention, for every element type: the function applied per
// element (a float op and its activation, or an integer requantization) is
// the caller's.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_ELEMENTWISE_H
#define PICOSAM_KERNELS_ELEMENTWISE_H

#include "picosam/Kernels/Indexing.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace picosam::kernels {

/// ONNX Max and Min of two floats (numpy's maximum and minimum): NaN when
/// either is NaN.
inline float maximum(float a, float b) {
  return std::isnan(a) || std::isnan(b) ? a + b : std::max(a, b);
}
inline float minimum(float a, float b) {
  return std::isnan(a) || std::isnan(b) ? a + b : std::min(a, b);
}

/// ONNX PRelu: x, or slope * x below 0 (NaN stays NaN).
inline float prelu(float x, float slope) { return x < 0.0f ? slope * x : x; }

/// out[i] = fn(lhs[a(i)], rhs[b(i)]) for every element of `outShape`, with
/// a and b the numpy broadcasts of `lhsShape` and `rhsShape` to it. The
/// caller has checked that both broadcast. (lhs and rhs may hold different
/// types: 8-bit storage values of either signedness.)
template <typename Lhs, typename Rhs, typename Out, typename Fn>
void broadcastBinary(const Lhs *lhs, Span<int64_t> lhsShape, const Rhs *rhs,
                     Span<int64_t> rhsShape, Out *out, Span<int64_t> outShape,
                     Fn &&fn) {
  BroadcastIndexer lhsIndex = *BroadcastIndexer::create(lhsShape, outShape);
  BroadcastIndexer rhsIndex = *BroadcastIndexer::create(rhsShape, outShape);
  int64_t count = numElements(outShape);
  if (lhsIndex.isIdentity() && rhsIndex.isIdentity()) {
    for (int64_t i = 0; i < count; ++i)
      out[i] = fn(lhs[i], rhs[i]);
    return;
  }
  for (int64_t i = 0; i < count; ++i)
    out[i] = fn(lhs[lhsIndex.operandIndex(i)], rhs[rhsIndex.operandIndex(i)]);
}

/// out[p * planeSize + j] = fn(in[p * planeSize + j], scales[p]) for
/// `planes` planes: one scale per plane (per batch and channel of an NCHW
/// tensor), as a broadcast multiply by an N x C x 1 x 1 tensor reads it.
template <typename In, typename Scale, typename Out, typename Fn>
void scalePlanes(const In *in, int64_t planes, int64_t planeSize,
                 const Scale *scales, Out *out, Fn &&fn) {
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t j = p * planeSize, e = j + planeSize; j < e; ++j)
      out[j] = fn(in[j], scales[p]);
}

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_ELEMENTWISE_H
