//===- Reduce.h - reductions over chosen axes ---------------------*- C++ -*-===//
//
// ONNX ReduceMean, ReduceSum and ReduceMax over any set of axes (the
// spatial axes of a squeeze-and-excitation, the channel axis of spatial
// attention). The mean and the maximum take the pools' policies (Pool.h),
// so float and integer reductions are the pools' arithmetic.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_REDUCE_H
#define PICOSAM_KERNELS_REDUCE_H

#include "picosam/Kernels/Span.h"

#include <cstdint>
#include <vector>

namespace picosam::kernels {

/// ONNX's reductions (the pico dialect's ReduceKind converts to this).
enum class ReduceKind { Mean, Sum, Max };

/// Which input elements each output element of a reduction reads: output
/// element o (row-major, the reduced axes dropped or kept as 1) reads the
/// input elements bases[o] + offsets[k] for every k.
struct ReductionGeometry {
  std::vector<int64_t> bases, offsets;
};

/// The geometry of reducing a dense tensor of `shape` over `axes` (distinct,
/// in [0, rank), any order).
ReductionGeometry reductionGeometry(Span<int64_t> shape, Span<int64_t> axes);

/// The mean of each output's elements, with globalAveragePool's policy
/// (accumulate, average, empty).
template <typename Policy, typename In, typename Out>
void reduceMean(const In *input, const ReductionGeometry &geometry, Out *output,
                const Policy &policy) {
  int64_t count = geometry.offsets.size();
  for (size_t o = 0; o < geometry.bases.size(); ++o) {
    if (count == 0) {
      output[o] = policy.empty();
      continue;
    }
    typename Policy::Sum sum = 0;
    const In *in = input + geometry.bases[o];
    for (int64_t offset : geometry.offsets)
      sum = policy.accumulate(sum, in[offset]);
    output[o] = policy.average(sum, count);
  }
}

/// The float sum of each output's elements, summed in double and rounded
/// once; 0 for an empty one.
void reduceSum(const float *input, const ReductionGeometry &geometry,
               float *output);

/// The maximum of each output's elements, with maxPool's policy (lowest,
/// larger, finish).
template <typename Policy, typename In, typename Out>
void reduceMax(const In *input, const ReductionGeometry &geometry, Out *output,
               const Policy &policy) {
  for (size_t o = 0; o < geometry.bases.size(); ++o) {
    typename Policy::Value best = policy.lowest();
    const In *in = input + geometry.bases[o];
    for (int64_t offset : geometry.offsets)
      best = policy.larger(best, in[offset]);
    output[o] = policy.finish(best);
  }
}

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_REDUCE_H
