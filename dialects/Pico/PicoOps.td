//===- PicoOps.td - pico operations ------------------------*- tablegen -*-===//
//
// Operand order and attribute names follow ONNX so the importer is a direct
// mapping; `pads` are [top, left, bottom, right] (ONNX's begin..., end...).
//
//===----------------------------------------------------------------------===//
#ifndef PICO_OPS_TD
#define PICO_OPS_TD

include "Pico/PicoBase.td"
include "Pico/PicoInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// A quantized op computes with the integer semantics of
// docs/quantization.md; its verifier checks the types and shapes they need
// (QuantizedArithmetic.h), after the op's shapes and element types.
def Pico_IntegerSemantics : NativeOpTrait<"IntegerSemantics"> {
  let cppNamespace = "::picosam::pico::OpTrait";
}

// Every tensor's byte size fits in int64_t: memory planning, the
// interpreter and the backends compute sizes from verified types.
def Pico_ByteSizedTensors : NativeOpTrait<"ByteSizedTensors"> {
  let cppNamespace = "::picosam::pico::OpTrait";
}

// The op's result shape follows from its operands and attributes:
// `inferResultShape` computes it or says why it cannot (at the op when
// verifying, at the location of the op being built otherwise), and the
// verifier checks the result type against it. That is where operand ranks,
// shapes and attribute ranges are checked, once for building and verifying.
def Pico_InferResultShape : NativeOpTrait<"InferResultShape", [], [{
    static ::mlir::FailureOr<::llvm::SmallVector<int64_t, 4>>
    inferResultShape(Adaptor op,
                     const ::picosam::pico::ShapeDiagnostics &emitError);
  }]> {
  let cppNamespace = "::picosam::pico::OpTrait";
}

// So does its whole result type: that shape and the first operand's element
// type (InferTypeOpInterface), so `Op::create(builder, loc, operands...,
// attributes...)` builds a typed op. A quantized result's scales cannot be
// inferred: such ops are built with their explicit result type, which is
// compatible with the inferred one when the shapes agree (element types
// have their own rules: SameFloatElementTypes, the integer semantics).
def Pico_InferResultTypeFromShape
    : NativeOpTrait<"InferResultTypeFromShape", [], [{
    static ::llvm::LogicalResult inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        ::mlir::ValueRange operands, ::mlir::DictionaryAttr attributes,
        ::mlir::OpaqueProperties properties, ::mlir::RegionRange regions,
        ::llvm::SmallVectorImpl<::mlir::Type> &types);
    static bool isCompatibleReturnTypes(::mlir::TypeRange lhs,
                                        ::mlir::TypeRange rhs);
  }], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        ::mlir::ValueRange operands, ::mlir::DictionaryAttr attributes,
        ::mlir::OpaqueProperties properties, ::mlir::RegionRange regions,
        ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::picosam::pico::inferResultTypeFromShape<$cppClass>(
          context, location, operands, attributes, properties, regions, types);
    }
    bool $cppClass::isCompatibleReturnTypes(::mlir::TypeRange lhs,
                                            ::mlir::TypeRange rhs) {
      return ::picosam::pico::haveSameShapes(lhs, rhs);
    }
  }]> {
  let cppNamespace = "::picosam::pico::OpTrait";
}
def Pico_InferResultType : TraitList<[Pico_InferResultShape,
    InferTypeOpInterface, Pico_InferResultTypeFromShape]>;

// Every op but pico.yield also executes (InferenceOpInterface): the dialect
// promises that interface, and lib/Inference attaches it as an external
// model.
class Pico_Op<string mnemonic, list<Trait> traits = []>
    : Op<Pico_Dialect, mnemonic, !listconcat([Pure, Pico_ByteSizedTensors],
        traits, [Pico_IntegerSemantics])>;

// Float operands and results of an arithmetic op share one element type;
// quantized ones may differ (each carries its own scale).
def Pico_SameFloatElementTypes : NativeOpTrait<"SameFloatElementTypes"> {
  let cppNamespace = "::picosam::pico::OpTrait";
}

// The optional activation every producer can carry after fusion. Absent
// means none; the verifier rejects an explicit `#pico.act<none>` so that
// "no activation" has a single spelling.
defvar Pico_OptionalActivation = OptionalAttr<Pico_ActivationAttr>;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Pico_ConstantOp
    : Pico_Op<"constant", [Pico_InferResultShape, ConstantLike]> {
  let summary = "A constant tensor (weights, biases, shapes)";
  let description = [{
    ```mlir
    %w = pico.constant dense<1.0> : tensor<8x3x3x3xf32>
    ```
    The result type equals the value's type, except for quantized results,
    whose storage values are held in an integer `value` of the quantized
    type's storage type and the result's shape:
    `pico.constant dense<...> : tensor<8xi8> -> tensor<8x!quant.uniform<...>>`.
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "attr-dict custom<ConstantValue>($value, type($output))";
  let builders = [
    OpBuilder<(ins "::mlir::ElementsAttr":$value), [{
      build($_builder, $_state, value.getType(), value);
    }]>
  ];
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolution and normalisation
//===----------------------------------------------------------------------===//

def Pico_Conv2DOp : Pico_Op<"conv2d", [Pico_InferResultType,
    Pico_SameFloatElementTypes, AttrSizedOperandSegments]> {
  let summary = "2-D convolution (grouped, strided, dilated), NCHW / OIHW";
  let description = [{
    ONNX `Conv` on 4-D tensors: `input` is NxCxHxW, `weight` is
    Ox(C/group)xKhxKw, the optional `bias` has O elements; C and O are
    multiples of `group`. `strides` and `dilations` hold two sizes >= 1,
    `pads` four sizes >= 0 as [top, left, bottom, right]. The result is
    NxOxHoxWo with Ho = floor((H' + top + bottom - ((Kh - 1) * dh + 1)) / sh)
    + 1, likewise Wo, where H' = H * `input_upsample`.

    Fusion adds three things, each absent (or 1) after import:
    - `input_upsample` (>= 1): the convolution reads its input through a
      nearest-neighbour upsample by this factor in H and W (input element
      [h / factor, w / factor] at upsampled position [h, w], as ONNX Resize
      nearest with asymmetric coordinates and floor), so the upsampled
      tensor never exists;
    - `residual`, of the result's shape, added after the bias;
    - `activation`, applied last:
    `out = activation(conv(upsample(input)) + bias + residual)`.

    ```mlir
    %y = pico.conv2d %x, %w, %b residual %r {activation = #pico.act<relu>}
        : (tensor<1x8x6x6xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>,
           tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$weight,
    Optional<AnyRankedTensor>:$bias,
    Optional<AnyRankedTensor>:$residual,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
    DefaultValuedAttr<I64Attr, "1">:$group,
    Pico_OptionalActivation:$activation,
    DefaultValuedAttr<I64Attr, "1">:$input_upsample);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? (`residual` $residual^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// One filter per input channel: `group` equals the input's channels.
    bool isDepthwise();
    /// A per-pixel channel mix: 1x1 kernel, unit strides, no pads, group 1,
    /// no input_upsample.
    bool isPointwise();
  }];
}

//===----------------------------------------------------------------------===//
// Transposed convolution
//===----------------------------------------------------------------------===//

def Pico_ConvTranspose2DOp : Pico_Op<"conv_transpose2d", [Pico_InferResultType,
    Pico_SameFloatElementTypes]> {
  let summary = "2-D transposed convolution (grouped, strided, dilated), NCHW";
  let description = [{
    ONNX `ConvTranspose` on 4-D tensors, its weight in conv2d's layout:
    `input` is NxCxHxW, `weight` is Ox(C/group)xKhxKw (output channel
    first: the importer transposes ONNX's Cx(O/group)xKhxKw, so weights
    quantize and fold per output channel as conv2d's), the optional `bias`
    has O elements; C and O are multiples of `group`. Input element
    (h, w) meets tap (kh, kw) at output position (h * sh + kh * dh - top,
    w * sw + kw * dw - left). `strides` and `dilations` hold two sizes >= 1,
    `pads` four sizes >= 0 as [top, left, bottom, right] (cropped from the
    full output), `output_padding` two sizes >= 0 (added at the bottom and
    right, reached by no tap). The result is NxOxHoxWo with
    Ho = sh * (H - 1) + (Kh - 1) * dh + 1 + output_padding[0] - top - bottom
    (at least 1), likewise Wo. Fusion may add an `activation`, applied last:
    `out = activation(conv_transpose(input) + bias)`.

    ```mlir
    %y = pico.conv_transpose2d %x, %w, %b {strides = array<i64: 2, 2>}
        : (tensor<1x8x6x6xf32>, tensor<4x8x2x2xf32>, tensor<4xf32>)
        -> tensor<1x4x12x12xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$weight,
    Optional<AnyRankedTensor>:$bias,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0}">:$output_padding,
    DefaultValuedAttr<I64Attr, "1">:$group,
    Pico_OptionalActivation:$activation);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Pico_BatchNormOp : Pico_Op<"batch_norm",
    [Pico_InferResultType, Pico_SameFloatElementTypes]> {
  let summary = "Inference-mode batch normalisation over axis 1";
  let description = [{
    `y = scale * (x - mean) / sqrt(variance + epsilon) + bias`, per channel
    (axis 1 of an input of rank >= 2); `scale`, `bias`, `mean` and
    `variance` are 1-D with C elements, and `epsilon` is positive.
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale,
    AnyRankedTensor:$bias, AnyRankedTensor:$mean, AnyRankedTensor:$variance,
    DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Pico_InstanceNormOp : Pico_Op<"instance_norm",
    [Pico_InferResultType, Pico_SameFloatElementTypes]> {
  let summary = "Instance normalisation: each plane by its own mean and variance";
  let description = [{
    ONNX `InstanceNormalization`: `y = scale * (x - mean) / sqrt(variance +
    epsilon) + bias`, with the mean and (biased) variance of each plane
    (batch n, channel c, over the axes after 1) of an input of rank >= 3;
    `scale` and `bias` are 1-D with C elements, and `epsilon` is positive.
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale,
    AnyRankedTensor:$bias, DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

// The parameters are checked as those of the `#pico.act` the op returns
// from getActivationFunction.
class Pico_ActivationOp<string mnemonic, list<Trait> traits = []>
    : Pico_Op<mnemonic, !listconcat([Pico_InferResultType,
        Pico_SameFloatElementTypes,
        DeclareOpInterfaceMethods<Pico_ActivationOpInterface>], traits)> {
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Pico_ReluOp : Pico_ActivationOp<"relu"> {
  let summary = "max(x, 0)";
  let arguments = (ins AnyRankedTensor:$input);
}

def Pico_ClipOp : Pico_ActivationOp<"clip"> {
  let summary = "min(max(x, min), max); ReLU6 is clip [0, 6]";
  let description = [{
    `min <= max`; either may be infinite (ONNX's missing bound).
  }];
  let arguments = (ins AnyRankedTensor:$input, F32Attr:$min, F32Attr:$max);
  let hasVerifier = 1;
}

def Pico_LeakyReluOp : Pico_ActivationOp<"leaky_relu"> {
  let summary = "x if x >= 0 else alpha * x";
  let description = [{ `alpha` is finite. }];
  let arguments = (ins AnyRankedTensor:$input,
    DefaultValuedAttr<F32Attr, "0.01f">:$alpha);
  let hasVerifier = 1;
}

def Pico_SigmoidOp : Pico_ActivationOp<"sigmoid"> {
  let summary = "1 / (1 + exp(-x))";
  let arguments = (ins AnyRankedTensor:$input);
}

def Pico_HardSigmoidOp : Pico_ActivationOp<"hard_sigmoid"> {
  let summary = "max(0, min(1, alpha * x + beta))";
  let description = [{ `alpha` and `beta` are finite. }];
  let arguments = (ins AnyRankedTensor:$input,
    DefaultValuedAttr<F32Attr, "0.2f">:$alpha,
    DefaultValuedAttr<F32Attr, "0.5f">:$beta);
  let hasVerifier = 1;
}

def Pico_HardSwishOp : Pico_ActivationOp<"hard_swish"> {
  let summary = "x * max(0, min(1, x / 6 + 1 / 2))";
  let arguments = (ins AnyRankedTensor:$input);
}

def Pico_TanhOp : Pico_ActivationOp<"tanh"> {
  let summary = "tanh(x)";
  let arguments = (ins AnyRankedTensor:$input);
}

// Element-wise math of ONNX's unary operators, as activations: each is a
// #pico.act kind, so it fuses into its producer, runs the one definition of
// Activation.h everywhere, and quantizes as a table op.

def Pico_AbsOp : Pico_ActivationOp<"abs"> {
  let summary = "|x|";
  let arguments = (ins AnyRankedTensor:$input);
}

def Pico_NegOp : Pico_ActivationOp<"neg"> {
  let summary = "-x";
  let arguments = (ins AnyRankedTensor:$input);
}

def Pico_ExpOp : Pico_ActivationOp<"exp"> {
  let summary = "exp(x)";
  let arguments = (ins AnyRankedTensor:$input);
}

def Pico_SqrtOp : Pico_ActivationOp<"sqrt"> {
  let summary = "sqrt(x) (NaN for x < 0)";
  let arguments = (ins AnyRankedTensor:$input);
}

def Pico_PowOp : Pico_ActivationOp<"pow"> {
  let summary = "x ** exponent, a constant exponent";
  let description = [{
    ONNX `Pow` whose exponent is one constant value; `exponent` is finite.
  }];
  let arguments = (ins AnyRankedTensor:$input, F32Attr:$exponent);
  let hasVerifier = 1;
}

def Pico_EluOp : Pico_ActivationOp<"elu"> {
  let summary = "x if x >= 0 else alpha * (exp(x) - 1)";
  let description = [{ `alpha` is finite. }];
  let arguments = (ins AnyRankedTensor:$input,
    DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
  let hasVerifier = 1;
}

def Pico_SeluOp : Pico_ActivationOp<"selu"> {
  let summary = "gamma * (x if x > 0 else alpha * (exp(x) - 1))";
  let description = [{ `alpha` and `gamma` are finite. }];
  let arguments = (ins AnyRankedTensor:$input,
    DefaultValuedAttr<F32Attr, "1.67326319217681884765625f">:$alpha,
    DefaultValuedAttr<F32Attr, "1.05070102214813232421875f">:$gamma);
  let hasVerifier = 1;
}

def Pico_SoftplusOp : Pico_ActivationOp<"softplus"> {
  let summary = "log(1 + exp(x))";
  let arguments = (ins AnyRankedTensor:$input);
}

//===----------------------------------------------------------------------===//
// Element-wise binary ops (numpy broadcasting)
//===----------------------------------------------------------------------===//

// `neutral` is the rhs value for which the op returns lhs, bit for bit.
class Pico_BinaryOp<string mnemonic, string neutral, list<Trait> traits = []>
    : Pico_Op<mnemonic, !listconcat([Pico_InferResultType,
        Pico_SameFloatElementTypes], traits)> {
  let description = [{
    Element-wise with numpy (multidirectional) broadcasting: the result
    shape is the broadcast of the operand shapes. The optional `activation`
    is applied to the result (after fusion).

    Folds to `lhs` when `rhs` is a splat float constant of }] # neutral # [{,
    the result has `lhs`'s type and there is no activation (the fold is
    exact, IEEE signed zeros included). An operand that is a `concat` of
    copies of one value along an axis where that value has size 1 (an
    imported Expand or Tile) is replaced by that value when broadcasting
    gives the same result shape.
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs,
    Pico_OptionalActivation:$activation);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($output)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Pico_AddOp : Pico_BinaryOp<"add", "-0.0", [Commutative]> {
  let summary = "lhs + rhs";
}
def Pico_SubOp : Pico_BinaryOp<"sub", "+0.0"> {
  let summary = "lhs - rhs";
}
def Pico_MulOp : Pico_BinaryOp<"mul", "1.0", [Commutative]> {
  let summary = "lhs * rhs";
}
def Pico_DivOp : Pico_BinaryOp<"div", "1.0"> {
  let summary = "lhs / rhs";
}
def Pico_MaxOp : Pico_BinaryOp<"max", "-inf", [Commutative]> {
  let summary = "the larger of lhs and rhs (NaN if either is)";
}
def Pico_MinOp : Pico_BinaryOp<"min", "+inf", [Commutative]> {
  let summary = "the smaller of lhs and rhs (NaN if either is)";
}
// ONNX PRelu with a per-channel slope (one slope is a leaky_relu, which
// fuses into the producer): #pico.act's parameters are scalars.
def Pico_PReluOp : Pico_BinaryOp<"prelu", "1.0"> {
  let summary = "lhs if lhs >= 0 else rhs * lhs: rhs is the slope";
}

//===----------------------------------------------------------------------===//
// Pooling and resizing
//===----------------------------------------------------------------------===//

def Pico_GlobalAvgPoolOp
    : Pico_Op<"global_avg_pool",
        [Pico_InferResultType, Pico_SameFloatElementTypes]> {
  let summary = "Mean over every spatial axis (axes 2 and up), kept as size 1";
  let description = [{ The input has rank >= 3 (N, C, spatial axes). }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

// The pools' shape rules, shared by their descriptions.
defvar Pico_PoolShapeDoc = [{
    `kernel_shape` and `strides` hold two sizes >= 1, `pads` four sizes
    >= 0 as [top, left, bottom, right], each smaller than the (dilated)
    kernel extent so that every window covers at least one input element.
    The output size is floor((H + top + bottom - extent) / stride) + 1, or
    with `ceil_mode` rounded up, dropping a last window that would start in
    the bottom/right padding (as ONNX Runtime and PyTorch do).
}];

def Pico_AvgPoolOp : Pico_Op<"avg_pool",
    [Pico_InferResultType, Pico_SameFloatElementTypes]> {
  let summary = "2-D average pooling, NCHW";
  let description = Pico_PoolShapeDoc # [{
    With `count_include_pad` the padding counts in each window's divisor.
  }];
  let arguments = (ins AnyRankedTensor:$input,
    DenseI64ArrayAttr:$kernel_shape,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
    DefaultValuedAttr<BoolAttr, "false">:$count_include_pad,
    DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Pico_MaxPoolOp : Pico_Op<"max_pool",
    [Pico_InferResultType, Pico_SameFloatElementTypes]> {
  let summary = "2-D max pooling, NCHW";
  let description = Pico_PoolShapeDoc # [{
    `dilations` holds two sizes >= 1.
  }];
  let arguments = (ins AnyRankedTensor:$input,
    DenseI64ArrayAttr:$kernel_shape,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
    DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Pico_ResizeOp : Pico_Op<"resize", [Pico_SameFloatElementTypes]> {
  let summary = "ONNX Resize (nearest or linear) with a static output shape";
  let description = [{
    One positive `scales` entry per axis; the result type holds the output
    shape: `floor(in * scale)`, or the `sizes` the model gave, accepted when
    each is within 1 of `in * scale` (scales computed from sizes round).
    Coordinates map back with `coordinate_transformation_mode`, and
    `nearest_mode` rounds them for `nearest`. `linear` interpolates along
    every axis whose scale is not 1 (bilinear for NCHW images).
  }];
  let arguments = (ins AnyRankedTensor:$input,
    Pico_ResizeModeAttr:$mode,
    DefaultValuedAttr<Pico_CoordinateTransformModeAttr,
        "::picosam::pico::CoordinateTransformMode::HalfPixel">:$coordinate_transformation_mode,
    DefaultValuedAttr<Pico_NearestModeAttr,
        "::picosam::pico::NearestMode::RoundPreferFloor">:$nearest_mode,
    DenseF32ArrayAttr:$scales);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The factor f >= 2 when this resize upsamples the H and W axes of an
    /// NCHW tensor by the integer f with every output element [h, w]
    /// reading input element [h / f, w / f] (rounded down): `nearest` with
    /// scales [1, 1, f, f], an output of exactly f times the input's H and
    /// W, and coordinate and nearest modes that give that index for f.
    std::optional<int64_t> getNearestUpsampleFactor();
  }];
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

def Pico_ConcatOp : Pico_Op<"concat",
    [Pico_InferResultType, Pico_SameFloatElementTypes]> {
  let summary = "Concatenation along `axis` (negative counts from the back)";
  let description = [{
    At least one input; all have the same rank and agree on every axis but
    `axis`. A single input of the result's type folds away.
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type($inputs, results)";
  let hasFolder = 1;
}

def Pico_ReshapeOp
    : Pico_Op<"reshape", [SameOperandsAndResultElementType]> {
  let summary = "Reshape to the result type's static shape (also ONNX Flatten)";
  let description = [{
    The result has as many elements as the input, of the same element type.
    Canonicalization folds a reshape to its input's type away, a reshape of
    a constant into a constant, and a reshape of a reshape into one.
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
  let hasVerifier = 1;
}

def Pico_TransposeOp
    : Pico_Op<"transpose",
        [Pico_InferResultType, SameOperandsAndResultElementType]> {
  let summary = "Permutes axes: output axis i is input axis perm[i]";
  let description = [{
    `perm` is a permutation of the input's axes. Canonicalization folds an
    identity `perm` away and a transpose of a constant into a constant,
    composes a transpose of a transpose into one, and turns a transpose
    that only moves size-1 axes (the data order is unchanged) into a
    reshape.
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// Structural ops: padding and slicing
//===----------------------------------------------------------------------===//

def Pico_PadOp : Pico_Op<"pad",
    [Pico_InferResultType, SameOperandsAndResultElementType]> {
  let summary = "ONNX Pad (constant, reflect, edge) with static pads";
  let description = [{
    `pads` holds 2 x rank sizes >= 0, ONNX's order: the elements added
    before each axis, then those after each axis. Output axis i has
    `pads[i] + input[i] + pads[rank + i]` elements. `constant` fills them
    with `value`, `reflect` mirrors the input about its first and last
    element (each pad smaller than the axis), `edge` repeats them (a padded
    axis must not be empty). A quantized pad keeps its input's
    quantization; `value` is then stored as its nearest storage value.
    Padding by zeros folds away.

    ```mlir
    %p = pico.pad %x reflect pads [0, 0, 1, 1, 0, 0, 1, 1]
        : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, Pico_PadMode:$mode,
    DenseI64ArrayAttr:$pads,
    DefaultValuedAttr<F32Attr, "0.0f">:$value);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input $mode `pads` $pads attr-dict `:` type($input) `->` type($output)
  }];
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// The constant mode's `value` in the result's storage: itself for a
    /// float result, the nearest storage value (clamped) for a quantized
    /// one, truncated towards zero for an integer one.
    double getStoragePadValue();
  }];
}

def Pico_SliceOp : Pico_Op<"slice",
    [Pico_InferResultType, SameOperandsAndResultElementType]> {
  let summary = "A strided slice: ONNX Slice, and each output of Split";
  let description = [{
    One entry per input axis in each of `offsets`, `sizes` and `strides`:
    output element i along an axis is input element offset + i * stride
    (strides are non-zero; negative ones walk backwards). Every element a
    non-empty axis reads lies inside the input. A quantized slice keeps its
    input's quantization. The whole input with unit strides folds away.

    ```mlir
    %s = pico.slice %x offsets [0, 4, 0, 0] sizes [1, 4, 8, 8] strides [1, 1, 1, 1]
        : tensor<1x8x8x8xf32> -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$offsets,
    DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$strides);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `offsets` $offsets `sizes` $sizes `strides` $strides attr-dict
    `:` type($input) `->` type($output)
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def Pico_ReduceOp : Pico_Op<"reduce",
    [Pico_InferResultType, Pico_SameFloatElementTypes]> {
  let summary = "ONNX ReduceMean, ReduceSum and ReduceMax over static axes";
  let description = [{
    The mean, sum or maximum of the elements along `axes` (distinct, sorted,
    in [0, rank), at least one). With `keep_dims` each reduced axis stays
    with size 1, else it is dropped. Float sums are in double. A quantized
    mean requantizes as pico.global_avg_pool does, a quantized maximum
    compares storage values and rescales the largest to the result's
    quantization; a sum has no integer semantics. The mean over the spatial
    axes of an NCHW tensor, kept, is pico.global_avg_pool (the importer
    makes that one).

    ```mlir
    %m = pico.reduce %x max axes [1] keep_dims
        : tensor<1x8x4x4xf32> -> tensor<1x1x4x4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, Pico_ReduceKind:$kind,
    DenseI64ArrayAttr:$axes, UnitAttr:$keep_dims);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input $kind `axes` $axes (`keep_dims` $keep_dims^)? attr-dict
    `:` type($input) `->` type($output)
  }];
  let extraClassDeclaration = [{
    /// The number of input elements each output element reduces.
    int64_t getReducedCount();
  }];
}

//===----------------------------------------------------------------------===//
// Matrix products and softmax
//===----------------------------------------------------------------------===//

def Pico_MatMulOp : Pico_Op<"matmul",
    [Pico_InferResultType, Pico_SameFloatElementTypes]> {
  let summary = "numpy matmul (batched, broadcasting, 1-D operands promoted)";
  let description = [{
    The last axis of `lhs` (K) meets the second-to-last of `rhs`; a 1-D
    `lhs` is a 1xK row and a 1-D `rhs` a Kx1 column whose added axis the
    result drops. The leading (batch) axes broadcast as numpy's do.
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($output)
  }];
}

def Pico_GemmOp : Pico_Op<"gemm",
    [Pico_InferResultType, Pico_SameFloatElementTypes]> {
  let summary = "alpha * op(a) * op(b) + beta * c, 2-D, c broadcast to the result";
  let description = [{
    `a` and `b` are 2-D; op(a) (`a` transposed when `trans_a`) is MxK and
    op(b) KxN. The optional `c` broadcasts (one-directionally) to MxN. The
    optional `activation` is applied to the result (after fusion).
  }];
  let arguments = (ins AnyRankedTensor:$a, AnyRankedTensor:$b,
    Optional<AnyRankedTensor>:$c,
    DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
    DefaultValuedAttr<F32Attr, "1.0f">:$beta,
    DefaultValuedAttr<BoolAttr, "false">:$trans_a,
    DefaultValuedAttr<BoolAttr, "false">:$trans_b,
    Pico_OptionalActivation:$activation);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Pico_SoftmaxOp : Pico_Op<"softmax",
    [Pico_InferResultType, Pico_SameFloatElementTypes]> {
  let summary = "Softmax, or its logarithm, along one axis (ONNX opset 13 semantics)";
  let description = [{
    `axis` is in [-rank, rank). With `log`, ONNX LogSoftmax:
    `x - max - log(sum(exp(x - max)))` along the axis.
  }];
  let arguments = (ins AnyRankedTensor:$input,
    DefaultValuedAttr<I64Attr, "-1">:$axis, UnitAttr:$log);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

//===----------------------------------------------------------------------===//
// Fused operations (made by the fusion passes, never by the importer)
//===----------------------------------------------------------------------===//

def Pico_ChannelAttentionOp
    : Pico_Op<"channel_attention",
        [Pico_InferResultType, Pico_SameFloatElementTypes]> {
  let summary = "Efficient Channel Attention: x * sigmoid(conv1x1(mean_hw(x)))";
  let description = [{
    `input` is NxCxHxW, `weight` CxCx1x1, the optional `bias` has C
    elements; the result has the input's shape:
    `out[n, c] = input[n, c] * sigmoid(bias[c] + sum_k weight[c, k] *
    mean_hw(input[n, k]))`. One op for global_avg_pool, the 1x1
    convolution, sigmoid and the broadcast multiply, so a backend reads the
    input twice (once for the means, once to scale it) and stores only the
    C gates in between.

    ```mlir
    %y = pico.channel_attention %x, %w : (tensor<1x40x96x96xf32>,
        tensor<40x40x1x1xf32>) -> tensor<1x40x96x96xf32>
    ```

    Quantized (docs/quantization.md), the op also needs the element types
    of its two intermediate tensors: `mean_type` for the means and
    `logits_type` for the 1x1 convolution's results (the sigmoid's input);
    the gates are u8 at scale 1/256. A float op has neither.
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$weight,
    Optional<AnyRankedTensor>:$bias, OptionalAttr<TypeAttr>:$mean_type,
    OptionalAttr<TypeAttr>:$logits_type);
  let results = (outs AnyRankedTensor:$output);
  let builders = [
    OpBuilder<(ins "::mlir::Type":$output, "::mlir::Value":$input,
                   "::mlir::Value":$weight, "::mlir::Value":$bias), [{
      build($_builder, $_state, output, input, weight, bias,
            ::mlir::TypeAttr(), ::mlir::TypeAttr());
    }]>
  ];
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Pico_SeparableBlockOp
    : Pico_Op<"separable_block", [Pico_InferResultShape]> {
  let summary = "A depthwise convolution and the 1x1 convolution reading it";
  let description = [{
    The body's one argument is `input`; the body is exactly a depthwise
    `pico.conv2d` of it (`group` equal to its channels; any kernel,
    strides, dilations, pads, `input_upsample`, bias and activation, no
    residual), a pointwise `pico.conv2d` of the depthwise result (1x1
    kernel, unit strides, no pads, `group` 1, no `input_upsample`; any
    bias, activation and residual), and `pico.yield` of the pointwise
    result, which is the block's result.

    The depthwise result is an SSA value of the body only, so the memory
    planner and the CPU backend can produce it a few rows at a time for the
    pointwise convolution instead of storing it whole. Weights, biases and
    the residual are values of the enclosing function (the body is not
    isolated from above).

    ```mlir
    %y = pico.separable_block %x : tensor<1x48x48x48xf32> -> tensor<1x96x48x48xf32> {
    ^bb0(%in: tensor<1x48x48x48xf32>):
      %dw = pico.conv2d %in, %wd, %bd {activation = #pico.act<relu>, group = 48 : i64,
          pads = array<i64: 1, 1, 1, 1>} : (...) -> tensor<1x48x48x48xf32>
      %pw = pico.conv2d %dw, %wp, %bp {activation = #pico.act<relu>} : (...) -> tensor<1x96x48x48xf32>
      pico.yield %pw : tensor<1x96x48x48xf32>
    }
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output) $body
  }];
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    /// The body's depthwise and pointwise convolutions (the verifier
    /// guarantees they are the body's first two ops).
    Conv2DOp getDepthwise();
    Conv2DOp getPointwise();
  }];
}

def Pico_YieldOp : Op<Pico_Dialect, "yield",
    [Pure, Terminator, HasParent<"SeparableBlockOp">]> {
  let summary = "Ends a pico.separable_block body with the block's result";
  let arguments = (ins AnyRankedTensor:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

//===----------------------------------------------------------------------===//
// Quantization boundaries (ONNX QuantizeLinear / DequantizeLinear)
//===----------------------------------------------------------------------===//

def Pico_QuantizeOp : Pico_Op<"quantize", [Pico_InferResultShape]> {
  let summary = "float -> quantized: q = clamp(round(x / scale) + zero_point)";
  let description = [{
    The scale and zero point are the result's `!quant.uniform` element type
    (per tensor, or per axis along an axis of the input's shape with one
    scale per element of it), whose expressed type is the input's float
    element type. The shape is unchanged. Rounding is half to even, as in
    ONNX.
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Pico_DequantizeOp
    : Pico_Op<"dequantize", [Pico_InferResultShape, InferTypeOpAdaptor]> {
  let summary = "quantized -> float: x = (q - zero_point) * scale";
  let description = [{
    The reverse of `pico.quantize`: the input's `!quant.uniform` element
    type (per tensor or per axis) gives the scale and zero point, and its
    expressed type is the result's element type (inferred, with the
    unchanged shape).
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

#endif // PICO_OPS_TD
