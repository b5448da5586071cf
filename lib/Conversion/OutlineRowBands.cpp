//===- OutlineRowBands.cpp - a tiled block's bands run on the pool --------===//
//
// --pico-outline-row-bands (include/picosam/Conversion/Passes.td): each
// scf.forall of bands (--pico-materialize-arena's row-bands, lowered to
// kernel calls) becomes a function computing one band and a call of
// picosam_cpu_run_bands (include/picosam/Runtime/Threads.h), which runs the
// bands on the pool: the threads meet once per block instead of once per
// kernel call of each row.
//
//===----------------------------------------------------------------------===//
#include "picosam/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

namespace picosam {
#define GEN_PASS_DEF_OUTLINEROWBANDS
#include "picosam/Conversion/Passes.h.inc"
} // namespace picosam

using namespace mlir;

namespace {

/// The runtime entry running the bands.
constexpr StringLiteral kRunBands = "picosam_cpu_run_bands";

/// Whether `value` can be computed again inside a band's function: by ops
/// without side effects or regions, from constants alone (descriptors'
/// globals, offsets).
bool recomputable(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op || op->getNumRegions() != 0 || !isMemoryEffectFree(op))
    return false;
  return llvm::all_of(op->getOperands(), recomputable);
}

/// A forall of bands and the values its body reads that must be passed to
/// it (the arena's and the workspace's addresses).
struct Bands {
  scf::ForallOp forall;
  func::FuncOp func;
  SmallVector<Value> passed;
};

struct OutlineRowBands
    : public picosam::impl::OutlineRowBandsBase<OutlineRowBands> {
  void runOnOperation() override;
};

} // namespace

/// Clones the op computing `value` (a recomputable value) and what it
/// reads, before `builder`'s insertion point, mapping the copies.
static Value recompute(OpBuilder &builder, Value value, IRMapping &mapping) {
  if (Value mapped = mapping.lookupOrNull(value))
    return mapped;
  Operation *op = value.getDefiningOp();
  for (Value operand : op->getOperands())
    recompute(builder, operand, mapping);
  builder.clone(*op, mapping);
  return mapping.lookup(value);
}

void OutlineRowBands::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *context = module.getContext();
  std::vector<Bands> foralls;
  size_t passedMost = 1;
  for (auto func : module.getOps<func::FuncOp>()) {
    WalkResult walk = func.walk([&](scf::ForallOp forall) {
      if (forall.getRank() != 1 || !forall.getOutputs().empty() ||
          !forall.isNormalized() ||
          ShapedType::isDynamic(forall.getStaticUpperBound()[0]) ||
          forall->getParentOp() != func) {
        forall.emitOpError("is not a loop of row bands (one static count "
                           "of bands, no outputs, at the function's top "
                           "level)");
        return WalkResult::interrupt();
      }
      llvm::SetVector<Value> captured;
      getUsedValuesDefinedAbove(forall.getRegion(), captured);
      Bands bands{forall, func, {}};
      for (Value value : captured) {
        if (recomputable(value))
          continue;
        if (!isa<IndexType>(value.getType())) {
          forall.emitOpError("reads a value of type ")
              << value.getType()
              << " from outside; a band may read only addresses (index) "
                 "and constants";
          return WalkResult::interrupt();
        }
        bands.passed.push_back(value);
      }
      passedMost = std::max(passedMost, bands.passed.size());
      foralls.push_back(std::move(bands));
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
  }
  if (foralls.empty())
    return;

  // Every band function takes (its addresses, its band): one type, so one
  // declaration of the runtime entry.
  OpBuilder builder(context);
  Type index = builder.getIndexType();
  auto addressesType = MemRefType::get({int64_t(passedMost)}, index);
  FunctionType bandType = builder.getFunctionType({addressesType, index}, {});
  SymbolTable symbols(module);
  auto runBands = module.lookupSymbol<func::FuncOp>(kRunBands);
  if (!runBands) {
    builder.setInsertionPointToEnd(module.getBody());
    runBands = func::FuncOp::create(
        builder, module.getLoc(), kRunBands,
        builder.getFunctionType({index, bandType, addressesType}, {}));
    runBands.setPrivate();
    symbols.insert(runBands);
  }

  for (Bands &bands : foralls) {
    scf::ForallOp forall = bands.forall;
    Location loc = forall.getLoc();
    // The band's function: the addresses loaded, the constants made again,
    // the body.
    builder.setInsertionPointAfter(bands.func);
    auto bandFunc = func::FuncOp::create(
        builder, loc, (bands.func.getSymName() + "_bands").str(), bandType);
    bandFunc.setPrivate();
    symbols.insert(bandFunc);
    Block *entry = bandFunc.addEntryBlock();
    OpBuilder body = OpBuilder::atBlockBegin(entry);
    IRMapping mapping;
    for (auto [i, value] : llvm::enumerate(bands.passed))
      mapping.map(value, memref::LoadOp::create(
                             body, loc, entry->getArgument(0),
                             ValueRange{arith::ConstantIndexOp::create(
                                 body, loc, int64_t(i))}));
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(forall.getRegion(), captured);
    for (Value value : captured)
      if (!mapping.contains(value))
        recompute(body, value, mapping);
    mapping.map(forall.getInductionVar(0), entry->getArgument(1));
    for (Operation &op : forall.getBody()->without_terminator())
      body.clone(op, mapping);
    func::ReturnOp::create(body, loc);

    // The call: the addresses in a stack array (made once, at the
    // function's start), the bands run by the runtime.
    OpBuilder caller(forall);
    OpBuilder start = OpBuilder::atBlockBegin(&bands.func.front());
    Value addresses = memref::AllocaOp::create(start, loc, addressesType);
    for (auto [i, value] : llvm::enumerate(bands.passed))
      memref::StoreOp::create(
          caller, loc, value, addresses,
          ValueRange{arith::ConstantIndexOp::create(caller, loc, int64_t(i))});
    Value function = func::ConstantOp::create(
        caller, loc, bandType, SymbolRefAttr::get(bandFunc));
    Value count = arith::ConstantIndexOp::create(
        caller, loc, forall.getStaticUpperBound()[0]);
    func::CallOp::create(caller, loc, runBands,
                         ValueRange{count, function, addresses});
    forall.erase();
  }
}
