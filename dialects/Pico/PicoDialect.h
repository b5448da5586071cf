//===- PicoDialect.h - pico dialect, enums and attributes -------*- C++ -*-===//
#ifndef PICO_PICODIALECT_H
#define PICO_PICODIALECT_H

#include "picosam/Kernels/Activation.h"
#include "picosam/Kernels/Indexing.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/Dialect.h"

#include "Pico/PicoDialect.h.inc"
#include "Pico/PicoEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "Pico/PicoAttributes.h.inc"

#include <type_traits>

namespace picosam::pico {
/// The picosam/Kernels twin of a pico enum value: ActivationKind,
/// ResizeMode, CoordinateTransformMode and NearestMode list the cases of
/// their kernel namesakes in the same order (PicoAttributes.cpp checks the
/// counts; ActivationTest and the resize tests against ONNX check the
/// meaning of every case).
template <typename KernelEnum, typename PicoEnum>
KernelEnum toKernelEnum(PicoEnum value) {
  return static_cast<KernelEnum>(
      static_cast<std::underlying_type_t<PicoEnum>>(value));
}
} // namespace picosam::pico

#endif // PICO_PICODIALECT_H
