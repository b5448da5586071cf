//===- KernelIndexing.h - where kernels read their input --------*- C++ -*-===//
//
// The index arithmetic the float and the integer reference kernels share,
// and the backends will: which outputs a sliding-window tap reaches inside
// the input, and which input element ONNX Resize reads. Defined once so
// every stage reads the same input elements.
//
//===----------------------------------------------------------------------===//
#ifndef PICO_KERNELINDEXING_H
#define PICO_KERNELINDEXING_H

#include "Pico/PicoDialect.h"

#include <cstdint>
#include <utility>

namespace picosam::pico {

/// The output positions [begin, end) of a sliding window tap whose input
/// position `o * stride + offset` lies inside [0, size), for outputs
/// [0, outSize): the taps that read padding are the ones outside it.
std::pair<int64_t, int64_t> validOutputRange(int64_t offset, int64_t stride,
                                             int64_t size, int64_t outSize);

/// The input coordinate ONNX Resize maps output index `x` of an axis to,
/// for an axis of `inSize` elements resized to `outSize` with `scale`.
float resizeSourceCoordinate(CoordinateTransformMode mode, int64_t x,
                             float scale, int64_t inSize, int64_t outSize);

/// The input index `nearest_mode` picks for source coordinate `x`, clamped
/// to an axis of `inSize` elements.
int64_t resizeNearestIndex(NearestMode mode, float x, int64_t inSize);

} // namespace picosam::pico

#endif // PICO_KERNELINDEXING_H
