//===- Quant.h - quantize and dequantize host tensors -----------*- C++ -*-===//
//
// The one definition of the arithmetic between real values and the storage
// values of MLIR's `!quant.uniform` types (per tensor or per axis), as ONNX
// QuantizeLinear / DequantizeLinear define it:
//   q = clamp(round_half_even(x / scale) + zero_point, storage min, max)
//   x = (q - zero_point) * scale
// with x, scale and the products in f32.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_SUPPORT_QUANT_H
#define PICOSAM_SUPPORT_QUANT_H

#include "picosam/Support/Tensor.h"

#include "llvm/Support/Error.h"

namespace picosam {

/// Whether `value` is 2^k for an integer k (the IMX500's activation
/// thresholds and scales, docs/imx500.md).
bool isPowerOfTwo(double value);

/// The scale and zero point of each element of a quantized tensor.
class QuantParams {
public:
  /// The parameters of a tensor of `shape` whose element type is
  /// `elementType`; an error (the reason) if that is not a uniform quantized
  /// type, or its quantized dimension does not fit `shape`.
  static llvm::Expected<QuantParams> get(mlir::Type elementType,
                                         llvm::ArrayRef<int64_t> shape);

  /// Storage values (of the storage kind) of the f32 tensor `values`.
  Tensor quantize(const Tensor &values) const;
  /// The f32 values of the storage tensor `storage`.
  Tensor dequantize(const Tensor &storage) const;

private:
  QuantParams() = default;
  /// The scale/zero-point slot of the element at row-major `index`.
  size_t slot(int64_t index) const {
    return static_cast<size_t>((index / axisStride) % axisSize);
  }

  ElementKind storageKind = ElementKind::I8;
  int64_t storageMin = 0, storageMax = 0;
  llvm::SmallVector<float, 1> scales;
  llvm::SmallVector<int64_t, 1> zeroPoints;
  /// For per-axis types, the row-major stride and size of the quantized
  /// axis; 1 and 1 for per-tensor types.
  int64_t axisStride = 1, axisSize = 1;
};

} // namespace picosam

#endif // PICOSAM_SUPPORT_QUANT_H
