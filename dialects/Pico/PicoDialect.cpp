//===- PicoDialect.cpp - pico dialect registration ------------------------===//
#include "Pico/PicoDialect.h"
#include "Pico/PicoOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
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

//===----------------------------------------------------------------------===//
// Where the memory plan's attributes may appear
//===----------------------------------------------------------------------===//

/// Checks that `attr`, named pico.buffer, is a #pico.buffer inside the arena
/// of `function`'s memory plan (when it has one).
static LogicalResult
verifyBuffer(Operation *function, NamedAttribute attr,
             function_ref<InFlightDiagnostic()> emitError) {
  auto buffer = dyn_cast<BufferAttr>(attr.getValue());
  if (!buffer)
    return emitError() << "'" << BufferAttr::attrName
                       << "' must be a #pico.buffer, got " << attr.getValue();
  auto plan =
      function
          ? function->getAttrOfType<MemoryPlanAttr>(MemoryPlanAttr::attrName)
          : MemoryPlanAttr();
  // offset, size and arena are >= 0 (their verifiers), so this cannot
  // overflow.
  if (plan && buffer.getOffset() > plan.getArena() - buffer.getSize())
    return emitError() << "'" << BufferAttr::attrName << "' (offset "
                       << buffer.getOffset() << ", size " << buffer.getSize()
                       << ") ends past the function's arena of "
                       << plan.getArena() << " bytes";
  return success();
}

LogicalResult PicoDialect::verifyOperationAttribute(Operation *op,
                                                    NamedAttribute attr) {
  auto emitError = [&] { return op->emitOpError(); };
  if (attr.getName() == MemoryPlanAttr::attrName) {
    if (!isa<FunctionOpInterface>(op))
      return emitError() << "'" << MemoryPlanAttr::attrName
                         << "' is a function attribute";
    if (!isa<MemoryPlanAttr>(attr.getValue()))
      return emitError() << "'" << MemoryPlanAttr::attrName
                         << "' must be a #pico.memory_plan, got "
                         << attr.getValue();
    return success();
  }
  if (attr.getName() == BufferAttr::attrName) {
    // The buffer of the tensor the op defines.
    if (op->getNumResults() != 1)
      return emitError() << "'" << BufferAttr::attrName
                         << "' belongs on an op defining one tensor or on a "
                            "function argument, and this op has "
                         << op->getNumResults() << " results";
    return verifyBuffer(op->getParentOfType<FunctionOpInterface>(), attr,
                        emitError);
  }
  return success();
}

LogicalResult PicoDialect::verifyRegionArgAttribute(Operation *op,
                                                    unsigned regionIndex,
                                                    unsigned argIndex,
                                                    NamedAttribute attr) {
  auto emitError = [&] {
    return op->emitOpError("argument #") << argIndex << ": ";
  };
  if (attr.getName() == MemoryPlanAttr::attrName)
    return emitError() << "'" << MemoryPlanAttr::attrName
                       << "' is a function attribute, not an argument's";
  if (attr.getName() == BufferAttr::attrName) {
    if (!isa<FunctionOpInterface>(op) || regionIndex != 0)
      return emitError() << "'" << BufferAttr::attrName
                         << "' belongs on a function argument";
    return verifyBuffer(op, attr, emitError);
  }
  return success();
}
