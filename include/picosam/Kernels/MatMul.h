//===- MatMul.h - matrix products (float) ------------------------*- C++ -*-===//
//
// numpy matmul and ONNX Gemm in f32, each dot product (and Gemm's scaling
// and bias) computed in double and rounded once.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_MATMUL_H
#define PICOSAM_KERNELS_MATMUL_H

#include "picosam/Kernels/Activation.h"
#include "picosam/Kernels/Span.h"

#include <cstdint>

namespace picosam::kernels {

/// Batched m x k by k x n products: the batch axes of `lhs`
/// (`lhsBatchShape`) and `rhs` (`rhsBatchShape`) broadcast, numpy's way,
/// to `batchShape`, the result's leading axes. The caller has checked that
/// they do.
void matmul(const float *lhs, Span<int64_t> lhsBatchShape, const float *rhs,
            Span<int64_t> rhsBatchShape, float *out, Span<int64_t> batchShape,
            int64_t m, int64_t k, int64_t n);

/// out = activation(alpha * op(a) * op(b) + beta * c): op(a) is m x k (`a`
/// transposed when `transA`), op(b) k x n; `c` (optional, of `cShape`)
/// broadcasts to m x n, which the caller has checked.
void gemm(const float *a, bool transA, const float *b, bool transB, int64_t m,
          int64_t k, int64_t n, float alpha, const float *c,
          Span<int64_t> cShape, float beta, const Activation &activation,
          float *out);

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_MATMUL_H
