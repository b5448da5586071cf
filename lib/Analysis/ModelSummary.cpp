//===- ModelSummary.cpp - print what a model is made of -------------------===//
#include "Pico/PicoOps.h"
#include "picosam/Analysis/Macs.h"
#include "picosam/Analysis/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace picosam {
#define GEN_PASS_DEF_MODELSUMMARY
#include "picosam/Analysis/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {

/// The name a value is known by: its location's name, as the importer sets
/// it from the ONNX graph, or `fallback` when it has none. A fused op
/// computes what the last node it merged computed, so it goes by that
/// node's name.
std::string nameOf(Location loc, StringRef fallback) {
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location part : llvm::reverse(fused.getLocations()))
      if (auto named = dyn_cast<NameLoc>(part))
        return named.getName().str();
  return fallback.str();
}

std::string shapeOf(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

struct ModelSummaryPass : picosam::impl::ModelSummaryBase<ModelSummaryPass> {
  void runOnOperation() override {
    llvm::raw_ostream &os = llvm::errs();
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      os << "function @" << func.getSymName() << "\n  inputs:\n";
      for (BlockArgument arg : func.getArguments())
        os << "    " << nameOf(arg.getLoc(), "%arg" + std::to_string(arg.getArgNumber())) << ": " << shapeOf(arg.getType())
           << "\n";
      os << "  outputs:\n";
      func.walk([&](func::ReturnOp ret) {
        for (Value v : ret.getOperands()) {
          Operation *producer = v.getDefiningOp();
          std::string name =
              producer ? nameOf(producer->getLoc(),
                                producer->getName().getStringRef())
                       : nameOf(cast<BlockArgument>(v).getLoc(), "argument");
          os << "    " << name << ": " << shapeOf(v.getType()) << "\n";
        }
      });

      // Ops in the regions of pico ops (separable blocks' convolutions)
      // are counted apart from the function's own; terminators not at all.
      llvm::MapVector<StringRef, int64_t> opCounts, nestedOpCounts;
      int64_t weightElements = 0, weightBytes = 0, macs = 0, ops = 0,
              nestedOps = 0;
      func.walk([&](Operation *op) {
        if (op->getDialect() != op->getContext()->getLoadedDialect<PicoDialect>() ||
            op->hasTrait<mlir::OpTrait::IsTerminator>())
          return;
        bool nested = op->getParentOp() != func;
        ++(nested ? nestedOps : ops);
        ++(nested ? nestedOpCounts : opCounts)[op->getName().getStringRef()];
        macs += countMacs(op);
        if (auto constant = dyn_cast<ConstantOp>(op)) {
          auto type = cast<ShapedType>(constant.getValue().getType());
          weightElements += type.getNumElements();
          weightBytes += type.getNumElements() *
                         llvm::divideCeil(type.getElementTypeBitWidth(), 8);
        }
      });
      auto byCount = [](auto &a, auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
      };
      llvm::sort(opCounts, byCount);
      llvm::sort(nestedOpCounts, byCount);
      os << "  ops: " << ops << "\n";
      for (auto &[name, count] : opCounts)
        os << llvm::formatv("    {0,-24} {1,6}\n", name, count);
      if (nestedOps) {
        os << "  nested ops: " << nestedOps << "\n";
        for (auto &[name, count] : nestedOpCounts)
          os << llvm::formatv("    {0,-24} {1,6}\n", name, count);
      }
      os << llvm::formatv("  weights: {0} elements, {1} bytes\n", weightElements,
                          weightBytes);
      os << llvm::formatv("  MACs: {0}\n", macs);
    }
    markAllAnalysesPreserved();
  }
};

} // namespace
