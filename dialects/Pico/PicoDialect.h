//===- PicoDialect.h - pico dialect, enums and attributes -------*- C++ -*-===//
#ifndef PICO_PICODIALECT_H
#define PICO_PICODIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/Dialect.h"

#include "Pico/PicoDialect.h.inc"
#include "Pico/PicoEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "Pico/PicoAttributes.h.inc"

#endif // PICO_PICODIALECT_H
