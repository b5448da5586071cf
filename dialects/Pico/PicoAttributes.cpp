//===- PicoAttributes.cpp - pico enums and attributes ---------------------===//
#include "Pico/PicoDialect.h"
#include "Pico/PicoOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/CheckedArithmetic.h"


using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

#include "Pico/PicoEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "Pico/PicoAttributes.cpp.inc"

void PicoDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "Pico/PicoAttributes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// ActivationAttr
//===----------------------------------------------------------------------===//

namespace {
/// The names `alpha` and `beta` take in the assembly of each kind; an empty
/// name means the kind has no such parameter.
struct ParameterNames {
  llvm::StringRef alpha, beta;
};
} // namespace

static ParameterNames parameterNames(ActivationKind kind) {
  switch (kind) {
  case ActivationKind::Clip:
    return {"min", "max"};
  case ActivationKind::LeakyRelu:
  case ActivationKind::Elu:
    return {"alpha", ""};
  case ActivationKind::HardSigmoid:
    return {"alpha", "beta"};
  case ActivationKind::Pow:
    return {"exponent", ""};
  case ActivationKind::Selu:
    return {"alpha", "gamma"};
  default:
    return {"", ""};
  }
}

Attribute ActivationAttr::parse(AsmParser &parser, Type) {
  std::string kindName;
  if (parser.parseLess() || parser.parseKeywordOrString(&kindName))
    return {};
  std::optional<ActivationKind> kind = symbolizeActivationKind(kindName);
  if (!kind) {
    parser.emitError(parser.getCurrentLocation(), "unknown activation '")
        << kindName << "'";
    return {};
  }
  ParameterNames names = parameterNames(*kind);
  // Parsed in the parameters' own semantics: printFloat writes what decimal
  // cannot hold (infinities, NaN) as the f32 bit pattern, e.g. 0x7F800000,
  // which the double overload of parseFloat would read as a double's bits.
  const llvm::fltSemantics &f32 = APFloat::IEEEsingle();
  APFloat alpha = APFloat::getZero(f32), beta = APFloat::getZero(f32);
  bool hasAlpha = false, hasBeta = false;
  while (succeeded(parser.parseOptionalComma())) {
    std::string name;
    APFloat value = APFloat::getZero(f32);
    SMLoc loc = parser.getCurrentLocation();
    if (parser.parseKeywordOrString(&name) || parser.parseEqual() ||
        parser.parseFloat(f32, value))
      return {};
    if (!names.alpha.empty() && name == names.alpha && !hasAlpha) {
      alpha = value;
      hasAlpha = true;
    } else if (!names.beta.empty() && name == names.beta && !hasBeta) {
      beta = value;
      hasBeta = true;
    } else {
      parser.emitError(loc, "unexpected parameter '")
          << name << "' for activation '" << kindName << "'";
      return {};
    }
  }
  if (parser.parseGreater())
    return {};
  if ((!names.alpha.empty() && !hasAlpha) || (!names.beta.empty() && !hasBeta)) {
    parser.emitError(parser.getCurrentLocation(), "activation '")
        << kindName << "' needs "
        << (names.beta.empty() ? names.alpha
                               : (names.alpha + " and " + names.beta).str());
    return {};
  }
  return parser.getChecked<ActivationAttr>(parser.getContext(), *kind, alpha,
                                          beta);
}

void ActivationAttr::print(AsmPrinter &printer) const {
  ParameterNames names = parameterNames(getKind());
  printer << "<" << stringifyActivationKind(getKind());
  if (!names.alpha.empty()) {
    printer << ", " << names.alpha << " = ";
    printer.printFloat(getAlpha());
  }
  if (!names.beta.empty()) {
    printer << ", " << names.beta << " = ";
    printer.printFloat(getBeta());
  }
  printer << ">";
}

LogicalResult
ActivationAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       ActivationKind kind, APFloat alpha, APFloat beta) {
  if (&alpha.getSemantics() != &APFloat::IEEEsingle() ||
      &beta.getSemantics() != &APFloat::IEEEsingle())
    return emitError() << "activation parameters must be f32";
  ParameterNames names = parameterNames(kind);
  // The assembly has no place for a parameter the kind lacks and the parser
  // gives it +0.0, so only +0.0 keeps print -> parse the identity.
  if ((names.alpha.empty() && !alpha.isPosZero()) ||
      (names.beta.empty() && !beta.isPosZero()))
    return emitError() << "activation '" << stringifyActivationKind(kind)
                       << "' has " << (names.alpha.empty() ? "no" : "one")
                       << " parameter; the others must be +0.0";
  switch (kind) {
  case ActivationKind::Clip:
    // An infinite bound is ONNX's missing one; NaN would make every output
    // NaN.
    if (alpha.isNaN() || beta.isNaN())
      return emitError() << "clip bounds must not be NaN";
    if (alpha.compare(beta) == APFloat::cmpGreaterThan)
      return emitError() << "clip min (" << alpha.convertToFloat()
                         << ") is greater than max (" << beta.convertToFloat()
                         << ")";
    return success();
  case ActivationKind::LeakyRelu:
  case ActivationKind::HardSigmoid:
  case ActivationKind::Pow:
  case ActivationKind::Elu:
  case ActivationKind::Selu:
    if (!alpha.isFinite())
      return emitError() << stringifyActivationKind(kind) << " " << names.alpha
                         << " must be finite, got " << alpha.convertToFloat();
    if (!names.beta.empty() && !beta.isFinite())
      return emitError() << stringifyActivationKind(kind) << " " << names.beta
                         << " must be finite, got " << beta.convertToFloat();
    return success();
  default:
    return success();
  }
}

// Each pico enum has as many cases as its kernel twin (toKernelEnum).
static_assert(getMaxEnumValForActivationKind() ==
              static_cast<unsigned>(kernels::ActivationKind::Softplus));
static_assert(getMaxEnumValForResizeMode() ==
              static_cast<unsigned>(kernels::ResizeMode::Linear));
static_assert(
    getMaxEnumValForCoordinateTransformMode() ==
    static_cast<unsigned>(kernels::CoordinateTransformMode::TfHalfPixelForNearest));
static_assert(getMaxEnumValForNearestMode() ==
              static_cast<unsigned>(kernels::NearestMode::Ceil));

kernels::Activation ActivationAttr::getKernelActivation() const {
  return {toKernelEnum<kernels::ActivationKind>(getKind()),
          getAlpha().convertToFloat(),
          getBeta().convertToFloat()};
}

//===----------------------------------------------------------------------===//
// Memory plan attributes
//===----------------------------------------------------------------------===//

LogicalResult BufferAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 int64_t offset, int64_t size, int64_t first,
                                 int64_t last, BufferKind kind, int64_t rows,
                                 int64_t rowBytes) {
  if (offset < 0 || size < 0)
    return emitError() << "buffer offset and size must be >= 0, got offset "
                       << offset << " and size " << size;
  if (first < 0 || first > last)
    return emitError() << "buffer lifetime must satisfy 0 <= first <= last, "
                          "got first "
                       << first << " and last " << last;
  if (kind == BufferKind::Whole) {
    if (rows != 0 || rowBytes != 0)
      return emitError() << "a whole buffer has no rows or row_bytes";
    return success();
  }
  if (rows < 0 || rowBytes < 0)
    return emitError() << "ring rows and row_bytes must be >= 0, got rows "
                       << rows << " and row_bytes " << rowBytes;
  std::optional<int64_t> ringBytes = llvm::checkedMul(rows, rowBytes);
  if (!ringBytes || *ringBytes > size)
    return emitError() << "a ring of " << rows << " rows of " << rowBytes
                       << " bytes does not fit its size " << size;
  return success();
}

LogicalResult MemoryPlanAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, int64_t arena,
    int64_t lowerBound, int64_t peakStep, int64_t steps,
    int64_t inputOrderLowerBound, int64_t weights, int64_t alignment,
    int64_t elementBytes, int64_t tiledBlocks) {
  if (arena < 0 || lowerBound < 0 || peakStep < 0 || steps < 0 ||
      inputOrderLowerBound < 0 || weights < 0 || elementBytes < 0 ||
      tiledBlocks < 0)
    return emitError() << "memory plan sizes, steps and counts must be >= 0";
  if (alignment < 1)
    return emitError() << "memory plan alignment must be >= 1, got "
                       << alignment;
  if (lowerBound > arena)
    return emitError() << "memory plan lower bound " << lowerBound
                       << " exceeds its arena " << arena;
  return success();
}

//===----------------------------------------------------------------------===//
// Where the plan's attributes may sit
//===----------------------------------------------------------------------===//

/// The separable block `op` is the depthwise (first) or pointwise (second)
/// convolution of, if any.
static SeparableBlockOp enclosingBlock(Operation *op, bool pointwise) {
  auto block = dyn_cast_or_null<SeparableBlockOp>(op->getParentOp());
  if (!block || !isa<Conv2DOp>(op))
    return {};
  // By position: the block's own verifier may not have run yet.
  Block &body = block.getBody().front();
  auto expected = body.begin();
  if (pointwise && expected != body.end())
    ++expected;
  return expected != body.end() && &*expected == op ? block
                                                    : SeparableBlockOp();
}

/// Checks that `buffer` lies inside the arena of `function`'s memory plan
/// (when it has one).
static LogicalResult
verifyInsideArena(Operation *function, BufferAttr buffer,
                  function_ref<InFlightDiagnostic()> emitError) {
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

//===----------------------------------------------------------------------===//
// The imported quantization's attributes
//===----------------------------------------------------------------------===//

/// Checks the imported quantization's module attributes (PicoBase.td): a
/// dictionary of array<f32> per name, `min, max, threshold` (min <= max,
/// threshold >= 0) for pico.calibration, positive thresholds for
/// pico.weight_thresholds, all finite.
static LogicalResult
verifyImportedQuantization(Operation *op, NamedAttribute attr,
                           function_ref<InFlightDiagnostic()> emitError) {
  StringRef name = attr.getName().getValue();
  if (!isa<ModuleOp>(op))
    return emitError() << "'" << name << "' is a module attribute";
  auto entries = dyn_cast<DictionaryAttr>(attr.getValue());
  if (!entries)
    return emitError() << "'" << name << "' must be a dictionary, got "
                       << attr.getValue();
  bool calibration = name == PicoDialect::kCalibrationAttrName;
  for (NamedAttribute entry : entries) {
    auto values = dyn_cast<DenseF32ArrayAttr>(entry.getValue());
    if (!values || (calibration ? values.size() != 3 : values.empty()))
      return emitError() << "'" << name << "': entry '"
                         << entry.getName().getValue() << "' must be "
                         << (calibration ? "array<f32: min, max, threshold>"
                                         : "a non-empty array<f32>");
    ArrayRef<float> v = values.asArrayRef();
    bool valid = llvm::all_of(v, [](float x) { return std::isfinite(x); }) &&
                 (calibration ? v[0] <= v[1] && v[2] >= 0.0f
                              : llvm::all_of(v, [](float x) { return x > 0; }));
    if (!valid)
      return emitError() << "'" << name << "': entry '"
                         << entry.getName().getValue() << "' holds "
                         << (calibration ? "min > max, a negative threshold"
                                         : "a threshold that is not positive")
                         << " or a value that is not finite";
  }
  return success();
}

LogicalResult PicoDialect::verifyOperationAttribute(Operation *op,
                                                    NamedAttribute attribute) {
  StringRef name = attribute.getName().getValue();
  auto emitError = [&] { return op->emitOpError(); };
  if (name == kCalibrationAttrName || name == kWeightThresholdsAttrName)
    return verifyImportedQuantization(op, attribute, emitError);
  if (name == MemoryPlanAttr::attrName) {
    if (!isa<FunctionOpInterface>(op))
      return emitError() << "'" << name << "' is a function attribute";
    if (!isa<MemoryPlanAttr>(attribute.getValue()))
      return emitError() << "'" << name << "' must be a #pico.memory_plan, got "
                         << attribute.getValue();
    return success();
  }
  if (name != BufferAttr::attrName)
    return success();
  auto buffer = dyn_cast<BufferAttr>(attribute.getValue());
  if (!buffer)
    return emitError() << "'" << name << "' must be a #pico.buffer, got "
                       << attribute.getValue();
  if (op->getNumResults() != 1 ||
      !isa<RankedTensorType>(op->getResult(0).getType()))
    return emitError() << "'" << name
                       << "' belongs on an op defining one tensor or on a "
                          "function argument";
  switch (buffer.getKind()) {
  case BufferKind::Whole:
    // The block's own attribute holds its result, not its pointwise conv's.
    if (enclosingBlock(op, /*pointwise=*/true))
      return emitError() << "a whole buffer for a separable block's result "
                            "belongs on the block";
    break;
  case BufferKind::Ring:
    if (!enclosingBlock(op, /*pointwise=*/false))
      return emitError() << "a ring buffer belongs on the depthwise "
                            "convolution of a separable block";
    break;
  case BufferKind::Streamed: {
    SeparableBlockOp block = enclosingBlock(op, /*pointwise=*/true);
    if (!block)
      return emitError() << "a streamed buffer belongs on the pointwise "
                            "convolution of a separable block";
    if (block->hasAttr(BufferAttr::attrName))
      return emitError() << "a separable block streaming its rows has no "
                            "buffer of its own";
    break;
  }
  }
  return verifyInsideArena(op->getParentOfType<FunctionOpInterface>(), buffer,
                           emitError);
}

LogicalResult PicoDialect::verifyRegionArgAttribute(Operation *op,
                                                    unsigned regionIndex,
                                                    unsigned argIndex,
                                                    NamedAttribute attribute) {
  StringRef name = attribute.getName().getValue();
  auto emitError = [&] {
    return op->emitOpError("argument #") << argIndex << ": ";
  };
  auto function = dyn_cast<FunctionOpInterface>(op);
  if (name == MemoryPlanAttr::attrName)
    return emitError() << "'" << name
                       << "' is a function attribute, not an argument's";
  if (name == BufferAttr::attrName) {
    auto buffer = dyn_cast<BufferAttr>(attribute.getValue());
    if (!buffer || buffer.getKind() != BufferKind::Whole)
      return emitError() << "'" << name << "' must be a whole #pico.buffer, got "
                         << attribute.getValue();
    if (!function || regionIndex != 0 ||
        !isa<RankedTensorType>(function.getArgumentTypes()[argIndex]))
      return emitError() << "'" << name
                         << "' belongs on a tensor argument of a function";
    return verifyInsideArena(op, buffer, emitError);
  }
  if (name == MemoryPlanAttr::arenaArgAttrName) {
    auto type = function ? dyn_cast<MemRefType>(
                               function.getArgumentTypes()[argIndex])
                         : MemRefType();
    auto plan = function ? function->getAttrOfType<MemoryPlanAttr>(
                               MemoryPlanAttr::attrName)
                         : MemoryPlanAttr();
    // At least the plan's arena: the bands of tiled blocks may have rings
    // past it (--pico-materialize-arena's row-bands).
    if (!isa<UnitAttr>(attribute.getValue()) || !type || !plan ||
        type.getRank() != 1 || !type.hasStaticShape() ||
        !type.getElementType().isInteger(8) ||
        type.getDimSize(0) < plan.getArena())
      return emitError() << "'" << name
                         << "' marks the memref<bytes x i8> argument, of at "
                            "least the plan's arena, of a function with a "
                            "#pico.memory_plan";
    return success();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// TargetAttr
//===----------------------------------------------------------------------===//

LogicalResult TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 TargetKind kind, int64_t budget,
                                 int64_t reserved) {
  if (budget < 0 || reserved < 0)
    return emitError() << "target budget and reserved bytes must be >= 0, got "
                          "budget "
                       << budget << " and reserved " << reserved;
  if (reserved > 0 && budget == 0)
    return emitError() << "target reserves " << reserved
                       << " bytes but has no budget to reserve them from";
  if (budget > 0 && budget <= reserved)
    return emitError() << "target budget " << budget
                       << " must exceed its reserved bytes " << reserved;
  return success();
}

TargetAttr TargetAttr::getDefault(MLIRContext *context, TargetKind kind) {
  if (kind == TargetKind::Imx500)
    return get(context, kind, kImx500Budget, kImx500Reserved);
  return get(context, kind, 0, 0);
}

TargetAttr TargetAttr::lookup(Operation *op) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    module = op->getParentOfType<ModuleOp>();
  return module ? module->getAttrOfType<TargetAttr>(attrName) : TargetAttr();
}
