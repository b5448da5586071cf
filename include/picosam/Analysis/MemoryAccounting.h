//===- MemoryAccounting.h - what a model needs of a device's memory -*- C++ -*-===//
//
// The one accounting of a compiled model's memory against a device's: the
// budget check of --pico-plan-memory, every memory report (text, JSON, SVG)
// and any tool reading a network file count with accountMemory, so they
// cannot disagree. It is plain C++ (no MLIR): a caller fills MemoryInputs
// from whatever describes the model (a planned function: gatherMemoryInputs
// in ReadMemoryPlan.h; a network file: its tensors) and gets the figures.
//
// Two ways of counting (docs/memory.md, docs/imx500.md "Memory accounting"):
//   AsPlanned  weights as typed + the planned arena + reserved bytes;
//   Imx500     the way Sony's converter reports it: model memory (int8
//              weights with output channels padded to the group size,
//              an int32 bias and 8 bytes of requantisation parameters per
//              padded output channel), runtime memory (the larger of the
//              planned arena and the activation peak of whole, unfused
//              tensors, plus the input when it persists), reserved memory.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_ANALYSIS_MEMORYACCOUNTING_H
#define PICOSAM_ANALYSIS_MEMORYACCOUNTING_H

#include <cstdint>
#include <string>
#include <vector>

namespace picosam {

/// A layer holding weights (a convolution, a separable block's depthwise or
/// pointwise convolution, channel attention's 1x1 convolution, a Gemm or a
/// MatMul with a constant operand).
struct WeightedLayer {
  /// Its ONNX node name(s), as picosam-run names its result.
  std::string name;
  /// The op ("pico.conv2d", ...).
  std::string op;
  int64_t outputChannels = 0;
  /// Weights each output channel holds (a convolution's (C / group) x Kh x
  /// Kw, a matrix product's reduced dimension).
  int64_t weightsPerOutputChannel = 0;
};

/// What the accounting counts, gathered from a model.
struct MemoryInputs {
  /// Every weighted layer, in program order.
  std::vector<WeightedLayer> layers;
  /// Bytes of the constants no weighted layer holds, at their types' widths.
  int64_t otherConstantBytes = 0;
  /// Bytes of every constant at its type's width (the plan's `weights`).
  int64_t constantBytes = 0;
  /// The planned arena.
  int64_t arenaBytes = 0;
  /// The largest sum, at one step, of the activations live there each
  /// whole (a ring as its whole tensor), a tensor written in place over
  /// another as a second tensor, and the tensors a fused op stands for (an
  /// input upsample's result, a convolution's result before its residual
  /// add, channel attention's pooled means, logits and gates): what a
  /// runtime that neither fuses, tiles nor computes in place holds.
  int64_t activationPeakBytes = 0;
  /// The step of that peak.
  int64_t activationPeakStep = 0;
  /// Elements of the network's inputs (the IMX500 takes 8-bit images).
  int64_t inputElements = 0;
};

enum class MemoryAccountingKind { AsPlanned, Imx500 };

/// The device's memory, and how to count against it.
struct MemoryAccountingOptions {
  MemoryAccountingKind kind = MemoryAccountingKind::AsPlanned;
  /// All the memory there is (0: no limit).
  int64_t totalBytes = 0;
  /// Bytes the device's runtime keeps for itself.
  int64_t reservedBytes = 0;
  /// Imx500: the input is kept for read-back (costs its size).
  bool inputPersistent = true;
  /// Imx500: output channels are stored in groups of this many.
  int64_t outputChannelGroup = 32;
};

/// The IMX500's defaults (../shared/imx500.md; its 8,388,480 bytes with 1 KB
/// reserved are the #pico.target's, pico::TargetAttr::getDefault): output
/// channels in groups of 32 (MCT's SIMD width for 8-bit weights), input
/// persistence on (counting the input can only add memory).
constexpr int64_t kImx500OutputChannelGroup = 32;
constexpr bool kImx500InputPersistent = true;
/// Imx500: bytes per stored weight, bias and output channel's quantisation
/// parameters (a 32-bit requantisation multiplier and a 32-bit shift).
constexpr int64_t kImx500WeightBytes = 1;
constexpr int64_t kImx500BiasBytes = 4;
constexpr int64_t kImx500QuantizationBytesPerChannel = 8;

/// Byte counts are summed and multiplied saturating at this: a count that
/// large (an absurd model or option) never fits any budget.
constexpr int64_t kSaturatedBytes = INT64_MAX;
/// a + b and a * b of non-negative byte counts, saturating.
int64_t addBytes(int64_t a, int64_t b);
int64_t multiplyBytes(int64_t a, int64_t b);

/// One weighted layer's model memory (Imx500).
struct LayerMemory {
  std::string name;
  std::string op;
  int64_t outputChannels = 0;
  /// outputChannels rounded up to the group size.
  int64_t paddedOutputChannels = 0;
  int64_t weightBytes = 0;
  int64_t biasBytes = 0;
  int64_t quantizationBytes = 0;
  int64_t bytes() const {
    return addBytes(addBytes(weightBytes, biasBytes), quantizationBytes);
  }
};

/// A model's memory on a device. The names follow Sony's converter's
/// report (`Model Memory Physical Size`, ...).
struct MemoryAccount {
  MemoryAccountingKind kind = MemoryAccountingKind::AsPlanned;
  /// Weights (AsPlanned: the constants as typed; Imx500: the layers' plus
  /// the other constants).
  int64_t modelBytes = 0;
  /// Activations (AsPlanned: the arena; Imx500: the larger of the arena and
  /// the whole-tensor peak, plus the input when it persists).
  int64_t runtimeBytes = 0;
  int64_t reservedBytes = 0;
  /// The device's memory (0: no limit).
  int64_t totalBytes = 0;
  /// Imx500: the parts of the figures above.
  bool inputPersistent = false;
  int64_t inputBytes = 0;
  int64_t arenaBytes = 0;
  int64_t activationPeakBytes = 0;
  int64_t activationPeakStep = 0;
  int64_t outputChannelGroup = 1;
  int64_t otherConstantBytes = 0;
  std::vector<LayerMemory> layers;

  /// Model + runtime + reserved (`Memory Usage`).
  int64_t usageBytes() const {
    return addBytes(addBytes(modelBytes, runtimeBytes), reservedBytes);
  }
  bool hasLimit() const { return totalBytes > 0; }
  /// Usage as a percentage of the total (`Memory Utilization`); 0 without
  /// a limit.
  double utilizationPercent() const;
  /// `Fit In Chip`: true without a limit.
  bool fits() const {
    return !hasLimit() ||
           (usageBytes() <= totalBytes && usageBytes() < kSaturatedBytes);
  }
};

/// Counts `inputs` the way `options` says.
MemoryAccount accountMemory(const MemoryInputs &inputs,
                            const MemoryAccountingOptions &options);

/// "needs N bytes, M available (...)": what an over-budget error says.
std::string describeShortfall(const MemoryAccount &account);

/// "1,548,288".
std::string formatWithThousands(int64_t value);

} // namespace picosam

#endif // PICOSAM_ANALYSIS_MEMORYACCOUNTING_H
