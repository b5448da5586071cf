//===- ModelSummary.cpp - print what a model is made of -------------------===//
#include "Pico/PicoOps.h"
#include "picosam/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace picosam {
#define GEN_PASS_DEF_MODELSUMMARY
#include "picosam/Transforms/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

namespace {

/// The name a value is known by: its location's name, as the importer sets
/// it from the ONNX graph, or `fallback` when it has none.
std::string nameOf(Location loc, StringRef fallback) {
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().str();
  return fallback.str();
}

std::string shapeOf(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

int64_t elementCount(Value v) {
  return cast<ShapedType>(v.getType()).getNumElements();
}

/// Multiply-accumulates of one op; 0 for ops that do none.
int64_t macsOf(Operation *op) {
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    auto weight = cast<ShapedType>(conv.getWeight().getType());
    // Each output element reads (C / group) * Kh * Kw weights: weight dims 1-3.
    return elementCount(conv.getOutput()) * weight.getDimSize(1) *
           weight.getDimSize(2) * weight.getDimSize(3);
  }
  if (auto gemm = dyn_cast<GemmOp>(op)) {
    auto a = cast<ShapedType>(gemm.getA().getType());
    return elementCount(gemm.getOutput()) *
           a.getDimSize(gemm.getTransA() ? 0 : 1);
  }
  if (auto matmul = dyn_cast<MatMulOp>(op)) {
    auto lhs = cast<ShapedType>(matmul.getLhs().getType());
    return elementCount(matmul.getOutput()) * lhs.getShape().back();
  }
  return 0;
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

      llvm::MapVector<StringRef, int64_t> opCounts;
      int64_t weightElements = 0, weightBytes = 0, macs = 0, ops = 0;
      func.walk([&](Operation *op) {
        if (op->getDialect() != op->getContext()->getLoadedDialect<PicoDialect>())
          return;
        ++ops;
        ++opCounts[op->getName().getStringRef()];
        macs += macsOf(op);
        if (auto constant = dyn_cast<ConstantOp>(op)) {
          auto type = cast<ShapedType>(constant.getValue().getType());
          weightElements += type.getNumElements();
          weightBytes += type.getNumElements() *
                         llvm::divideCeil(type.getElementTypeBitWidth(), 8);
        }
      });
      llvm::sort(opCounts, [](auto &a, auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
      });
      os << "  ops: " << ops << "\n";
      for (auto &[name, count] : opCounts)
        os << llvm::formatv("    {0,-24} {1,6}\n", name, count);
      os << llvm::formatv("  weights: {0} elements, {1} bytes\n", weightElements,
                          weightBytes);
      os << llvm::formatv("  MACs: {0}\n", macs);
    }
    markAllAnalysesPreserved();
  }
};

} // namespace
