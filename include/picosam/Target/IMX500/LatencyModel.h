//===- LatencyModel.h - an estimate of the IMX500's inference time -*- C++ -*-===//
//
// A per-layer cycle model of the IMX500's DSP (docs/imx500.md). It gives an
// ESTIMATE, not a measurement: Sony publishes the array's size and clock, and
// two models' measured latencies, nothing about how layers map onto the
// array. What the model assumes is in CostModel's fields; the one factor it
// cannot assume, the fraction of the peak a layer with MACs reaches, is
// calibrated so that PicoSAM2 takes its measured time.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_TARGET_IMX500_LATENCYMODEL_H
#define PICOSAM_TARGET_IMX500_LATENCYMODEL_H

#include "picosam/Analysis/MemoryReport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace picosam::imx500 {

/// The DSP as published (Raspberry Pi AI Camera documentation, quoting
/// ISSCC 2021): 2304 MACs per cycle at 262.5 MHz.
constexpr int64_t kMacsPerCycle = 2304;
constexpr double kClockMHz = 262.5;

/// The calibration point: PicoSAM2 (96x96 input, 323,053,056 convolution
/// MACs) runs in 14.3 ms on the device (PicoSAM2 paper, arXiv 2506.18807;
/// its "86 MACs/cycle" is these MACs over these cycles).
constexpr double kPicoSam2Milliseconds = 14.3;

/// What a layer does, in the quantities the model prices.
struct LayerWork {
  /// MACs of dense and pointwise convolutions and matrix products.
  int64_t denseMacs = 0;
  /// MACs of depthwise convolutions.
  int64_t depthwiseMacs = 0;
  /// Elements of the work without MACs: element-wise ops, pools, resizes,
  /// a convolution's fused residual add or input upsample.
  int64_t elements = 0;
  /// Layers the device runs (each pays the fixed overhead): 1, or more for
  /// an op fusion made of several (a convolution with a residual add or an
  /// input upsample; channel attention's pool, convolution and multiply).
  int64_t layers = 0;

  int64_t macs() const { return denseMacs + depthwiseMacs; }
};

/// The cycle model. The first three fields are assumptions (pass options);
/// macEfficiency is calibrated.
struct CostModel {
  /// A depthwise convolution's MAC rate relative to a dense one's.
  double depthwiseEfficiency = 0.125;
  /// Elements per cycle of work without MACs.
  double elementsPerCycle = 32;
  /// Fixed cycles of every device layer.
  double layerOverheadCycles = 1000;
  /// The fraction of kMacsPerCycle a dense layer reaches.
  double macEfficiency = 1;

  /// overhead x layers + dense MACs / (peak x efficiency) + depthwise MACs
  /// / (peak x efficiency x depthwise efficiency) + elements / elements
  /// per cycle.
  double cycles(const LayerWork &work) const;

  /// Sets macEfficiency so that PicoSAM2 takes kPicoSam2Milliseconds under
  /// the other fields. Fails when no efficiency in (0, 1] does (the fixed
  /// costs alone take longer, or the MACs would need more than the peak).
  mlir::LogicalResult calibrate();
};

/// PicoSAM2's layers at 96x96 as the fused graph has them, from its public
/// definition (github.com/pbonazzi/picosam2, class PicoSAM2).
llvm::SmallVector<LayerWork> getPicoSam2Work();

/// What `op` does as a device layer, or none for ops the device does not
/// run as layers (constants, reshapes, quantization at the boundaries,
/// separable blocks, whose convolutions are layers of their own).
std::optional<LayerWork> getLayerWork(mlir::Operation *op);

/// One layer of a function's estimate.
struct LayerEstimate {
  /// The op's name (its ONNX node names, as picosam-run names its result).
  std::string name;
  /// The pico op, and a convolution's kind and fused parts.
  std::string op;
  LayerWork work;
  double cycles = 0;
};

/// The layers of `func` in program order (a separable block's two
/// convolutions in its place), priced by `model`.
llvm::SmallVector<LayerEstimate> estimateLayers(mlir::func::FuncOp func,
                                                const CostModel &model);

/// The estimate of `func` with the default, calibrated cycle model
/// (--pico-imx500-estimate without options), as the memory report prints
/// it; none when the model does not calibrate.
std::optional<LatencyEstimate> estimateLatency(mlir::func::FuncOp func);

} // namespace picosam::imx500

#endif // PICOSAM_TARGET_IMX500_LATENCYMODEL_H
