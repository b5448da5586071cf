//===- PrintRequantization.cpp - print quantized ops' integer constants ---===//
//
// A window on QuantizedArithmetic.h: prints what it derives for every
// quantized op, so tests can check multipliers and shifts against values
// computed by hand, and a backend author can see what to emit.
//
//===----------------------------------------------------------------------===//
#include "Pico/PicoOps.h"
#include "Pico/QuantizedArithmetic.h"
#include "Pico/QuantizedInference.h"
#include "picosam/Interpreter/ValueNames.h"
#include "picosam/Support/Tensor.h"
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

/// A change of quantization: "identity" when there is none.
void printRescale(llvm::raw_ostream &os, StringRef label,
                  const TensorQuantization &input,
                  const TensorQuantization &output) {
  os << "  " << label << ": ";
  if (input.scale == output.scale && input.zeroPoint == output.zeroPoint) {
    os << "identity\n";
    return;
  }
  os << "zero points " << input.zeroPoint << " -> " << output.zeroPoint
     << ", ";
  printMultiplier(os, input.scale / output.scale,
                  getRescale(input, output).multiplier);
}

/// Prints `op`'s constants; fails (with the error QuantizedArithmetic.h
/// emitted) when its types do not form a quantized op.
LogicalResult printOp(Operation *op, llvm::raw_ostream &os) {
  std::string name = locationName(op->getLoc()).value_or("");
  os << op->getName() << " '" << name << "': ";
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    FailureOr<ConvRequantization> params = getConvRequantization(conv);
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
    auto shape = cast<ShapedType>(attention.getInput().getType()).getShape();
    int64_t count = shape[2] * shape[3];
    os << "zero points input " << params->input.zeroPoint << ", mean "
       << params->mean.zeroPoint << ", logits " << params->logits.zeroPoint
       << ", output " << params->output.zeroPoint << "\n  mean of " << count
       << ": ";
    printMultiplier(os,
                    params->input.scale / (count * params->mean.scale),
                    params->meanMultiplier);
    for (auto [channel, multiplier] :
         llvm::enumerate(params->logitMultipliers)) {
      os << "  logits channel " << channel << ": weight scale "
         << llvm::format("%.9g", params->weightScales[channel]) << ", ";
      printMultiplier(os,
                      params->mean.scale * params->weightScales[channel] /
                          params->logits.scale,
                      multiplier);
    }
    os << "  gated output: ";
    printMultiplier(os,
                    params->input.scale * params->gate.scale /
                        params->output.scale,
                    params->outputMultiplier);
    os << "  gate table for logits [" << params->logits.storageMin << ", "
       << params->logits.storageMax << "]:";
    for (int32_t entry : params->gateTable.entries)
      os << " " << entry;
    os << "\n";
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
  if (auto activation = dyn_cast<ActivationOpInterface>(op)) {
    FailureOr<TensorQuantization> in =
        getActivationQuantization(op, op->getOperand(0), "input");
    FailureOr<TensorQuantization> out =
        getActivationQuantization(op, op->getResult(0), "result");
    if (failed(in) || failed(out))
      return failure();
    ActivationTable table =
        getActivationTable(activation.getActivationFunction(), *in, *out);
    os << "table for inputs [" << in->storageMin << ", " << in->storageMax
       << "]:";
    for (int32_t entry : table.entries)
      os << " " << entry;
    os << "\n";
    return success();
  }
  if (isa<GlobalAvgPoolOp, AvgPoolOp>(op)) {
    FailureOr<TensorQuantization> in =
        getActivationQuantization(op, op->getOperand(0), "input");
    FailureOr<TensorQuantization> out =
        getActivationQuantization(op, op->getResult(0), "result");
    if (failed(in) || failed(out))
      return failure();
    // The divisor of a whole window (global: the plane).
    int64_t count;
    if (auto pool = dyn_cast<AvgPoolOp>(op))
      count = pool.getKernelShape()[0] * pool.getKernelShape()[1];
    else
      count = numElementsOf(
          cast<ShapedType>(op->getOperand(0).getType()).getShape().drop_front(
              2));
    os << "zero points input " << in->zeroPoint << ", output "
       << out->zeroPoint << "\n  sum of " << count << ": ";
    printMultiplier(os, in->scale / (count * out->scale),
                    getAverageMultiplier(*in, *out, count));
    return success();
  }
  if (isa<ResizeOp, MaxPoolOp, ConcatOp>(op)) {
    FailureOr<TensorQuantization> out =
        getActivationQuantization(op, op->getResult(0), "result");
    if (failed(out))
      return failure();
    os << "rescale per input\n";
    for (auto [index, operand] : llvm::enumerate(op->getOperands())) {
      FailureOr<TensorQuantization> in =
          getActivationQuantization(op, operand, "input");
      if (failed(in))
        return failure();
      printRescale(os, "input " + std::to_string(index), *in, *out);
    }
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
    // reshape and transpose only move storage values; an op with regions
    // computes with the ops inside it, which the walk visits.
    WalkResult walk = getOperation().walk([&](Operation *op) {
      if (!isa<InferenceOpInterface>(op) || !hasQuantizedValues(op) ||
          op->getNumRegions() != 0 ||
          isa<ConstantOp, QuantizeOp, DequantizeOp, ReshapeOp, TransposeOp>(
              op))
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
