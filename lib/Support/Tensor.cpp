//===- Tensor.cpp - host tensors for reference execution ------------------===//
#include "picosam/Support/Tensor.h"

#include <cassert>

using namespace picosam;

Tensor::Tensor(ElementKind kind, llvm::ArrayRef<int64_t> shape)
    : kind_(kind), shape_(shape.begin(), shape.end()) {
  if (isFloat())
    floats_.assign(numElements(), 0.0f);
  else
    ints_.assign(numElements(), 0);
}

int64_t Tensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape_)
    n *= d;
  return n;
}

const Tensor &TensorEnvironment::get(mlir::Value v) const {
  auto it = values_.find(v);
  assert(it != values_.end() && "value used before it was computed");
  return it->second;
}
