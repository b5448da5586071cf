//===- QuantizedArithmetic.h - integer constants of quantized ops -*- C++ -*-===//
//
// Reads the quantization parameters of a quantized pico op from its
// `!quant.uniform` types, checks that they form a quantized op picosam
// defines (including that its int32 sums cannot overflow), and derives the
// integer constants it computes with through picosam/Kernels/
// Requantization.h, the one definition of that arithmetic. The ops'
// InferenceOpInterface::prepare, `--pico-print-requantization` and the
// backends all call these functions, so they cannot disagree;
// docs/quantization.md states the rules as formulas.
//
// Every function emits an error at the op and fails when the op's types do
// not form a quantized op picosam defines.
//
//===----------------------------------------------------------------------===//
#ifndef PICO_QUANTIZEDARITHMETIC_H
#define PICO_QUANTIZEDARITHMETIC_H

#include "Pico/PicoOps.h"
#include "picosam/Kernels/Requantization.h"

#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace picosam::pico {

using kernels::ActivationTable;
using kernels::AddRequantization;
using kernels::AverageRequantization;
using kernels::ChannelAttentionRequantization;
using kernels::ClampBounds;
using kernels::ConvRequantization;
using kernels::MulRequantization;
using kernels::Rescale;
using kernels::TensorQuantization;

/// True when an operand or result of `op` has a quantized element type: the
/// op then computes with integer semantics, and its verifier checks the
/// rules below (verifyIntegerSemantics).
bool hasQuantizedValues(mlir::Operation *op);

/// True for the ops that only move, convert or hold values (constant,
/// concat, reshape, transpose, pad, slice, separable_block, quantize, dequantize): they
/// run on tensors of any element type. Every other op computes in f32, or
/// with integer semantics when it hasQuantizedValues.
bool movesValuesOnly(mlir::Operation *op);

/// The element type of `op`'s first operand or result that it cannot
/// compute on (neither f32 nor quantized, for an op that does not only
/// move values), or null.
mlir::Type findUncomputableElementType(mlir::Operation *op);

/// Checks that a sum of `terms` values, each of magnitude at most
/// `termMagnitude`, is exact in the int32 accumulator the integer kernels
/// use (kernels::sumFitsInt32); `what` names the terms in the error
/// ("products per output").
mlir::LogicalResult verifyAccumulatorBound(mlir::Operation *op, int64_t terms,
                                           int64_t termMagnitude,
                                           llvm::StringRef what);

/// The integer constants quantized op `op` computes with, once the op is
/// shown to be one docs/quantization.md defines (its verifier's rules,
/// verifyIntegerSemantics): what InferenceOpInterface::prepare derives and
/// a backend emits. Nothing (std::monostate) for the quantized ops that
/// compute none: constants, the quantization boundaries, reshape,
/// transpose, pad and slice, separable_block (its convolutions have their own). An error
/// for an op without integer semantics.
mlir::FailureOr<kernels::PreparedParams>
getQuantizedConstants(mlir::Operation *op);

/// The quantization of `value`, which must have a per-tensor
/// `!quant.uniform` element type with 8-bit storage; otherwise emits an
/// error at `op` naming `role` ("input", "result", ...).
mlir::FailureOr<TensorQuantization>
getActivationQuantization(mlir::Operation *op, mlir::Value value,
                          llvm::StringRef role);

/// The per-output-channel scales of a convolution weight: a per-axis type
/// along axis 0 or a per-tensor type (one scale repeated), with signed
/// 8-bit storage and zero points 0 (symmetric). Error otherwise.
mlir::FailureOr<llvm::SmallVector<double>>
getWeightScales(mlir::Operation *op, mlir::Value weight, int64_t outChannels);

/// The clamp a fused activation is in the integer domain
/// (kernels::activationClamp); an error for activations that are not
/// clamps.
mlir::FailureOr<ClampBounds> getActivationClamp(mlir::Operation *op,
                                                ActivationAttr activation,
                                                const TensorQuantization &output);

/// conv2d; the bias must be int32 at the accumulator's scales, and the
/// products of one output, C/group x Kh x Kw of them, each at most
/// span(input) x 128, must add up exactly in int32.
mlir::FailureOr<ConvRequantization> getConvRequantization(Conv2DOp op);
/// conv_transpose2d, by conv2d's rules (no residual): at most C/group x Kh
/// x Kw products per output.
mlir::FailureOr<ConvRequantization>
getConvRequantization(ConvTranspose2DOp op);

/// add and sub.
mlir::FailureOr<AddRequantization> getAddRequantization(mlir::Operation *op);

/// mul.
mlir::FailureOr<MulRequantization> getMulRequantization(MulOp op);

/// A standalone activation op (ActivationOpInterface) on 8-bit tensors: its
/// function as a table.
mlir::FailureOr<ActivationTable> getActivationTable(mlir::Operation *op);

/// global_avg_pool (the divisor of the whole plane) and avg_pool (every
/// divisor up to the window's size: windows at the border divide by fewer);
/// a whole window's sum must be exact in int32.
mlir::FailureOr<AverageRequantization>
getAverageRequantization(mlir::Operation *op);

/// The rescale of each input of an op that only moves storage values
/// (max_pool, resize, concat) to its result's quantization.
mlir::FailureOr<std::vector<Rescale>> getInputRescales(mlir::Operation *op);

/// channel_attention, with the types of its intermediates from `mean_type`
/// and `logits_type`. Both int32 sums must be exact: H x W input values of
/// magnitude span(input) per mean, C products of magnitude span(mean) x 128
/// per logit.
mlir::FailureOr<ChannelAttentionRequantization>
getChannelAttentionRequantization(ChannelAttentionOp op);

} // namespace picosam::pico

#endif // PICO_QUANTIZEDARITHMETIC_H
