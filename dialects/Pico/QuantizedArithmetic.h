//===- QuantizedArithmetic.h - integer constants of quantized ops -*- C++ -*-===//
//
// The one derivation of every integer constant a quantized pico op computes
// with (zero points, requantization multipliers and shifts, clamp bounds,
// lookup tables) from its `!quant.uniform` types. The interpreter's integer
// kernels (PicoQuantizedInference.cpp), `--pico-print-requantization` and
// the backends all call these functions, so they cannot disagree;
// docs/quantization.md states the same rules as formulas.
//
// Every function emits an error at the op and fails when the op's types do
// not form a quantized op picosam defines.
//
//===----------------------------------------------------------------------===//
#ifndef PICO_QUANTIZEDARITHMETIC_H
#define PICO_QUANTIZEDARITHMETIC_H

#include "Pico/PicoOps.h"
#include "picosam/Support/FixedPoint.h"

#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace picosam::pico {

/// True when an operand or result of `op` has a quantized element type: the
/// op then computes with integer semantics, and its verifier checks the
/// rules below (verifyIntegerSemantics).
bool hasQuantizedValues(mlir::Operation *op);

/// Checks that a sum of `terms` values, each of magnitude at most
/// `termMagnitude`, is exact in the int32 accumulator the integer kernels
/// use (terms * termMagnitude <= 2^31 - 1); `what` names the terms in the
/// error ("products per output").
mlir::LogicalResult verifyAccumulatorBound(mlir::Operation *op, int64_t terms,
                                           int64_t termMagnitude,
                                           llvm::StringRef what);

/// The parameters of a per-tensor quantized activation:
/// real = (q - zeroPoint) * scale, q in [storageMin, storageMax].
struct TensorQuantization {
  double scale = 1.0;
  int32_t zeroPoint = 0;
  int32_t storageMin = 0, storageMax = 0;
};

/// The quantization of `value`, which must have a per-tensor
/// `!quant.uniform` element type with 8-bit storage; otherwise emits an
/// error at `op` naming `role` ("input", "result", ...).
mlir::FailureOr<TensorQuantization>
getActivationQuantization(mlir::Operation *op, mlir::Value value,
                          llvm::StringRef role);

/// The largest |q - zeroPoint| of a storage value.
int64_t storageSpanOf(const TensorQuantization &quantization);

/// Storage bounds an activation leaves, as a clamp of the result.
struct ClampBounds {
  int32_t min = 0, max = 0;
  int32_t apply(int32_t q) const { return q < min ? min : q > max ? max : q; }
};

/// The clamp a fused activation is in the integer domain: the storage range
/// of `output`, narrowed by relu to [zeroPoint, max] and by clip [a, b] to
/// the bounds quantized as pico.quantize does (round half to even). Other
/// activations are not clamps: error.
mlir::FailureOr<ClampBounds> getActivationClamp(mlir::Operation *op,
                                                ActivationAttr activation,
                                                const TensorQuantization &output);

/// A change of quantization (resize, max_pool, concat between types):
///   out = clamp(outZp + MultiplyByQuantizedMultiplier(q - inZp, M))
/// with M = quantizeMultiplier(inScale / outScale); exact when the scales
/// are equal (M = {2^30, 1}).
struct Rescale {
  int32_t inputZeroPoint = 0, outputZeroPoint = 0;
  fixedpoint::QuantizedMultiplier multiplier;
  ClampBounds clamp;
  int32_t apply(int32_t q) const;
};
Rescale getRescale(const TensorQuantization &input,
                   const TensorQuantization &output);

/// The per-output-channel scales of a convolution weight: a per-axis type
/// along axis 0 or a per-tensor type (one scale repeated), with signed
/// 8-bit storage and zero points 0 (symmetric). Error otherwise.
mlir::FailureOr<llvm::SmallVector<double>>
getWeightScales(mlir::Operation *op, mlir::Value weight, int64_t outChannels);

/// conv2d with quantized input, weight, optional bias, optional residual
/// and result (an input_upsample only changes which input elements are
/// read). The products of one output, C/group x Kh x Kw of them, each at
/// most span(input) x 128, must add up exactly in int32
/// (verifyAccumulatorBound). Per output channel c:
///   acc = sum (x - inZp) * w                  (int32, exact)
///       + bias[c]                             (int32 at inScale * wScale[c])
///       + MBQM(r - resZp, residualMultipliers[c])         (with a residual)
///   out = clamp(outZp + MBQM(acc, multipliers[c]))
/// with multipliers[c] = quantizeMultiplier(inScale * wScale[c] / outScale)
/// and residualMultipliers[c] = quantizeMultiplier(resScale / (inScale *
/// wScale[c])): the residual joins the accumulator at its scale, so the
/// result is rounded once. The sums saturate to int32.
struct ConvRequantization {
  TensorQuantization input, output;
  llvm::SmallVector<double> weightScales;
  llvm::SmallVector<fixedpoint::QuantizedMultiplier> multipliers;
  std::optional<TensorQuantization> residual;
  llvm::SmallVector<fixedpoint::QuantizedMultiplier> residualMultipliers;
  ClampBounds clamp;

  /// The accumulator term of residual storage value `r` for `channel`.
  int32_t residualTerm(int64_t channel, int32_t r) const;
  /// The result of an accumulator (bias and residual term included).
  int32_t requantize(int64_t channel, int64_t accumulator) const;
};
mlir::FailureOr<ConvRequantization> getConvRequantization(Conv2DOp op);

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
  fixedpoint::QuantizedMultiplier lhsMultiplier, rhsMultiplier,
      outputMultiplier;
  ClampBounds clamp;
  bool subtract = false;

  int32_t apply(int32_t lhsValue, int32_t rhsValue) const;
};
mlir::FailureOr<AddRequantization> getAddRequantization(mlir::Operation *op);

/// mul: out = clamp(outZp + MBQM((lhs - lhsZp) * (rhs - rhsZp), M)) with
/// M = quantizeMultiplier(lhsScale * rhsScale / outScale).
struct MulRequantization {
  TensorQuantization lhs, rhs, output;
  fixedpoint::QuantizedMultiplier multiplier;
  ClampBounds clamp;

  int32_t apply(int32_t lhsValue, int32_t rhsValue) const;
};
mlir::FailureOr<MulRequantization> getMulRequantization(MulOp op);

/// An element-wise function of an 8-bit tensor as a table with one entry
/// per input storage value: entry[q - inputMin] = clamp(round_half_even(
/// f(float((q - inZp) * inScale)) / outScale) + outZp), computed once from
/// the types (f is the #pico.act's `apply`).
struct ActivationTable {
  int32_t inputMin = 0;
  llvm::SmallVector<int32_t, 256> entries;

  int32_t lookup(int32_t q) const { return entries[q - inputMin]; }
};
ActivationTable getActivationTable(ActivationAttr function,
                                   const TensorQuantization &input,
                                   const TensorQuantization &output);

/// The multiplier that turns a sum of `count` zero-point-free input values
/// into the output's scale (average pools, global_avg_pool):
/// quantizeMultiplier(inScale / (count * outScale)).
fixedpoint::QuantizedMultiplier
getAverageMultiplier(const TensorQuantization &input,
                     const TensorQuantization &output, int64_t count);

/// channel_attention, as the four ops it fuses, each step rounded as its
/// own op is (the intermediates' types are the op's `mean_type` and
/// `logits_type`; the gates are u8 at scale 1/256). Both int32 sums must be
/// exact: H x W input values of magnitude span(input) per mean, C products
/// of magnitude span(mean) x 128 per logit.
///   mean[k]  = clamp(meanZp + MBQM(sum_hw (x[k] - inZp), meanMultiplier))
///              meanMultiplier = inScale / (H * W * meanScale)
///   acc[c]   = sum_k w[c, k] * (mean[k] - meanZp) + bias[c]
///              (int32; bias at meanScale * wScale[c])
///   logit[c] = clamp(logitsZp + MBQM(acc[c], logitMultipliers[c]))
///              logitMultipliers[c] = meanScale * wScale[c] / logitsScale
///   gate[c]  = sigmoid table of logit[c] (logits type -> gate type)
///   out      = clamp(outZp + MBQM((x[c] - inZp) * gate[c],
///                                 outputMultiplier))
///              outputMultiplier = inScale / 256 / outScale
struct ChannelAttentionRequantization {
  TensorQuantization input, mean, logits, gate, output;
  fixedpoint::QuantizedMultiplier meanMultiplier;
  llvm::SmallVector<double> weightScales;
  llvm::SmallVector<fixedpoint::QuantizedMultiplier> logitMultipliers;
  ActivationTable gateTable;
  fixedpoint::QuantizedMultiplier outputMultiplier;
};
mlir::FailureOr<ChannelAttentionRequantization>
getChannelAttentionRequantization(ChannelAttentionOp op);

} // namespace picosam::pico

#endif // PICO_QUANTIZEDARITHMETIC_H
