//===- Tensor.cpp - host tensors for reference execution ------------------===//
#include "picosam/Support/Tensor.h"
#include "picosam/Runtime/NpyFormat.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/EndianStream.h"

#include <algorithm>
#include <cassert>

using namespace picosam;

llvm::StringRef picosam::stringifyElementKind(ElementKind kind) {
  switch (kind) {
  case ElementKind::F32:
    return "f32";
  case ElementKind::F64:
    return "f64";
  case ElementKind::I8:
    return "i8";
  case ElementKind::U8:
    return "u8";
  case ElementKind::I16:
    return "i16";
  case ElementKind::I32:
    return "i32";
  case ElementKind::I64:
    return "i64";
  case ElementKind::Bool:
    return "bool";
  }
  llvm_unreachable("unknown element kind");
}

static std::optional<ElementKind> integerKind(unsigned width, bool isUnsigned) {
  switch (width) {
  case 1:
    return ElementKind::Bool;
  case 8:
    return isUnsigned ? ElementKind::U8 : ElementKind::I8;
  case 16:
    return isUnsigned ? std::nullopt : std::optional(ElementKind::I16);
  case 32:
    return isUnsigned ? std::nullopt : std::optional(ElementKind::I32);
  case 64:
    return isUnsigned ? std::nullopt : std::optional(ElementKind::I64);
  default:
    return std::nullopt;
  }
}

std::optional<ElementKind> picosam::elementKindOf(mlir::Type type) {
  if (type.isF32())
    return ElementKind::F32;
  if (type.isF64())
    return ElementKind::F64;
  if (auto integer = llvm::dyn_cast<mlir::IntegerType>(type))
    return integerKind(integer.getWidth(), integer.isUnsigned());
  if (auto quantized = llvm::dyn_cast<mlir::quant::QuantizedType>(type))
    return integerKind(quantized.getStorageTypeIntegralWidth(),
                       !quantized.isSigned());
  return std::nullopt;
}

std::string picosam::formatShape(llvm::ArrayRef<int64_t> shape) {
  return runtime::formatShape(shape.vec());
}

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

Tensor::Tensor(ElementKind kind, llvm::ArrayRef<int64_t> shape)
    : kind_(kind), shape_(shape.begin(), shape.end()) {
  dispatchStorage(kind, [&](auto zero) {
    storage<decltype(zero)>().assign(numElements(), zero);
  });
}

double Tensor::getAsDouble(int64_t index) const {
  return dispatchStorage(kind_, [&](auto zero) {
    return static_cast<double>(storage<decltype(zero)>()[index]);
  });
}

Tensor Tensor::reshaped(llvm::ArrayRef<int64_t> shape) const {
  assert(numElementsOf(shape) == numElements() && "reshape changes the size");
  Tensor result = *this;
  result.shape_.assign(shape.begin(), shape.end());
  return result;
}

Tensor Tensor::slice(int64_t first, int64_t count) const {
  assert(rank() >= 1 && first >= 0 && first + count <= shape_[0] &&
         "slice out of range");
  llvm::SmallVector<int64_t, 4> shape(shape_);
  shape[0] = count;
  Tensor result(kind_, shape);
  int64_t rowSize = numElementsOf(llvm::ArrayRef<int64_t>(shape_).drop_front());
  dispatchStorage(kind_, [&](auto zero) {
    using T = decltype(zero);
    const std::vector<T> &from = storage<T>();
    std::copy(from.begin() + first * rowSize,
              from.begin() + (first + count) * rowSize,
              result.storage<T>().begin());
  });
  return result;
}

void Tensor::writeSlice(int64_t first, const Tensor &rows) {
  assert(rows.kind() == kind_ && rows.rank() == rank() && rank() >= 1 &&
         first + rows.shape()[0] <= shape_[0] && "slice does not fit");
  int64_t rowSize = numElementsOf(llvm::ArrayRef<int64_t>(shape_).drop_front());
  dispatchStorage(kind_, [&](auto zero) {
    using T = decltype(zero);
    const std::vector<T> &from = rows.storage<T>();
    std::copy(from.begin(), from.end(), storage<T>().begin() + first * rowSize);
  });
}

//===----------------------------------------------------------------------===//
// Packed little-endian buffers
//===----------------------------------------------------------------------===//

size_t picosam::byteWidth(ElementKind kind) {
  switch (kind) {
  case ElementKind::I8:
  case ElementKind::U8:
  case ElementKind::Bool:
    return 1;
  case ElementKind::I16:
    return 2;
  case ElementKind::F32:
  case ElementKind::I32:
    return 4;
  case ElementKind::F64:
  case ElementKind::I64:
    return 8;
  }
  llvm_unreachable("unknown element kind");
}

void picosam::decodeLittleEndian(llvm::StringRef bytes, Tensor &tensor) {
  namespace endian = llvm::support::endian;
  assert(bytes.size() == static_cast<size_t>(tensor.numElements()) *
                             byteWidth(tensor.kind()) &&
         "buffer size does not match the tensor");
  const char *p = bytes.data();
  switch (tensor.kind()) {
  case ElementKind::F32:
    for (float &value : tensor.floats())
      value = llvm::bit_cast<float>(endian::read32le(p)), p += 4;
    break;
  case ElementKind::F64:
    for (double &value : tensor.doubles())
      value = llvm::bit_cast<double>(endian::read64le(p)), p += 8;
    break;
  case ElementKind::I8:
    for (int64_t &value : tensor.ints())
      value = static_cast<int8_t>(*p++);
    break;
  case ElementKind::U8:
    for (int64_t &value : tensor.ints())
      value = static_cast<uint8_t>(*p++);
    break;
  case ElementKind::Bool:
    for (int64_t &value : tensor.ints())
      value = *p++ != 0;
    break;
  case ElementKind::I16:
    for (int64_t &value : tensor.ints())
      value = static_cast<int16_t>(endian::read16le(p)), p += 2;
    break;
  case ElementKind::I32:
    for (int64_t &value : tensor.ints())
      value = static_cast<int32_t>(endian::read32le(p)), p += 4;
    break;
  case ElementKind::I64:
    for (int64_t &value : tensor.ints())
      value = static_cast<int64_t>(endian::read64le(p)), p += 8;
    break;
  }
}

void picosam::encodeLittleEndian(const Tensor &tensor, llvm::raw_ostream &os) {
  auto write = [&](auto value) {
    llvm::support::endian::write(os, value, llvm::endianness::little);
  };
  switch (tensor.kind()) {
  case ElementKind::F32:
    for (float value : tensor.floats())
      write(llvm::bit_cast<uint32_t>(value));
    break;
  case ElementKind::F64:
    for (double value : tensor.doubles())
      write(llvm::bit_cast<uint64_t>(value));
    break;
  case ElementKind::I8:
  case ElementKind::U8:
  case ElementKind::Bool:
    for (int64_t value : tensor.ints())
      write(static_cast<uint8_t>(value));
    break;
  case ElementKind::I16:
    for (int64_t value : tensor.ints())
      write(static_cast<uint16_t>(value));
    break;
  case ElementKind::I32:
    for (int64_t value : tensor.ints())
      write(static_cast<uint32_t>(value));
    break;
  case ElementKind::I64:
    for (int64_t value : tensor.ints())
      write(static_cast<uint64_t>(value));
    break;
  }
}

//===----------------------------------------------------------------------===//
// TensorEnvironment
//===----------------------------------------------------------------------===//

const Tensor &TensorEnvironment::get(mlir::Value v) const {
  auto it = values_.find(v);
  assert(it != values_.end() && "value used before it was computed");
  return it->second;
}
