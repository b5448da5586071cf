//===- Resize.h - ONNX Resize, float and integer -----------------*- C++ -*-===//
//
// Every axis of the output reads one or two input elements per index (the
// taps, from Indexing.h's coordinate mapping), and each output element
// combines the elements at the corners its axes' taps span. The float
// policy sums the corners in double with their linear weights; the integer
// policy, for nearest resizing (one corner), moves the element it reads to
// the output's quantization.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_RESIZE_H
#define PICOSAM_KERNELS_RESIZE_H

#include "picosam/Kernels/Indexing.h"
#include "picosam/Kernels/Requantization.h"

#include <cstdint>
#include <vector>

namespace picosam::kernels {

/// How one output index of an axis reads the input: the weighted sum of
/// elements `low` and `high` (equal, weight 0, for nearest and copied axes).
struct AxisTap {
  int64_t low, high;
  float highWeight;
};

/// The taps of every axis of a resize from `inShape` to `outShape`, and the
/// axes linear mode interpolates along (those whose scale is not 1; the
/// source coordinate is clamped to the axis, as onnxruntime does).
struct ResizeTaps {
  std::vector<std::vector<AxisTap>> taps;
  std::vector<int64_t> interpolatedAxes;
};
ResizeTaps resizeTaps(ResizeMode mode, CoordinateTransformMode coordinates,
                      NearestMode nearest, Span<float> scales,
                      Span<int64_t> inShape, Span<int64_t> outShape);

/// Resizes `input` of `inShape` into `output` of `outShape` along `taps`.
///
/// The policy provides:
///   using Sum;  Sum accumulate(Sum sum, double weight, In x) const;
///   Out finish(Sum sum) const;
/// and each output element is finish(the accumulation, from 0, of its
/// corners: bit i of a corner's number picks the high tap of interpolated
/// axis i).
template <typename Policy, typename In, typename Out>
void resize(const In *input, Span<int64_t> inShape, Out *output,
            Span<int64_t> outShape, const ResizeTaps &taps,
            const Policy &policy) {
  int64_t rank = static_cast<int64_t>(inShape.size());
  std::vector<int64_t> inStrides = rowMajorStrides(inShape);
  const std::vector<int64_t> &interpolated = taps.interpolatedAxes;
  size_t corners = size_t(1) << interpolated.size();
  forEachIndex(outShape, [&](const std::vector<int64_t> &index) {
    typename Policy::Sum sum = 0;
    for (size_t corner = 0; corner < corners; ++corner) {
      int64_t offset = 0;
      double weight = 1.0;
      for (int64_t axis = 0, bit = 0; axis < rank; ++axis) {
        const AxisTap &tap = taps.taps[axis][index[axis]];
        bool high = false;
        if (bit < static_cast<int64_t>(interpolated.size()) &&
            interpolated[bit] == axis) {
          high = (corner >> bit) & 1;
          weight *= high ? tap.highWeight : 1.0f - tap.highWeight;
          ++bit;
        }
        offset += (high ? tap.high : tap.low) * inStrides[axis];
      }
      sum = policy.accumulate(sum, weight, input[offset]);
    }
    *output++ = policy.finish(sum);
  });
}

/// Float resizing: the corners' weighted sum in double, rounded once.
struct FloatResize {
  using Sum = double;
  double accumulate(double sum, double weight, float x) const {
    return sum + weight * x;
  }
  float finish(double sum) const { return static_cast<float>(sum); }
};

/// Integer nearest resizing: the one element read, rescaled.
struct QuantizedNearestResize {
  using Sum = int64_t;
  const Rescale &rescale;
  template <typename In> int64_t accumulate(int64_t, double, In x) const {
    return x;
  }
  int32_t finish(int64_t value) const {
    return rescale.apply(static_cast<int32_t>(value));
  }
};

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_RESIZE_H
