//===- ShapeUtils.h - shape arithmetic of the pico ops ----------*- C++ -*-===//
//
// The pure arithmetic behind the pico ops' shape inference: numpy
// broadcasting, the output sizes of convolutions, pools and resizes, and
// axis normalisation. The ops' verifiers, the interpreter and the importer
// all compute shapes with these so they cannot disagree.
//
// Every function returns std::nullopt instead of a value when its inputs do
// not describe a valid shape (including dynamic or negative sizes and
// int64_t overflow), so callers can report the error at their own op.
//
//===----------------------------------------------------------------------===//
#ifndef PICO_SHAPEUTILS_H
#define PICO_SHAPEUTILS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace picosam::pico {

/// The numpy (multidirectional) broadcast of two shapes: aligned from the
/// last axis, each pair of sizes must be equal or one of them 1.
std::optional<llvm::SmallVector<int64_t, 4>>
broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// The number of elements of a static shape (1 for rank 0).
std::optional<int64_t> numElements(llvm::ArrayRef<int64_t> shape);

/// The bytes a static shape of `elementBytes`-byte elements holds.
std::optional<int64_t> byteSize(llvm::ArrayRef<int64_t> shape,
                                int64_t elementBytes);

/// `axis` in [0, rank) when it is in [-rank, rank) (negative counts from the
/// back, as in ONNX).
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// The extent of a dilated kernel: (kernel - 1) * dilation + 1.
std::optional<int64_t> dilatedKernelExtent(int64_t kernel, int64_t dilation);

/// The output size of a convolution along one spatial axis (ONNX Conv):
///   floor((in + padBegin + padEnd - dilatedKernelExtent) / stride) + 1.
/// Requires kernel, stride, dilation >= 1 and pads >= 0; std::nullopt also
/// when the dilated kernel does not fit in the padded input.
std::optional<int64_t> convOutputSize(int64_t in, int64_t kernel,
                                      int64_t stride, int64_t dilation,
                                      int64_t padBegin, int64_t padEnd);

/// The output size of a pool along one spatial axis (ONNX MaxPool /
/// AveragePool): as convOutputSize, but with `ceilMode` the division rounds
/// up, and then a last window that would start in the end padding is dropped
/// (every window starts inside the input or its begin padding), as ONNX
/// Runtime and PyTorch do.
std::optional<int64_t> poolOutputSize(int64_t in, int64_t kernel,
                                      int64_t stride, int64_t dilation,
                                      int64_t padBegin, int64_t padEnd,
                                      bool ceilMode);

/// The output size of a resize along one axis: floor(in * scale). Requires a
/// finite scale > 0; std::nullopt also when the result is 0.
std::optional<int64_t> resizeOutputSize(int64_t in, float scale);

/// Whether `out` is an acceptable output size for `in * scale`: a model that
/// gave Resize `sizes` has its scales computed as out / in, which rounds, so
/// any size within 1 of in * scale is accepted.
bool isResizeOutputSize(int64_t out, int64_t in, float scale);

} // namespace picosam::pico

#endif // PICO_SHAPEUTILS_H
