//===- PicoDialect.cpp - pico dialect registration ------------------------===//
#include "Pico/PicoDialect.h"
#include "Pico/PicoOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace picosam::pico;

#include "Pico/PicoDialect.cpp.inc"

void PicoDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "Pico/PicoOps.cpp.inc"
      >();
}

Operation *PicoDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
