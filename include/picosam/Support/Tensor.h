//===- Tensor.h - host tensors for reference execution ----------*- C++ -*-===//
//
// The values the reference interpreter computes with: dense row-major host
// tensors, and the map from SSA values to them that every op's `inference`
// reads its operands from and writes its results to.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_SUPPORT_TENSOR_H
#define PICOSAM_SUPPORT_TENSOR_H

#include "mlir/IR/Value.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <vector>

namespace picosam {

/// Element kinds a host tensor can hold. Floating-point tensors keep their
/// values in `floats()`; integer tensors (including the storage values of
/// quantized tensors) keep them in `ints()`.
enum class ElementKind { F32, I8, U8, I16, I32, I64, Bool };

class Tensor {
public:
  Tensor() = default;
  Tensor(ElementKind kind, llvm::ArrayRef<int64_t> shape);

  ElementKind kind() const { return kind_; }
  bool isFloat() const { return kind_ == ElementKind::F32; }
  llvm::ArrayRef<int64_t> shape() const { return shape_; }
  int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
  int64_t numElements() const;

  std::vector<float> &floats() { return floats_; }
  const std::vector<float> &floats() const { return floats_; }
  std::vector<int64_t> &ints() { return ints_; }
  const std::vector<int64_t> &ints() const { return ints_; }

private:
  ElementKind kind_ = ElementKind::F32;
  llvm::SmallVector<int64_t, 4> shape_;
  std::vector<float> floats_;
  std::vector<int64_t> ints_;
};

/// The host value of every SSA value computed so far.
class TensorEnvironment {
public:
  /// The value of `v`; it must have been set.
  const Tensor &get(mlir::Value v) const;
  bool contains(mlir::Value v) const { return values_.count(v) != 0; }
  void set(mlir::Value v, Tensor t) { values_[v] = std::move(t); }
  void erase(mlir::Value v) { values_.erase(v); }

private:
  llvm::DenseMap<mlir::Value, Tensor> values_;
};

} // namespace picosam

#endif // PICOSAM_SUPPORT_TENSOR_H
