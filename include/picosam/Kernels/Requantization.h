//===- Requantization.h - integer constants of quantized kernels -*- C++ -*-===//
//
// The pure arithmetic that turns quantization parameters (scales, zero
// points, storage ranges) into the integer constants quantized kernels
// compute with: multipliers and shifts, clamp bounds, lookup tables. The
// pico dialect reads the parameters from `!quant.uniform` types
// (dialects/Pico/QuantizedArithmetic.h) and derives the constants here,
// once per op (InferenceOpInterface::prepare); the interpreter and the
// backends use what that derived, so they cannot disagree.
// docs/quantization.md states the same rules as formulas; MBQM below is
// fixedpoint::multiplyByQuantizedMultiplier.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_REQUANTIZATION_H
#define PICOSAM_KERNELS_REQUANTIZATION_H

#include "picosam/Kernels/Activation.h"
#include "picosam/Kernels/FixedPoint.h"
#include "picosam/Kernels/Span.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace picosam::kernels {

using fixedpoint::QuantizedMultiplier;

/// The parameters of a per-tensor quantized activation:
/// real = (q - zeroPoint) * scale, q in [storageMin, storageMax].
struct TensorQuantization {
  double scale = 1.0;
  int32_t zeroPoint = 0;
  int32_t storageMin = 0, storageMax = 0;

  bool operator==(const TensorQuantization &other) const {
    return scale == other.scale && zeroPoint == other.zeroPoint &&
           storageMin == other.storageMin && storageMax == other.storageMax;
  }
  bool operator!=(const TensorQuantization &other) const {
    return !(*this == other);
  }
};

/// The largest |q - zeroPoint| of a storage value.
int64_t storageSpanOf(const TensorQuantization &quantization);

/// True when a sum of `terms` values, each of magnitude at most `bound`,
/// stays within int32, the width the accumulators are specified with.
bool sumFitsInt32(int64_t terms, int64_t bound);

/// `x` quantized as pico.quantize does (round half to even), clamped to the
/// storage range of `output`; infinite values give the range's ends.
int32_t quantizeToStorage(double x, const TensorQuantization &output);

/// Storage bounds an activation leaves, as a clamp of the result.
struct ClampBounds {
  int32_t min = 0, max = 0;
  int32_t apply(int32_t q) const { return q < min ? min : q > max ? max : q; }
};

/// The whole storage range of `output`: the clamp of no activation.
ClampBounds storageBounds(const TensorQuantization &output);

/// The clamp a fused activation is in the integer domain: the storage range
/// of `output`, narrowed by relu to [zeroPoint, max] and by clip [a, b] to
/// the bounds quantizeToStorage gives them. None for activations that are
/// not clamps (they run as separate table ops).
std::optional<ClampBounds> activationClamp(const Activation &activation,
                                           const TensorQuantization &output);

/// outZp + MBQM(sum, multiplier), clamped to the output's storage range:
/// the last step of averages and of products that leave int32. (Inline:
/// the CPU kernel entries use it without the rest of this library.)
inline int32_t requantizeSum(int64_t sum, QuantizedMultiplier multiplier,
                             const TensorQuantization &output) {
  int32_t scaled = fixedpoint::multiplyByQuantizedMultiplier(
      fixedpoint::saturateToInt32(sum), multiplier);
  return static_cast<int32_t>(std::clamp<int64_t>(
      int64_t(output.zeroPoint) + scaled, output.storageMin,
      output.storageMax));
}

/// A change of quantization (resize, max_pool, concat between types):
///   out = clamp(outZp + MBQM(q - inZp, M))
/// with M = quantizeMultiplier(inScale / outScale); exact when the scales
/// are equal (M = {2^30, 1}).
struct Rescale {
  TensorQuantization input, output;
  QuantizedMultiplier multiplier;

  /// True when input and output quantization are the same: values pass
  /// unchanged.
  bool isIdentity() const { return input == output; }
  int32_t apply(int32_t q) const;
};
Rescale makeRescale(const TensorQuantization &input,
                    const TensorQuantization &output);

/// The multiplier of each output channel of a convolution (or of
/// channel_attention's 1x1 convolution): the accumulator of channel c is at
/// scale inputScale * weightScales[c], so
///   multipliers[c] = quantizeMultiplier(inputScale * weightScales[c] /
///                                       outputScale).
std::vector<QuantizedMultiplier>
channelMultipliers(double inputScale, Span<double> weightScales,
                   double outputScale);

/// What an integer convolution's sums are requantized with (the rules of
/// ConvRequantization, below), its per-channel arrays as views: what
/// QuantizedConvEpilogue computes with. ConvRequantization::view() gives it
/// to the interpreter and the IMX500 simulator; the CPU backend's kernel
/// entries make it from their descriptor's constants.
struct ConvRequantizationView {
  int32_t inputZeroPoint = 0, residualZeroPoint = 0, outputZeroPoint = 0;
  /// One per output channel; residualMultipliers only with a residual.
  const QuantizedMultiplier *multipliers = nullptr;
  const QuantizedMultiplier *residualMultipliers = nullptr;
  ClampBounds clamp;

  /// The accumulator term of residual storage value `r` for `channel`.
  int32_t residualTerm(int64_t channel, int32_t r) const {
    return fixedpoint::multiplyByQuantizedMultiplier(
        r - residualZeroPoint, residualMultipliers[channel]);
  }
  /// The result of an accumulator (bias and residual term included).
  int32_t requantize(int64_t channel, int64_t accumulator) const {
    int32_t scaled = fixedpoint::multiplyByQuantizedMultiplier(
        fixedpoint::saturateToInt32(accumulator), multipliers[channel]);
    return clamp.apply(
        fixedpoint::saturateToInt32(int64_t(outputZeroPoint) + scaled));
  }
};

/// conv2d with quantized input, weight, optional bias, optional residual
/// and result (an input_upsample only changes which input elements are
/// read). Per output channel c:
///   acc = sum (x - inZp) * w                  (int32, exact)
///       + bias[c]                             (int32 at inScale * wScale[c])
///       + MBQM(r - resZp, residualMultipliers[c])         (with a residual)
///   out = clamp(outZp + MBQM(acc, multipliers[c]))
/// with multipliers from channelMultipliers and residualMultipliers[c] =
/// quantizeMultiplier(resScale / (inScale * wScale[c])): the residual joins
/// the accumulator at its scale, so the result is rounded once. The sums
/// saturate to int32.
struct ConvRequantization {
  TensorQuantization input, output;
  std::vector<double> weightScales;
  std::vector<QuantizedMultiplier> multipliers;
  std::optional<TensorQuantization> residual;
  std::vector<QuantizedMultiplier> residualMultipliers;
  ClampBounds clamp;

  /// The constants as QuantizedConvEpilogue reads them (valid while this
  /// lives).
  ConvRequantizationView view() const {
    return {input.zeroPoint,
            residual ? residual->zeroPoint : 0,
            output.zeroPoint,
            multipliers.data(),
            residualMultipliers.data(),
            clamp};
  }
  /// The first channel whose residual multiplier's left shift could
  /// saturate for some residual value (MBQM must not), if any.
  std::optional<int64_t> saturatingResidualChannel() const;
};
ConvRequantization
makeConvRequantization(const TensorQuantization &input,
                       Span<double> weightScales,
                       const TensorQuantization &output,
                       const std::optional<TensorQuantization> &residual,
                       ClampBounds clamp);

/// add and sub, as TFLite's quantized ADD: both inputs are moved to a
/// common scale 2 * max(lhsScale, rhsScale) / 2^20 with 20 fractional bits,
/// summed, and the sum rescaled to the result:
///   a   = MBQM((lhs - lhsZp) * 2^20, lhsMultiplier)   lhsScale / (2 max)
///   b   = MBQM((rhs - rhsZp) * 2^20, rhsMultiplier)   rhsScale / (2 max)
///   out = clamp(outZp + MBQM(a +/- b, outputMultiplier))
///                                        2 max / (2^20 * outScale)
struct AddRequantization {
  static constexpr int kInputLeftShift = 20;
  TensorQuantization lhs, rhs, output;
  QuantizedMultiplier lhsMultiplier, rhsMultiplier, outputMultiplier;
  ClampBounds clamp;
  bool subtract = false;

  int32_t apply(int32_t lhsValue, int32_t rhsValue) const;
};
AddRequantization makeAddRequantization(const TensorQuantization &lhs,
                                        const TensorQuantization &rhs,
                                        const TensorQuantization &output,
                                        ClampBounds clamp, bool subtract);

/// mul: out = clamp(outZp + MBQM((lhs - lhsZp) * (rhs - rhsZp), M)) with
/// M = quantizeMultiplier(lhsScale * rhsScale / outScale).
struct MulRequantization {
  TensorQuantization lhs, rhs, output;
  QuantizedMultiplier multiplier;
  ClampBounds clamp;

  int32_t apply(int32_t lhsValue, int32_t rhsValue) const;
};
MulRequantization makeMulRequantization(const TensorQuantization &lhs,
                                        const TensorQuantization &rhs,
                                        const TensorQuantization &output,
                                        ClampBounds clamp);

/// An element-wise function of an 8-bit tensor as a table with one entry
/// per input storage value: entry[q - inputMin] = quantizeToStorage(
/// f(float((q - inZp) * inScale)), output), f the activation's `apply`.
/// A table's entries as a view (a CPU kernel descriptor's, or
/// ActivationTable::view()); no entries: no table.
struct ActivationTableView {
  int32_t inputMin = 0;
  const int32_t *entries = nullptr;

  int32_t lookup(int32_t q) const { return entries[q - inputMin]; }
};
struct ActivationTable {
  int32_t inputMin = 0;
  std::vector<int32_t> entries;

  int32_t lookup(int32_t q) const { return view().lookup(q); }
  ActivationTableView view() const { return {inputMin, entries.data()}; }
};
ActivationTable makeActivationTable(const Activation &function,
                                    const TensorQuantization &input,
                                    const TensorQuantization &output);

/// The multiplier that turns a sum of `count` zero-point-free input values
/// into the output's scale: quantizeMultiplier(inScale / (count *
/// outScale)).
QuantizedMultiplier averageMultiplier(const TensorQuantization &input,
                                      const TensorQuantization &output,
                                      int64_t count);

/// An integer mean (global_avg_pool, avg_pool, channel_attention's means):
///   out = requantizeSum(sum (x - inZp), averageMultiplier(count))
/// for the divisors `count` in [firstCount, firstCount + multipliers.size()).
struct AverageRequantization {
  TensorQuantization input, output;
  int64_t firstCount = 1;
  std::vector<QuantizedMultiplier> multipliers;

  int32_t average(int64_t sum, int64_t count) const {
    return requantizeSum(sum, multipliers[count - firstCount], output);
  }
};
/// The multipliers of every divisor in [firstCount, lastCount].
AverageRequantization makeAverageRequantization(const TensorQuantization &input,
                                                const TensorQuantization &output,
                                                int64_t firstCount,
                                                int64_t lastCount);

/// channel_attention, as the four ops it fuses, each step rounded as its
/// own op is (the intermediates' types are the op's `mean_type` and
/// `logits_type`; the gates are u8 at scale 1/256):
///   mean[k]  = means.average(sum_hw (x[k] - inZp), H * W)
///   logit[c] = gates.requantize(c, sum_k w[c, k] * (mean[k] - meanZp)
///                                  + bias[c])   (the 1x1 convolution:
///              input = the means, output = the logits, storage clamp)
///   gate[c]  = gateTable.lookup(logit[c])     (sigmoid, logits -> gate)
///   out      = requantizeSum((x[c] - inZp) * gate[c], outputMultiplier)
///              outputMultiplier = inScale / 256 / outScale
struct ChannelAttentionRequantization {
  AverageRequantization means;
  ConvRequantization gates;
  TensorQuantization gate;
  ActivationTable gateTable;
  TensorQuantization output;
  QuantizedMultiplier outputMultiplier;

  const TensorQuantization &input() const { return means.input; }
  int32_t scale(int64_t x, int32_t gateValue) const {
    return requantizeSum((x - input().zeroPoint) * gateValue,
                         outputMultiplier, output);
  }
};
ChannelAttentionRequantization makeChannelAttentionRequantization(
    const TensorQuantization &input, const TensorQuantization &mean,
    const TensorQuantization &logits, const TensorQuantization &output,
    Span<double> weightScales, int64_t planeSize);

/// The integer constants one op's kernel computes with, derived once per op
/// (the interpreter's prepare step; the backends emit the same): nothing
/// for float ops, one Rescale per input for the ops that only move storage
/// values (max_pool, resize, concat).
using PreparedParams =
    std::variant<std::monostate, ConvRequantization, AddRequantization,
                 MulRequantization, ActivationTable, AverageRequantization,
                 std::vector<Rescale>, ChannelAttentionRequantization>;

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_REQUANTIZATION_H
