//===- LatencyModel.cpp - an estimate of the IMX500's inference time ------===//
#include "picosam/Target/IMX500/LatencyModel.h"

#include "Pico/PicoOps.h"
#include "picosam/Analysis/OpCost.h"
#include "picosam/Interpreter/Interpreter.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace picosam;
using namespace picosam::imx500;

static int64_t elementCount(Value value) {
  return cast<ShapedType>(value.getType()).getNumElements();
}

double CostModel::cycles(const LayerWork &work) const {
  double macRate = kMacsPerCycle * macEfficiency;
  return layerOverheadCycles * static_cast<double>(work.layers) +
         static_cast<double>(work.denseMacs) / macRate +
         static_cast<double>(work.depthwiseMacs) / (macRate * depthwiseEfficiency) +
         static_cast<double>(work.elements) / elementsPerCycle;
}

LogicalResult CostModel::calibrate() {
  // The measured time is the fixed costs (overheads, work without MACs)
  // plus the MAC work at the efficiency sought.
  double measuredCycles = kPicoSam2Milliseconds * 1e-3 * kClockMHz * 1e6;
  double fixedCycles = 0, macCyclesAtPeak = 0;
  for (const LayerWork &work : getPicoSam2Work()) {
    fixedCycles += layerOverheadCycles * static_cast<double>(work.layers) +
                   static_cast<double>(work.elements) / elementsPerCycle;
    macCyclesAtPeak += (static_cast<double>(work.denseMacs) +
                        static_cast<double>(work.depthwiseMacs) / depthwiseEfficiency) /
                       kMacsPerCycle;
  }
  if (fixedCycles >= measuredCycles)
    return failure();
  double efficiency = macCyclesAtPeak / (measuredCycles - fixedCycles);
  if (efficiency > 1)
    return failure();
  macEfficiency = efficiency;
  return success();
}

SmallVector<LayerWork> imx500::getPicoSam2Work() {
  SmallVector<LayerWork> layers;
  // A block DW(in, out) at size x size: a 3x3 depthwise convolution (in the
  // decoder reading its input through the fused x2 nearest upsample, one
  // more device layer) and a 1x1 convolution.
  auto separable = [&](int64_t in, int64_t out, int64_t size, bool upsampled) {
    int64_t pixels = size * size;
    layers.push_back({0, in * pixels * 9, upsampled ? in * pixels : 0, upsampled ? 2 : 1});
    layers.push_back({in * out * pixels, 0, 0, 1});
  };
  // Encoder: DW(in, width) at each size, then a dense 3x3 stride-2
  // convolution halving it; the bottleneck DW(256, 320) at 6x6.
  int64_t size = 96, channels = 3;
  for (int64_t width : {48, 96, 160, 256}) {
    separable(channels, width, size, /*upsampled=*/false);
    size /= 2;
    layers.push_back({width * width * 9 * size * size, 0, 0, 1});
    channels = width;
  }
  separable(channels, 320, size, /*upsampled=*/false);
  channels = 320;
  // Decoder: DW(channels, width) of the upsampled input, plus a 1x1 skip
  // convolution from the encoder stage of that size, which fusion makes the
  // convolution whose residual is the block's result (one more layer, the
  // add).
  const std::pair<int64_t, int64_t> decoder[] = {{192, 256}, {128, 160}, {80, 96}, {40, 48}};
  for (auto [width, skip] : decoder) {
    size *= 2;
    separable(channels, width, size, /*upsampled=*/true);
    layers.push_back({skip * width * size * size, 0, width * size * size, 2});
    channels = width;
  }
  // The 1x1 head to one logit per pixel.
  layers.push_back({channels * size * size, 0, 0, 1});
  return layers;
}

std::optional<LayerWork> imx500::getLayerWork(Operation *op) {
  if (!isa_and_nonnull<pico::PicoDialect>(op->getDialect()) ||
      isa<pico::ConstantOp, pico::ReshapeOp, pico::QuantizeOp, pico::DequantizeOp,
          pico::SeparableBlockOp, pico::YieldOp>(op))
    return std::nullopt;
  LayerWork work;
  work.layers = 1;
  if (auto conv = dyn_cast<pico::Conv2DOp>(op)) {
    (conv.isDepthwise() ? work.depthwiseMacs : work.denseMacs) = countMacs(op);
    if (conv.getResidual()) {
      work.elements += elementCount(conv.getOutput());
      ++work.layers;
    }
    if (int64_t factor = conv.getInputUpsample(); factor > 1) {
      work.elements += elementCount(conv.getInput()) * factor * factor;
      ++work.layers;
    }
  } else if (auto attention = dyn_cast<pico::ChannelAttentionOp>(op)) {
    // The pool reads the input, the multiply writes it; the sigmoid fuses
    // into the 1x1 convolution.
    work.denseMacs = countMacs(op);
    work.elements = 2 * elementCount(attention.getInput());
    work.layers = 3;
  } else if (isa<pico::GemmOp, pico::MatMulOp>(op)) {
    work.denseMacs = countMacs(op);
  } else {
    for (Value value : llvm::concat<Value>(op->getOperands(), op->getResults()))
      work.elements = std::max(work.elements, elementCount(value));
  }
  return work;
}

/// The op column: the pico op, and for a convolution its kind and what
/// fusion put in it.
static std::string describe(Operation *op) {
  std::string text = op->getName().stripDialect().str();
  auto conv = dyn_cast<pico::Conv2DOp>(op);
  if (!conv)
    return text;
  text += conv.isDepthwise() ? " depthwise" : conv.isPointwise() ? " pointwise" : " dense";
  if (conv.getInputUpsample() > 1)
    text += " +upsample";
  if (conv.getResidual())
    text += " +add";
  return text;
}

SmallVector<LayerEstimate> imx500::estimateLayers(func::FuncOp func, const CostModel &model) {
  SmallVector<LayerEstimate> layers;
  func.walk<WalkOrder::PreOrder>([&](Operation *op) {
    std::optional<LayerWork> work = getLayerWork(op);
    if (!work)
      return;
    layers.push_back({locationName(op->getLoc()).value_or(op->getName().getStringRef().str()),
                      describe(op), *work, model.cycles(*work)});
  });
  return layers;
}

std::optional<LatencyEstimate> imx500::estimateLatency(func::FuncOp func) {
  CostModel model;
  if (failed(model.calibrate()))
    return std::nullopt;
  LatencyEstimate estimate;
  llvm::raw_string_ostream os(estimate.model);
  os << kMacsPerCycle << " MACs/cycle at " << llvm::format("%g", kClockMHz)
     << llvm::formatv(" MHz, dense layers at {0:f2} % of the peak",
                      100 * model.macEfficiency)
     << llvm::format(" (calibrated: PicoSAM2 in %g ms), depthwise at %g of "
                     "that, %g elements/cycle without MACs, %g cycles per "
                     "layer",
                     kPicoSam2Milliseconds, model.depthwiseEfficiency,
                     model.elementsPerCycle, model.layerOverheadCycles);
  for (const LayerEstimate &layer : estimateLayers(func, model))
    estimate.layers.push_back({layer.name, layer.op, layer.work.macs(),
                               layer.cycles, layer.cycles / kClockMHz});
  return estimate;
}
