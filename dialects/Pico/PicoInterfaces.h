//===- PicoInterfaces.h - pico op interfaces --------------------*- C++ -*-===//
#ifndef PICO_PICOINTERFACES_H
#define PICO_PICOINTERFACES_H

#include "Pico/PicoDialect.h"
#include "picosam/Kernels/Requantization.h"

#include "mlir/IR/OpDefinition.h"

namespace picosam {
class PreparedKernels;
class TensorEnvironment;
} // namespace picosam

#include "Pico/PicoInterfaces.h.inc"

#endif // PICO_PICOINTERFACES_H
