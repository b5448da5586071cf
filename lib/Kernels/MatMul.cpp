//===- MatMul.cpp - matrix products (float) -------------------------------===//
#include "picosam/Kernels/MatMul.h"

#include "picosam/Kernels/Indexing.h"

using namespace picosam::kernels;

void picosam::kernels::matmul(const float *lhs, Span<int64_t> lhsBatchShape,
                              const float *rhs, Span<int64_t> rhsBatchShape,
                              float *out, Span<int64_t> batchShape, int64_t m,
                              int64_t k, int64_t n) {
  BroadcastIndexer lhsBatch =
      *BroadcastIndexer::create(lhsBatchShape, batchShape);
  BroadcastIndexer rhsBatch =
      *BroadcastIndexer::create(rhsBatchShape, batchShape);
  for (int64_t i = 0, batches = numElements(batchShape); i < batches; ++i) {
    const float *a = lhs + lhsBatch.operandIndex(i) * m * k;
    const float *b = rhs + rhsBatch.operandIndex(i) * k * n;
    float *product = out + i * m * n;
    for (int64_t row = 0; row < m; ++row)
      for (int64_t col = 0; col < n; ++col) {
        double sum = 0.0;
        for (int64_t j = 0; j < k; ++j)
          sum += static_cast<double>(a[row * k + j]) * b[j * n + col];
        product[row * n + col] = static_cast<float>(sum);
      }
  }
}

void picosam::kernels::gemm(const float *a, bool transA, const float *b,
                            bool transB, int64_t m, int64_t k, int64_t n,
                            float alpha, const float *c, Span<int64_t> cShape,
                            float beta, const Activation &activation,
                            float *out) {
  int64_t resultShape[] = {m, n};
  std::optional<BroadcastIndexer> cIndex;
  if (c)
    cIndex = BroadcastIndexer::create(cShape, Span<int64_t>(resultShape, 2));
  for (int64_t row = 0; row < m; ++row)
    for (int64_t col = 0; col < n; ++col) {
      double sum = 0.0;
      for (int64_t j = 0; j < k; ++j)
        sum += static_cast<double>(a[transA ? j * m + row : row * k + j]) *
               b[transB ? col * k + j : j * n + col];
      int64_t index = row * n + col;
      double value = alpha * sum;
      if (c)
        value += static_cast<double>(beta) * c[cIndex->operandIndex(index)];
      out[index] = activation.apply(static_cast<float>(value));
    }
}
