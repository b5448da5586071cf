//===- Tensor.h - host tensors for reference execution ----------*- C++ -*-===//
//
// The values the reference interpreter computes with: dense row-major host
// tensors, and the map from SSA values to them that every op's `inference`
// reads its operands from and writes its results to.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_SUPPORT_TENSOR_H
#define PICOSAM_SUPPORT_TENSOR_H

#include "picosam/Kernels/Indexing.h"
#include "picosam/Kernels/Workspace.h"

#include "mlir/IR/Types.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace picosam {

/// Element kinds a host tensor can hold. F32 is the kind every float op
/// computes with; F64 exists so float64 `.npy` files can be read and
/// compared. Integer kinds (including the storage values of quantized
/// tensors, whose scale and zero point live in the MLIR type) and Bool keep
/// their values as int64_t.
enum class ElementKind { F32, F64, I8, U8, I16, I32, I64, Bool };

/// "f32", "f64", "i8", "u8", "i16", "i32", "i64", "bool".
llvm::StringRef stringifyElementKind(ElementKind kind);

/// The kind that holds values of MLIR element type `type`: f32, f64, i1, i8,
/// ui8, i16, i32, i64 (signless or signed), and quantized types by their
/// storage type. None for anything else.
std::optional<ElementKind> elementKindOf(mlir::Type type);

/// "1x3x96x96"; "scalar" for rank 0.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// Row-major strides (in elements) of a dense tensor of `shape`
/// (kernels::rowMajorStrides, in an LLVM vector).
inline llvm::SmallVector<int64_t, 4>
rowMajorStrides(llvm::ArrayRef<int64_t> shape) {
  std::vector<int64_t> strides = kernels::rowMajorStrides(shape);
  return llvm::SmallVector<int64_t, 4>(strides.begin(), strides.end());
}

/// The product of `shape`.
inline int64_t numElementsOf(llvm::ArrayRef<int64_t> shape) {
  return kernels::numElements(shape);
}

class Tensor {
public:
  Tensor() = default;
  /// A zero-filled tensor.
  Tensor(ElementKind kind, llvm::ArrayRef<int64_t> shape);

  ElementKind kind() const { return kind_; }
  /// True for F32, the kind float ops compute with.
  bool isFloat() const { return kind_ == ElementKind::F32; }
  llvm::ArrayRef<int64_t> shape() const { return shape_; }
  int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
  int64_t numElements() const { return numElementsOf(shape_); }

  /// Storage of F32 tensors.
  std::vector<float> &floats() { return floats_; }
  const std::vector<float> &floats() const { return floats_; }
  /// Storage of F64 tensors.
  std::vector<double> &doubles() { return doubles_; }
  const std::vector<double> &doubles() const { return doubles_; }
  /// Storage of integer and Bool tensors.
  std::vector<int64_t> &ints() { return ints_; }
  const std::vector<int64_t> &ints() const { return ints_; }

  /// The storage vector of element type T (float, double or int64_t); it is
  /// empty unless T is the one that holds `kind()` (see `dispatchStorage`).
  template <typename T> std::vector<T> &storage();
  template <typename T> const std::vector<T> &storage() const {
    return const_cast<Tensor *>(this)->storage<T>();
  }

  /// Element `index` (row-major) converted to double, whatever the kind.
  double getAsDouble(int64_t index) const;

  /// The same elements with another shape of equal element count.
  Tensor reshaped(llvm::ArrayRef<int64_t> shape) const;
  /// Rows [first, first + count) along axis 0 (rank >= 1).
  Tensor slice(int64_t first, int64_t count) const;
  /// Overwrites rows [first, first + rows.shape()[0]) along axis 0 with
  /// `rows`, which has this tensor's kind and trailing dimensions.
  void writeSlice(int64_t first, const Tensor &rows);

private:
  ElementKind kind_ = ElementKind::F32;
  llvm::SmallVector<int64_t, 4> shape_;
  std::vector<float> floats_;
  std::vector<double> doubles_;
  std::vector<int64_t> ints_;
};

template <> inline std::vector<float> &Tensor::storage<float>() {
  return floats_;
}
template <> inline std::vector<double> &Tensor::storage<double>() {
  return doubles_;
}
template <> inline std::vector<int64_t> &Tensor::storage<int64_t>() {
  return ints_;
}

/// Calls `fn(T{})` with T the storage element type of `kind`, so code that
/// only moves elements around (reshape, transpose, concat) is written once
/// for every kind.
template <typename Fn>
decltype(auto) dispatchStorage(ElementKind kind, Fn &&fn) {
  switch (kind) {
  case ElementKind::F32:
    return fn(float{});
  case ElementKind::F64:
    return fn(double{});
  default:
    return fn(int64_t{});
  }
}

/// Bytes per element of `kind` in a packed little-endian buffer (the data of
/// an `.npy` file, an MLIR resource blob); Bool takes one byte.
size_t byteWidth(ElementKind kind);
/// Sets the elements of `tensor` from `bytes`, its elements packed
/// little-endian: numElements() * byteWidth(kind()) bytes.
void decodeLittleEndian(llvm::StringRef bytes, Tensor &tensor);
/// Writes the elements of `tensor` packed little-endian.
void encodeLittleEndian(const Tensor &tensor, llvm::raw_ostream &os);

/// The host value of every SSA value computed so far, and the scratch
/// memory the kernels compute in.
class TensorEnvironment {
public:
  /// The value of `v`; it must have been set.
  const Tensor &get(mlir::Value v) const;
  bool contains(mlir::Value v) const { return values_.count(v) != 0; }
  void set(mlir::Value v, Tensor t) { values_[v] = std::move(t); }
  void erase(mlir::Value v) { values_.erase(v); }

  /// At least `bytes` bytes of kernel scratch, valid until the next call:
  /// the interpreter's one workspace.
  kernels::Workspace workspace(int64_t bytes) { return workspace_.get(bytes); }

private:
  llvm::DenseMap<mlir::Value, Tensor> values_;
  kernels::WorkspaceBuffer workspace_;
};

} // namespace picosam

#endif // PICOSAM_SUPPORT_TENSOR_H
