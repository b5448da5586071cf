//===- EstimateImx500Latency.cpp - print the IMX500 latency estimate ------===//
#include "picosam/Target/IMX500/LatencyModel.h"
#include "picosam/Target/Passes.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace picosam {
#define GEN_PASS_DEF_ESTIMATEIMX500LATENCY
#include "picosam/Target/Passes.h.inc"
} // namespace picosam

using namespace mlir;
using namespace picosam;
using namespace picosam::imx500;

namespace {

double toMicroseconds(double cycles) { return cycles / kClockMHz; }

struct EstimateImx500LatencyPass
    : picosam::impl::EstimateImx500LatencyBase<EstimateImx500LatencyPass> {
  using EstimateImx500LatencyBase::EstimateImx500LatencyBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!(depthwiseEfficiency > 0 && depthwiseEfficiency <= 1) || !(elementsPerCycle > 0) ||
        !(layerOverheadCycles >= 0) || !(macEfficiency >= 0 && macEfficiency <= 1)) {
      module.emitError("pico-imx500-estimate: depthwise-efficiency must be in (0, 1], "
                       "elements-per-cycle positive, layer-overhead-cycles at least 0 and "
                       "mac-efficiency in [0, 1]");
      return signalPassFailure();
    }
    CostModel model;
    model.depthwiseEfficiency = depthwiseEfficiency;
    model.elementsPerCycle = elementsPerCycle;
    model.layerOverheadCycles = layerOverheadCycles;
    bool calibrated = macEfficiency == 0;
    if (!calibrated) {
      model.macEfficiency = macEfficiency;
    } else if (failed(model.calibrate())) {
      module.emitError("pico-imx500-estimate: with these options no MAC efficiency up to "
                       "100 % gives PicoSAM2 its measured ")
          << llvm::formatv("{0}", llvm::format("%g", kPicoSam2Milliseconds)).str()
          << " ms; lower layer-overhead-cycles or raise "
          << "elements-per-cycle or depthwise-efficiency";
      return signalPassFailure();
    }

    llvm::raw_ostream &os = llvm::errs();
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      SmallVector<LayerEstimate> layers = estimateLayers(func, model);
      os << "IMX500 latency ESTIMATE for @" << func.getSymName()
         << " (a cycle model, not a measurement: docs/imx500.md)\n";
      os << "  model: " << kMacsPerCycle << " MACs/cycle at " << llvm::format("%g", kClockMHz)
         << llvm::formatv(" MHz; dense layers at {0:f2} % of the peak", 100 * model.macEfficiency)
         << (calibrated ? llvm::formatv(" (calibrated: PicoSAM2 in {0} ms)", kPicoSam2Milliseconds)
                              .str()
                        : std::string())
         << llvm::format(", depthwise ones at %g of that; %g elements/cycle without MACs; %g "
                         "cycles per layer\n",
                         model.depthwiseEfficiency, model.elementsPerCycle,
                         model.layerOverheadCycles);
      size_t nameWidth = 5, opWidth = 2;
      for (const LayerEstimate &layer : layers) {
        nameWidth = std::max(nameWidth, layer.name.size());
        opWidth = std::max(opWidth, layer.op.size());
      }
      os << "  " << llvm::left_justify("layer", nameWidth) << "  "
         << llvm::left_justify("op", opWidth)
         << llvm::formatv("  {0,12}  {1,10}  {2,10}\n", "MACs", "cycles", "us");
      int64_t macs = 0, deviceLayers = 0;
      double cycles = 0;
      for (const LayerEstimate &layer : layers) {
        os << "  " << llvm::left_justify(layer.name, nameWidth) << "  "
           << llvm::left_justify(layer.op, opWidth)
           << llvm::formatv("  {0,12}  {1,10:f0}  {2,10:f2}\n", layer.work.macs(),
                            layer.cycles, toMicroseconds(layer.cycles));
        macs += layer.work.macs();
        deviceLayers += layer.work.layers;
        cycles += layer.cycles;
      }
      os << llvm::formatv("  total: {0} ops ({1} device layers), {2} MACs, {3:f0} cycles, "
                          "{4:f3} ms (estimate)\n",
                          layers.size(), deviceLayers, macs, cycles,
                          toMicroseconds(cycles) / 1000);
    }
    markAllAnalysesPreserved();
  }
};

} // namespace
