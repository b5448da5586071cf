//===- PicoDialect.cpp - pico dialect registration ------------------------===//
#include "Pico/PicoDialect.h"
#include "Pico/PicoOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace picosam::pico;

#include "Pico/PicoDialect.cpp.inc"

/// Promises InferenceOpInterface for every op of `Ops` but terminators:
/// the external models of lib/Inference keep it, and using the interface
/// before they are registered is an error naming it.
template <typename... Ops> static void promiseInference(PicoDialect &dialect) {
  (
      [&] {
        if constexpr (!Ops::template hasTrait<mlir::OpTrait::IsTerminator>())
          dialect.declarePromisedInterface<InferenceOpInterface, Ops>();
      }(),
      ...);
}

void PicoDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "Pico/PicoOps.cpp.inc"
      >();
  promiseInference<
#define GET_OP_LIST
#include "Pico/PicoOps.cpp.inc"
      >(*this);
}

Operation *PicoDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
