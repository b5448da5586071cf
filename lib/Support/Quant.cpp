//===- Quant.cpp - quantize and dequantize host tensors -------------------===//
#include "picosam/Support/Quant.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <algorithm>
#include <cmath>

using namespace picosam;

bool picosam::isPowerOfTwo(double value) {
  int exponent;
  return value > 0 && std::frexp(value, &exponent) == 0.5;
}

llvm::Expected<QuantParams> QuantParams::get(mlir::Type elementType,
                                             llvm::ArrayRef<int64_t> shape) {
  auto quantized = llvm::dyn_cast<mlir::quant::QuantizedType>(elementType);
  std::optional<ElementKind> kind = elementKindOf(elementType);
  if (!quantized || !kind)
    return llvm::createStringError("expected a !quant.uniform type with 8, "
                                   "16, 32 or 64-bit storage");
  QuantParams params;
  params.storageKind = *kind;
  params.storageMin = quantized.getStorageTypeMin();
  params.storageMax = quantized.getStorageTypeMax();
  if (auto perTensor =
          llvm::dyn_cast<mlir::quant::UniformQuantizedType>(quantized)) {
    params.scales.push_back(static_cast<float>(perTensor.getScale()));
    params.zeroPoints.push_back(perTensor.getZeroPoint());
    return params;
  }
  auto perAxis =
      llvm::dyn_cast<mlir::quant::UniformQuantizedPerAxisType>(quantized);
  if (!perAxis)
    return llvm::createStringError("only per-tensor and per-axis "
                                   "!quant.uniform types are supported");
  int64_t axis = perAxis.getQuantizedDimension();
  if (axis < 0 || axis >= static_cast<int64_t>(shape.size()) ||
      static_cast<int64_t>(perAxis.getScales().size()) != shape[axis])
    return llvm::createStringError(
        "the quantized dimension does not fit the shape " + formatShape(shape));
  for (double scale : perAxis.getScales())
    params.scales.push_back(static_cast<float>(scale));
  params.zeroPoints.assign(perAxis.getZeroPoints().begin(),
                           perAxis.getZeroPoints().end());
  params.axisStride = rowMajorStrides(shape)[axis];
  params.axisSize = shape[axis];
  return params;
}

Tensor QuantParams::quantize(const Tensor &values) const {
  Tensor storage(storageKind, values.shape());
  const std::vector<float> &x = values.floats();
  std::vector<int64_t> &q = storage.ints();
  for (size_t i = 0; i < x.size(); ++i) {
    size_t s = slot(i);
    // nearbyint rounds half to even in the default rounding mode; clamping
    // in double keeps infinities and huge values defined. NaN maps to the
    // zero point.
    double rounded = std::nearbyint(x[i] / scales[s]);
    double shifted =
        std::isnan(rounded) ? zeroPoints[s] : rounded + zeroPoints[s];
    q[i] = static_cast<int64_t>(
        std::clamp<double>(shifted, storageMin, storageMax));
  }
  return storage;
}

Tensor QuantParams::dequantize(const Tensor &storage) const {
  Tensor values(ElementKind::F32, storage.shape());
  const std::vector<int64_t> &q = storage.ints();
  std::vector<float> &x = values.floats();
  for (size_t i = 0; i < q.size(); ++i) {
    size_t s = slot(i);
    x[i] = static_cast<float>(q[i] - zeroPoints[s]) * scales[s];
  }
  return values;
}
