//===- PrintRequantization.cpp - print quantized ops' integer constants ---===//
//
// A window on QuantizedArithmetic.h: prints what it derives for every
// quantized op, so tests can check multipliers and shifts against values
// computed by hand, and a backend author can see what to emit.
//
//===----------------------------------------------------------------------===//
#include "Pico/PicoOps.h"
#include "Pico/QuantizedArithmetic.h"
#include "picosam/Interpreter/ValueNames.h"
#include "picosam/Quantization/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace picosam {
#define GEN_PASS_DEF_PRINTREQUANTIZATION
#include "picosam/Quantization/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;
using fixedpoint::QuantizedMultiplier;

namespace {

/// "real 0.0123 -> multiplier 1690499128, shift -6".
void printMultiplier(llvm::raw_ostream &os, double real,
                     QuantizedMultiplier multiplier) {
  os << "real " << llvm::format("%.9g", real) << " -> multiplier "
     << multiplier.multiplier << ", shift " << multiplier.shift << "\n";
}

void printClamp(llvm::raw_ostream &os, ClampBounds clamp) {
  os << "clamp [" << clamp.min << ", " << clamp.max << "]";
}

/// "[first, last]: entries...": a table's range of inputs and its entries.
void printTable(llvm::raw_ostream &os, const ActivationTable &table) {
  os << "[" << table.inputMin << ", "
     << table.inputMin + static_cast<int64_t>(table.entries.size()) - 1
     << "]:";
  for (int32_t entry : table.entries)
    os << " " << entry;
  os << "\n";
}

/// A change of quantization: "identity" when there is none.
void printRescale(llvm::raw_ostream &os, StringRef label,
                  const Rescale &rescale) {
  const TensorQuantization &input = rescale.input, &output = rescale.output;
  os << "  " << label << ": ";
  if (input.scale == output.scale && input.zeroPoint == output.zeroPoint) {
    os << "identity\n";
    return;
  }
  os << "zero points " << input.zeroPoint << " -> " << output.zeroPoint
     << ", ";
  printMultiplier(os, input.scale / output.scale, rescale.multiplier);
}

/// Prints `op`'s constants; fails (with the error QuantizedArithmetic.h
/// emitted) when its types do not form a quantized op.
LogicalResult printOp(Operation *op, llvm::raw_ostream &os) {
  std::string name = locationName(op->getLoc()).value_or("");
  os << op->getName() << " '" << name << "': ";
  if (isa<Conv2DOp, ConvTranspose2DOp>(op)) {
    FailureOr<ConvRequantization> params =
        isa<Conv2DOp>(op) ? getConvRequantization(cast<Conv2DOp>(op))
                          : getConvRequantization(cast<ConvTranspose2DOp>(op));
    if (failed(params))
      return failure();
    os << "input zero point " << params->input.zeroPoint
       << ", output zero point " << params->output.zeroPoint << ", ";
    if (params->residual)
      os << "residual zero point " << params->residual->zeroPoint << ", ";
    printClamp(os, params->clamp);
    os << "\n";
    for (auto [channel, multiplier] : llvm::enumerate(params->multipliers)) {
      double accumulatorScale =
          params->input.scale * params->weightScales[channel];
      os << "  channel " << channel << ": weight scale "
         << llvm::format("%.9g", params->weightScales[channel]) << ", ";
      printMultiplier(os, accumulatorScale / params->output.scale, multiplier);
      if (params->residual) {
        os << "    residual: ";
        printMultiplier(os, params->residual->scale / accumulatorScale,
                        params->residualMultipliers[channel]);
      }
    }
    return success();
  }
  if (auto attention = dyn_cast<ChannelAttentionOp>(op)) {
    FailureOr<ChannelAttentionRequantization> params =
        getChannelAttentionRequantization(attention);
    if (failed(params))
      return failure();
    const TensorQuantization &input = params->input(),
                             &mean = params->gates.input,
                             &logits = params->gates.output;
    int64_t count = params->means.firstCount;
    os << "zero points input " << input.zeroPoint << ", mean "
       << mean.zeroPoint << ", logits " << logits.zeroPoint << ", output "
       << params->output.zeroPoint << "\n  mean of " << count << ": ";
    printMultiplier(os, input.scale / (count * mean.scale),
                    params->means.multipliers.front());
    for (auto [channel, multiplier] :
         llvm::enumerate(params->gates.multipliers)) {
      os << "  logits channel " << channel << ": weight scale "
         << llvm::format("%.9g", params->gates.weightScales[channel]) << ", ";
      printMultiplier(os,
                      mean.scale * params->gates.weightScales[channel] /
                          logits.scale,
                      multiplier);
    }
    os << "  gated output: ";
    printMultiplier(os,
                    input.scale * params->gate.scale / params->output.scale,
                    params->outputMultiplier);
    os << "  gate table for logits ";
    printTable(os, params->gateTable);
    return success();
  }
  if (isa<AddOp, SubOp>(op)) {
    FailureOr<AddRequantization> params = getAddRequantization(op);
    if (failed(params))
      return failure();
    os << "zero points lhs " << params->lhs.zeroPoint << ", rhs "
       << params->rhs.zeroPoint << ", output " << params->output.zeroPoint
       << ", input left shift " << AddRequantization::kInputLeftShift << ", ";
    printClamp(os, params->clamp);
    os << "\n";
    double twiceMax = 2.0 * std::max(params->lhs.scale, params->rhs.scale);
    os << "  lhs: ";
    printMultiplier(os, params->lhs.scale / twiceMax, params->lhsMultiplier);
    os << "  rhs: ";
    printMultiplier(os, params->rhs.scale / twiceMax, params->rhsMultiplier);
    os << "  output: ";
    printMultiplier(os,
                    twiceMax / (std::ldexp(1.0,
                                           AddRequantization::kInputLeftShift) *
                                params->output.scale),
                    params->outputMultiplier);
    return success();
  }
  if (auto mul = dyn_cast<MulOp>(op)) {
    FailureOr<MulRequantization> params = getMulRequantization(mul);
    if (failed(params))
      return failure();
    os << "zero points lhs " << params->lhs.zeroPoint << ", rhs "
       << params->rhs.zeroPoint << ", output " << params->output.zeroPoint
       << ", ";
    printClamp(os, params->clamp);
    os << "\n  product: ";
    printMultiplier(os,
                    params->lhs.scale * params->rhs.scale /
                        params->output.scale,
                    params->multiplier);
    return success();
  }
  if (isa<ActivationOpInterface>(op)) {
    FailureOr<ActivationTable> table = getActivationTable(op);
    if (failed(table))
      return failure();
    os << "table for inputs ";
    printTable(os, *table);
    return success();
  }
  if (isa<GlobalAvgPoolOp, AvgPoolOp>(op)) {
    FailureOr<AverageRequantization> params = getAverageRequantization(op);
    if (failed(params))
      return failure();
    // The divisor of a whole window (global: the plane).
    int64_t count =
        params->firstCount + static_cast<int64_t>(params->multipliers.size()) -
        1;
    os << "zero points input " << params->input.zeroPoint << ", output "
       << params->output.zeroPoint << "\n  sum of " << count << ": ";
    printMultiplier(os, params->input.scale / (count * params->output.scale),
                    params->multipliers.back());
    return success();
  }
  if (isa<ResizeOp, MaxPoolOp, ConcatOp>(op)) {
    FailureOr<std::vector<Rescale>> rescales = getInputRescales(op);
    if (failed(rescales))
      return failure();
    os << "rescale per input\n";
    for (auto [index, rescale] : llvm::enumerate(*rescales))
      printRescale(os, "input " + std::to_string(index), rescale);
    return success();
  }
  os << "no integer constants\n";
  return success();
}

struct PrintRequantizationPass
    : picosam::impl::PrintRequantizationBase<PrintRequantizationPass> {
  void runOnOperation() override {
    llvm::raw_ostream &os = llvm::errs();
    // Constants and the quantization boundaries compute nothing integer;
    // reshape, transpose, pad and slice only move storage values; an op with regions
    // computes with the ops inside it, which the walk visits.
    WalkResult walk = getOperation().walk([&](Operation *op) {
      if (!isa<InferenceOpInterface>(op) || !hasQuantizedValues(op) ||
          op->getNumRegions() != 0 ||
          isa<ConstantOp, QuantizeOp, DequantizeOp, ReshapeOp, TransposeOp,
              PadOp, SliceOp>(op))
        return WalkResult::advance();
      return failed(printOp(op, os)) ? WalkResult::interrupt()
                                     : WalkResult::advance();
    });
    if (walk.wasInterrupted())
      signalPassFailure();
    markAllAnalysesPreserved();
  }
};

} // namespace
