//===- Indexing.h - where kernels read their input --------------*- C++ -*-===//
//
// The index arithmetic every kernel shares: row-major strides, numpy
// broadcasting, which outputs a sliding-window tap reaches inside the
// input, and which input elements ONNX Resize reads. Defined once so the
// float and the integer kernels, and every stage running them, read the
// same input elements.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_INDEXING_H
#define PICOSAM_KERNELS_INDEXING_H

#include "picosam/Kernels/Span.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace picosam::kernels {

/// The product of `shape` (1 for rank 0).
int64_t numElements(Span<int64_t> shape);

/// Row-major strides (in elements) of a dense tensor of `shape` (all 0 for a
/// shape without elements).
std::vector<int64_t> rowMajorStrides(Span<int64_t> shape);

/// Calls `fn(index)` for every index of `shape` in row-major order, with
/// `index` the current multi-index (one entry per axis).
template <typename Fn> void forEachIndex(Span<int64_t> shape, Fn &&fn) {
  int64_t count = numElements(shape);
  std::vector<int64_t> index(shape.size(), 0);
  for (int64_t i = 0; i < count; ++i) {
    fn(static_cast<const std::vector<int64_t> &>(index));
    for (int64_t axis = static_cast<int64_t>(shape.size()) - 1; axis >= 0;
         --axis) {
      if (++index[axis] < shape[axis])
        break;
      index[axis] = 0;
    }
  }
}

/// Maps the row-major index of an element of a result to the row-major index
/// of the operand element it reads under numpy (multidirectional)
/// broadcasting: shapes align at the back, and operand axes of size 1 (or
/// missing) repeat.
class BroadcastIndexer {
public:
  /// None when `operandShape` does not broadcast to `resultShape`.
  static std::optional<BroadcastIndexer> create(Span<int64_t> operandShape,
                                                Span<int64_t> resultShape);

  int64_t operandIndex(int64_t resultIndex) const;
  /// True when every result index reads the operand element of the same
  /// index (no broadcasting), so callers can skip the mapping.
  bool isIdentity() const { return identity_; }

private:
  BroadcastIndexer() = default;
  std::vector<int64_t> resultShape_;
  /// Operand stride per result axis; 0 on broadcast axes.
  std::vector<int64_t> operandStrides_;
  bool identity_ = false;
};

/// The output positions [begin, end) of a sliding window tap whose input
/// position `o * stride + offset` lies inside [0, size), for outputs
/// [0, outSize): the taps that read padding are the ones outside it.
std::pair<int64_t, int64_t> validOutputRange(int64_t offset, int64_t stride,
                                             int64_t size, int64_t outSize);

/// ONNX Resize's interpolation, coordinate_transformation_mode and
/// nearest_mode (the pico dialect's enums convert to these).
enum class ResizeMode { Nearest, Linear };
enum class CoordinateTransformMode {
  HalfPixel,
  PytorchHalfPixel,
  AlignCorners,
  Asymmetric,
  TfHalfPixelForNearest
};
enum class NearestMode { RoundPreferFloor, RoundPreferCeil, Floor, Ceil };

/// The input coordinate ONNX Resize maps output index `x` of an axis to,
/// for an axis of `inSize` elements resized to `outSize` with `scale`.
float resizeSourceCoordinate(CoordinateTransformMode mode, int64_t x,
                             float scale, int64_t inSize, int64_t outSize);

/// The input index `nearest_mode` picks for source coordinate `x`, clamped
/// to an axis of `inSize` elements.
int64_t resizeNearestIndex(NearestMode mode, float x, int64_t inSize);

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_INDEXING_H
